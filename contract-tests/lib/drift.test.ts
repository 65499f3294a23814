/**
 * A standing proof, in the fast unit project, that the contract checks bite: against a local
 * stand-in that serves each spec's own examples they all pass, and each break of the drift list
 * (contract-tests/e2e/drift-violations.ts: a wrong body, a missing required field, an
 * undocumented status, a missing 401, a 401 or a refusal whose body breaks the spec, a refusal
 * that does not name the field, …) makes exactly the check that must catch it fail, naming the
 * fault. The request checks get the same treatment: a stand-in that validates requests refuses
 * every broken one (missing required field, value over its limit) naming the field, and one that
 * accepts anything makes each of those checks fail. The tests generated per operation equal
 * generated/<vendor>/manifest.json. No Prism: a node:http server per vendor.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestPath } from '../../scripts/build/manifest.js';
import { root } from '../../scripts/lib/vendors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vendors } from '../../src/vendors.js';
import { acceptsAnonymous, violations, type Violation } from '../e2e/drift-violations.js';
import { classesOf, createVendorChecks, noRequestCheckReason, type PlannedTest } from './checks.js';
import { loadRuntime } from './runtime.js';
import { deref, loadSpec, type LoadedSpec, type OperationRef } from './spec.js';
import { startExampleServer } from './example-server.js';
import { targetFor } from './target.js';

const KIND = { example: 'example', auth: '401', 'missing-required': 'missing-required', 'over-limit': 'over-limit' } as const;
const served = vendors.filter((v) => v.operationCount > 0);

/** Every planned test of a vendor, against a stand-in that applies `breaks` (and validates requests, if asked). */
async function standIn(vendorName: string, breaks: Violation[], validate = false) {
  const spec = loadSpec(served.find((v) => v.name === vendorName)!);
  const server = await startExampleServer(
    spec,
    breaks.map((b) => ({ operationId: b.operationId, acceptsAnonymous: acceptsAnonymous(b), breakResponse: b.breakResponse, breakRefusal: b.breakRefusal })),
    { validate },
  );
  const runtime = await loadRuntime(vendorName);
  const target = targetFor(runtime, { [vendorName]: server.url }, {});
  const checks = createVendorChecks(spec, runtime, target.settings!);
  const tests = spec.operations.flatMap((op) => checks.plan(op));
  return { spec, server, tests };
}

const isRequestCheck = (t: PlannedTest) => t.kind === 'missing-required' || t.kind === 'over-limit';

function manifestOf(vendorName: string): { tests: Record<string, PlannedTest['kind'][]> } {
  const vendor = served.find((v) => v.name === vendorName)!;
  return JSON.parse(readFileSync(join(root, manifestPath(vendor.bundle)), 'utf8'));
}

/** How many request checks the manifest lists for a vendor (known before any server starts). */
const requestCheckCount = (vendorName: string) =>
  Object.values(manifestOf(vendorName).tests)
    .flat()
    .filter((kind) => kind === 'missing-required' || kind === 'over-limit').length;

/** The documented answer for an error status, with its first example (or no body). */
function documentedError(spec: LoadedSpec, op: OperationRef, status: number) {
  const response = deref(spec.doc, op.operation.responses[String(status)]);
  const [contentType, media] = Object.entries<any>(response.content ?? {})[0] ?? [];
  if (!contentType) return { status, contentType: '', body: '' };
  const example = media.example ?? deref(spec.doc, Object.values<any>(media.examples ?? {})[0])?.value;
  return { status, contentType, body: example === undefined ? '' : JSON.stringify(example) };
}

async function outcome(test: PlannedTest): Promise<string | undefined> {
  try {
    await test.run();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe.each(served.map((v) => v.name))('the contract checks against a %s stand-in', (vendorName) => {
  const breaks = violations.filter((v) => v.vendor === vendorName);
  let faithful: Awaited<ReturnType<typeof standIn>>;
  let lenient: Awaited<ReturnType<typeof standIn>>;
  let drifting: Awaited<ReturnType<typeof standIn>>;
  beforeAll(async () => {
    [faithful, lenient, drifting] = await Promise.all([standIn(vendorName, [], true), standIn(vendorName, []), standIn(vendorName, breaks, true)]);
  });
  afterAll(async () => {
    await faithful?.server.stop();
    await lenient?.server.stop();
    await drifting?.server.stop();
  });

  it('are generated exactly as its manifest lists', () => {
    expect(classesOf(faithful.tests)).toEqual(manifestOf(vendorName).tests);
  });

  it('all pass against a stand-in that serves the documented examples and validates requests', async () => {
    expect(faithful.tests.length).toBeGreaterThan(0);
    const failures = [];
    for (const test of faithful.tests) {
      const message = await outcome(test);
      if (message) failures.push(`${test.operationId} ${test.kind}: ${message}`);
    }
    expect(failures).toEqual([]);
  });

  // A vendor with no required field or limit has no request check: the test would loop over nothing.
  const requestChecks = requestCheckCount(vendorName);
  const lenientTitle = 'each request check fails against a stand-in that accepts anything';
  const noRequestCheck = noRequestCheckReason(vendorName, manifestOf(vendorName).tests);
  (noRequestCheck ? it.skip : it)(noRequestCheck ? `${lenientTitle} skipped: ${noRequestCheck}` : lenientTitle, async () => {
    const accepted = [];
    expect(lenient.tests.filter(isRequestCheck)).toHaveLength(requestChecks);
    for (const test of lenient.tests.filter(isRequestCheck)) {
      const message = await outcome(test);
      if (!message?.includes('not a 4xx')) accepted.push(`${test.operationId} ${test.kind}: ${message ?? 'passed'}`);
    }
    expect(accepted).toEqual([]);
  });

  it('fail an example call answered with a documented error instead of a success', async () => {
    // Any operation that documents a 4xx with a JSON body: the stand-in answers that, faithfully.
    const op = faithful.spec.operations.find((o) => Object.keys(o.operation.responses ?? {}).some((s) => /^4\d\d$/.test(s) && s !== '401'));
    expect(op, 'an operation with a documented 4xx').toBeDefined();
    const status = Number(Object.keys(op!.operation.responses).find((s) => /^4\d\d$/.test(s) && s !== '401'));
    const erring = await startExampleServer(faithful.spec, [
      { operationId: op!.operation.operationId, breakResponse: () => documentedError(faithful.spec, op!, status) },
    ]);
    try {
      const runtime = await loadRuntime(vendorName);
      const checks = createVendorChecks(faithful.spec, runtime, targetFor(runtime, { [vendorName]: erring.url }, {}).settings!);
      const example = checks.plan(op!).find((t) => t.kind === 'example')!;
      expect(await outcome(example)).toContain(`status ${status} is not a success`);
    } finally {
      await erring.stop();
    }
  });

  // A vendor with no break in the list would get no "catch" test, and nothing said so.
  if (breaks.length === 0) it.skip(`catch its breaks skipped: ${vendorName} has no break in contract-tests/e2e/drift-violations.ts`, () => {});
  it.each(breaks.map((b) => [`${b.operationId}: ${b.kind}`, b] as const))('catch %s', async (_, violation) => {
    const test = drifting.tests.find((t) => t.operationId === violation.operationId && t.kind === KIND[violation.caughtBy]);
    expect(test, `no ${violation.caughtBy} check is generated for ${violation.operationId}`).toBeDefined();
    const message = await outcome(test!);
    expect(message, `${violation.operationId}: the break went unnoticed`).toBeDefined();
    expect(message).toContain(violation.names);
  });

  it('fail nothing that was not broken', async () => {
    const unexpected = [];
    for (const test of drifting.tests) {
      const broken = breaks.some((b) => b.operationId === test.operationId && KIND[b.caughtBy] === test.kind);
      if (!broken && (await outcome(test))) unexpected.push(`${test.operationId} ${test.kind}`);
    }
    expect(unexpected).toEqual([]);
  });
});

// Found 2026-12-01: "naming the field" was a substring test over the whole answer, so XONVO
// createAccount's check for a missing "name" passed a 400 that named "aiAssistantName".
describe('a refusal names the field by its whole name', () => {
  let spec: LoadedSpec;
  let createAccount: OperationRef;
  beforeAll(() => {
    spec = loadSpec(served.find((v) => v.name === 'xonvo')!);
    createAccount = spec.operations.find((o) => o.operation.operationId === 'createAccount')!;
  });
  const refusal = (message: string) => JSON.stringify({ status: 400, error: 'Bad Request', message });

  it.each([
    ['another field whose name holds it', 'aiAssistantName is not allowed', 'the 400 answer does not name "name"'],
    ['a field whose name starts with it', 'name_prefix is not allowed', 'the 400 answer does not name "name"'],
    ['it, quoted', "must have required property 'name'", undefined],
    ['it, as a JSON pointer', 'missing at /name', undefined],
    ['it, capitalised, as a word', 'Name: must not be blank', undefined],
  ])('against a 400 naming %s', async (_, message, failure) => {
    const server = await startExampleServer(spec, [{ operationId: 'createAccount', breakRefusal: (u) => ({ ...u, body: refusal(message), violations: undefined }) }], { validate: true });
    try {
      const runtime = await loadRuntime('xonvo');
      const checks = createVendorChecks(spec, runtime, targetFor(runtime, { xonvo: server.url }, {}).settings!);
      const check = checks.plan(createAccount).find((t) => t.kind === 'missing-required')!;
      expect(check.title).toContain('without required "name"');
      const outcomeMessage = await outcome(check);
      if (failure === undefined) expect(outcomeMessage).toBeUndefined();
      else expect(outcomeMessage).toContain(failure);
    } finally {
      await server.stop();
    }
  });
});

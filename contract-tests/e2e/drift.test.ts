/**
 * The point of the sandbox run: a vendor that drifts from its contract is caught. The drift
 * fixture serves every vendor's API with the breaks listed in drift-violations.ts; the run must
 * fail, name each break by operation and field, report nothing else, and leak no credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64 } from '../../src/auth/base64.js';
import { vendors } from '../../src/vendors.js';
import { loadSpec } from '../lib/spec.js';
import { startDriftFixture } from './drift-fixture.js';
import { violations, type Violation } from './drift-violations.js';
import { fakeSecrets, runSandbox, type SandboxRun } from './sandbox-run.js';

/** How the title of the test that must catch each kind of break reads (see contract-tests/lib/checks.ts). */
const TEST_TITLE: Record<Violation['caughtBy'], RegExp> = {
  example: /answers the example request as documented$/,
  auth: /refuses a call without credentials with 401$/,
  'missing-required': /rejects the request without required "[^"]+", naming the field$/,
  'over-limit': /rejects the request with "[^"]+" over its maxLength\/maximum, naming the field$/,
};
const caughtIn = (v: Violation, f: { vendor: string; test: string }) =>
  f.vendor === v.vendor && f.test.includes(`${v.operationId} (`) && TEST_TITLE[v.caughtBy].test(f.test);

let fixture: Awaited<ReturnType<typeof startDriftFixture>>;
let run: SandboxRun;
beforeAll(async () => {
  fixture = await startDriftFixture();
  // The contract suite is what must catch drift; dredd and respect run end to end in sandbox.test.ts.
  run = await runSandbox(fixture.urls, { CONTRACT_ALLOW_WRITES: '1' }, ['--parts', 'contract']);
});
afterAll(() => fixture?.stop());

const failures = () =>
  Object.entries(run.report).flatMap(([vendor, r]) =>
    ((r as any).contract?.failures ?? []).map((f: { test: string; message: string }) => ({ vendor, ...f })),
  );

describe('drift against a sandbox that breaks its contract', () => {
  it('breaks only operations the specs document, each once', () => {
    const documented = new Set(vendors.flatMap((v) => loadSpec(v).operations.map((op) => `${v.name}.${op.operation.operationId}`)));
    const broken = violations.map((v) => `${v.vendor}.${v.operationId}`);
    expect(broken.filter((id) => !documented.has(id)), 'breaks of operations no spec has').toEqual([]);
    expect(new Set(broken).size).toBe(broken.length);
  });

  it('fails the run', () => {
    expect(run.code, run.output).toBe(1);
  });

  it.each(violations.map((v) => [`${v.vendor} ${v.operationId}: ${v.kind}`, v] as const))('reports %s', (_, violation) => {
    const caught = failures().find((f) => caughtIn(violation, f));
    expect(caught, `no failure reported for ${violation.vendor} ${violation.operationId}`).toBeDefined();
    expect(caught!.message).toContain(violation.names);
  });

  it('keeps each break in the report as the clients\' guard reports it: vendor, operationId, method, path, status, pointer, rule, message', () => {
    const kept = Object.values(run.report).flatMap((r) => ((r as any).contract?.violations ?? []) as Record<string, unknown>[]);
    for (const v of kept) expect(Object.keys(v).sort()).toEqual(['message', 'method', 'operationId', 'path', 'pointer', 'rule', 'status', 'vendor']);
    // The first break in the list: XONVO's leadCount sent as a string.
    expect(kept).toContainEqual({ vendor: 'xonvo', operationId: 'getAccountStatistics', method: 'GET', path: '/accounts/{accountId}/statistics', status: 200, pointer: '/leadCount', rule: 'type', message: 'body /leadCount must be integer' });
    // Every break a response shows is there, under its operation.
    for (const v of violations.filter((b) => b.caughtBy === 'example')) expect(kept.some((k) => k.vendor === v.vendor && k.operationId === v.operationId), `${v.vendor} ${v.operationId}`).toBe(true);
  });

  it('reports nothing that was not injected', () => {
    const unexpected = failures().filter((f) => !violations.some((v) => caughtIn(v, f)));
    expect(unexpected).toEqual([]);
  });

  it('never prints or writes a credential, even one a vendor echoes back', () => {
    const values = Object.values(fakeSecrets);
    const forms = [...values, ...values.flatMap((a) => values.map((b) => base64(`${a}:${b}`)))];
    const written = [run.output, ...Object.values(run.files)].join('\n');
    for (const form of forms) expect(written.includes(form), `leaked ${form.slice(0, 4)}…`).toBe(false);
    // The XONVO pauseAccount break echoes the Basic credentials: they were there to leak.
    expect(written).toContain('[redacted]');
    // Nor a token the vendor issued, which a failure quoting the token endpoint's answer showed (found 2026-12-01).
    const issued = /"(?:access|refresh)_token":\s*"([^"]+)"/g;
    const tokens = [...JSON.stringify(loadSpec(vendors.find((v) => v.name === 'footprints')!).doc).replaceAll('\\"', '"').matchAll(issued)].map((m) => m[1]!).filter((t) => t.length >= 20);
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(written.includes(token), `leaked an issued token ${token.slice(0, 4)}…`).toBe(false);
  });
});

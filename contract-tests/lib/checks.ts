/**
 * The contract checks for one vendor, as plain functions that throw on a breach: the suite
 * (operations.test.ts) registers each as a vitest test, and the unit project runs the same
 * functions against a local server that drifts (drift.test.ts), so a harness that stops seeing
 * a wrong body, a missing field, an undocumented status or a missing 401 fails fast.
 */
import { appendFileSync } from 'node:fs';
import { createCredentialMask } from '../../src/record/har.js';
import { statusKeys } from '../../src/guard/documented.js';
import type { ContractViolation } from '../../src/guard/violation.js';
import type { VendorRuntime, VendorSettings } from '../../src/vendor-runtime.js';
import { exampleRequest, negativeCases, type ContractRequest } from './request.js';
import { contractViolations, receive, type ReceivedResponse } from './response.js';
import type { LoadedSpec, OperationRef } from './spec.js';
import { notCheckedFor } from './unavailable.js';
import { anonymousClient, createRecorder, securitySchemes, send, vendorClients } from './target.js';
import { createValidator } from './validator.js';

/** The classes of generated tests; generated/<vendor>/manifest.json lists them per operation. */
export type TestClass = 'example' | '401' | 'missing-required' | 'over-limit';

export interface PlannedTest {
  operationId: string;
  kind: TestClass;
  title: string;
  /** Resolves when the target honours the contract; throws an Error naming every problem. */
  run(): Promise<void>;
}

export class ContractBreach extends Error {}

/** How long a check's Retry-After waits may run, all told: under the contract project's testTimeout (vitest.config.ts). */
export const BACKOFF_BUDGET_MS = 20_000;

function fail(message: string): never {
  throw new ContractBreach(message);
}

/**
 * A check the vendor would not answer for now (unavailable.ts): it says nothing of the contract
 * either way, so it is not drift, and not a pass either (a run every check of which was refused showed nothing).
 */
export class NotChecked extends Error {}

/**
 * Where the sandbox run (scripts/sandbox.ts) collects the violations each check finds, one JSON
 * line each, in the shape the clients' guard hands to `onViolation`: its drift report keeps them.
 * Unset (a run of the suite alone), they are only in the failure messages.
 */
function noteViolations(violations: ContractViolation[]): void {
  const file = process.env.CONTRACT_VIOLATIONS_FILE;
  if (file && violations.length > 0) appendFileSync(file, violations.map((v) => `${JSON.stringify(v)}\n`).join(''));
}

export interface CheckOptions {
  log?: (line: string) => void;
  /**
   * Against the stateful mock: run each check in a mock session of its own (`x-mock-session`),
   * so it meets the spec's examples whatever other checks wrote, in any order.
   */
  isolate?: boolean;
  /** The bound on each exchange (default ANSWER_TIMEOUT_MS); a test shortens it. */
  answerTimeoutMs?: number;
}

/** Everything the checks of one vendor share: its validator, clients and the response recorder. */
export function createVendorChecks(spec: LoadedSpec, runtime: VendorRuntime, settings: VendorSettings<string>, options: CheckOptions = {}) {
  const validate = createValidator(spec.doc, `urn:martech:${spec.vendor.name}`);
  // A Retry-After wait must end inside the check: vitest ends it at the contract project's 30 s
  // testTimeout, and a check that waited 20 s twice failed as "Test timed out", not as a 429.
  let checkStartedAt = performance.now();
  const recorder = createRecorder({ log: options.log, deadlineAt: () => checkStartedAt + BACKOFF_BUDGET_MS, answerTimeoutMs: options.answerTimeoutMs, vendor: spec.vendor.name });
  let session = '';
  let sessions = 0;
  const inSession = async (request: Request) => {
    if (!options.isolate) return recorder.fetch(request);
    const headers = new Headers(request.headers);
    headers.set('x-mock-session', session);
    return recorder.fetch(new Request(request, { headers }));
  };
  const forOperation = vendorClients(runtime, settings, inSession);
  /** A fresh session per check run (unique within this run of the suite). */
  const fresh = (test: string) => {
    checkStartedAt = performance.now();
    session = `contract-${spec.vendor.name}-${test}-${++sessions}-${process.pid}`;
  };

  // What a failure quotes of an answer is masked as a recording is: a token endpoint's answer
  // (Footprints' createToken) put a live token into reports/sandbox.json.
  const mask = createCredentialMask(Object.entries(settings).filter(([name]) => name !== 'baseUrl').map(([, value]) => value));
  const excerpt = (received: ReceivedResponse) => JSON.stringify(mask.body(received.text, received.contentType, 'answer').slice(0, 200));

  /** What of the response breaks the contract, one sentence each, every violation noted for the drift report. */
  function problemsOf(op: OperationRef, received: ReceivedResponse): string[] {
    const violations = contractViolations(spec, validate, op, received, mask.text);
    noteViolations(violations);
    return violations.map((v) => v.message);
  }

  /**
   * A 429, 502, 503 or 504 still there after the resends src/retry.ts allows (a GET backed off as
   * Retry-After asked; a POST or PATCH sent once, as it may have acted) is the vendor, or its
   * gateway, unable to answer the call for now (unavailable.ts): not judged as an undocumented
   * status, nor as the refusal or success the check expects. One the operation documents is still
   * held to what it documents.
   */
  function refusedForNow(op: OperationRef, received: ReceivedResponse): void {
    const notChecked = notCheckedFor(received.status, received.headers?.get('retry-after'));
    if (notChecked === undefined) return;
    const documented = statusKeys(received.status).some((key) => key in (op.operation.responses ?? {}));
    const problems = documented ? problemsOf(op, received) : [];
    if (problems.length > 0) fail(`the ${received.status} breaks the contract: ${problems.join('; ')}`);
    // Not naming the call (the check's title does): a vendor that is down fails every check in these
    // words, and the closing report says them once, with how many more.
    throw new NotChecked(`${notChecked}; only a call that may be sent twice is sent again, as Retry-After asks`);
  }

  async function example(op: OperationRef, request: ContractRequest) {
    fresh(op.operation.operationId);
    await send(forOperation(spec, op), op.method, op.path, request);
    const received = await receive(recorder.take());
    refusedForNow(op, received);
    // Failure messages name every problem in full: they are what a drift report shows.
    const problems = problemsOf(op, received);
    const body = excerpt(received);
    if (problems.length > 0) fail(`${problems.join('; ')} (response body ${body})`);
    if (received.status >= 300) fail(`status ${received.status} is not a success (response body ${body})`);
  }

  async function refusesAnonymous(op: OperationRef, request: ContractRequest) {
    fresh(op.operation.operationId);
    await send(anonymousClient(settings.baseUrl, inSession), op.method, op.path, request);
    const received = await receive(recorder.take());
    refusedForNow(op, received);
    if (received.status !== 401) fail(`a call without credentials got status ${received.status}, not 401`);
    const problems = problemsOf(op, received);
    if (problems.length > 0) fail(`the 401 breaks the contract: ${problems.join('; ')}`);
  }

  async function rejects(op: OperationRef, field: string, request: ContractRequest) {
    fresh(op.operation.operationId);
    await send(forOperation(spec, op), op.method, op.path, request);
    const response = recorder.take();
    const violations = response.headers.get('sl-violations') ?? '';
    const received = await receive(response);
    refusedForNow(op, received);
    if (received.status < 400 || received.status >= 500) fail(`the broken request got status ${received.status}, not a 4xx`);
    if (!namesField(`${violations}\n${received.text}`, field)) {
      fail(`the ${received.status} answer does not name "${field}" (body ${excerpt(received)})`);
    }
    const problems = problemsOf(op, received);
    if (problems.length > 0) fail(`the ${received.status} breaks the contract: ${problems.join('; ')}`);
  }

  /** The tests for one operation, in the order the suite registers them. */
  function plan(op: OperationRef): PlannedTest[] {
    const { operationId } = op.operation;
    const request = exampleRequest(spec, op);
    const tests: PlannedTest[] = [
      { operationId, kind: 'example', title: 'answers the example request as documented', run: () => example(op, request) },
    ];
    if (securitySchemes(spec, op).length > 0) {
      tests.push({ operationId, kind: '401', title: 'refuses a call without credentials with 401', run: () => refusesAnonymous(op, request) });
    }
    for (const negative of negativeCases(spec, op, request)) {
      const rule = negative.kind === 'missing-required' ? `without required "${negative.field}"` : `with "${negative.field}" over its maxLength/maximum`;
      tests.push({ operationId, kind: negative.kind, title: `rejects the request ${rule}, naming the field`, run: () => rejects(op, negative.field, negative.request) });
    }
    return tests;
  }

  return { plan };
}

/**
 * Whether an answer names a field by its whole name: `name` in "'name' is required", `/name` or
 * `["request","body","name"]`, not in "aiAssistantName is not allowed" (a substring test passed a
 * refusal of another field). Any case: Prism lower-cases query parameter names in its violations.
 */
export function namesField(answer: string, field: string): boolean {
  const name = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_-])${name}(?![\\p{L}\\p{N}_-])`, 'iu').test(answer);
}

/** The generated test classes per operationId, in the manifest's shape, to compare with it. */
export function classesOf(tests: PlannedTest[]): Record<string, TestClass[]> {
  const byOperation: Record<string, TestClass[]> = {};
  for (const test of tests) (byOperation[test.operationId] ??= []).push(test.kind);
  return byOperation;
}

/**
 * Why a vendor gets no request check, or undefined when it gets one (from its manifest's classes).
 * A request check leaves out a required body field or query parameter, or exceeds a maxLength or
 * maximum on one; a path parameter is never one, as leaving it out leaves the operation.
 */
export function noRequestCheckReason(vendorName: string, tests: Record<string, TestClass[]>): string | undefined {
  if (Object.values(tests).flat().some((kind) => kind === 'missing-required' || kind === 'over-limit')) return undefined;
  const count = Object.keys(tests).length;
  return `${vendorName} documents, in its ${count} operation${count === 1 ? '' : 's'}, no required body field or query parameter and no maxLength or maximum on one, which is what a request check leaves out or exceeds; documenting one lifts this`;
}

import { statusKeys } from '../../src/guard/documented.js';
import { judgeHeaders, judgeResponse, type ContractViolation, type Judgement } from '../../src/guard/violation.js';
import { documentedHeaders } from '../../src/mock/contract.js';
import { depthOf } from '../../scripts/traffic/body.js';
import type { createValidator } from './validator.js';
import { escapePointer, operationPointer, resolve, type LoadedSpec, type OperationRef } from './spec.js';

export interface ReceivedResponse {
  status: number;
  contentType: string;
  text: string;
  /** The response's headers (none given: the documented headers are not judged). */
  headers?: Headers;
}

/**
 * The largest answer body a check reads. A sandbox that sent 300 MB took the suite's worker past
 * 1.3 GB (one copy as bytes, one as text, one parsed), and past V8's longest string (512 MiB)
 * it fails with V8's words; no documented answer comes near this.
 */
export const MAX_CHECKED_BODY_BYTES = 32 * 1024 * 1024;

export async function receive(response: Response): Promise<ReceivedResponse> {
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader!.read()) {
    size += next.value.length;
    if (size > MAX_CHECKED_BODY_BYTES) {
      // Not awaited: a clone's cancel settles only once every branch of the body is cancelled.
      void reader!.cancel().catch(() => undefined);
      throw new Error(`the ${response.status} answer's body (${contentType || 'no content type'}) is over ${MAX_CHECKED_BODY_BYTES / 1024 / 1024} MiB: not read further, nor checked`);
    }
    chunks.push(next.value);
  }
  return { status: response.status, contentType, text: new TextDecoder().decode(Buffer.concat(chunks)), headers: response.headers };
}

/** The documented response for a status: exact code, then its range (4XX), then default. */
function documentedResponse(spec: LoadedSpec, op: OperationRef, status: number) {
  const responses = op.operation.responses ?? {};
  const key = statusKeys(status).find((k) => k in responses);
  if (!key) return undefined;
  return resolve(spec.doc, `${operationPointer(op)}/responses/${escapePointer(key)}`);
}

/** Everything about a response that breaks the operation's contract, one sentence each. */
export function contractProblems(...args: Parameters<typeof contractViolations>): string[] {
  return contractViolations(...args).map((v) => v.message);
}

/**
 * Everything about a response that breaks the operation's contract, each a violation of the shape
 * the clients' guard hands to `onViolation`: the sandbox drift report keeps them so.
 */
export function contractViolations(
  spec: LoadedSpec,
  validate: ReturnType<typeof createValidator>,
  op: OperationRef,
  received: ReceivedResponse,
  /** How a message quotes the body (masked by the checks: a token endpoint's answer holds a live token). */
  quoted?: (text: string) => string,
): ContractViolation[] {
  // The verdicts are the runtime guard's (src/guard/violation.ts): one definition of drift.
  const documented = (status: number) => {
    const response = documentedResponse(spec, op, status);
    if (!response) return undefined;
    const content: Record<string, unknown> = response.value.content ?? {};
    return Object.fromEntries(Object.keys(content).map((m) => [m, `${response.pointer}/content/${escapePointer(m)}/schema`]));
  };
  const judged = judgeResponse(documented, received, validate, quoted);
  // The clients' guard lets a body it cannot check through (CLIENT-76); the suite must not pass
  // it: one item nested past the validator's stack hid every other drift in the body.
  const body = judged.unchecked === undefined ? judged.findings : [uncheckedFinding(judged), ...shallowFindings(documented, received, validate, quoted)];
  const headers = received.headers ? headerProblems(spec, validate, op, received.status, (name) => received.headers!.get(name)) : [];
  const call = { vendor: spec.vendor.name, operationId: op.operation.operationId, method: op.method.toUpperCase(), path: op.path, status: received.status };
  return [...body, ...headers].map((f) => ({ ...call, pointer: f.pointer, rule: f.rule, message: f.message }));
}

/** How deep into a body the suite still looks when the validator could not walk the whole of it. */
const SHALLOW_DEPTH = 256;

function uncheckedFinding(judged: Judgement): Judgement['findings'][number] {
  return {
    pointer: null,
    rule: 'unchecked',
    message: `body could not be checked whole: ${judged.unchecked} (${depthOf(judged.body)} levels); drift was looked for in its first ${SHALLOW_DEPTH} levels only`,
  };
}

/**
 * The drift in a body's first SHALLOW_DEPTH levels: what lies deeper is cut off, and a problem at
 * a cut, under one or above one (a oneOf that the cut made fail) is not said, as the cut may be its
 * cause. Nothing when even that runs out of stack.
 */
function shallowFindings(...[documented, received, validate, quoted]: Parameters<typeof judgeResponse<string>>): Judgement['findings'] {
  const shallow = judgeResponse(documented, received, (schema, value) => {
    const cuts = new Set<string>();
    const problems = validate(schema, cutBelow(value, SHALLOW_DEPTH, '', cuts));
    const aboveCuts = new Set([...cuts].flatMap(ancestors));
    return problems.filter((p) => !aboveCuts.has(p.path) && ![p.path, ...ancestors(p.path)].some((a) => cuts.has(a)));
  }, quoted);
  return shallow.unchecked === undefined ? shallow.findings : [];
}

/** The value with every object or array deeper than `levels` replaced by null, the pointer of each noted in `cuts`. */
function cutBelow(value: unknown, levels: number, pointer: string, cuts: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (levels === 0) {
    cuts.add(pointer);
    return null;
  }
  const cut = (child: unknown, key: string | number) => cutBelow(child, levels - 1, `${pointer}/${escapePointer(String(key))}`, cuts);
  if (Array.isArray(value)) return value.map(cut);
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, cut(child, key)]));
}

/** Every pointer a pointer is under: '/data/0/id' is under '/data/0', '/data' and ''. */
function ancestors(pointer: string): string[] {
  const above: string[] = [];
  for (let end = pointer.lastIndexOf('/'); end >= 0; end = end === 0 ? -1 : pointer.lastIndexOf('/', end - 1)) above.push(pointer.slice(0, end));
  return above;
}

/** The documented headers of the response for `status` that the response breaks (`judgeHeaders`); `sent` reads a header by name, any case. */
export function headerProblems(spec: LoadedSpec, validate: ReturnType<typeof createValidator>, op: OperationRef, status: number, sent: (name: string) => string | null) {
  const response = documentedResponse(spec, op, status);
  if (!response) return [];
  // The mock's reading of the document, whose pointers go without the `#` this validator's take.
  const documented = Object.entries(documentedHeaders(spec.doc, response.pointer.replace(/^#/, '')));
  return judgeHeaders(Object.fromEntries(documented.map(([name, header]) => [name, { ...header, schema: header.schema === null ? null : `#${header.schema}` }])), sent, validate);
}

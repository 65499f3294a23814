import { judgeHeaders, judgeResponse, statusKeys, type ContractViolation } from '../../src/guard/violation.js';
import { documentedHeaders } from '../../src/mock/contract.js';
import type { createValidator } from './validator.js';
import { escapePointer, operationPointer, resolve, type LoadedSpec, type OperationRef } from './spec.js';

export interface ReceivedResponse {
  status: number;
  contentType: string;
  text: string;
  /** The response's headers (none given: the documented headers are not judged). */
  headers?: Headers;
}

export async function receive(response: Response): Promise<ReceivedResponse> {
  return {
    status: response.status,
    contentType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
    text: await response.text(),
    headers: response.headers,
  };
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
  const body = judgeResponse(documented, received, validate, quoted).findings;
  const headers = received.headers ? headerProblems(spec, validate, op, received.status, (name) => received.headers!.get(name)) : [];
  const call = { vendor: spec.vendor.name, operationId: op.operation.operationId, method: op.method.toUpperCase(), path: op.path, status: received.status };
  return [...body, ...headers].map((f) => ({ ...call, pointer: f.pointer, rule: f.rule, message: f.message }));
}

/** The documented headers of the response for `status` that the response breaks (`judgeHeaders`); `sent` reads a header by name, any case. */
export function headerProblems(spec: LoadedSpec, validate: ReturnType<typeof createValidator>, op: OperationRef, status: number, sent: (name: string) => string | null) {
  const response = documentedResponse(spec, op, status);
  if (!response) return [];
  // The mock's reading of the document, whose pointers go without the `#` this validator's take.
  const documented = Object.entries(documentedHeaders(spec.doc, response.pointer.replace(/^#/, '')));
  return judgeHeaders(Object.fromEntries(documented.map(([name, header]) => [name, { ...header, schema: header.schema === null ? null : `#${header.schema}` }])), sent, validate);
}

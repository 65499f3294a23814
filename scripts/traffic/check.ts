import { escapePointer, operationPointer, resolve, type LoadedSpec, type OperationRef } from '../../contract-tests/lib/spec.js';
import { headerProblems } from '../../contract-tests/lib/response.js';
import { createValidator } from '../../contract-tests/lib/validator.js';
import { mediaMatches, statusKeys } from '../../src/guard/documented.js';
import { bodyFindings, judgeResponse } from '../../src/guard/violation.js';
import { asClientsRead } from './client-reading.js';
import { depthOf, excessDepth, OUT_OF_STACK, parseBody, tooDeep } from './body.js';
import type { Exchange } from './har.js';

export interface Mismatch {
  in: 'request' | 'response';
  /** JSON pointer of the offending field in the body; null when the problem is not about one field. */
  pointer: string | null;
  message: string;
}

type Validate = ReturnType<typeof createValidator>;

/** Checks recorded exchanges against their documented operation, with the contract suite's rules. */
export function createChecker(spec: LoadedSpec) {
  const validate = createValidator(spec.doc, `traffic:${spec.vendor.name}`);
  let validateForm: Validate | undefined;
  const formValidator = () => (validateForm ??= createValidator(spec.doc, `traffic-form:${spec.vendor.name}`, { coerceTypes: true }));
  return (op: OperationRef, exchange: Exchange): Mismatch[] => [
    ...requestMismatches(spec, validate, formValidator, op, exchange),
    ...responseMismatches(spec, validate, op, exchange),
  ];
}

/**
 * Status, content type and body, judged by `judgeResponse` (src/guard/violation.ts): the verdicts
 * the contract suite and the clients' runtime guard give, with the JSON pointer of each field; and
 * the documented headers, as the contract suite judges them (`judgeHeaders`, CLIENT-84).
 */
function responseMismatches(spec: LoadedSpec, validate: Validate, op: OperationRef, exchange: Exchange): Mismatch[] {
  const { status, contentType, bodyRecorded } = exchange.response;
  // Judged as the clients' guard judges it: read as fetch reads it, whatever charset the type names.
  const text = bodyRecorded ? asClientsRead(exchange.response.text, exchange.response.headers.get('content-type') ?? '') : exchange.response.text;
  const documented = (code: number) => {
    const key = statusKeys(code).find((k) => k in (op.operation.responses ?? {}));
    if (!key) return undefined;
    const response = resolve(spec.doc, `${operationPointer(op)}/responses/${escapePointer(key)}`);
    const content: Record<string, unknown> = response.value.content ?? {};
    return Object.fromEntries(Object.keys(content).map((m) => [m, `${response.pointer}/content/${escapePointer(m)}/schema`]));
  };
  // A body nested deeper than the validator's stack goes is one finding, and not walked.
  const depth = bodyRecorded && /^\s*[[{]/.test(text) ? excessDepth(text) : undefined;
  const judgedBody = bodyRecorded && depth === undefined;
  // A body the recording left out cannot be judged; status and content type still can. The
  // stand-in parses as JSON, and the validator ignores it.
  const judged = judgeResponse(documented, { status, contentType, text: judgedBody ? text : '{}' }, (pointer: string, value) => (judgedBody ? validate(pointer, value) : []));
  // Below MAX_DEPTH, a schema may still recurse more per level than the stack holds: judgeResponse says it could not check.
  const outOfStack = judged.unchecked === undefined ? undefined : depthOf(judged.body);
  const findings: Mismatch[] = judged.findings.map((f) => ({ in: 'response', pointer: f.pointer, message: f.message }));
  const deep = depth === undefined ? (outOfStack === undefined ? undefined : tooDeep(outOfStack, OUT_OF_STACK)) : tooDeep(depth);
  // A body is too deep only where it is judged: one under an undocumented status or type is found as that.
  if (deep !== undefined && !findings.some((f) => f.pointer === null)) findings.push({ in: 'response', pointer: null, message: `body ${deep}` });
  const headers = status === 0 ? [] : headerProblems(spec, validate, op, status, (name) => exchange.response.headers.get(name.toLowerCase()) ?? null);
  return [...findings, ...headers.map((f): Mismatch => ({ in: 'response', pointer: f.pointer, message: f.message }))];
}

function requestMismatches(
  spec: LoadedSpec,
  validate: Validate,
  formValidator: () => Validate,
  op: OperationRef,
  exchange: Exchange,
): Mismatch[] {
  const problem = (message: string, pointer: string | null = null): Mismatch => ({ in: 'request', pointer, message });
  const sent = exchange.requestBody && (exchange.requestBody.text !== '' || exchange.requestBody.incomplete !== undefined) ? exchange.requestBody : undefined;
  if (!op.operation.requestBody) return sent ? [problem('a body was sent, but the operation documents none')] : [];
  const declared = resolve(spec.doc, `${operationPointer(op)}/requestBody`);
  if (!sent) return declared.value.required ? [problem('body is required, but none was sent')] : [];

  const content: Record<string, { schema?: unknown }> = declared.value.content ?? {};
  const mediaType = Object.keys(content).find((m) => mediaMatches(m, sent.contentType));
  if (!mediaType) {
    return [problem(`content type "${sent.contentType || '(none)'}" is not documented for the body (${Object.keys(content).join(', ')})`)];
  }
  // A body the recording does not have whole: that one was sent, and its type, are all that can be judged.
  if (!content[mediaType]?.schema || sent.incomplete !== undefined) return [];
  const parsed = parseBody(mediaType, sent.text);
  if (parsed.kind === 'invalid') return [problem(parsed.message)];
  if (parsed.kind === 'opaque') return [];
  const schemaPointer = `${declared.pointer}/content/${escapePointer(mediaType)}/schema`;
  const check = parsed.kind === 'form' ? formValidator() : validate;
  const value = parsed.kind === 'form' ? shapedBySchema(spec, schemaPointer, parsed.value) : parsed.value;
  try {
    return bodyFindings(check(schemaPointer, value)).map((f) => problem(f.message, f.pointer));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return [problem(`body ${tooDeep(depthOf(value), OUT_OF_STACK)}`)];
  }
}

/**
 * A decoded form as its schema shapes it: `a[0][b]=1` reads as a list, unless the schema there
 * is an object (Footprints' `sensors`, keyed "0", "1", …), when the numbers are its keys.
 */
function shapedBySchema(spec: LoadedSpec, pointer: string, value: unknown): unknown {
  let schema: { type?: unknown; items?: unknown; properties?: Record<string, unknown>; additionalProperties?: unknown };
  try {
    ({ value: schema, pointer } = resolve(spec.doc, pointer));
  } catch {
    return value;
  }
  const types = [schema?.type].flat();
  if (Array.isArray(value)) {
    if (types.includes('object') && !types.includes('array')) return shapedBySchema(spec, pointer, Object.fromEntries(value.map((item, i) => [String(i), item])));
    return schema?.items ? value.map((item, i) => shapedBySchema(spec, `${pointer}/items`, item) ?? value[i]) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const child = schema?.properties && key in schema.properties ? `${pointer}/properties/${escapePointer(key)}` : typeof schema?.additionalProperties === 'object' ? `${pointer}/additionalProperties` : undefined;
      return [key, child ? shapedBySchema(spec, child, item) : item];
    }),
  );
}

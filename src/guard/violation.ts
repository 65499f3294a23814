/**
 * What "a response breaks its contract" means, in one place: the clients' runtime guard
 * (`validate`), the contract suite and sandbox drift report (contract-tests/lib/response.ts) and
 * the traffic checker (scripts/traffic/check.ts) all judge responses with `judgeResponse` and
 * describe schema errors with `schemaProblem`, so a drift is named the same way everywhere.
 */

/** One way a vendor's answer breaks the operation's contract. */
export interface ContractViolation {
  vendor: string;
  operationId: string;
  /** `GET`, `POST`, … */
  method: string;
  /** The spec path template, e.g. `/v4/rewards/{id}`. */
  path: string;
  status: number;
  /** JSON pointer of the offending field in the body; null when the problem is not about one field. */
  pointer: string | null;
  /**
   * What was broken: `status` (undocumented status), `content-type`, `no-body` (a body where
   * none is documented), `json` (body is not JSON), or the JSON Schema keyword (`type`,
   * `required`, `enum`, `additionalProperties`, …).
   */
  rule: string;
  message: string;
}

/** A JSON Schema finding in a body. */
export interface SchemaProblem {
  /** JSON pointer into the body, '' for the root. */
  path: string;
  /** The JSON Schema keyword that failed. */
  rule: string;
  message: string;
}

/** The parts of an Ajv ErrorObject that are read (standalone validators produce the same shape). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** An Ajv error as a finding: `required` and `additionalProperties` point at the field itself. */
export function schemaProblem(error: SchemaError): SchemaProblem {
  const field =
    error.keyword === 'required'
      ? `${error.instancePath}/${error.params.missingProperty as string}`
      : error.keyword === 'additionalProperties'
        ? `${error.instancePath}/${error.params.additionalProperty as string}`
        : error.instancePath;
  return { path: field, rule: error.keyword, message: `${field || '(body)'} ${error.message ?? error.keyword}` };
}

/** The keys of an operation's `responses` that may document a status, in precedence order. */
export function statusKeys(status: number): string[] {
  return [String(status), `${String(status)[0]}XX`, 'default'];
}

export const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

export function mediaMatches(documented: string, actual: string) {
  if (documented === actual || documented === '*/*') return true;
  return documented.endsWith('/*') && actual.startsWith(documented.slice(0, -1));
}

/** `application/json; charset=utf-8` → `application/json`. */
export const mediaTypeOf = (header: string | null) => (header ?? '').split(';')[0]!.trim().toLowerCase();

export interface ReceivedResponse {
  status: number;
  /** The media type, without parameters, lower-cased. */
  contentType: string;
  text: string;
}

/** A documented response: media type → its schema (whatever the caller validates with), or null. */
export type DocumentedContent<Schema> = Record<string, Schema | null>;

export interface Judgement {
  findings: Omit<ContractViolation, 'vendor' | 'operationId' | 'method' | 'path' | 'status'>[];
  /** The body as read: parsed JSON when it is JSON, else the text. */
  body: unknown;
}

/**
 * Everything about a response that breaks its operation's contract: undocumented status, a body
 * where none is documented, an undocumented content type, a JSON body that does not parse or
 * does not validate. `documented(status)` gives the documented content for a status (after the
 * exact / NXX / default precedence), or undefined when the status is not documented.
 */
export function judgeResponse<Schema>(
  documented: (status: number) => DocumentedContent<Schema> | undefined,
  received: ReceivedResponse,
  validate: (schema: Schema, value: unknown) => SchemaProblem[],
): Judgement {
  const { status, contentType, text } = received;
  // The body as read, for the caller: parsed when it is JSON, whatever the finding.
  const finding = (rule: string, message: string, pointer: string | null = null) => ({ findings: [{ pointer, rule, message }], body: parsedOrText(text) });
  const content = documented(status);
  if (!content) return finding('status', `status ${status} is not documented`);
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) {
    return text.trim() === '' ? { findings: [], body: undefined } : finding('no-body', `status ${status} documents no body, but one was sent`);
  }
  const mediaType = mediaTypes.find((m) => mediaMatches(m, contentType));
  if (!mediaType) {
    return finding('content-type', `content type "${contentType || '(none)'}" is not documented for ${status} (${mediaTypes.join(', ')})`);
  }
  if (!isJson(mediaType)) return { findings: [], body: text };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return finding('json', `body is not JSON: ${text.slice(0, 80)}`);
  }
  const schema = content[mediaType];
  if (schema === null || schema === undefined) return { findings: [], body };
  const findings = onePerBreak(causes(validate(schema, body))).map(({ problem, repeats }) => ({
    pointer: problem.path,
    rule: problem.rule,
    message: `body ${problem.path === '' ? problem.message.replace(/^\(body\) /, '') : problem.message}${repeats ? ` (and ${repeats} more like it at other indices)` : ''}`,
  }));
  return { findings, body };
}

function parsedOrText(text: string): unknown {
  try {
    return text.trim() === '' ? text : JSON.parse(text);
  } catch {
    return text;
  }
}

const under = (path: string, other: string) => other !== path && other.startsWith(`${path}/`);

/**
 * The problems that are causes, not echoes of one: a oneOf/anyOf's "must match a schema", and a
 * branch's "must be null" or other type error at a field whose break shows deeper down (a nullable
 * `oneOf [X, {type: null}]`), say nothing the deeper problem does not; of several at one field
 * (a type error, then the enum it also misses), the first is the one to fix.
 */
function causes(problems: SchemaProblem[]): SchemaProblem[] {
  const deeper = (path: string) => problems.some((other) => under(path, other.path));
  const kept = problems.filter((p) => !((p.rule === 'oneOf' || p.rule === 'anyOf') && problems.some((o) => o !== p && (o.path === p.path || under(p.path, o.path)))) && !(p.rule === 'type' && deeper(p.path)));
  const seen = new Set<string>();
  return kept.filter((p) => !seen.has(p.path) && (seen.add(p.path), true));
}

/**
 * The problems with those that differ only in array indices folded into the first: a field whose
 * type changed breaks in every item of a list, and a 1,000-item page must not be 1,000 findings
 * (and 1,000 onViolation calls) for one change.
 */
function onePerBreak(problems: SchemaProblem[]): { problem: SchemaProblem; repeats: number }[] {
  const first = new Map<string, { problem: SchemaProblem; repeats: number }>();
  for (const problem of problems) {
    // What is said too: "must be object" and "must be null" at the same field are two things.
    const key = `${problem.rule} ${problem.message.replace(/\/\d+(?=\/|\s|$)/g, '/*')}`;
    const seen = first.get(key);
    if (seen) seen.repeats += 1;
    else first.set(key, { problem, repeats: 0 });
  }
  return [...first.values()];
}

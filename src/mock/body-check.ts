import type { ErrorObject, ValidateFunction } from 'ajv';
import { isJson } from '../guard/documented.js';
import { schemaProblem } from '../guard/schema-problem.js';
import { problem, type MockResponse } from './exchange.js';
import type { Operation } from './prism.js';
import { escapeToken, getAt, resolvedPointer } from './state/pointer.js';

/** A JSON body holding more values than this is checked here, up to its first violation, before Prism sees it. */
export const LISTED_VALUES = 1000;

type Content = Record<string, { schema?: unknown }>;

/**
 * Prism lists every violation of a body (Ajv's allErrors), several objects each: a 1 MiB body of
 * 500,000 wrong items, or 100,000 empty objects each missing four required fields, blocked the
 * event loop for seconds, every vendor's requests waiting behind it (MOCK-38). A body past
 * LISTED_VALUES is checked first by a validator that stops at the first violation; one that fails
 * is refused here with that violation, and only one that passes reaches Prism, which then finds
 * nothing to list. Below the limit Prism's answer (the documented 400 or 422, every violation in
 * `sl-violations`) costs milliseconds, and stays as it was.
 */
export function createBodyCheck(document: object, validators: (pointer: string) => ValidateFunction) {
  return function check(operation: Operation, mediaType: string, body: unknown, values: number): MockResponse | undefined {
    if (values <= LISTED_VALUES) return undefined;
    const first = firstViolation(document, validators, operation, mediaType, body);
    if (!first) return undefined;
    const detail = `request body: ${first.message}. A body of more than ${LISTED_VALUES} JSON values (this one holds ${values}) is refused at its first violation; a smaller one gets the vendor's answer with every violation listed`;
    return problem(400, 'Invalid request body', detail, { pointer: first.path, rule: first.rule, limit: LISTED_VALUES });
  };
}

/**
 * The first way a JSON body Prism reads as no body (null, false, 0, "") breaks its schema, where it does.
 * Prism said such a body was missing, and passed null where the body is optional (Perx's token call).
 */
export function createValueCheck(document: object, validators: (pointer: string) => ValidateFunction) {
  return function check(operation: Operation, mediaType: string, body: unknown): ReturnType<typeof schemaProblem> | undefined {
    if (body !== null && body !== false && body !== 0 && body !== '') return undefined;
    return firstViolation(document, validators, operation, mediaType, body);
  };
}

/**
 * The way a JSON body breaks its schema that a vendor's validation answer names (`x-mock`
 * `violations`): the first violation, with the rule's parameters (an enum's values, a limit).
 */
export function createSchemaCheck(document: object, validators: (pointer: string) => ValidateFunction) {
  return function check(operation: Operation, mediaType: string, body: unknown): ErrorObject | undefined {
    return firstError(document, validators, operation, mediaType, body);
  };
}

/** A JSON text holding a whole number past 2^53 - 1 has a run of 16 digits, or an exponent (`1e16`); others need no closer look. */
const MAYBE_PAST_SAFE = /\d{16}|\d[eE]/;

/** A number in a JSON body past 2^53 - 1, which the mock may hold as another, where the schema wants an integer. */
export interface InexactNumber {
  /** JSON pointer to the field. */
  path: string;
  /** The number as the mock reads it. */
  read: number;
  /** The body as Prism is shown it: each such number as text, which an integer's schema refuses. */
  shown: unknown;
}

/**
 * The first number of a JSON body past 2^53 - 1 that its schema wants as an integer: JSON.parse
 * reads `9007199254740993` as …992, so a group's `audience_id` was stored as another audience.
 * Each such number is shown to the schema as text: a field that takes any value (a club property)
 * takes that too, and keeps the number as read; an integer's field refuses it, and is named.
 */
export function createInexactCheck(document: object, validators: (pointer: string) => ValidateFunction) {
  return function check(operation: Operation, mediaType: string, text: string, body: unknown): InexactNumber | undefined {
    if (!MAYBE_PAST_SAFE.test(text)) return undefined;
    const pointer = schemaOf(document, operation, mediaType);
    if (pointer === undefined) return undefined;
    const shown = markedPastSafe(body);
    const valid = validators(pointer);
    if (shown === body || valid(shown)) return undefined;
    const error = valid.errors![0]!;
    const integer = error.keyword === 'type' && [error.params.type].flat().includes('integer');
    // A number the body holds there, shown as text: not a text the body sent.
    const read = getAt(body, error.instancePath);
    return integer && typeof read === 'number' && typeof getAt(shown, error.instancePath) === 'string' ? { path: error.instancePath, read, shown } : undefined;
  };
}

/** The value with each whole number past 2^53 - 1 (neighbours the mock cannot tell apart, as MOCK-116 judges a parameter's) written as text; the value itself when it holds none. */
function markedPastSafe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value) ? String(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const shown = markedPastSafe(value[i]);
      if (shown !== value[i]) (copy ??= [...value])[i] = shown;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(value)) {
    const shown = markedPastSafe(inner);
    // Defined, not assigned: a key `__proto__` is a field of the body, not the copy's prototype.
    if (shown !== inner) Object.defineProperty((copy ??= { ...value }), key, { value: shown, writable: true, enumerable: true, configurable: true });
  }
  return copy ?? value;
}

/** A parameter the mock refused itself (a number it cannot hold exactly, or one spelt otherwise than in decimal digits), and the rule it broke. */
export interface OwnRefusal {
  in: 'path' | 'query';
  name: string;
  /** What the value must be, as the mock says it (`a number the mock can read exactly (got …)`). */
  must: string;
}

/** The rule of a parameter the mock refused although its schema takes the number it reads as: no schema rule names it, so it gets `symbols`' `*`. */
export const OWN_RULE = 'readableNumber';

/**
 * The first way a query or path parameter breaks its schema that a vendor's validation answer can
 * name (`x-mock` `violations`), among those Prism found broken (`flagged`) and the one the mock
 * refused itself (`own`): a parameter sent once, of a scalar type, its text read as Prism reads it
 * (digits for a number, `true`/`false` for a boolean). The error's path is the parameter's name,
 * `given` holds the value where the answer may quote it, so the answer files it as a body's field
 * (Placewise's `per_page`, or `member_email` in a path). A list or object parameter (`ids[]`,
 * `properties[…]`) is not named: no source shows which key the vendor files its items under.
 */
export function createQueryCheck(document: object, validators: (pointer: string) => ValidateFunction) {
  return function check(operation: Operation, query: URLSearchParams, path: Record<string, string>, flagged: string[], own?: OwnRefusal): { error: ErrorObject; given: Record<string, unknown> } | undefined {
    for (const [name, { pointer, where }] of Object.entries(namedParameters(document, operation))) {
      const sent = where === 'query' ? query.getAll(name) : path[name] === undefined ? [] : [path[name]];
      const schema = getAt(document, resolvedPointer(document, pointer)) as { type?: unknown } | undefined;
      const types = [schema?.type].flat();
      const mine = own?.name === name && own.in === where ? own : undefined;
      if (!(mine || flagged.includes(name)) || sent.length !== 1 || types.includes('array') || types.includes('object')) continue;
      const { value, quoted } = judged(sent[0]!, types);
      const at = `/${escapeToken(name)}`;
      const given = quoted ? { [name]: value } : {};
      const valid = validators(pointer);
      if (valid(value)) {
        // Its message quotes the text sent (`1e3`); a value would be the one it reads as (1000).
        if (mine) return { error: { keyword: OWN_RULE, instancePath: at, schemaPath: '', params: {}, message: `must be ${mine.must}` }, given: {} };
        continue;
      }
      const error = valid.errors![0]!;
      return { error: { ...error, instancePath: `${at}${error.instancePath}` }, given };
    }
    return undefined;
  };
}

/** The query and path parameters an operation declares, by name, each with the pointer of its schema (the operation's own over its path's). */
function namedParameters(document: object, operation: Operation): Record<string, { pointer: string; where: 'query' | 'path' }> {
  const found: Record<string, { pointer: string; where: 'query' | 'path' }> = {};
  const at = `/paths/${escapeToken(operation.path)}`;
  for (const list of [`${at}/parameters`, `${at}/${operation.method}/parameters`]) {
    const count = (getAt(document, resolvedPointer(document, list)) as unknown[] | undefined)?.length ?? 0;
    for (let i = 0; i < count; i++) {
      const parameter = resolvedPointer(document, `${resolvedPointer(document, list)}/${i}`);
      const { name, in: where, schema } = (getAt(document, parameter) ?? {}) as { name?: unknown; in?: unknown; schema?: unknown };
      if ((where === 'query' || where === 'path') && typeof name === 'string' && schema !== undefined) found[name] = { pointer: `${parameter}/schema`, where };
    }
  }
  return found;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * A parameter's text as the value its schema judges, and whether an answer may quote that value as
 * what was sent: a number or boolean where the schema takes one and the text is one, as Prism reads
 * it. A number past what JSON reads (`1e400`, Infinity) is judged as JSON writes it back, `null`, as
 * a body's is (MOCK-115); a whole number past 2^53 at the size it reads as, which breaks the bounds
 * the number sent breaks. Neither is quoted: `…993` reads as `…992`, another value.
 */
function judged(text: string, types: unknown[]): { value: unknown; quoted: boolean } {
  if ((types.includes('integer') || types.includes('number')) && NUMBER.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) return { value: null, quoted: false };
    return { value, quoted: !Number.isInteger(value) || Number.isSafeInteger(value) };
  }
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return { value: text === 'true', quoted: true };
  return { value: text, quoted: true };
}

/** The body's first violation of the operation's request schema for its media type, if it has a schema and breaks it. */
function firstViolation(document: object, validators: (pointer: string) => ValidateFunction, operation: Operation, mediaType: string, body: unknown): ReturnType<typeof schemaProblem> | undefined {
  const error = firstError(document, validators, operation, mediaType, body);
  return error && schemaProblem(error);
}

function firstError(document: object, validators: (pointer: string) => ValidateFunction, operation: Operation, mediaType: string, body: unknown): ErrorObject | undefined {
  const pointer = schemaOf(document, operation, mediaType);
  if (pointer === undefined) return undefined;
  const valid = validators(pointer);
  return valid(body) ? undefined : valid.errors![0]!;
}

/** The pointer of the request body schema for this media type (else the first JSON one), as Prism picks it. */
function schemaOf(document: object, operation: Operation, mediaType: string): string | undefined {
  const at = resolvedPointer(document, `/paths/${escapeToken(operation.path)}/${operation.method}/requestBody`);
  const content = (getAt(document, `${at}/content`) ?? {}) as Content;
  const media = Object.hasOwn(content, mediaType) ? mediaType : Object.keys(content).find((m) => isJson(m));
  return media === undefined || content[media]?.schema === undefined ? undefined : `${at}/content/${escapeToken(media)}/schema`;
}

import { createRequire } from 'node:module';
import { httpUrlProblem } from '../../options.js';
import { getAt } from './pointer.js';
import type { Condition, ValueSource } from './behaviour.js';

/** The parts of a request that x-mock conditions and sources can read. */
export interface RequestView {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** Parsed JSON, or form fields nested by their brackets; undefined without a body. */
  body: unknown;
}

/**
 * A query parameter's values under exactly the name the spec declares (repeated keys: any of).
 * Another spelling (`name[]` for `name`) is a parameter Prism did not validate, so it is not read.
 */
export function queryValues(query: URLSearchParams, name: string, separator?: string): string[] {
  const values = query.getAll(name);
  // A joined list (Perx's `ids=205|206`) counts as its items, and the value as sent still counts whole.
  return separator ? [...values, ...values.filter((v) => v.includes(separator)).flatMap((v) => v.split(separator))] : values;
}

export function readSource(source: ValueSource, request: RequestView, record?: unknown): unknown {
  let value: unknown;
  if (source.value !== undefined) value = source.value;
  else if (source.record !== undefined) value = getAt(record, source.record);
  else if (source.holds !== undefined) value = source.holds.some((pointer) => hasValue(getAt(record, pointer)));
  else if (source.namesHeld !== undefined) value = Object.keys(source.namesHeld).filter((name) => hasValue(getAt(record, source.namesHeld![name]!)));
  else if (source.body !== undefined) value = getAt(request.body, source.body);
  else if (source.query !== undefined) value = queryValues(request.query, source.query)[0];
  else if (source.path !== undefined) value = request.params[source.path];
  else if (source.header !== undefined) value = request.headers[source.header.toLowerCase()];
  if (source.pattern && value !== undefined) {
    const match = new RegExp(source.pattern).exec(String(value));
    value = match?.[1];
  }
  if (source.negate && value !== undefined) value = -Number(value);
  return value;
}

// An e-mail sent empty, or a flag stored false, is not one the record has.
const hasValue = (value: unknown) => value !== undefined && value !== null && value !== false && value !== '';

export function holds(condition: Condition, request: RequestView): boolean {
  const value = readSource(condition, request);
  if (condition.absent !== undefined) return (value === undefined) === condition.absent;
  if (value === undefined) return false;
  if (condition.equals !== undefined) return String(value) === String(condition.equals);
  if (condition.matches !== undefined) return new RegExp(condition.matches).test(String(value));
  if (condition.httpUrl !== undefined) return (typeof value === 'string' && isUri(value) && httpUrlProblem(value) === undefined) === condition.httpUrl;
  return true;
}

let uriFormat: ((text: string) => boolean) | undefined;
/**
 * JSON Schema's `format: uri` as Prism's validator reads it (ajv-formats: RFC 3986, ASCII only).
 * fetch sends to `http://bücher.example/` (WHATWG URLs take an IDN), but a spec's `format: uri`
 * refuses it, and without this the refusal was the operation's first 422 example, naming another
 * field. Loaded on first use: ajv-formats is one of the mock's optional peers.
 */
const isUri = (text: string) => (uriFormat ??= (createRequire(import.meta.url)('ajv-formats/dist/formats') as { fullFormats: { uri: (text: string) => boolean } }).fullFormats.uri)(text);

/**
 * `a[b][0]=x` form fields → { a: { b: { 0: 'x' } } }: the shape the spec's form schemas describe.
 * Fields are defined, never assigned, and only own fields are followed: a request naming
 * `__proto__[x]` or `constructor[prototype][x]` would otherwise reach the prototype every object
 * in the process shares. A field given both as a value and as a parent keeps the later one.
 */
export function formFields(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    // Only a name of the bracketed form is nested; any other (`status]`) is a field of that name, as Prism reads it.
    const form = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    const keys = form ? [form[1]!, ...Array.from(form[2]!.matchAll(/\[([^[\]]*)\]/g), (m) => m[1]!)] : [name];
    let here = out;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) return define(here, key, value);
      const child = Object.hasOwn(here, key) ? here[key] : undefined;
      here = child !== null && typeof child === 'object' ? (child as Record<string, unknown>) : define(here, key, {});
    });
  }
  return out;
}

function define<T>(object: Record<string, unknown>, key: string, value: T): T {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/**
 * The body serializer of the JSON vendors: JSON.stringify, except that what it would send as
 * something other than the caller's data is a BodyFieldError naming the field (the client makes
 * it a ConfigError on `body.<field>`): a Map or a Set is written as `{}`, a Uint8Array as an
 * object of its bytes by index, a stream, a Blob or a URLSearchParams as `{}`; a function or a
 * symbol is dropped from an object, written as null in an array, and leaves no body at all on its
 * own. Each value is judged as JSON.stringify writes it: after its `toJSON` (a Date, a Decimal).
 */
import { defaultBodySerializer } from 'openapi-fetch';
import { BodyFieldError, hiddenData, isBoxed, typeName } from './form.js';

// openapi-fetch hands its serializer the call's headers too (typed as taking the body only).
const asOpenapiFetchDoes = defaultBodySerializer as (body: unknown, headers?: unknown) => unknown;

const JSON_RULE = 'must be JSON data: text, a number, a boolean, null, or an object or array of them';

const HIDDEN_WHY = {
  file: ': its bytes are not JSON (to send them as they are, pass bodySerializer: (body) => body)',
  binary: ': binary data has no JSON form (pass a list, Array.from(value), if the vendor wants numbers)',
  collection: ': JSON writes it as {}; convert it to an object or an array first',
  fieldless: ', which has no fields: JSON writes it as {}',
};

/** A Node stream (fs.createReadStream, a PassThrough): JSON would write its internals (a file's path among them). */
const isNodeStream = (value: object) =>
  typeof (value as { pipe?: unknown }).pipe === 'function' && typeof (value as { on?: unknown }).on === 'function' && ('_readableState' in value || '_writableState' in value);

/** What JSON writes as null, silently: a Date that did not parse. */
function writtenAsNull(raw: object): string | undefined {
  return Object.prototype.toString.call(raw) === '[object Date]' && Number.isNaN(timeOf(raw)) ? 'got an invalid Date: JSON writes it as null' : undefined;
}

/** A Date's time; 0 for an object that only calls itself one (a Symbol.toStringTag of 'Date'). */
function timeOf(date: object): number {
  try {
    return Date.prototype.getTime.call(date);
  } catch {
    return 0;
  }
}

/** The content type a caller set on the call, as openapi-fetch's default serializer reads it. */
function contentTypeOf(headers: unknown): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const h = headers as { get?: unknown } & Record<string, unknown>;
  return typeof h.get === 'function' ? (h.get('Content-Type') ?? h.get('content-type')) : (h['Content-Type'] ?? h['content-type']);
}

export function toJsonBody(body: unknown, headers?: unknown): unknown {
  // A FormData, and a body the caller sent as a form, are sent as openapi-fetch sends them.
  if (body instanceof FormData || contentTypeOf(headers) === 'application/x-www-form-urlencoded') return asOpenapiFetchDoes(body, headers);
  // Where each object being written sits in the body ("" for the body itself), to name a field.
  const at = new WeakMap<object, string>();
  const text = stringified(body, at);
  // What a toJSON answered nothing for.
  if (text === undefined) throw new BodyFieldError('', `${JSON_RULE} (JSON.stringify writes nothing for it)`);
  return text;
}

function stringified(body: unknown, at: WeakMap<object, string>): string | undefined {
  return JSON.stringify(body, function (this: unknown, key: string, value: unknown) {
    const holder = at.get(this as object);
    const field = holder === undefined ? '' : fieldOf(holder, key, Array.isArray(this));
    if (typeof value === 'function' || typeof value === 'symbol') throw new BodyFieldError(field, `${JSON_RULE} (got a ${typeof value})`);
    if (typeof value === 'bigint') throw new BodyFieldError(field, `${JSON_RULE} (got a BigInt, which JSON cannot write: pass it as text, String(value))`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new BodyFieldError(field, `${JSON_RULE} (got ${value}: JSON writes it as null)`);
    // The body itself, as it was before its toJSON (its fields are checked by their holder, `ownData`).
    const rootProblem = holder === undefined ? rawProblem((this as Record<string, unknown>)[key]) : undefined;
    if (rootProblem) throw refused(field, rootProblem);
    if (typeof value !== 'object' || value === null) return value;
    if (isNodeStream(value)) throw new BodyFieldError(field, `${JSON_RULE} (got a stream${HIDDEN_WHY.file})`);
    // A boxed value is written as its value, of any realm; a boxed NaN as null, as NaN is.
    if (isBoxed(value)) {
      const unboxed: unknown = value.valueOf();
      if (typeof unboxed === 'number' && !Number.isFinite(unboxed)) throw new BodyFieldError(field, `${JSON_RULE} (got a Number object of ${unboxed}: JSON writes it as null)`);
      return value;
    }
    const hidden = hiddenData(value);
    if (hidden) throw new BodyFieldError(field, `${JSON_RULE} (got ${typeName(value)}${HIDDEN_WHY[hidden]})`);
    // Met again: a cycle where it is written into itself (JSON.stringify's own error named no
    // field, and a copy made below would hide the cycle from it); else a value shared by two fields.
    const met = at.get(value);
    if (met !== undefined && holder !== undefined && encloses(met, holder)) throw new BodyFieldError(field, `${JSON_RULE} (got a reference back to a field that holds it: JSON cannot write a cycle)`);
    const written = ownData(value, field);
    at.set(value, field);
    at.set(written, field);
    return written;
  });
}

/**
 * Why JSON would send a value as something else, judged as it was before its toJSON: a Buffer's
 * writes its bytes as an object, a Date's null when invalid.
 */
function rawProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  if (ArrayBuffer.isView(raw) || raw instanceof ArrayBuffer) return `got ${typeName(raw)}${HIDDEN_WHY.binary}`;
  return writtenAsNull(raw);
}

const refused = (field: string, problem: string) => new BodyFieldError(field, `${JSON_RULE} (${problem})`);

/**
 * The object JSON.stringify is to write, its fields checked as they were before their toJSON.
 * A field behind a getter (a class's, a Proxy's) is read once, here, into a copy of plain data
 * that JSON.stringify writes instead: read again to be checked, a getter that answers a new
 * value each time (or counts its reads) would be checked on one value and sent as another.
 */
function ownData(value: object, field: string): object {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const own = Object.getOwnPropertyDescriptor(value, i);
      if (own?.get || own?.set) return dataCopy(value, Array.from(value.keys()), true, field);
      const problem = rawProblem(own?.value);
      if (problem) throw refused(fieldOf(field, String(i), true), problem);
    }
    return value;
  }
  const keys = Object.keys(value);
  for (const key of keys) {
    const own = Object.getOwnPropertyDescriptor(value, key)!;
    if (own.get || own.set) return dataCopy(value, keys, false, field);
    const problem = rawProblem(own.value);
    if (problem) throw refused(fieldOf(field, key, false), problem);
  }
  return value;
}

/** As JSON.stringify would read them: each field once, in its order. */
function dataCopy(value: object, keys: (string | number)[], list: boolean, field: string): object {
  const copy = (list ? [] : Object.create(null)) as Record<string | number, unknown>;
  for (const key of keys) {
    copy[key] = (value as Record<string | number, unknown>)[key];
    const problem = rawProblem(copy[key]);
    if (problem) throw refused(fieldOf(field, String(key), list), problem);
  }
  return copy;
}

/** Whether the field at `outer` holds the field `inner` (or is it): `leads[0]` holds `leads[0].self`. */
const encloses = (outer: string, inner: string) =>
  outer === '' || (inner.startsWith(outer) && (inner.length === outer.length || inner[outer.length] === '.' || inner[outer.length] === '['));

/** How a field of `holder` is named: `leads[0]`, `leads.tags`, `meta["a.b"]`. */
const fieldOf = (holder: string, key: string, inArray: boolean) =>
  inArray ? `${holder}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (holder ? `${holder}.${key}` : key) : `${holder}[${JSON.stringify(key)}]`;

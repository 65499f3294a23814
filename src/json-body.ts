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

/** What JSON writes as null, silently: a failed Number() (NaN), a division by zero, a Date that did not parse. */
function writtenAsNull(raw: unknown, value: unknown): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return `got ${value}: JSON writes it as null`;
  if (typeof raw === 'object' && raw !== null && Object.prototype.toString.call(raw) === '[object Date]' && Number.isNaN(timeOf(raw))) {
    return 'got an invalid Date: JSON writes it as null';
  }
  return undefined;
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
  let text: string | undefined;
  try {
    text = stringified(body, at);
  } catch (error) {
    // JSON.stringify's own message names no field.
    const cycle = error instanceof TypeError && /circular/i.test(error.message) ? cycleAt(body) : undefined;
    if (cycle !== undefined) throw new BodyFieldError(cycle, `${JSON_RULE} (got a reference back to a field that holds it: JSON cannot write a cycle)`);
    throw error;
  }
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
    // As it was before its toJSON (a Buffer's writes its bytes as an object, a Date's null when
    // invalid), read without calling a getter a second time.
    const raw: unknown = Object.getOwnPropertyDescriptor(this, key)?.value;
    const asNull = writtenAsNull(raw, value);
    if (asNull) throw new BodyFieldError(field, `${JSON_RULE} (${asNull})`);
    if (typeof raw === 'object' && raw !== null && raw !== value && (ArrayBuffer.isView(raw) || raw instanceof ArrayBuffer)) {
      throw new BodyFieldError(field, `${JSON_RULE} (got ${typeName(raw)}${HIDDEN_WHY.binary})`);
    }
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
    at.set(value, field);
    return value;
  });
}

/** How a field of `holder` is named: `leads[0]`, `leads.tags`, `meta["a.b"]`. */
const fieldOf = (holder: string, key: string, inArray: boolean) =>
  inArray ? `${holder}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (holder ? `${holder}.${key}` : key) : `${holder}[${JSON.stringify(key)}]`;

/** The field that refers back to an object holding it, as JSON.stringify walks the body (its own fields, depth first). */
function cycleAt(body: unknown): string | undefined {
  const onPath = new Set<object>();
  const walk = (value: unknown, field: string): string | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    if (onPath.has(value)) return field;
    onPath.add(value);
    for (const [key, child] of Object.entries(value)) {
      const found = walk(child, fieldOf(field, key, Array.isArray(value)));
      if (found !== undefined) return found;
    }
    onPath.delete(value);
    return undefined;
  };
  try {
    return walk(body, '');
  } catch {
    // Nested past the stack: named by JSON.stringify's message instead.
    return undefined;
  }
}

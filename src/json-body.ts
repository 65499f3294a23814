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
  const text = JSON.stringify(body, function (this: unknown, key: string, value: unknown) {
    const holder = at.get(this as object);
    const field = holder === undefined ? '' : Array.isArray(this) ? `${holder}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (holder ? `${holder}.${key}` : key) : `${holder}[${JSON.stringify(key)}]`;
    if (typeof value === 'function' || typeof value === 'symbol') throw new BodyFieldError(field, `${JSON_RULE} (got a ${typeof value})`);
    if (typeof value !== 'object' || value === null) return value;
    // A boxed value is written as its value, of any realm.
    if (isBoxed(value)) return value;
    const hidden = hiddenData(value);
    if (hidden) throw new BodyFieldError(field, `${JSON_RULE} (got ${typeName(value)}${HIDDEN_WHY[hidden]})`);
    at.set(value, field);
    return value;
  });
  // What a toJSON answered nothing for.
  if (text === undefined) throw new BodyFieldError('', `${JSON_RULE} (JSON.stringify writes nothing for it)`);
  return text;
}

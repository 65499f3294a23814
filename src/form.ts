/**
 * Serializes a body the way PHP-style form APIs read it: nested objects and arrays become
 * bracketed keys (`customDetails[size]=M`, `marketingChannels[0][type]=email`).
 * null/undefined fields are left out, as are functions and symbols (JSON.stringify drops them
 * too); booleans and numbers are sent as their string form.
 */
export function toFormBody(body: unknown): URLSearchParams | FormData {
  // Multipart uploads and pre-encoded forms are sent as the caller built them.
  if (body instanceof FormData || body instanceof URLSearchParams) return body;
  const form = new URLSearchParams();
  if (body === null || body === undefined) return form;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new TypeError('form body must be an object of fields');
  }
  const inside = new Set<object>([body]);
  for (const [key, value] of Object.entries(body)) append(form, key, value, inside);
  return form;
}

/** `inside` holds the objects the field is nested in: one of them again is a cycle, which has no form. */
function append(form: URLSearchParams, key: string, value: unknown, inside: Set<object>): void {
  if (value === null || value === undefined || typeof value === 'function' || typeof value === 'symbol') return;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`form body field "${key}" is an invalid Date`);
    return form.append(key, value.toISOString());
  }
  if (typeof value !== 'object') return form.append(key, String(value));
  if (inside.has(value)) throw new TypeError(`form body field "${key}" contains an object it is already inside (a circular reference)`);
  inside.add(value);
  const entries = Array.isArray(value) ? Array.from(value, (item, index) => [String(index), item] as const) : Object.entries(value);
  for (const [child, item] of entries) append(form, `${key}[${child}]`, item, inside);
  inside.delete(value);
}

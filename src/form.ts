/**
 * Serializes a body the way PHP-style form APIs read it: nested objects and arrays become
 * bracketed keys (`customDetails[size]=M`, `marketingChannels[0][type]=email`).
 * null/undefined fields are left out; booleans and numbers are sent as their string form.
 */
export function toFormBody(body: unknown): URLSearchParams | FormData {
  // Multipart uploads and pre-encoded forms are sent as the caller built them.
  if (body instanceof FormData || body instanceof URLSearchParams) return body;
  const form = new URLSearchParams();
  if (body === null || body === undefined) return form;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new TypeError('form body must be an object of fields');
  }
  for (const [key, value] of Object.entries(body)) append(form, key, value);
  return form;
}

function append(form: URLSearchParams, key: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => append(form, `${key}[${index}]`, item));
  } else if (value instanceof Date) {
    form.append(key, value.toISOString());
  } else if (typeof value === 'object') {
    for (const [child, item] of Object.entries(value)) append(form, `${key}[${child}]`, item);
  } else {
    form.append(key, String(value));
  }
}

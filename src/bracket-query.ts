import { createQuerySerializer } from 'openapi-fetch';

/** openapi-fetch's default query serializer, made once (openapi-fetch, given none, makes it again on every call). */
export const plainQuery = createQuerySerializer();

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The query as openapi-fetch writes it, except objects, written here: one holding lists is
 * `properties[gender][]=man&properties[gender][]=woman`, the Rails form Placewise documents for
 * "any of" filters, which openapi-fetch refuses ("Deeply-nested arrays/objects aren't
 * supported"); and every key is encoded (`properties[first%20name]=Ann`), where openapi-fetch
 * writes a deepObject's keys as they are. Brackets are left as they are, as openapi-fetch leaves
 * them in deepObject names; names and values are encoded.
 */
export function bracketQuery(query: Record<string, unknown>): string {
  if (!Object.values(query).some(isRecord)) return plainQuery(query);
  // Each name in its place, as openapi-fetch orders them.
  const parts = Object.entries(query).flatMap(([name, value]) => (isRecord(value) ? objectParts(name, value) : [plainQuery({ [name]: value })]));
  return parts.filter(Boolean).join('&');
}

function objectParts(name: string, object: Record<string, unknown>): string[] {
  return Object.entries(object).flatMap(([key, value]) =>
    value === undefined || value === null
      ? []
      : Array.isArray(value)
        ? // As openapi-fetch drops null and undefined items from a list.
          value.filter((item) => item !== null && item !== undefined).map((item) => `${encodeURIComponent(name)}[${encodeURIComponent(key)}][]=${encodeURIComponent(String(item))}`)
        : [`${encodeURIComponent(name)}[${encodeURIComponent(key)}]=${encodeURIComponent(String(value))}`],
  );
}

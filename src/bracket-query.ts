import { createQuerySerializer } from 'openapi-fetch';

/** openapi-fetch's default query serializer, made once (openapi-fetch, given none, makes it again on every call). */
export const plainQuery = createQuerySerializer();

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const lists = (value: unknown) => isRecord(value) && Object.values(value).some(Array.isArray);

/**
 * The query as openapi-fetch writes it, except an object holding lists: `properties[gender][]=man
 * &properties[gender][]=woman`, the Rails form Placewise documents for "any of" filters, which
 * openapi-fetch refuses ("Deeply-nested arrays/objects aren't supported"). Brackets are left as
 * they are, as openapi-fetch leaves them in deepObject names; names and values are encoded.
 */
export function bracketQuery(query: Record<string, unknown>): string {
  const nested = Object.keys(query).filter((name) => lists(query[name]));
  if (nested.length === 0) return plainQuery(query);
  const rest = Object.fromEntries(Object.entries(query).filter(([name]) => !nested.includes(name)));
  const parts = nested.flatMap((name) =>
    Object.entries(query[name] as Record<string, unknown>).flatMap(([key, value]) =>
      value === undefined || value === null
        ? []
        : Array.isArray(value)
          ? // As openapi-fetch drops null and undefined items from a list.
            value.filter((item) => item !== null && item !== undefined).map((item) => `${encodeURIComponent(name)}[${encodeURIComponent(key)}][]=${encodeURIComponent(String(item))}`)
          : [`${encodeURIComponent(name)}[${encodeURIComponent(key)}]=${encodeURIComponent(String(value))}`],
    ),
  );
  return [plainQuery(rest), ...parts].filter(Boolean).join('&');
}

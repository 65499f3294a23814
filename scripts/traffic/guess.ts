import { decodeSegment } from '../../contract-tests/lib/match.js';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Segments that are almost certainly identifiers: numbers, UUIDs, hex ids (Mongo ObjectIds,
 * hashes) and long opaque tokens (base64 or base64url). Both hex and tokens must contain a digit, so that words such
 * as `deadbeef` or `notifications` stay literal.
 */
export function isIdSegment(segment: string): boolean {
  return (
    /^\d+$/.test(segment) ||
    UUID.test(segment) ||
    /^(?=.*\d)[0-9a-f]{8,}$/i.test(segment) ||
    // base64 too (Imprzd's ids encode a server path): `+`, padding, and a `/` sent as %2F, read decoded.
    /^(?=.*\d)(?=.*[a-z])[a-z0-9_+/-]{16,}={0,2}$/i.test(segment)
  );
}

/**
 * `/customers/1042/segments` → `/customers/{customerId}/segments`. Parameters are named after
 * the collection before them, because OpenAPI needs distinct names within one path and
 * `{id}`, `{id2}` say nothing; `id` is the fallback when there is no such segment.
 */
export function guessTemplate(path: string): string {
  const names: string[] = [];
  const segments = path === '/' ? [] : path.split('/').slice(1);
  const out = segments.map((segment, i) => {
    if (!isIdSegment(decodeSegment(segment))) return segment;
    const previous = i > 0 ? decodeSegment(segments[i - 1]!) : undefined;
    const base = previous && !isIdSegment(previous) ? `${camel(singular(previous))}Id` : 'id';
    let name = base;
    for (let n = 2; names.includes(name); n++) name = `${base}${n}`;
    names.push(name);
    return `{${name}}`;
  });
  return `/${out.join('/')}`;
}

/** The values a concrete path gives the whole-segment parameters of a template. */
export function parameterValues(template: string, path: string): { name: string; value: string }[] {
  const values = path.split('/');
  return template.split('/').flatMap((part, i) => {
    const name = part.match(/^\{([^}]+)\}$/)?.[1];
    return name !== undefined && values[i] !== undefined ? [{ name, value: decodeSegment(values[i]!) }] : [];
  });
}

function singular(word: string): string {
  if (/ies$/i.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|x|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** `loyalty-codes` → `loyaltyCode`; anything that is not a letter or digit separates words. */
export function camel(text: string): string {
  const words = text.split(/[^a-z0-9]+/i).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w[0]!.toLowerCase() : w[0]!.toUpperCase()) + w.slice(1)).join('') || 'id';
}

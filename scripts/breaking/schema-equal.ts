/**
 * Whether two schemas say the same thing, as JSON Schema reads them rather than as they are
 * written: a bundle rewritten with its keys in another order is the same contract.
 */
import { isObject, type Json } from './types.js';

// Order is meaningless in these lists (and the rules that own them, required-changed,
// enum-changed and type-changed, already read them as sets). Every other array keeps its order:
// prefixItems, allOf/oneOf/anyOf (messages and pairing follow it), examples.
const sets = new Set(['required', 'enum', 'type']);
// Keywords whose value is data, not a schema: compared as JSON, whatever keys they hold.
const data = new Set(['const', 'enum', 'default', 'examples', 'example']);

/** Whether a schema admits every value, as `true` and `{}` do: it asserts what an absent one does. */
export const admitsAll = (schema: Json | undefined) => schema === true || (isObject(schema) && Object.keys(schema).length === 0);

/** JSON equality: object keys in any order, arrays in order. */
export const sameJson = (a: Json | undefined, b: Json | undefined): boolean => same(a, b, false);

/** Schema equality: as sameJson, and `required`, `enum` and `type` as sets. */
export const sameSchema = (a: Json | undefined, b: Json | undefined): boolean => same(a, b, true);

function same(a: Json | undefined, b: Json | undefined, schema: boolean): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => same(item, b[i], schema));
  if (!isObject(a) || !isObject(b)) return a === b;
  const keys = Object.keys(a);
  // Object.hasOwn: a key named `constructor` or `__proto__` on one side only must not find the
  // other side's prototype.
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && (schema ? sameKeyword(key, a[key], b[key]) : same(a[key], b[key], false)));
}

function sameKeyword(keyword: string, a: Json | undefined, b: Json | undefined): boolean {
  if (sets.has(keyword) && Array.isArray(a) && Array.isArray(b)) return a.every((x) => b.some((y) => sameJson(x, y))) && b.every((y) => a.some((x) => sameJson(x, y)));
  return same(a, b, !data.has(keyword));
}

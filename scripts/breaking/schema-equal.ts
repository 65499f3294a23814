/**
 * Whether two schemas say the same thing, as JSON Schema reads them rather than as they are
 * written: a bundle rewritten with its keys in another order is the same contract.
 *
 * Each side is written out once in a canonical form and the texts compared: linear in the size
 * of the schema (comparing lists item by item was quadratic: 9 s for a 40,000-value enum), and
 * JSON.stringify's own recursion takes schemas nested deeper than a recursive comparison could.
 */
import { resolve } from './schema-shape.js';
import { isObject, type DocumentPair, type Json, type JsonObject } from './types.js';

/** What a node is, which decides how it is written out. */
type Kind = 'schema' | 'schemas' | 'schemaList' | 'set' | 'data';

// Keywords whose value is one schema, a map of names to schemas, or a list of schemas.
const oneSchema = new Set(['not', 'if', 'then', 'else', 'items', 'contains', 'propertyNames', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']);
const schemaMaps = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs']);
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
// Order is meaningless in these lists (and the rules that own them, required-changed,
// enum-changed and type-changed, already read them as sets).
const sets = new Set(['required', 'enum', 'type']);
// What a schema may say without constraining anything: a schema of only these admits every value.
const annotations = new Set(['title', 'description', '$comment', 'examples', 'example', 'default', 'deprecated', 'externalDocs']);

/** Whether a schema admits every value, as `true`, `{}` and a schema of annotations only do: it asserts what an absent one does. */
export const admitsAll = (schema: Json | undefined): boolean =>
  schema === true || (isObject(schema) && Object.keys(schema).every((key) => annotations.has(key) || key.startsWith('x-')));

function childKind(parent: Kind, key: string): Kind {
  if (parent === 'schemas' || parent === 'schemaList') return 'schema';
  if (parent !== 'schema') return 'data';
  if (oneSchema.has(key)) return 'schema';
  if (schemaMaps.has(key)) return 'schemas';
  if (schemaLists.has(key)) return 'schemaList';
  return sets.has(key) ? 'set' : 'data';
}

const sortedKeys = (node: Record<string, Json>) => Object.fromEntries(Object.keys(node).sort().map((key) => [key, node[key]!]));

/**
 * How a side's `$ref`s are followed: the document they point into, what each ref's schema was
 * written out as, and the refs being written out (a ref met again inside itself is recursion,
 * written as its name).
 */
interface Refs {
  doc: JsonObject;
  said: Map<string, string>;
  open: Set<string>;
}

const refsIn = (doc: JsonObject): Refs => ({ doc, said: new Map(), open: new Set() });

/** What the schema a ref names says, written out once per side. */
function saidBy(refs: Refs, ref: string): string {
  let said = refs.said.get(ref);
  if (said !== undefined) return said;
  if (refs.open.has(ref)) return `recursive ${ref}`;
  refs.open.add(ref);
  said = `= ${canonical(resolve(refs.doc, { $ref: ref }).schema, 'schema', refs)}`;
  refs.open.delete(ref);
  refs.said.set(ref, said);
  return said;
}

/**
 * The node written out with object keys sorted; as a schema, what admits everything as `true`,
 * sets sorted, and (given the document) each `$ref` as what its schema says, so a change inside a
 * component a `then` or `not` names is a change.
 */
function canonical(value: Json | undefined, kind: Kind, refs?: Refs): string | undefined {
  const kinds = new WeakMap<object, Kind>();
  let root = true;
  return JSON.stringify(value, function (this: object, key: string, node: Json) {
    const as: Kind = root ? kind : childKind(kinds.get(this) ?? 'data', key);
    root = false;
    if (as === 'schema' && admitsAll(node)) return true;
    let out: Json = node;
    if (as === 'schema' && refs && isObject(node) && typeof node.$ref === 'string') out = sortedKeys({ ...node, $ref: saidBy(refs, node.$ref) });
    else if (as === 'set') {
      const items = Array.isArray(node) ? node : key === 'type' && typeof node === 'string' ? [node] : undefined;
      if (items) out = [...new Set(items.map((item) => canonical(item, 'data')!))].sort();
    } else if (isObject(node)) out = sortedKeys(node);
    if (out !== null && typeof out === 'object') kinds.set(out, as === 'set' ? 'data' : as);
    return out;
  });
}

/** JSON equality: object keys in any order, arrays in order (the allowed values of enum-changed are compared by this key). */
export const jsonKey = (value: Json | undefined): string | undefined => canonical(value, 'data');

/**
 * Schema equality: as JSON, with `required`, `enum` and `type` as sets and what admits everything
 * as `true`; given the two documents, each side's `$ref`s are read as what they name.
 */
export const sameSchema = (a: Json | undefined, b: Json | undefined, docs?: DocumentPair): boolean =>
  canonical(a, 'schema', docs && refsIn(docs.before)) === canonical(b, 'schema', docs && refsIn(docs.after));

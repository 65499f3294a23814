/**
 * Whether two schemas say the same thing, as JSON Schema reads them rather than as they are
 * written: a bundle rewritten with its keys in another order is the same contract.
 *
 * Each side is written out once in a canonical form and the texts compared: linear in the size
 * of the schema (comparing lists item by item was quadratic: 9 s for a 40,000-value enum), and
 * JSON.stringify's own recursion takes schemas nested deeper than a recursive comparison could.
 */
import { ONE_SCHEMA, SCHEMA_LISTS, SCHEMA_MAPS } from '../lib/schema-keywords.js';
import { resolve } from './schema-shape.js';
import { isObject, type DocumentPair, type Json, type JsonObject } from './types.js';

/** What a node is, which decides how it is written out. */
export type Kind = 'schema' | 'schemas' | 'schemaList' | 'set' | 'sets' | 'data';

// Order is meaningless in these lists (and the rules that own them, required-changed,
// enum-changed and type-changed, already read them as sets), and in each of dependentRequired's.
const sets = new Set(['required', 'enum', 'type']);
// What a schema may say without constraining anything: a schema of only these admits every value.
const annotations = new Set(['title', 'description', '$comment', 'examples', 'example', 'default', 'deprecated', 'externalDocs']);

/** Whether a schema admits every value, as `true`, `{}` and a schema of annotations only do: it asserts what an absent one does. */
export const admitsAll = (schema: Json | undefined): boolean =>
  schema === true || (isObject(schema) && Object.keys(schema).every((key) => annotations.has(key) || key.startsWith('x-')));

function childKind(parent: Kind, key: string): Kind {
  if (parent === 'schemas' || parent === 'schemaList') return 'schema';
  if (parent === 'sets') return 'set';
  if (parent !== 'schema') return 'data';
  if (ONE_SCHEMA.has(key)) return 'schema';
  if (SCHEMA_MAPS.has(key)) return 'schemas';
  if (SCHEMA_LISTS.has(key)) return 'schemaList';
  if (key === 'dependentRequired') return 'sets';
  return sets.has(key) ? 'set' : 'data';
}

const sortedKeys = (node: Record<string, Json>) => Object.fromEntries(Object.keys(node).sort().map((key) => [key, node[key]!]));

/**
 * How a side's `$ref`s are followed: the document they point into, the name each ref's schema was
 * written out under, and the refs being written out (a ref met again inside itself is recursion,
 * written as its name). `texts` is shared by both sides: a schema's text is written once and named
 * by its number, so the same schema on both sides has the same name, and a ref used many times,
 * or nested many deep, adds its name and not its text again (written in whole, with the escaping
 * each level of nesting adds, a chain of 24 refs took 2 GB).
 */
interface Refs {
  doc: JsonObject;
  said: Map<string, string>;
  open: Set<string>;
  texts: Map<string, number>;
}

/** What the schema a ref names says, as the name of its text. */
function saidBy(refs: Refs, ref: string): string {
  let said = refs.said.get(ref);
  if (said !== undefined) return said;
  if (refs.open.has(ref)) return `recursive ${ref}`;
  let target: JsonObject;
  try {
    target = resolve(refs.doc, { $ref: ref }).schema;
  } catch {
    // A ref the walker cannot follow (an anchor, a malformed pointer) is compared as written.
    return `unresolved ${ref}`;
  }
  refs.open.add(ref);
  const text = canonical(target, 'schema', refs) ?? '';
  refs.open.delete(ref);
  if (!refs.texts.has(text)) refs.texts.set(text, refs.texts.size);
  said = `schema ${refs.texts.get(text)}`;
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
    // An array where a schema goes is the older form of `items`: a list of schemas.
    if (out !== null && typeof out === 'object') kinds.set(out, as === 'set' ? 'data' : as === 'schema' && Array.isArray(out) ? 'schemaList' : as);
    return out;
  });
}

/** JSON equality: object keys in any order, arrays in order (the allowed values of enum-changed are compared by this key). */
export const jsonKey = (value: Json | undefined): string | undefined => canonical(value, 'data');

/**
 * Schema equality: as JSON, with `required`, `enum` and `type` as sets and what admits everything
 * as `true`; given the two documents, each side's `$ref`s are read as what they name. `kind` says
 * what the two values are: a schema, or a map of them (`dependentSchemas`).
 */
export function sameSchema(a: Json | undefined, b: Json | undefined, docs?: DocumentPair, kind: Kind = 'schema'): boolean {
  const texts = new Map<string, number>();
  const refsIn = (doc: JsonObject): Refs => ({ doc, said: new Map(), open: new Set(), texts });
  return canonical(a, kind, docs && refsIn(docs.before)) === canonical(b, kind, docs && refsIn(docs.after));
}

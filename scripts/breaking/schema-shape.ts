/**
 * Reading a bundled spec the way the rules need it: internal $refs followed, allOf merged,
 * `type` as a set (3.1 type arrays, 3.0 `nullable`, `const`), oneOf/anyOf as alternatives.
 */
import { isObject, type Json, type JsonObject } from './types.js';

/** Follows `#/…` references (with 3.1 sibling keywords laid over the target); returns the chain. */
export function resolve(doc: JsonObject, node: Json | undefined): { schema: JsonObject; refs: string[] } {
  const refs: string[] = [];
  let current: Json | undefined = node;
  let siblings: JsonObject = {};
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (refs.includes(ref)) break; // a ref to itself: nothing more to learn
    refs.push(ref);
    const { $ref: _ignored, ...rest } = current;
    siblings = { ...rest, ...siblings };
    current = pointer(doc, ref);
  }
  return { schema: { ...(isObject(current) ? current : {}), ...siblings }, refs };
}

/**
 * A schema node with its refs followed, as JSON Schema 2020-12 reads one: keywords beside a
 * `$ref` apply together with its target's (as an allOf of the two would), not in their place, and
 * the schema `false` refuses everything (`not: {}`). `unresolved` is a ref the check cannot
 * follow (another document, an `$anchor`, a target that is not there): what it names is unknown.
 */
export function resolveSchema(doc: JsonObject, node: Json | undefined, depth = 0): { schema: JsonObject; refs: string[]; unresolved?: string } {
  const refs: string[] = [];
  const beside: JsonObject[] = [];
  let current: Json | undefined = node;
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (refs.includes(ref)) break; // a ref to itself: nothing more to learn
    refs.push(ref);
    const { $ref: _ignored, ...rest } = current;
    if (Object.keys(rest).length) beside.push(rest);
    const target = followable(doc, ref);
    if (target === undefined) return { schema: beside.length ? withBeside(doc, {}, beside, depth) : {}, refs, unresolved: ref };
    current = target;
  }
  const target = current === false ? { not: {} } : isObject(current) ? current : {};
  return { schema: beside.length ? withBeside(doc, target, beside, depth) : target, refs };
}

/** A ref's target, or undefined where the check cannot follow it (another document, an anchor, a malformed pointer). */
function followable(doc: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  try {
    return pointer(doc, ref);
  } catch {
    return undefined;
  }
}

/**
 * A target with the keywords beside its refs, merged as allOf parts are (2020-12 reads them so):
 * `required` adds up, a numeric limit takes the tighter, two `enum`s intersect, and another value
 * of a keyword the target sets (`pattern`, `format`, `items`) applies beside it (mergeAllOf).
 */
function withBeside(doc: JsonObject, target: JsonObject, beside: JsonObject[], depth: number): JsonObject {
  return mergeAllOf(doc, { allOf: [target, ...beside] }, depth + 1);
}

function pointer(doc: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) throw new Error(`breaking check: only internal $refs are supported in a bundle, got "${ref}"`);
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  return node;
}

// Every allOf part applies, so of two parts' limits the tighter is the schema's. A Map: a
// keyword named like an Object member finds nothing.
const tighter = new Map<string, (a: number, b: number) => number>([
  ...['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties', 'minContains'].map((key) => [key, Math.max] as const),
  ...['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties', 'maxContains'].map((key) => [key, Math.min] as const),
]);
const conditional = ['if', 'then', 'else'];
/** Whether a schema's conditional can apply: an `if` with a `then` or an `else`. */
const acts = (schema: JsonObject) => schema.if !== undefined && (schema.then !== undefined || schema.else !== undefined);

/**
 * One object schema from `allOf` parts: properties merged, `required` united, the tighter of two
 * numeric limits kept, two `enum`s intersected. A part's `if`/`then`/`else` act only together:
 * taken only from a part that has an `if` with a `then` or `else`. A part's discriminator is
 * taken only with its oneOf/anyOf. What cannot sit beside what the schema already holds (a second
 * group of alternatives, a second conditional, another value of a keyword such as `pattern`) is
 * kept in the merge's own `allOf`, a part each, all of which still apply (`leftoverParts`):
 * first-wins dropped them, and a break in them went unreported (REL-31).
 */
export function mergeAllOf(doc: JsonObject, schema: JsonObject, depth = 0): JsonObject {
  if (!Array.isArray(schema.allOf)) return schema;
  // A schema whose allOf holds itself (`A: allOf: [A, A, …]`): nothing more to learn from it here.
  if (merging.has(schema)) return schema;
  if (depth > 20) {
    cutOff++;
    return schema;
  }
  let known = mergedOf.get(doc);
  if (!known) mergedOf.set(doc, (known = new WeakMap()));
  const done = known.get(schema);
  if (done) return done;
  const cutBefore = cutOff;
  merging.add(schema);
  let merged: JsonObject;
  try {
    merged = mergeParts(doc, schema as JsonObject & { allOf: Json[] }, depth);
  } finally {
    merging.delete(schema);
  }
  // A merge the depth guard cut short is not the schema's: not kept.
  if (cutOff === cutBefore) known.set(schema, merged);
  return merged;
}

/**
 * Each schema's merge, once: components that hold each other through allOf several ways per level
 * (`L1: allOf: [L2, L2, L2]`) were merged once per path, 3^depth times (23 s at 14 levels).
 * Callers read a merge and never change it.
 */
// Per document: one schema object may sit in both (a spec built from another), its refs read in each.
const mergedOf = new WeakMap<JsonObject, WeakMap<JsonObject, JsonObject>>();
const merging = new Set<JsonObject>();
let cutOff = 0;

function mergeParts(doc: JsonObject, schema: JsonObject & { allOf: Json[] }, depth: number): JsonObject {
  const { allOf, ...base } = schema;
  const merged: JsonObject = { ...base };
  let properties: JsonObject = isObject(base.properties) ? { ...base.properties } : {};
  const required = new Set(stringList(base.required));
  const leftover: JsonObject[] = [];
  for (const part of allOf) {
    const resolved = mergeAllOf(doc, resolveSchema(doc, part, depth + 1).schema, depth + 1);
    // Spread, not Object.assign: assigning a field named `__proto__` would set the prototype.
    if (isObject(resolved.properties)) properties = { ...properties, ...resolved.properties };
    for (const name of stringList(resolved.required)) required.add(name);
    const apart: JsonObject = {};
    // A second group of alternatives applies beside the first, with its own discriminator.
    const grouped = hasAlternatives(resolved) && hasAlternatives(merged);
    for (const [key, value] of Object.entries(resolved)) {
      if (key === 'properties' || key === 'required' || conditional.includes(key)) continue;
      if (grouped && (key === 'oneOf' || key === 'anyOf' || key === 'discriminator')) {
        apart[key] = value;
        continue;
      }
      if (key === 'allOf') {
        leftover.push(...leftoverParts(resolved));
        continue;
      }
      // A base schema's discriminator tells its subtypes apart where the base is used; it says
      // nothing of one subtype that extends it. Taken only with the alternatives it names.
      if (key === 'discriminator' && !hasAlternatives(resolved)) continue;
      const held = merged[key];
      if (!Object.hasOwn(merged, key)) merged[key] = value;
      else if (typeof held === 'number' && typeof value === 'number') merged[key] = tighter.get(key)?.(held, value) ?? held;
      // Both lists apply: what is left is what the value may be (a report names what went).
      else if (key === 'enum' && Array.isArray(held) && Array.isArray(value)) merged.enum = held.filter((a) => value.some((b) => same(a, b)));
      // An annotation (a description, an example) constrains nothing: the first is kept.
      else if (!same(held, value) && !isAnnotation(key)) apart[key] = value;
    }
    // An inert one already there (an `if` alone on the base) gives way to a part's that acts; a
    // second that acts applies beside the first.
    if (acts(resolved)) {
      const target = acts(merged) ? apart : merged;
      for (const key of conditional) resolved[key] === undefined ? delete target[key] : (target[key] = resolved[key]!);
    }
    if (Object.keys(apart).length) leftover.push(apart);
  }
  if (Object.keys(properties).length) merged.properties = properties;
  if (required.size) merged.required = [...required];
  if (leftover.length) merged.allOf = leftover;
  merges.add(merged);
  return merged;
}

/** The schemas mergeParts made: only theirs is an `allOf` of parts kept apart (one a guard left unmerged is the spec's own). */
const merges = new WeakSet<JsonObject>();

/** What a merge kept apart (see mergeAllOf): parts that apply beside the schema's own keywords. */
export const leftoverParts = (merged: JsonObject): JsonObject[] => (merges.has(merged) && Array.isArray(merged.allOf) ? merged.allOf.filter(isObject) : []);

/** Whether two JSON values are written the same. */
export const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);
const annotations = new Set(['title', 'description', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', '$comment', 'externalDocs', 'xml', 'nullable']);
const isAnnotation = (key: string) => annotations.has(key) || key.startsWith('x-');
/** Whether a schema says anything of a value: a keyword other than an annotation (`{}` and `{description}` say nothing). */
export const constrains = (schema: JsonObject) => Object.keys(schema).some((key) => !isAnnotation(key));

/** An array's leading items as 2020-12 names them one by one (`prefixItems`). */
export const prefixOf = (schema: JsonObject): Json[] => (Array.isArray(schema.prefixItems) ? schema.prefixItems : []);

/**
 * What an array says of the items after its prefix: `items`, else `unevaluatedItems`, which judges
 * the same items on a schema merged as the walk merges them (as `unevaluatedProperties` does keys).
 */
export const itemsAfterPrefix = (schema: JsonObject): Json | undefined => schema.items ?? schema.unevaluatedItems;

export const stringList = (value: Json | undefined): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The JSON types a schema admits, or undefined when it says nothing (any type). */
export function typeSet(schema: JsonObject): Set<string> | undefined {
  let types: string[] | undefined;
  if (typeof schema.type === 'string') types = [schema.type];
  else if (Array.isArray(schema.type)) types = stringList(schema.type);
  else if ('const' in schema) types = [jsonType(schema.const)];
  else if (Array.isArray(schema.enum)) types = [...new Set(schema.enum.map(jsonType))];
  else if (isObject(schema.properties)) types = ['object'];
  if (!types) return undefined;
  if (schema.nullable === true) types.push('null');
  return new Set(types);
}

function jsonType(value: Json | undefined): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether `types` admits `type` (an integer is a number). */
export const admits = (types: Set<string>, type: string) => types.has(type) || (type === 'integer' && types.has('number'));

export const hasAlternatives = (schema: JsonObject) => Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf);

/** oneOf/anyOf alternatives, or the schema itself as the only one. */
export function alternatives(schema: JsonObject): Json[] {
  if (Array.isArray(schema.oneOf)) return schema.oneOf;
  if (Array.isArray(schema.anyOf)) return schema.anyOf;
  return [schema];
}

/** A short name for a schema in messages: its component name, or its type. */
export function describe(doc: JsonObject, node: Json): string {
  const { schema, refs } = resolveSchema(doc, node);
  const ref = refs[0];
  if (ref) return ref.split('/').pop()!;
  if ('const' in schema) return JSON.stringify(schema.const);
  const types = typeSet(schema);
  if (types) return [...types].join(' or ');
  // An alternative that only adds a rule (`{ required: [trustedFormId] }`) is named by the rule.
  const written = JSON.stringify(schema);
  if (written === '{}') return 'any value';
  return `\`${written.length > 80 ? `${written.slice(0, 79)}…` : written}\``;
}

/**
 * Pairs items of two lists by each test in turn (the first test's pairs first), taking each
 * paired item out of its list: what is left in them had no partner.
 */
export function pairOff<A, B>(left: A[], right: B[], tests: Array<(a: A, b: B) => boolean>): Array<[A, B]> {
  const pairs: Array<[A, B]> = [];
  for (const matches of tests) {
    for (let i = 0; i < left.length; i++) {
      const j = right.findIndex((b) => matches(left[i]!, b));
      if (j >= 0) pairs.push([left.splice(i--, 1)[0]!, right.splice(j, 1)[0]!]);
    }
  }
  return pairs;
}

/**
 * Pairs the alternatives of two composed schemas: same component first, then same type set,
 * then the last one left on each side. Unpaired ones were removed or added.
 */
export function matchAlternatives(docs: { before: JsonObject; after: JsonObject }, before: JsonObject, after: JsonObject) {
  const left = alternatives(before).map((node) => ({ node, ...resolveSchema(docs.before, node) }));
  const right = alternatives(after).map((node) => ({ node, ...resolveSchema(docs.after, node) }));
  const pairs: Array<[Json, Json]> = [];
  const signature = (schema: JsonObject) => JSON.stringify([[...(typeSet(schema) ?? [])].sort(), schema.const ?? null]);
  const strategies: Array<(a: (typeof left)[number], b: (typeof right)[number]) => boolean> = [
    (a, b) => a.refs.length > 0 && a.refs[0] === b.refs[0],
    // The same rule, wherever it moved (`{required: [phone]}`).
    (a, b) => a.refs.length === 0 && b.refs.length === 0 && same(a.schema, b.schema),
    (a, b) => signature(a.schema) === signature(b.schema),
  ];
  for (const [a, b] of pairOff(left, right, strategies)) pairs.push([a.node, b.node]);
  // Alternatives that only add a rule to what sits beside them (`{ required: [email] }`) each
  // narrow a plain schema on the other side: each is compared with it, not reported as a shape.
  const ruleOnly = (a: (typeof left)[number]) => a.refs.length === 0 && typeSet(a.schema) === undefined;
  const keepShapes = (side: typeof left) => side.splice(0, side.length, ...side.filter((a) => !ruleOnly(a)));
  if (left.length === 1 && !hasAlternatives(before) && right.some(ruleOnly)) {
    for (const b of right.filter(ruleOnly)) pairs.push([left[0]!.node, b.node]);
    keepShapes(right);
    left.length = 0;
  } else if (right.length === 1 && !hasAlternatives(after) && left.some(ruleOnly)) {
    for (const a of left.filter(ruleOnly)) pairs.push([a.node, right[0]!.node]);
    keepShapes(left);
    right.length = 0;
  }
  if (left.length === 1 && right.length === 1) {
    pairs.push([left[0]!.node, right[0]!.node]);
    left.length = 0;
    right.length = 0;
  }
  return { pairs, removed: left.map((a) => a.node), added: right.map((b) => b.node) };
}

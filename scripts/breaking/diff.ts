/**
 * The direction-aware walk: document rules, then every operation of `paths` and `webhooks`
 * with the operation rules, then every schema both sides keep (parameters, request bodies,
 * responses) node by node with the schema rules.
 */
import { listOperations, parameters, requestBody, responseHeaders, responses } from './operations.js';
import { documentRules, operationRules, schemaRules } from './rules/index.js';
import { constrains, hasAlternatives, itemsAfterPrefix, leftoverParts, matchAlternatives, mergeAllOf, pairOff, prefixOf, resolveSchema, same } from './schema-shape.js';
import { isObject, type Change, type Direction, type DocumentPair, type Finding, type Json, type JsonObject, type Operation } from './types.js';

export function diffSpecs(vendor: string, before: JsonObject, after: JsonObject): Change[] {
  const docs: DocumentPair = { before, after };
  const changes: Change[] = [];
  for (const rule of documentRules) {
    for (const { operation, where, ...finding } of rule.check(docs)) changes.push({ vendor, operation: operation ?? 'the whole API', where: where ?? '', ...finding });
  }
  const old = listOperations(before);
  const now = listOperations(after);
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(key);
    const b = now.get(key);
    const label = (b ?? a)!.label;
    for (const rule of operationRules) {
      for (const { where, ...finding } of rule.check(a, b, docs)) changes.push({ vendor, operation: label, where: where ?? '', ...finding });
    }
    if (a && b) changes.push(...compareOperation(vendor, docs, a, b));
  }
  return changes;
}

function compareOperation(vendor: string, docs: DocumentPair, a: Operation, b: Operation): Change[] {
  const changes: Change[] = [];
  // Webhooks turn the roles around: the vendor sends the request, the consumer's handler reads it.
  const requestDirection: Direction = b.webhook ? 'read' : 'write';
  const responseDirection: Direction = b.webhook ? 'write' : 'read';
  const requestWhom = b.webhook ? 'webhook handlers' : 'callers';
  const responseWhom = b.webhook ? 'webhook handlers (in their answer)' : 'code that reads the response';
  // `had` says the place existed before: a new parameter, media type or header is its rule's to
  // judge. A place without a schema allows anything, as `{}` does (REL-5's `items`): a schema
  // appearing there is compared as a tightening, one dropped as a loosening.
  const compare = (where: string, direction: Direction, whom: string, had: boolean, x: Json | undefined, y: Json | undefined) => {
    if (!had) return;
    for (const finding of compareSchemas(docs, x ?? {}, y ?? {}, { direction, whom, path: '', docs }, { path: new Set(), compared: new Set() })) {
      changes.push({ vendor, operation: b.label, where, ...finding });
    }
  };
  const oldParameters = parameters(docs.before, a);
  for (const [key, parameter] of parameters(docs.after, b)) {
    compare(parameter.words, requestDirection, requestWhom, oldParameters.has(key), oldParameters.get(key)?.schema, parameter.schema);
  }
  const oldBody = requestBody(docs.before, a);
  const newBody = requestBody(docs.after, b);
  for (const [type, schema] of Object.entries(newBody?.content ?? {})) {
    compare(`request body (${type})`, requestDirection, requestWhom, oldBody !== undefined && Object.hasOwn(oldBody.content, type), oldBody?.content[type], schema);
  }
  const oldResponses = responses(docs.before, a);
  for (const [status, content] of responses(docs.after, b)) {
    const old = oldResponses.get(status);
    for (const [type, schema] of Object.entries(content)) {
      compare(`response ${status} (${type})`, responseDirection, responseWhom, old !== undefined && Object.hasOwn(old, type), old?.[type], schema);
    }
  }
  const oldHeaders = responseHeaders(docs.before, a);
  for (const [status, headers] of responseHeaders(docs.after, b)) {
    for (const [key, header] of headers) {
      const old = oldHeaders.get(status)?.get(key);
      compare(`response ${status} header \`${header.name}\``, responseDirection, responseWhom, old !== undefined, old?.schema, header.schema);
    }
  }
  return changes;
}

type Context = Parameters<(typeof schemaRules)[number]['check']>[2];

/** A node that is a `$ref` and nothing else: what it says is what the ref names. */
const onlyRef = (node: Json) => isObject(node) && typeof node.$ref === 'string' && Object.keys(node).length === 1;

/**
 * Compares two schema nodes and everything under them. `path` holds the pairs of refs being
 * compared on the way here: a recursive ref ends there. `compared` holds the pairs of plain refs
 * compared anywhere under the same root: what two refs and nothing else say does not depend on
 * where they are met, so a component used in many places is compared once, its findings named at
 * the first place the walk meets it. Compared on every path, components shared two ways per level
 * made 2^depth walks (18 s at 20 levels). A ref with keywords beside it, or a ref against an inline
 * schema, is compared wherever it is met: what it says there is its own.
 */
function compareSchemas(docs: DocumentPair, x: Json, y: Json, context: Context, seen: { path: Set<string>; compared: Set<string> }): Finding[] {
  const left = resolveSchema(docs.before, x);
  const right = resolveSchema(docs.after, y);
  if (left.unresolved !== undefined || right.unresolved !== undefined) return unfollowed(x, y, left.unresolved, right.unresolved, context);
  const refPair = `${left.refs.join('>')}|${right.refs.join('>')}`;
  // A recursive ref ends here; keywords beside it (`{ $ref: Node, required: [name] }`) still say something of their own.
  if (refPair !== '|' && seen.path.has(refPair)) return compareSchemas(docs, beside(x), beside(y), context, seen);
  const plain = onlyRef(x) && onlyRef(y);
  if (plain && seen.compared.has(refPair)) return [];
  if (plain) seen.compared.add(refPair);
  const inner = refPair === '|' ? seen : { path: new Set([...seen.path, refPair]), compared: seen.compared };
  const before = mergeAllOf(docs.before, left.schema);
  const after = mergeAllOf(docs.after, right.schema);
  const apart = [keptApart(before), keptApart(after)] as const;
  if (apart[0].length === 0 && apart[1].length === 0) return compareMerged(docs, before, after, context, inner);
  // What a part on either side sets is taken out of both sides' own keywords as parts too, so the
  // parts are compared as lists, whichever part a merge happened to meet first: reordered or
  // dropped, a part is paired by what it says.
  const keys = apartKeys([...apart[0], ...apart[1]]);
  const [was, is] = [splitOff(mainOf(before), keys), splitOff(mainOf(after), keys)];
  const findings = compareMerged(docs, was.main, is.main, context, inner);
  const reported = new Set(findings.map(findingKey));
  // Each part is compared with what else the schema says that a part needs (its type, what it
  // requires), its alternatives wrapped with it; the schema's fields were walked once above.
  const core = (main: JsonObject) => Object.fromEntries(Object.entries(main).filter(([key]) => !children.has(key)));
  for (const [p, q] of pairParts([...was.parts, ...apart[0]], [...is.parts, ...apart[1]])) {
    addNew(findings, reported, compareSchemas(docs, { allOf: [core(was.main), p] }, { allOf: [core(is.main), q] }, context, inner));
  }
  return findings;
}

/** The rules on two merged schemas, then what is under them: their alternatives, or their children. */
function compareMerged(docs: DocumentPair, before: JsonObject, after: JsonObject, context: Context, inner: { path: Set<string>; compared: Set<string> }): Finding[] {
  const composed = hasAlternatives(before) || hasAlternatives(after);
  const findings = schemaRules.filter((rule) => rule.onEveryPair || (composed ? rule.onAlternatives : !rule.onAlternatives)).flatMap((rule) => rule.check(before, after, context));
  const below = (path: string, p: Json | undefined, q: Json | undefined) => {
    if (p !== undefined && q !== undefined) findings.push(...compareSchemas(docs, p, q, { ...context, path }, inner));
  };
  if (composed) {
    // What sits beside the alternatives (the properties of an allOf base beside an anyOf) applies
    // to each of them: each pair is compared with it, so a field dropped from beside them is
    // missed by every alternative, and one moved from beside them into each changes nothing.
    // A finding every pair makes is reported once.
    const baseOf = (schema: JsonObject) => (hasAlternatives(schema) ? withoutAlternatives(schema) : {});
    const [baseBefore, baseAfter] = [baseOf(before), baseOf(after)];
    const withBase = (base: JsonObject, node: Json) => (Object.keys(base).length ? { allOf: [base, node] } : node);
    const reported = new Set(findings.map(findingKey));
    for (const [p, q] of matchAlternatives(docs, before, after).pairs) {
      // Wrapped, a pair of refs is no longer one: it is put on the path here, so a schema whose
      // alternatives lead back to itself ends. Under a key of its own: the same refs met plain
      // further down (a Branch's children that are Branches) are still compared once.
      const [x2, y2] = [withBase(baseBefore, p), withBase(baseAfter, q)];
      let within = inner;
      if (x2 !== p || y2 !== q) {
        const pair = `with base ${resolveSchema(docs.before, p).refs.join('>')}|${resolveSchema(docs.after, q).refs.join('>')}`;
        if (pair !== 'with base |' && inner.path.has(pair)) continue;
        if (pair !== 'with base |') within = { path: new Set([...inner.path, pair]), compared: inner.compared };
      }
      addNew(findings, reported, compareSchemas(docs, x2, y2, context, within));
    }
    return findings;
  }
  children(before, after);
  return findings;

  function children(before: JsonObject, after: JsonObject) {
    const join = (name: string) => (context.path ? `${context.path}.${name}` : name);
    // A field new on one side was, on the other, a key of its typed map (`additionalProperties`
    // a schema): what that said of it is compared with what the field says now.
    const mapOf = (schema: JsonObject) => {
      const rest = otherKeys(schema);
      return isObject(rest) && constrains(rest) ? rest : undefined;
    };
    const [old, now] = [isObject(before.properties) ? before.properties : {}, isObject(after.properties) ? after.properties : {}];
    // Own keys only: a field named `constructor` new on this side has no partner in Object's.
    for (const [name, schema] of Object.entries(now)) below(join(name), Object.hasOwn(old, name) ? old[name] : mapOf(before), schema);
    for (const [name, schema] of Object.entries(old)) if (!Object.hasOwn(now, name)) below(join(name), schema, mapOf(after));
    // A keyword left out allows anything, as `{}` does: deleting `items` loosens (or adding it
    // tightens) the array exactly as `items: {}` would, and is compared so.
    const orAny = (path: string, p: Json | undefined, q: Json | undefined) => {
      if (p !== undefined || q !== undefined) below(path, p ?? {}, q ?? {});
    };
    // Each leading item (`prefixItems`) is compared with what the other side says of that place:
    // its own prefix item, else what follows the prefix there, so a prefix laid over `items` is
    // compared item by item. A place where one side allows no item (the schema `false`) is not a
    // schema to compare: limit-changed reads it as a maximum number of items.
    const item = (path: string, p: Json | undefined, q: Json | undefined) => {
      if (p !== false && q !== false) orAny(path, p, q);
    };
    const [oldPrefix, nowPrefix] = [prefixOf(before), prefixOf(after)];
    for (let i = 0; i < Math.max(oldPrefix.length, nowPrefix.length); i++) item(`${context.path}[${i}]`, oldPrefix[i] ?? itemsAfterPrefix(before), nowPrefix[i] ?? itemsAfterPrefix(after));
    item(`${context.path}[]`, itemsAfterPrefix(before), itemsAfterPrefix(after));
    // `additionalProperties: false` is a limit (limit-changed), not a schema to compare.
    const extra = [otherKeys(before), otherKeys(after)];
    if (extra.every((v) => v === undefined || isObject(v))) orAny(`${context.path}{}`, extra[0], extra[1]);
    // The keys a pattern names were, on a side without it, other properties: what those may be
    // (anything, or the typed map's schema) is compared with what the pattern says now. Keys no
    // schema allowed (`additionalProperties: false`) are left to limit-changed.
    const [oldPatterns, nowPatterns] = [patternsOf(before), patternsOf(after)];
    const others = (schema: JsonObject) => (otherKeys(schema) === undefined ? {} : isObject(otherKeys(schema)) ? otherKeys(schema) : undefined);
    for (const pattern of new Set([...Object.keys(oldPatterns), ...Object.keys(nowPatterns)])) {
      const p = Object.hasOwn(oldPatterns, pattern) ? oldPatterns[pattern] : others(before);
      const q = Object.hasOwn(nowPatterns, pattern) ? nowPatterns[pattern] : others(after);
      below(`${context.path}{/${pattern}/}`, p, q);
    }
  }
}

/**
 * What an object says of keys it does not name: `additionalProperties`, else 2020-12's
 * `unevaluatedProperties`, which judges the same keys on a schema merged as the walk merges them
 * (allOf parts into one, each alternative with what sits beside it).
 */
const otherKeys = (schema: JsonObject): Json | undefined => schema.additionalProperties ?? schema.unevaluatedProperties;
const patternsOf = (schema: JsonObject): JsonObject => (isObject(schema.patternProperties) ? schema.patternProperties : {});

// Keywords that go together as one part: a group of alternatives, a conditional.
const groups = [['oneOf', 'anyOf', 'discriminator'], ['if', 'then', 'else']];
// Keywords whose schemas are the fields and items under this one: walked once, with the schema's own.
const children = new Set(['properties', 'patternProperties', 'additionalProperties', 'propertyNames', 'items', 'prefixItems', 'contains', 'dependentSchemas', 'unevaluatedItems', 'unevaluatedProperties']);

/** The parts a merged schema keeps apart (schema-shape.ts), and an `anyOf` beside a `oneOf`. */
const keptApart = (schema: JsonObject): JsonObject[] => [...leftoverParts(schema), ...(Array.isArray(schema.oneOf) && Array.isArray(schema.anyOf) ? [{ anyOf: schema.anyOf }] : [])];

/** A merged schema without what it keeps apart. */
function mainOf(schema: JsonObject): JsonObject {
  const { allOf: _apart, ...main } = schema;
  if (Array.isArray(main.oneOf)) delete main.anyOf;
  return main;
}

/** The keywords parts set, a group's whole when they set one of it. */
function apartKeys(parts: JsonObject[]): Set<string> {
  const keys = new Set(parts.flatMap((part) => Object.keys(part)));
  for (const group of groups) if (group.some((key) => keys.has(key))) for (const key of group) keys.add(key);
  return keys;
}

/** A schema's own keywords, those in `keys` taken out as parts: a group as one part, another keyword as one each. */
function splitOff(schema: JsonObject, keys: Set<string>): { main: JsonObject; parts: JsonObject[] } {
  const main = Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.has(key)));
  const parts: JsonObject[] = [];
  for (const group of groups) {
    const part = Object.fromEntries(group.filter((key) => keys.has(key) && schema[key] !== undefined).map((key) => [key, schema[key]!]));
    if (Object.keys(part).length) parts.push(part);
  }
  for (const key of keys) if (!groups.some((group) => group.includes(key)) && schema[key] !== undefined) parts.push({ [key]: schema[key]! });
  return { main, parts };
}

/**
 * Parts on each side, paired: the same part first (whatever its place), then by kind (alternatives,
 * a conditional, or the keywords they set) in order; one without a partner is paired with `{}`,
 * which says nothing.
 */
function pairParts(before: JsonObject[], after: JsonObject[]): Array<[JsonObject, JsonObject]> {
  const kind = (part: JsonObject) => (hasAlternatives(part) ? 'alternatives' : part.if !== undefined ? 'conditional' : Object.keys(part).sort().join(','));
  const [left, right] = [[...before], [...after]];
  const pairs = pairOff(left, right, [same, (a, b) => kind(a) === kind(b)]);
  return [...pairs, ...left.map((p): [JsonObject, JsonObject] => [p, {}]), ...right.map((q): [JsonObject, JsonObject] => [{}, q])];
}

/** A node's keywords beside its `$ref` (none for a node that is no ref). */
const beside = (node: Json): Json => (isObject(node) && typeof node.$ref === 'string' ? Object.fromEntries(Object.entries(node).filter(([key]) => key !== '$ref')) : {});

const findingKey = (finding: Finding) => `${finding.rule}|${finding.severity}|${finding.message}`;

/** Adds the findings not reported yet (a finding several comparisons make is reported once). */
function addNew(findings: Finding[], reported: Set<string>, found: Finding[]): void {
  for (const finding of found) {
    if (reported.has(findingKey(finding))) continue;
    reported.add(findingKey(finding));
    findings.push(finding);
  }
}

const withoutAlternatives = ({ oneOf: _one, anyOf: _any, discriminator: _discriminator, ...rest }: JsonObject): JsonObject => rest;

/**
 * A schema that names what the check cannot follow (a ref into another document, to an
 * `$anchor`, relative to an `$id`, or to nothing): what changed behind it cannot be told, so it
 * is left to a person, even where both sides name the same ref.
 */
function unfollowed(x: Json, y: Json, was: string | undefined, is: string | undefined, context: Context): Finding[] {
  const named = (ref: string | undefined) => (ref === undefined ? 'a schema it can follow' : `\`${ref}\``);
  const where = context.path ? `field ${context.path}` : 'the schema';
  const same = was !== undefined && was === is && JSON.stringify(beside(x)) === JSON.stringify(beside(y));
  const message = same
    ? `${where} is ${named(was)}, a $ref the check cannot follow: changes behind it are not compared, so compare them by hand`
    : `${where} changed from ${named(was)} to ${named(is)}, a $ref the check cannot follow: compare them by hand`;
  return [{ rule: 'ref-unfollowed', severity: 'warning', message }];
}

import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Operation } from './prism.js';
import type { MockBehaviour, Record_ } from './state/behaviour.js';
import type { RequestShape } from './state/apply.js';
import { escapeToken, getAt, matchesAny, resolvedPointer, tokens } from './state/pointer.js';

type BehaviourOf = (operation: Operation) => MockBehaviour | undefined;
type Node = { $ref?: string; properties?: Record<string, unknown>; items?: unknown; allOf?: unknown[]; content?: Record<string, { schema?: unknown }> };

/** Where a resource's records are described, as JSON pointers into the bundled spec. */
export interface RecordSchemas {
  /** List answers show a stored record as it is: it must validate against each of these. */
  whole: string[];
  /** Read answers show it field by field (see `present` in state/apply.ts): each field it has there must validate. */
  fields: string[];
}

const nodeAt = (document: object, pointer: string): Node | undefined => {
  const found = getAt(document, pointer);
  return found !== null && typeof found === 'object' ? (found as Node) : undefined;
};

/** The schema of property `name` under the schema at `pointer` (directly or in one of its allOf parts). */
function propertyOf(document: object, pointer: string, name: string): string | undefined {
  const at = resolvedPointer(document, pointer);
  const node = nodeAt(document, at);
  if (node?.properties && name in node.properties) return `${at}/properties/${escapeToken(name)}`;
  return (node?.allOf ?? []).map((_, i) => propertyOf(document, `${at}/allOf/${i}`, name)).find((found) => found !== undefined);
}

/** The schema of the first JSON body among the operation's 2xx answers. */
function answerSchema(document: object, operation: Operation): string | undefined {
  const base = `/paths/${escapeToken(operation.path)}/${operation.method}/responses`;
  const statuses = Object.keys(nodeAt(document, base) ?? {}).filter((s) => s.startsWith('2')).sort();
  for (const status of statuses) {
    const response = resolvedPointer(document, `${base}/${status}`);
    const media = Object.keys(nodeAt(document, response)?.content ?? {}).find((m) => /json/.test(m));
    if (media !== undefined && nodeAt(document, `${response}/content/${escapeToken(media)}/schema`)) return `${response}/content/${escapeToken(media)}/schema`;
  }
  return undefined;
}

/**
 * Each resource's record schemas, found by following the `at` of its list and read operations
 * into their answers' schemas. An answer whose shape cannot be followed there (a oneOf, no
 * schema) adds nothing: the contract check on the answer itself still covers it.
 */
export function recordSchemasFrom(document: object, operations: Operation[], behaviourOf: BehaviourOf): Map<string, RecordSchemas> {
  const found = new Map<string, RecordSchemas>();
  for (const operation of operations) {
    const behaviour = behaviourOf(operation);
    if (!behaviour?.resource || (behaviour.action !== 'list' && behaviour.action !== 'read')) continue;
    // A read's embedded records show field by field (the documented entry's fields only).
    const entries = behaviour.action === 'read' && behaviour.embed ? itemsSchema(document, answerSchema(document, operation), behaviour.embed.at) : undefined;
    if (entries !== undefined) add(found, behaviour.embed!.resource, 'fields', entries);
    let pointer = answerSchema(document, operation);
    for (const token of tokens(behaviour.at ?? '')) pointer = pointer === undefined ? undefined : propertyOf(document, pointer, token);
    if (pointer === undefined) continue;
    if (behaviour.action === 'list') {
      pointer = itemsSchema(document, pointer, '');
      if (pointer === undefined) continue;
    }
    add(found, behaviour.resource, behaviour.action === 'list' ? 'whole' : 'fields', pointer);
  }
  return found;
}

/** The schema of the items of the array at `at` inside the answer schema, if it can be followed there. */
function itemsSchema(document: object, answer: string | undefined, at: string): string | undefined {
  let pointer = answer;
  for (const token of tokens(at)) pointer = pointer === undefined ? undefined : propertyOf(document, pointer, token);
  if (pointer === undefined) return undefined;
  const items = resolvedPointer(document, pointer);
  return nodeAt(document, items)?.items ? `${items}/items` : undefined;
}

function add(found: Map<string, RecordSchemas>, resource: string, how: keyof RecordSchemas, pointer: string) {
  let schemas = found.get(resource);
  if (!schemas) found.set(resource, (schemas = { whole: [], fields: [] }));
  if (!schemas[how].includes(pointer)) schemas[how].push(pointer);
}

/** The record's field an error is about ('' when it is about the record as a whole). */
function fieldOf(error: ErrorObject | undefined): string {
  const [first] = tokens(error?.instancePath ?? '');
  if (first !== undefined) return first;
  const params = (error?.params ?? {}) as { missingProperty?: string; additionalProperty?: string; unevaluatedProperty?: string };
  return params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty ?? '';
}

/**
 * The first field of a record its resource's schemas refuse ('' when the record as a whole is
 * refused), or undefined when every answer that shows the record can show it as it is.
 */
export function createRecordCheck(document: object, schemas: Map<string, RecordSchemas>, validatorAt: (pointer: string) => ValidateFunction) {
  // Each field's schema is found in the spec once: found for every field of every record, walking
  // pointers through $refs and allOf parts was half of a 10,000-lead XONVO bulk add. The names are
  // a record's own fields, which only the spec's seeds, examples and `set` give, so few are kept.
  const found = new Map<string, Map<string, string | undefined>>();
  const fieldSchema = (pointer: string, name: string) => {
    let names = found.get(pointer);
    if (!names) found.set(pointer, (names = new Map()));
    if (!names.has(name)) names.set(name, propertyOf(document, pointer, name));
    return names.get(name);
  };
  return (resource: string, record: Record_): string | undefined => {
    const known = schemas.get(resource);
    for (const pointer of known?.whole ?? []) {
      const valid = validatorAt(pointer);
      if (!valid(record)) return fieldOf(valid.errors?.[0]);
    }
    for (const pointer of known?.fields ?? []) {
      for (const [name, value] of Object.entries(record)) {
        const at = fieldSchema(pointer, name);
        if (at !== undefined && !validatorAt(at)(value)) return name;
      }
    }
    return undefined;
  };
}

type Schema = {
  properties?: Record<string, Schema & { default?: unknown }>;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
};

/** A schema's properties, with those of its allOf parts and its oneOf/anyOf branches (Prism's schemas have their $refs resolved). */
function propertiesOf(schema: Schema | undefined): Record<string, Schema & { default?: unknown }> {
  const parts = [...(schema?.allOf ?? []), ...(schema?.oneOf ?? []), ...(schema?.anyOf ?? [])];
  return Object.assign({}, ...parts.map(propertiesOf), schema?.properties ?? {});
}

/** The schema one pointer token leads to; `*` or `{name}` (an `each` pointer) is any item or any map value. */
function step(schema: Schema | undefined, token: string): Schema | undefined {
  if (!matchesAny(token)) return propertiesOf(schema)[token];
  return schema?.items ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
}

/** The request schema at a create's or update's `merge` pointer (under its `each` items). */
export function requestShape(operation: Operation, behaviour: MockBehaviour | undefined): RequestShape {
  if (!behaviour?.merge) return { defaults: {} };
  let schema = operation.request?.body?.contents?.find((c) => /json|x-www-form-urlencoded/.test(c.mediaType))?.schema as Schema | undefined;
  const pointer = `${behaviour.each ?? ''}${typeof behaviour.merge === 'string' ? behaviour.merge : ''}`;
  for (const token of tokens(pointer)) schema = step(schema, token);
  const properties = propertiesOf(schema);
  const defaults: Record_ = {};
  for (const [name, property] of Object.entries(properties)) if (property.default !== undefined) defaults[name] = property.default as Record_[string];
  const names = Object.keys(properties);
  return { defaults, ...(names.length > 0 ? { fields: new Set(names) } : {}) };
}

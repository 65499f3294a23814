/**
 * Respect compiles each answer's schema with Ajv's `defaultUnevaluatedProperties: false`: an object
 * schema that lists properties and says nothing of others is taken as closed, where JSON Schema,
 * the specs and the contract suite take it as open. A vendor adding a field to an open object (as
 * the specs allow, and vendors do) failed the journeys' schema checks. `openSchemas` says aloud
 * what such a schema already means, `additionalProperties: true`, so respect reads it as written.
 */
import { ONE_SCHEMA, SCHEMA_LISTS, SCHEMA_MAPS } from './schema-keywords.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function openSchema(schema: unknown): void {
  if (!isObject(schema)) return;
  const listsKeys = isObject(schema.properties) || isObject(schema.patternProperties);
  if (listsKeys && !('additionalProperties' in schema) && !('unevaluatedProperties' in schema)) schema.additionalProperties = true;
  for (const key of ONE_SCHEMA) openSchema(schema[key]);
  for (const key of SCHEMA_LISTS) if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach(openSchema);
  for (const key of SCHEMA_MAPS) if (isObject(schema[key])) Object.values(schema[key]).forEach(openSchema);
}

/** Every schema of the document's answers and components with its openness said aloud; a copy. */
export function openSchemas<T>(doc: T): T {
  const copy = structuredClone(doc) as Json;
  const components = isObject(copy.components) ? copy.components : {};
  const contentSchemas = (response: unknown) =>
    isObject(response) && isObject(response.content) ? Object.values(response.content).map((media) => (isObject(media) ? media.schema : undefined)) : [];
  const schemas = [
    ...Object.values(isObject(components.schemas) ? components.schemas : {}),
    ...Object.values(isObject(components.responses) ? components.responses : {}).flatMap(contentSchemas),
    ...Object.values(isObject(copy.paths) ? copy.paths : {}).flatMap((item) =>
      Object.values(isObject(item) ? item : {}).flatMap((operation) =>
        isObject(operation) && isObject(operation.responses) ? Object.values(operation.responses).flatMap(contentSchemas) : [],
      ),
    ),
  ];
  schemas.forEach(openSchema);
  return copy as T;
}

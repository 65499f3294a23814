import { describe, expect, it } from 'vitest';
import { openSchemas } from './open-schemas.js';

describe('openSchemas', () => {
  it('says an object schema that lists properties is open, wherever it sits in an answer or a component', () => {
    const doc = {
      paths: { '/a': { get: { responses: { '200': { content: { 'application/json': { schema: { type: 'object', properties: { list: { type: 'array', items: { properties: { id: {} } } } } } } } } } } } },
      components: {
        schemas: { Meta: { allOf: [{ properties: { page: {} } }, { oneOf: [{ patternProperties: { '^x-': {} } }] }] } },
        responses: { Error: { content: { 'application/json': { schema: { properties: { error: { type: 'string' } } } } } } },
      },
    };
    const opened = openSchemas(doc) as any;
    const answer = opened.paths['/a'].get.responses['200'].content['application/json'].schema;
    expect(answer.additionalProperties).toBe(true);
    expect(answer.properties.list.items.additionalProperties).toBe(true);
    expect(opened.components.schemas.Meta.allOf[0].additionalProperties).toBe(true);
    expect(opened.components.schemas.Meta.allOf[1].oneOf[0].additionalProperties).toBe(true);
    expect(opened.components.responses.Error.content['application/json'].schema.additionalProperties).toBe(true);
    // The document it was given is left as it was.
    expect('additionalProperties' in doc.components.responses.Error.content['application/json'].schema).toBe(false);
  });

  it('leaves a schema that says what other keys may be as it is, and an example value untouched', () => {
    const closed = { properties: { id: {} }, additionalProperties: false };
    const typed = { properties: { id: {} }, additionalProperties: { type: 'string' } };
    const unevaluated = { properties: { id: {} }, unevaluatedProperties: false };
    const example = { properties: { email: 'a@b.c' } };
    const doc = { components: { schemas: { closed, typed, unevaluated, Member: { properties: { properties: { type: 'object' } }, examples: [example] } } } };
    const opened = openSchemas(doc).components.schemas as any;
    expect(opened.closed.additionalProperties).toBe(false);
    expect(opened.typed.additionalProperties).toEqual({ type: 'string' });
    expect(opened.unevaluated).toEqual(unevaluated);
    expect(opened.Member.examples).toEqual([example]);
    // A property named "properties" is a property, not a keyword.
    expect(opened.Member.properties.properties).toEqual({ type: 'object' });
  });
});

import { describe, expect, it } from 'vitest';
import { dereference } from './dereference.js';

describe('dereference', () => {
  it('inlines local references, including references inside referenced objects', () => {
    const doc = {
      paths: { '/a': { get: { responses: { '200': { $ref: '#/components/responses/Ok' } } } } },
      components: {
        responses: { Ok: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
        schemas: { Thing: { type: 'object', properties: { id: { type: 'integer' } } } },
      },
    };
    const out = dereference(doc);
    expect(out.paths['/a'].get.responses['200']).toEqual({
      description: 'ok',
      content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'integer' } } } } },
    });
  });

  it('cuts a recursive schema at the point where it refers back to itself', () => {
    const doc = {
      components: { schemas: { Category: { type: 'object', properties: { parent: { $ref: '#/components/schemas/Category' } } } } },
      use: { $ref: '#/components/schemas/Category' },
    };
    const out = dereference(doc) as any;
    expect(out.use.properties.parent).toEqual({ description: 'recursive reference to #/components/schemas/Category, not expanded' });
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it('names a reference that points nowhere', () => {
    expect(() => dereference({ a: { $ref: '#/components/schemas/Missing' } })).toThrow('unresolved $ref #/components/schemas/Missing');
  });
});

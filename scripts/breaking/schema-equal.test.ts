/** sameSchema and jsonKey: what is written differently but says the same is equal, and what says more is not. */
import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from './types.js';
import { admitsAll, jsonKey, sameSchema } from './schema-equal.js';

describe('sameSchema', () => {
  it('reads what admits every value as one: true, {}, and a schema of annotations only', () => {
    expect(sameSchema({ not: {} }, { not: true })).toBe(true);
    expect(sameSchema({ if: {}, then: { required: ['a'] } }, { if: true, then: { required: ['a'] } })).toBe(true);
    expect(sameSchema({ properties: { b: true } }, { properties: { b: { description: 'any', $comment: 'x', 'x-note': 1 } } })).toBe(true);
    expect(admitsAll({ description: 'only words' })).toBe(true);
    expect(admitsAll({ description: 'words', minLength: 1 })).toBe(false);
    expect(sameSchema({ not: {} }, { not: false })).toBe(false);
  });

  it('reads `type` written alone or as a one-item list as the same', () => {
    expect(sameSchema({ then: { type: 'string' } }, { then: { type: ['string'] } })).toBe(true);
    expect(sameSchema({ type: 'string' }, { type: ['string', 'null'] })).toBe(false);
  });

  it('reads a property named like a keyword as a property: `enum`, `const`, `required` under properties are schemas', () => {
    const field = (required: string[]) => ({ properties: { enum: { type: 'object', required }, const: { type: 'object', required } } });
    expect(sameSchema(field(['a', 'b']), field(['b', 'a']))).toBe(true);
    expect(sameSchema(field(['a']), field(['a', 'b']))).toBe(false);
  });

  it('keeps order where it means something, and reads data inside keywords as data', () => {
    expect(sameSchema({ prefixItems: [{ type: 'string' }, { type: 'integer' }] }, { prefixItems: [{ type: 'integer' }, { type: 'string' }] })).toBe(false);
    // A const's value is data: an array in it is not a set because it sits under `required`.
    expect(sameSchema({ const: { required: [1, 2] } }, { const: { required: [2, 1] } })).toBe(false);
    expect(sameSchema({ enum: [{ a: 1, b: 2 }, 'x'] }, { enum: ['x', { b: 2, a: 1 }] })).toBe(true);
  });

  it('compares schemas nested deeper than a recursive comparison could follow', () => {
    const deep = (depth: number, leaf: Json): Json => {
      let node: Json = leaf;
      for (let i = 0; i < depth; i++) node = { type: 'object', properties: { next: node } };
      return node;
    };
    expect(sameSchema(deep(1000, { type: 'string' }), deep(1000, { type: 'string' }))).toBe(true);
    expect(sameSchema(deep(1000, { type: 'string' }), deep(1000, { type: 'integer' }))).toBe(false);
  });
});

describe('sameSchema across documents', () => {
  /** C0 → C1 → … → C<n>, each naming the next, the last of type `leaf`; a `then` names C0. */
  const chain = (n: number, leaf: string): JsonObject => {
    const schemas: JsonObject = { [`C${n}`]: { type: leaf } };
    for (let i = n - 1; i >= 0; i--) schemas[`C${i}`] = { type: 'object', properties: { next: { $ref: `#/components/schemas/C${i + 1}` }, also: { $ref: `#/components/schemas/C${i + 1}` } } };
    return { components: { schemas } };
  };
  const then = { $ref: '#/components/schemas/C0' };

  it('follows refs many deep and many ways without writing a component out twice', () => {
    // Written out in whole at every use, 40 levels that each name the next twice would be 2^40 texts.
    expect(sameSchema(then, then, { before: chain(40, 'string'), after: chain(40, 'string') })).toBe(true);
    expect(sameSchema(then, then, { before: chain(40, 'string'), after: chain(40, 'integer') })).toBe(false);
  });

  it('compares a ref it cannot follow (an anchor, a malformed pointer) as written, without throwing', () => {
    const docs = { before: {}, after: {} };
    expect(sameSchema({ $ref: '#Name' }, { $ref: '#Name' }, docs)).toBe(true);
    expect(sameSchema({ $ref: '#/components/%E0%A4%A' }, { $ref: '#Other' }, docs)).toBe(false);
  });

  it('reads a map of schemas (dependentSchemas) by its entries, whatever they are named', () => {
    const entry = (required: string[]) => ({ description: { required } });
    expect(sameSchema(entry(['lang']), entry(['lang', 'fmt']), undefined, 'schemas')).toBe(false);
    expect(sameSchema(entry(['a', 'b']), entry(['b', 'a']), undefined, 'schemas')).toBe(true);
  });
});

describe('jsonKey', () => {
  it('is the same for objects with their keys in another order, and differs for arrays in another order', () => {
    expect(jsonKey({ a: 1, b: [1, 2] })).toBe(jsonKey({ b: [1, 2], a: 1 }));
    expect(jsonKey([1, 2])).not.toBe(jsonKey([2, 1]));
    expect(jsonKey(JSON.parse('{"__proto__": 1, "a": 2}') as Json)).not.toBe(jsonKey({ a: 2 }));
  });
});

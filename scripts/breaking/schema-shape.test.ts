/** mergeAllOf: fields named like Object.prototype members are fields; limits and conditionals merged as allOf applies them. */
import { describe, expect, it } from 'vitest';
import { mergeAllOf } from './schema-shape.js';
import type { JsonObject } from './types.js';

describe('mergeAllOf', () => {
  it('keeps a part\'s field named `__proto__` as a field', () => {
    const schema = JSON.parse('{"allOf":[{"properties":{"id":{"type":"string"}}},{"properties":{"__proto__":{"type":"string"}}}]}') as JsonObject;
    const merged = mergeAllOf({}, schema).properties as JsonObject;
    expect(Object.keys(merged)).toEqual(['id', '__proto__']);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('keeps the tighter of two parts\' limits, whichever part sets it', () => {
    const merged = mergeAllOf({}, { allOf: [{ type: 'string', maxLength: 100, minLength: 1 }, { maxLength: 5, minLength: 0 }] });
    expect([merged.maxLength, merged.minLength]).toEqual([5, 1]);
  });

  it('takes an `if` with its `then` from one part, never an `if` and a `then` from two', () => {
    expect(mergeAllOf({}, { allOf: [{ if: { required: ['a'] } }, { then: { required: ['b'] } }] })).toEqual({});
    const acting = { if: { required: ['a'] }, then: { required: ['b'] } };
    expect(mergeAllOf({}, { allOf: [{ then: { required: ['c'] } }, acting] })).toEqual(acting);
    // An `if` alone on the base acts on nothing: it gives way to the part's.
    expect(mergeAllOf({}, { if: { required: ['z'] }, allOf: [acting] })).toEqual(acting);
  });

  it("takes a part's discriminator only with the alternatives it tells apart", () => {
    const discriminator = { propertyName: 'kind' };
    expect(mergeAllOf({}, { allOf: [{ type: 'object', discriminator }] })).toEqual({ type: 'object' });
    const alternatives = { oneOf: [{ type: 'object' }], discriminator };
    expect(mergeAllOf({}, { allOf: [alternatives] })).toEqual(alternatives);
  });
});

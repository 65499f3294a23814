/** mergeAllOf with fields named like Object.prototype members: they are fields, merged as any other. */
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
});

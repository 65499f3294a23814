/**
 * discriminator-changed where the value is read (a response): the fixture set proves the writing
 * side (contract-tests/fixtures/breaking/changes.json), and has no response with a discriminator.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../types.js';
import { discriminatorChanged } from './discriminator-changed.js';

const union = (mapping: Record<string, string>): JsonObject => ({ oneOf: [{ $ref: '#/a' }, { $ref: '#/b' }], discriminator: { propertyName: 'kind', mapping } });
const read = (before: JsonObject, after: JsonObject) =>
  discriminatorChanged.check(before, after, { direction: 'read', path: 'event', whom: 'code that reads the response', docs: { before: {}, after: {} } }).map((f) => [f.severity, f.message]);

describe('discriminator-changed, read', () => {
  it('a value newly mapped breaks readers that switch over the known ones; one no longer mapped does not', () => {
    expect(read(union({ a: '#/a' }), union({ a: '#/a', b: '#/b' }))).toEqual([['breaking', '`event`: `kind` may now be "b": code that reads the response that handle only the known values break']]);
    expect(read(union({ a: '#/a', b: '#/b' }), union({ a: '#/a' }))).toEqual([['info', '`event`: `kind` "b" no longer names a shape']]);
  });

  it('a value mapped to another shape breaks readers too', () => {
    expect(read(union({ a: '#/a' }), union({ a: '#/b' }))).toEqual([['breaking', '`event`: `kind` "a" names #/b, no longer #/a: code that reads the response that use it break']]);
  });
});

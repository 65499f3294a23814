/** enum-changed on allowed values the fixture set does not hold: object values written with their keys in another order. */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../types.js';
import { enumChanged } from './enum-changed.js';

const write = (before: JsonObject, after: JsonObject) =>
  enumChanged.check(before, after, { direction: 'write', path: 'shape', whom: 'callers', docs: { before: {}, after: {} } }).map((f) => [f.severity, f.message]);

describe('enum-changed: values compared as values', () => {
  it('an object value with its keys in another order is the same value', () => {
    expect(write({ enum: [{ w: 1, h: 2 }, 'none'] }, { enum: ['none', { h: 2, w: 1 }] })).toEqual([]);
  });

  it('a value removed is still reported', () => {
    expect(write({ enum: [{ w: 1, h: 2 }, 'none'] }, { enum: ['none'] })).toEqual([['breaking', '`shape` no longer accepts `{"w":1,"h":2}`: callers sending it are refused']]);
  });
});

describe('enum-changed: what readers are told', () => {
  const read = (before: JsonObject, after: JsonObject, whom: string) =>
    enumChanged.check(before, after, { direction: 'read', path: 'source', whom, docs: { before: {}, after: {} } }).map((f) => f.message);

  it('reads as a sentence whoever reads the value: code that reads the response, or webhook handlers', () => {
    expect(read({ enum: ['app'] }, { enum: ['app', 'new_source'] }, 'code that reads the response')).toEqual(['`source` can now be `"new_source"`: code that reads the response must now handle it (a switch over the known values misses it)']);
    expect(read({ enum: ['app'] }, { enum: ['app', 'a', 'b'] }, 'webhook handlers')).toEqual(['`source` can now be `"a"`, `"b"`: webhook handlers must now handle them (a switch over the known values misses them)']);
    expect(read({ enum: ['app'] }, { type: 'string' }, 'code that reads the response')).toEqual(['`source` is no longer limited to `"app"`: code that reads the response must now handle other values (a switch over those misses them)']);
  });
});

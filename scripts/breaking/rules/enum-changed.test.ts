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

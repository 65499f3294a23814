/** limit-changed's `not`, a schema-valued limit: compared as a schema, not as the text it is written in. */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../types.js';
import { limitChanged } from './limit-changed.js';

const write = (before: JsonObject, after: JsonObject) =>
  limitChanged.check(before, after, { direction: 'write', path: 'code', whom: 'callers', docs: { before: {}, after: {} } }).map((f) => [f.severity, f.message]);

describe('limit-changed: `not`', () => {
  it('the same `not` with its keys in another order is no change', () => {
    expect(write({ type: 'string', not: { enum: ['a', 'b'], type: 'string' } }, { type: 'string', not: { type: 'string', enum: ['b', 'a'] } })).toEqual([]);
  });

  it('a `not` that refuses more is still reported', () => {
    expect(write({ type: 'string', not: { enum: ['a'] } }, { type: 'string', not: { enum: ['a', 'b'] } })).toEqual([['breaking', '`code`: `not` changed: callers sending values valid before are refused']]);
  });

  it('`not: {}` and `not: true` refuse the same values (everything)', () => {
    expect(write({ type: 'string', not: {} }, { type: 'string', not: true })).toEqual([]);
  });
});

/** limit-changed's schema-valued `not` (compared as a schema, not as its text) and its `multipleOf` steps. */
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

describe('limit-changed: multipleOf', () => {
  it('a step that divides the old one loosens, in the decimals the spec writes (1 → 0.1), and one that does not tightens (REL-29)', () => {
    expect(write({ type: 'number', multipleOf: 1 }, { type: 'number', multipleOf: 0.1 }).map(([severity]) => severity)).not.toContain('breaking');
    expect(write({ type: 'number', multipleOf: 0.3 }, { type: 'number', multipleOf: 0.1 }).map(([severity]) => severity)).not.toContain('breaking');
    expect(write({ type: 'number', multipleOf: 0.1 }, { type: 'number', multipleOf: 0.25 })).toEqual([['breaking', '`code`: multiple of changed (0.1 → 0.25): callers sending values valid before are refused']]);
    // A large old step does not hide a tightening (1e10 → 3 read as dividing, REL-30).
    expect(write({ type: 'integer', multipleOf: 10000000000 }, { type: 'integer', multipleOf: 3 }).map(([severity]) => severity)).toEqual(['breaking']);
    expect(write({ type: 'integer', multipleOf: 10000000000 }, { type: 'integer', multipleOf: 5 }).map(([severity]) => severity)).not.toContain('breaking');
  });

  it('a step written with an exponent is read exactly too: 3 does not divide 1e21, 5 does, and 1e-7 divides 3e-7 (REL-31)', () => {
    expect(write({ type: 'integer', multipleOf: 1e21 }, { type: 'integer', multipleOf: 3 }).map(([severity]) => severity)).toEqual(['breaking']);
    expect(write({ type: 'integer', multipleOf: 1e21 }, { type: 'integer', multipleOf: 5 }).map(([severity]) => severity)).not.toContain('breaking');
    expect(write({ type: 'number', multipleOf: 3e-7 }, { type: 'number', multipleOf: 1e-7 }).map(([severity]) => severity)).not.toContain('breaking');
    expect(write({ type: 'number', multipleOf: 1e-7 }, { type: 'number', multipleOf: 3e-7 }).map(([severity]) => severity)).toEqual(['breaking']);
  });
});

describe('limit-changed: a range end written with either keyword (REL-31)', () => {
  it('reads maximum and exclusiveMaximum as one bound: 10 → exclusive 100 loosens, ≤ 10 → < 10 tightens', () => {
    expect(write({ type: 'number', maximum: 10 }, { type: 'number', exclusiveMaximum: 100 }).map(([severity]) => severity)).not.toContain('breaking');
    expect(write({ type: 'number', maximum: 10 }, { type: 'number', exclusiveMaximum: 10 })).toEqual([['breaking', '`code`: maximum changed (≤ 10 → < 10): callers sending values valid before are refused']]);
    expect(write({ type: 'number', exclusiveMinimum: 0 }, { type: 'number', minimum: 1 }).map(([severity]) => severity)).toEqual(['breaking']);
    expect(write({ type: 'integer', minimum: 1, exclusiveMinimum: 0 }, { type: 'integer', minimum: 1 })).toEqual([]);
  });
});

describe('limit-changed: an object closed to other properties', () => {
  it('reads unevaluatedProperties: false (2020-12) as closing it, as additionalProperties: false does', () => {
    expect(write({ type: 'object' }, { type: 'object', unevaluatedProperties: false })).toEqual([['breaking', '`code`: other properties no longer allowed (unevaluatedProperties): callers sending values valid before are refused']]);
    expect(write({ type: 'object', unevaluatedProperties: false }, { type: 'object' }).map(([severity]) => severity)).toEqual(['info']);
    // One keyword swapped for the other refuses the same keys.
    expect(write({ type: 'object', additionalProperties: false }, { type: 'object', unevaluatedProperties: false })).toEqual([]);
  });
});

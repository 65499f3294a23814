/**
 * constraint-changed on schema pairs the fixture set does not hold: keywords that constrain
 * nothing (an `if` alone, `propertyNames: true`, empty dependency maps), schemas that differ only
 * in key order, and map keys named like Object.prototype members. Inputs go through JSON.parse
 * where a key is `__proto__`, as a bundle read from disk does.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../types.js';
import { constraintChanged } from './constraint-changed.js';

const write = (before: JsonObject, after: JsonObject) =>
  constraintChanged.check(before, after, { direction: 'write', path: 'lead', whom: 'callers', docs: { before: {}, after: {} } }).map((f) => [f.severity, f.message]);
const json = (text: string) => JSON.parse(text) as JsonObject;
const object: JsonObject = { type: 'object' };

describe('constraint-changed: what constrains nothing is no change', () => {
  it('an `if` added without `then` or `else` (or with only trivial ones)', () => {
    expect(write(object, { ...object, if: { properties: { channel: { const: 'sms' } } } })).toEqual([]);
    expect(write(object, { ...object, if: { required: ['a'] }, then: true, else: {} })).toEqual([]);
  });

  it('a `then` under `if: false`, or an `else` under an `if` that admits everything, added', () => {
    expect(write(object, { ...object, if: false, then: { required: ['phone'] } })).toEqual([]);
    expect(write(object, { ...object, if: true, else: { required: ['phone'] } })).toEqual([]);
    expect(write(object, { ...object, if: false, else: { required: ['phone'] } })).not.toEqual([]);
  });

  it('a `then` or `else` added without `if`', () => {
    expect(write(object, { ...object, then: { required: ['phone'] } })).toEqual([]);
  });

  it('`propertyNames: true` or `{}` added', () => {
    expect(write(object, { ...object, propertyNames: true })).toEqual([]);
    expect(write(object, { ...object, propertyNames: {} })).toEqual([]);
  });

  it('an empty `dependentSchemas` or `dependentRequired` added, or one whose entries constrain nothing', () => {
    expect(write(object, { ...object, dependentSchemas: {} })).toEqual([]);
    expect(write(object, { ...object, dependentRequired: {} })).toEqual([]);
    expect(write(object, { ...object, dependentSchemas: { phone: true, email: {} } })).toEqual([]);
  });

  it('the same schema with its keys in another order', () => {
    const before = { ...object, propertyNames: { pattern: '^[a-z]+$', maxLength: 20 }, dependentSchemas: { phone: { required: ['channel'], properties: { channel: { type: 'string', minLength: 1 } } } } };
    const after = { ...object, dependentSchemas: { phone: { properties: { channel: { minLength: 1, type: 'string' } }, required: ['channel'] } }, propertyNames: { maxLength: 20, pattern: '^[a-z]+$' } };
    expect(write(before, after)).toEqual([]);
  });

  it('`required`, `enum` and `type` listed in another order (read as sets, as required-changed, enum-changed and type-changed read them)', () => {
    const before = { ...object, if: { properties: { kind: { enum: ['a', 'b'], type: ['string', 'null'] } } }, then: { required: ['x', 'y'] } };
    const after = { ...object, if: { properties: { kind: { enum: ['b', 'a'], type: ['null', 'string'] } } }, then: { required: ['y', 'x'] } };
    expect(write(before, after)).toEqual([]);
  });
});

describe('constraint-changed: real changes are still reported', () => {
  it('an `if` added with a `then` tightens', () => {
    expect(write(object, { ...object, if: { properties: { channel: { const: 'sms' } } }, then: { required: ['phone'] } })).toEqual([
      ['breaking', '`lead`: `if` added: callers sending values valid before are refused'],
      ['breaking', '`lead`: `then` added: callers sending values valid before are refused'],
    ]);
  });

  it('a `then` dropped leaves its `if` constraining nothing: both loosen', () => {
    const before = { ...object, if: { required: ['a'] }, then: { required: ['b'] } };
    expect(write(before, { ...object, if: { required: ['a'] } })).toEqual([
      ['info', '`lead`: `if` removed'],
      ['info', '`lead`: `then` removed'],
    ]);
  });

  // `if: true` is no absent `if`: with it the `then` always applies.
  it('an `if: true` with a `then` tightens', () => {
    expect(write(object, { ...object, if: true, then: { required: ['b'] } })).toEqual([
      ['breaking', '`lead`: `if` added: callers sending values valid before are refused'],
      ['breaking', '`lead`: `then` added: callers sending values valid before are refused'],
    ]);
  });

  it('`propertyNames` with a pattern, or changed from trivial to a pattern, tightens', () => {
    expect(write({ ...object, propertyNames: true }, { ...object, propertyNames: { pattern: '^[a-z]+$' } })).toEqual([['breaking', '`lead`: `propertyNames` added: callers sending values valid before are refused']]);
  });

  it('an array order that matters (prefixItems) is a change', () => {
    const before = { ...object, propertyNames: { prefixItems: [{ type: 'string' }, { type: 'number' }] } };
    const after = { ...object, propertyNames: { prefixItems: [{ type: 'number' }, { type: 'string' }] } };
    expect(write(before, after)).toEqual([['breaking', '`lead`: `propertyNames` changed: callers sending values valid before are refused']]);
  });

  it('a value in `const` keeps its array order', () => {
    expect(write({ ...object, then: { const: [1, 2] }, if: true }, { ...object, then: { const: [2, 1] }, if: true })).toEqual([['breaking', '`lead`: `then` changed: callers sending values valid before are refused']]);
  });
});

describe('constraint-changed: map keys named like Object.prototype members', () => {
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`dependentRequired and dependentSchemas keyed \`${key}\``, () => {
      const required = json(`{"type":"object","dependentRequired":{"${key}":["email"]}}`);
      const schemas = json(`{"type":"object","dependentSchemas":{"${key}":{"required":["email"]}}}`);
      expect(write(required, json(`{"type":"object","dependentRequired":{"${key}":["email"]}}`))).toEqual([]);
      expect(write(object, required)).toEqual([['breaking', `\`lead\`: a property now requires another when sent (dependentRequired: ${key} → email): callers sending values valid before are refused`]]);
      expect(write(schemas, json(`{"type":"object","dependentSchemas":{"${key}":{"required":["email"]}}}`))).toEqual([]);
      expect(write(object, schemas)).toEqual([['breaking', '`lead`: `dependentSchemas` added: callers sending values valid before are refused']]);
      // A key on one side only is a change, though the other side "has" it through its prototype.
      expect(write({ ...object, dependentSchemas: { other: { required: ['email'] } } }, schemas)).toEqual([['breaking', '`lead`: `dependentSchemas` changed: callers sending values valid before are refused']]);
    });
  }
});

describe('constraint-changed: what says nothing, written another way', () => {
  it('a `then` of annotations only adds no condition, and `if: {}` is `if: true`', () => {
    expect(write(object, { ...object, if: { required: ['a'] }, then: { description: 'a note', $comment: 'x' } })).toEqual([]);
    const conditional = { if: { required: ['phone'] }, then: { required: ['channel'] } };
    expect(write({ ...object, ...conditional, if: {} }, { ...object, ...conditional, if: true })).toEqual([]);
  });

  it('a real condition added is still a tightening', () => {
    expect(write(object, { ...object, if: { required: ['a'] }, then: { description: 'a note', required: ['b'] } })).not.toEqual([]);
  });
});

describe('constraint-changed: a `$ref` in a schema-valued keyword', () => {
  const withDocs = (before: JsonObject, after: JsonObject, rule: (required: string[]) => JsonObject) =>
    constraintChanged
      .check(before, after, { direction: 'write', path: 'lead', whom: 'callers', docs: { before: { components: { schemas: { Sms: rule(['phone']) } } }, after: { components: { schemas: { Sms: rule(['phone', 'carrier']) } } } } })
      .map((f) => f.severity);
  const conditional = { ...object, if: { required: ['sms'] }, then: { $ref: '#/components/schemas/Sms' } };

  it('is read as what it names: a component tightened under `then` is a tightening', () => {
    expect(withDocs(conditional, conditional, (required) => ({ type: 'object', required }))).toEqual(['breaking']);
  });

  it('ends at a component that names itself, and reads it unchanged as no change', () => {
    const recursive = () => ({ type: 'object', required: ['phone'], properties: { next: { $ref: '#/components/schemas/Sms' } } });
    expect(withDocs(conditional, conditional, recursive)).toEqual([]);
  });
});

describe('constraint-changed: `contains` is told by what its counts ask (found 2026-12-02)', () => {
  const read = (before: JsonObject, after: JsonObject) =>
    constraintChanged.check(before, after, { direction: 'read', path: 'tags', whom: 'readers', docs: { before: {}, after: {} } }).map((f) => [f.severity, f.message]);
  const array: JsonObject = { type: 'array' };
  const contains = { contains: { const: 'a' } };

  it('with `minContains: 0` no item need match: only `maxContains` restricts, a tightening for callers and listed for readers', () => {
    const capped = { ...array, ...contains, minContains: 0, maxContains: 2 };
    expect(write(array, capped)).toEqual([['breaking', '`lead`: `contains` added (at most 2 items may now match it; none need to, minContains 0): callers sending values valid before are refused']]);
    expect(read(array, capped)).toEqual([['info', '`tags`: `contains` added (at most 2 items may now match it; none need to, minContains 0)']]);
    expect(write(array, { ...capped, maxContains: 0 })[0]![1]).toContain('(no item may now match it; none need to, minContains 0)');
    expect(write(capped, array)).toEqual([['info', '`lead`: `contains` removed (any number of items may match it)']]);
  });

  it('with `minContains: 0` and no `maxContains` it asks nothing, added or removed', () => {
    expect(write(array, { ...array, ...contains, minContains: 0 })).toEqual([]);
    expect(read({ ...array, ...contains, minContains: 0 }, array)).toEqual([]);
  });

  it('with items that must match, says how many, and how many at most may', () => {
    expect(write(array, { ...array, ...contains })[0]![1]).toContain('`contains` added (an item must now match it)');
    expect(write(array, { ...array, ...contains, minContains: 2, maxContains: 3 })[0]![1]).toContain('`contains` added (at least 2 items must now match it, at most 3 items may now match it)');
    expect(write({ ...array, ...contains, maxContains: 1 }, array)).toEqual([['info', '`lead`: `contains` removed (no item need match it, and any number of items may match it)']]);
  });
});

/**
 * Fields named like Object.prototype members (`constructor`, `toString`, `__proto__`,
 * `hasOwnProperty`) are fields: removing, adding or un-requiring one is seen as for any other.
 * Inputs go through JSON.parse, as a bundle read from disk does.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject, SchemaRule } from '../types.js';
import { propertyAdded } from './property-added.js';
import { propertyRemoved } from './property-removed.js';
import { requiredChanged } from './required-changed.js';

// Object.fromEntries makes `__proto__` an own key, and JSON.parse keeps it one.
const object = (properties: string[], required: string[] = []) =>
  JSON.parse(JSON.stringify({ type: 'object', required, properties: Object.fromEntries(properties.map((name) => [name, { type: 'string' }])) })) as JsonObject;
const run = (rule: SchemaRule, before: JsonObject, after: JsonObject) =>
  rule.check(before, after, { direction: 'read', path: 'member', whom: 'code that reads the response', docs: { before: {}, after: {} } }).map((f) => [f.severity, f.message]);

describe('fields named like Object.prototype members', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`\`${name}\``, () => {
      const [without, withIt] = [object(['id']), object(['id', name])];
      expect(Object.hasOwn(withIt.properties as JsonObject, name)).toBe(true);
      expect(run(propertyRemoved, withIt, without)).toEqual([['breaking', `field \`member.${name}\` was removed: code that reads the response that use it break`]]);
      expect(run(propertyAdded, without, withIt)).toEqual([['info', `new optional field \`member.${name}\``]]);
      expect(run(requiredChanged, object(['id', name], [name]), object(['id', name]))).toEqual([['breaking', `field \`member.${name}\` is no longer always present: code that reads the response that rely on it break (its type becomes optional)`]]);
      // Removed outright: property-removed says it; required-changed must not add "now optional".
      expect(run(requiredChanged, object(['id', name], [name]), without)).toEqual([]);
    });
  }
});

describe('a field declared `false` (REL-31)', () => {
  it('is never there, so dropping its declaration breaks no reader', () => {
    const legacy = JSON.parse('{"type":"object","properties":{"id":{"type":"string"},"legacy":false}}') as JsonObject;
    expect(run(propertyRemoved, legacy, object(['id']))).toEqual([]);
    expect(run(propertyRemoved, object(['id', 'legacy']), object(['id']))).toEqual([['breaking', 'field `member.legacy` was removed: code that reads the response that use it break']]);
  });
});

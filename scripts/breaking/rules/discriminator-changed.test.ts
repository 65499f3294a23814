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
    expect(read(union({ a: '#/a' }), union({ a: '#/a', b: '#/b' }))).toEqual([['breaking', '`event`: `kind` may now be "b": code that reads the response must now handle it (a switch over the known values misses it)']]);
    expect(read(union({ a: '#/a', b: '#/b' }), union({ a: '#/a' }))).toEqual([['info', '`event`: `kind` "b" no longer names a shape']]);
  });

  it('a value mapped to another shape breaks readers too', () => {
    expect(read(union({ a: '#/a' }), union({ a: '#/b' }))).toEqual([['breaking', '`event`: `kind` "a" names #/b, no longer #/a: code that reads the response that use it break']]);
  });
});

const schemas = '#/components/schemas/';
const pets = (discriminator: JsonObject): JsonObject => ({ oneOf: [{ $ref: `${schemas}Cat` }, { $ref: `${schemas}Dog` }], discriminator: { propertyName: 'kind', ...discriminator } });
const write = (before: JsonObject, after: JsonObject) =>
  discriminatorChanged.check(before, after, { direction: 'write', path: 'pet', whom: 'callers', docs: { before: {}, after: {} } }).map((f) => [f.severity, f.message]);
const both = (before: JsonObject, after: JsonObject) => [...read(before, after), ...write(before, after)];

describe('discriminator-changed: the same values, written another way', () => {
  it('a mapping to bare schema names against one to their $refs', () => {
    const refs = pets({ mapping: { cat: `${schemas}Cat`, dog: `${schemas}Dog` } });
    const names = pets({ mapping: { cat: 'Cat', dog: 'Dog' } });
    expect(both(refs, names)).toEqual([]);
    expect(both(names, refs)).toEqual([]);
  });

  it('an implicit mapping (the alternatives\' schema names) made explicit, or the other way', () => {
    const implicit = pets({});
    const explicit = pets({ mapping: { Cat: `${schemas}Cat`, Dog: 'Dog' } });
    expect(both(implicit, explicit)).toEqual([]);
    expect(both(explicit, implicit)).toEqual([]);
  });

  it('a value mapped to a schema beside the implicit values of the others', () => {
    expect(both(pets({}), pets({ mapping: { Cat: 'Cat' } }))).toEqual([]);
  });
});

describe('discriminator-changed: real moves are still reported', () => {
  it('a value mapped to another schema, whichever way each side writes it', () => {
    expect(write(pets({ mapping: { cat: 'Cat', dog: 'Dog' } }), pets({ mapping: { cat: `${schemas}Dog`, dog: `${schemas}Cat` } }))).toEqual([
      ['breaking', `\`pet\`: \`kind\` "cat" names ${schemas}Dog, no longer ${schemas}Cat: callers that use it break`],
      ['breaking', `\`pet\`: \`kind\` "dog" names ${schemas}Cat, no longer ${schemas}Dog: callers that use it break`],
    ]);
  });

  it('an implicit value taken by a mapping to another schema', () => {
    expect(write(pets({}), pets({ mapping: { Cat: 'Dog', Dog: 'Dog' } }))).toEqual([['breaking', `\`pet\`: \`kind\` "Cat" names ${schemas}Dog, no longer ${schemas}Cat: callers that use it break`]]);
  });

  // OpenAPI 3.1: with `dog` mapped to Dog, "the discriminator value of dog will map to the schema
  // Dog, rather than the default (implicit) value of Dog".
  it('a schema given a mapped value no longer answers to its name', () => {
    expect(both(pets({}), pets({ mapping: { kitty: 'Cat' } }))).toEqual([
      ['info', '`event`: `kind` "Cat" no longer names a shape'],
      ['breaking', '`event`: `kind` may now be "kitty": code that reads the response must now handle it (a switch over the known values misses it)'],
      ['breaking', '`pet`: `kind` "Cat" no longer names a shape: callers sending it are refused'],
      ['info', '`pet`: `kind` may now be "kitty"'],
    ]);
  });

  it('an implicit value gone with its alternative', () => {
    expect(write(pets({}), { ...pets({}), oneOf: [{ $ref: `${schemas}Cat` }] })).toEqual([['breaking', '`pet`: `kind` "Dog" no longer names a shape: callers sending it are refused']]);
  });
});

describe('discriminator-changed: mapping keys named like Object.prototype members', () => {
  const known = pets({ mapping: { cat: 'Cat', dog: 'Dog' } });
  // Through JSON.parse, as a bundle read from disk: a literal `__proto__` key would set the prototype.
  const withKey = (key: string, target: string) => pets({ mapping: JSON.parse(`{"cat":"Cat","dog":"Dog","${key}":"${target}"}`) as JsonObject });
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`\`${key}\``, () => {
      expect(both(withKey(key, 'Cat'), withKey(key, 'Cat'))).toEqual([]);
      expect(write(withKey(key, 'Cat'), known)).toEqual([['breaking', `\`pet\`: \`kind\` "${key}" no longer names a shape: callers sending it are refused`]]);
      expect(read(known, withKey(key, 'Cat'))).toEqual([['breaking', `\`event\`: \`kind\` may now be "${key}": code that reads the response must now handle it (a switch over the known values misses it)`]]);
      expect(write(withKey(key, 'Cat'), withKey(key, 'Dog'))).toEqual([['breaking', `\`pet\`: \`kind\` "${key}" names ${schemas}Dog, no longer ${schemas}Cat: callers that use it break`]]);
    });
  }
});

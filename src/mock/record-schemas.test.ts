import { describe, expect, it } from 'vitest';
import { schemaValidators } from './contract.js';
import type { Operation } from './prism.js';
import { createRecordCheck, recordSchemasFrom } from './record-schemas.js';
import type { MockBehaviour } from './state/behaviour.js';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const document = {
  openapi: '3.1.0',
  components: {
    schemas: {
      Card: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, at: { type: ['string', 'null'], format: 'date-time' } }, additionalProperties: false },
      Detail: { allOf: [{ $ref: '#/components/schemas/Card' }, { type: 'object', properties: { note: { type: 'string', maxLength: 3 } } }] },
    },
    responses: { Cards: { description: 'cards', ...json({ type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Card' } } } }) } },
  },
  paths: {
    '/cards': { get: { responses: { '200': { $ref: '#/components/responses/Cards' } } } },
    '/cards/{id}': { get: { responses: { '404': { description: 'none' }, '200': { description: 'one', ...json({ type: 'object', properties: { card: { $ref: '#/components/schemas/Detail' } } }) } } } },
    '/shapeless': { get: { responses: { '200': { description: 'any', ...json({ oneOf: [{ type: 'array' }, { type: 'object' }] }) } } } },
    '/boxes/{id}': { get: { responses: { '200': { description: 'a box and its cards', ...json({ type: 'object', properties: { box: { type: 'object', properties: { cards: { type: 'array', items: { $ref: '#/components/schemas/Detail' } } } } } }) } } } },
  },
};
const behaviours: Record<string, MockBehaviour> = {
  '/cards': { resource: 'cards', action: 'list', at: '/data' },
  '/cards/{id}': { resource: 'cards', action: 'read', at: '/card', id: 'id' },
  '/shapeless': { resource: 'cards', action: 'list', at: '/items' },
  '/boxes/{id}': { resource: 'boxes', action: 'read', at: '/box', id: 'id', embed: { resource: 'boxCards', at: '/box/cards' } },
};
const operations = Object.keys(behaviours).map((path) => ({ path, method: 'get' }) as Operation);
const schemas = recordSchemasFrom(document, operations, (operation) => behaviours[operation.path]);

describe('recordSchemasFrom', () => {
  it("follows each list and read operation's `at` into its answer's schema, through $refs and allOf", () => {
    expect(schemas.get('cards')).toEqual({
      whole: ['/components/responses/Cards/content/application~1json/schema/properties/data/items'],
      fields: ['/paths/~1cards~1{id}/get/responses/200/content/application~1json/schema/properties/card'],
    });
  });

  it("follows a read's embed into the items of the array it shows, checked field by field as the embed shows them", () => {
    expect(schemas.get('boxCards')).toEqual({ whole: [], fields: ['/paths/~1boxes~1{id}/get/responses/200/content/application~1json/schema/properties/box/properties/cards/items'] });
  });
});

describe('createRecordCheck', () => {
  const fits = createRecordCheck(document, schemas, schemaValidators(document, 'fixture'));

  it('passes a record every answer can show', () => {
    expect(fits('cards', { id: 1, at: null })).toBeUndefined();
    expect(fits('unknown', { anything: 'goes' })).toBeUndefined();
  });

  it.each([
    ['a field of the wrong type', { id: 1, at: 5 }, 'at'],
    ['a field in the wrong format', { id: 1, at: '2025-01-01' }, 'at'],
    ['a missing required field', { at: null }, 'id'],
    ['a field the list item does not allow', { id: 1, extra: true }, 'extra'],
  ])('names %s', (_, record, field) => {
    expect(fits('cards', record)).toBe(field);
  });

  it("checks each field the read answer declares against that field's schema (found in an allOf part)", () => {
    const readOnly = new Map([['cards', { whole: [], fields: schemas.get('cards')!.fields }]]);
    const check = createRecordCheck(document, readOnly, schemaValidators(document, 'fixture'));
    expect(check('cards', { id: 1, note: 'long' })).toBe('note');
    expect(check('cards', { id: 1, note: 'ok', undeclared: 1 })).toBeUndefined();
  });

  it('looks up a field\'s schema in the spec once, not again for every record it checks (a bulk add of 10,000 records)', () => {
    // Every read of the spec the check makes is counted: the validators compile from the plain one.
    let reads = 0;
    const counted = (value: unknown): unknown =>
      value !== null && typeof value === 'object' ? new Proxy(value, { get: (target, key) => (reads++, counted(Reflect.get(target, key))) }) : value;
    const readOnly = new Map([['cards', { whole: [], fields: schemas.get('cards')!.fields }]]);
    const check = createRecordCheck(counted(document) as object, readOnly, schemaValidators(document, 'fixture'));
    expect(check('cards', { id: 1, note: 'ok', undeclared: 1 })).toBeUndefined();
    expect(reads).toBeGreaterThan(0);
    const first = reads;
    for (let id = 2; id <= 100; id++) expect(check('cards', { id, note: 'ok', undeclared: id })).toBeUndefined();
    expect(check('cards', { id: 101, note: 'long' })).toBe('note');
    expect(reads).toBe(first);
  });
});

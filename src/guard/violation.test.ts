/**
 * The one judgement of "a response breaks its contract" that the clients' guard, the contract
 * suite and the traffic checker share: each finding named by rule and pointer.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createValidator } from '../../contract-tests/lib/validator.js';
import { isJson, mediaMatches, mediaTypeOf, statusKeys } from './documented.js';
import { schemaProblem, type SchemaError, type SchemaProblem } from './schema-problem.js';
import { judgeHeaders, judgeResponse, type DocumentedContent } from './violation.js';

describe('schemaProblem', () => {
  it('points a missing required property at the property itself', () => {
    expect(schemaProblem({ keyword: 'required', instancePath: '/data/0', params: { missingProperty: 'id' }, message: "must have required property 'id'" })).toEqual({
      path: '/data/0/id',
      rule: 'required',
      message: '/data/0/id is required but missing',
    });
  });

  it('points an undocumented property at the property itself', () => {
    expect(schemaProblem({ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'extra' }, message: 'must NOT have additional properties' })).toEqual({
      path: '/extra',
      rule: 'additionalProperties',
      message: '/extra is not a documented field, and this object takes no others',
    });
  });

  it('points other rules at the instance, calling the root (body)', () => {
    expect(schemaProblem({ keyword: 'type', instancePath: '/leadCount', params: { type: 'integer' }, message: 'must be integer' })).toEqual({
      path: '/leadCount',
      rule: 'type',
      message: '/leadCount must be integer',
    });
    expect(schemaProblem({ keyword: 'type', instancePath: '', params: {}, message: 'must be object' }).message).toBe('(body) must be object');
  });

  it('marks as an echo an anyOf, and a oneOf none of whose branches passed, but not a oneOf more than one branch of which passed', () => {
    const marked = (keyword: string, params: Record<string, unknown>) => schemaProblem({ keyword, instancePath: '/x', params, message: 'must match' }).echo;
    expect(marked('anyOf', {})).toBe(true);
    expect(marked('oneOf', { passingSchemas: null })).toBe(true);
    expect(marked('oneOf', { passingSchemas: [0, 1] })).toBeUndefined();
    expect(marked('type', { type: 'null' })).toBeUndefined();
  });

  it('falls back to the keyword when the error has no message', () => {
    expect(schemaProblem({ keyword: 'enum', instancePath: '/state', params: {} }).message).toBe('/state enum');
  });
});

describe('statusKeys', () => {
  it('looks a status up exactly, then by its class, then as default', () => {
    expect(statusKeys(404)).toEqual(['404', '4XX', 'default']);
    expect(statusKeys(201)).toEqual(['201', '2XX', 'default']);
  });
});

describe('media types', () => {
  it('isJson: application/json and any +json type', () => {
    expect(isJson('application/json')).toBe(true);
    expect(isJson('application/problem+json')).toBe(true);
    expect(isJson('text/plain')).toBe(false);
    expect(isJson('application/jsonp')).toBe(false);
  });

  it('mediaMatches: exact, */* and type/* ranges', () => {
    expect(mediaMatches('application/json', 'application/json')).toBe(true);
    expect(mediaMatches('*/*', 'image/png')).toBe(true);
    expect(mediaMatches('image/*', 'image/png')).toBe(true);
    expect(mediaMatches('image/*', 'text/png')).toBe(false);
    expect(mediaMatches('image/*', 'imagex/png')).toBe(false);
    expect(mediaMatches('application/json', 'text/json')).toBe(false);
    // A range is only a range when it ends in /*: a type ending in * is compared as is.
    expect(mediaMatches('image/png*', 'image/png')).toBe(false);
  });

  it('mediaTypeOf: drops parameters, trims and lower-cases; nothing for no header', () => {
    expect(mediaTypeOf('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf(' text/html ')).toBe('text/html');
    expect(mediaTypeOf(null)).toBe('');
  });
});

describe('judgeResponse', () => {
  /** A schema here is a required top-level property name; the "validator" reports it missing. */
  type Schema = { requires: string };
  const validate = (schema: Schema, value: unknown): SchemaProblem[] =>
    typeof value === 'object' && value !== null && schema.requires in value ? [] : [{ path: `/${schema.requires}`, rule: 'required', message: `/${schema.requires} is missing` }];
  const responses: Record<number, DocumentedContent<Schema>> = {
    200: { 'application/json': { requires: 'data' } },
    204: {},
    206: { 'application/json': null },
    302: { 'text/html': null },
    404: { 'application/problem+json': { requires: 'title' }, 'text/*': null },
  };
  const documented = (status: number) => responses[status];
  const judge = (status: number, contentType: string, text: string) => judgeResponse(documented, { status, contentType, text }, validate);

  it('passes a documented answer and hands back its parsed body', () => {
    expect(judge(200, 'application/json', '{"data":[1]}')).toEqual({ findings: [], body: { data: [1] } });
  });

  it('names an undocumented status, with the body as read: parsed when it is JSON, else its text', () => {
    expect(judge(500, 'application/json', '{"error":"boom"}')).toEqual({
      findings: [{ pointer: null, rule: 'status', message: 'status 500 is not documented' }],
      body: { error: 'boom' },
    });
    expect(judge(500, 'text/html', '<h1>boom</h1>').body).toBe('<h1>boom</h1>');
  });

  it('accepts no body where none is documented (whitespace is no body) and names one that was sent', () => {
    expect(judge(204, '', '')).toEqual({ findings: [], body: undefined });
    expect(judge(204, '', ' \n')).toEqual({ findings: [], body: undefined });
    expect(judge(204, 'text/plain', 'ok')).toEqual({ findings: [{ pointer: null, rule: 'no-body', message: 'status 204 documents no body, but one was sent' }], body: 'ok' });
  });

  it('names an undocumented content type, listing the documented ones', () => {
    expect(judge(200, 'text/html', '<html>').findings).toEqual([
      { pointer: null, rule: 'content-type', message: 'content type "text/html" is not documented for 200 (application/json)' },
    ]);
    expect(judge(404, '', 'x').findings[0]!.message).toBe('content type "(none)" is not documented for 404 (application/problem+json, text/*)');
  });

  it('takes a documented non-JSON answer as text without parsing it', () => {
    expect(judge(302, 'text/html', '<a href="/">moved</a>')).toEqual({ findings: [], body: '<a href="/">moved</a>' });
    expect(judge(404, 'text/plain', 'not found')).toEqual({ findings: [], body: 'not found' });
  });

  it('names a JSON answer that does not parse, quoting at most 80 characters of it', () => {
    const html = `<!doctype html>${'x'.repeat(100)}`;
    expect(judge(200, 'application/json', html)).toEqual({
      findings: [{ pointer: null, rule: 'json', message: `body is not JSON: ${html.slice(0, 80)}` }],
      body: html,
    });
  });

  it('parses a JSON answer documented without a schema and checks nothing more', () => {
    expect(judge(206, 'application/json', '{"anything":true}')).toEqual({ findings: [], body: { anything: true } });
  });

  it('validates a JSON body against the schema of its media type, each finding with its pointer', () => {
    expect(judge(404, 'application/problem+json', '{"detail":"gone"}')).toEqual({
      findings: [{ pointer: '/title', rule: 'required', message: 'body /title is missing' }],
      body: { detail: 'gone' },
    });
    expect(judge(200, 'application/json', '{"items":[]}').findings).toEqual([{ pointer: '/data', rule: 'required', message: 'body /data is missing' }]);
  });

  /** What the judgement finds when the validator reports these problems. */
  const findingsFor = (problems: SchemaProblem[]) => judgeResponse(documented, { status: 200, contentType: 'application/json', text: '{}' }, () => problems).findings;

  it('names one break repeated across the items of a list once, with the count of the others', () => {
    // A vendor that changes a field's type breaks it in every item: a 1,000-item page would be
    // 1,000 violations, and 1,000 calls of onViolation, for one change.
    const everyItem: SchemaProblem[] = [
      ...[0, 1, 2].map((i) => ({ path: `/data/${i}/points`, rule: 'type', message: `/data/${i}/points must be number` })),
      { path: '/data/1/name', rule: 'required', message: '/data/1/name is missing' },
      { path: '/data/3/points', rule: 'minimum', message: '/data/3/points must be >= 0' },
    ];
    expect(findingsFor(everyItem)).toEqual([
      { pointer: '/data/0/points', rule: 'type', message: 'body /data/0/points must be number (and 2 more like it at other indices)' },
      { pointer: '/data/1/name', rule: 'required', message: 'body /data/1/name is missing' },
      { pointer: '/data/3/points', rule: 'minimum', message: 'body /data/3/points must be >= 0' },
    ]);
  });

  // Found 2026-12-01: a Perx 404 whose body is the JSON string "not found", against an anyOf of two object schemas.
  it('names the same problem at the same place once, with no repeats "at other indices"', () => {
    const twoBranches: SchemaProblem[] = [0, 1].map(() => ({ path: '', rule: 'type', message: '(body) must be object' }));
    expect(findingsFor(twoBranches)).toEqual([{ pointer: '', rule: 'type', message: 'body must be object' }]);
  });

  // The problems below are what schemaProblem makes of the errors Ajv (allErrors) reports: its
  // own marking of echoes (a oneOf none of whose branches passed, an anyOf) is part of the case.
  const fromAjv = (errors: SchemaError[]) => errors.map(schemaProblem);

  it('names the cause of a break once: not the oneOf or anyOf that echoes it, nor a nullable branch, nor the enum a wrong type also misses', () => {
    // `inventory: oneOf [Inventory, {type: null}]` with one field of Inventory broken;
    // `price: anyOf [number, {type: null}]` sent as a string; `state` (an enum) sent as a number.
    const nullable = fromAjv([
      { keyword: 'type', instancePath: '/data/inventory/limit', params: { type: 'integer' }, message: 'must be integer' },
      { keyword: 'type', instancePath: '/data/inventory', params: { type: 'null' }, message: 'must be null' },
      { keyword: 'oneOf', instancePath: '/data/inventory', params: { passingSchemas: null }, message: 'must match exactly one schema in oneOf' },
      { keyword: 'type', instancePath: '/data/price', params: { type: 'number' }, message: 'must be number' },
      { keyword: 'type', instancePath: '/data/price', params: { type: 'null' }, message: 'must be null' },
      { keyword: 'anyOf', instancePath: '/data/price', params: {}, message: 'must match a schema in anyOf' },
      { keyword: 'type', instancePath: '/data/state', params: { type: 'string' }, message: 'must be string' },
      { keyword: 'enum', instancePath: '/data/state', params: { allowedValues: ['issued', 'redeemed'] }, message: 'must be equal to one of the allowed values' },
    ]);
    expect(findingsFor(nullable)).toEqual([
      { pointer: '/data/inventory/limit', rule: 'type', message: 'body /data/inventory/limit must be integer' },
      { pointer: '/data/price', rule: 'type', message: 'body /data/price must be number' },
      { pointer: '/data/state', rule: 'type', message: 'body /data/state must be string' },
    ]);
  });

  it('keeps separate breaks: two at one field, a oneOf more than one branch of which passed, a null-first nullable', () => {
    const separate = fromAjv([
      { keyword: 'maxLength', instancePath: '/name', params: { limit: 8 }, message: 'must NOT have more than 8 characters' },
      { keyword: 'pattern', instancePath: '/name', params: { pattern: '^[a-z]+$' }, message: 'must match pattern "^[a-z]+$"' },
      { keyword: 'oneOf', instancePath: '/data', params: { passingSchemas: [0, 1] }, message: 'must match exactly one schema in oneOf' },
      { keyword: 'type', instancePath: '/data/name', params: { type: 'string' }, message: 'must be string' },
      { keyword: 'type', instancePath: '/state', params: { type: 'null' }, message: 'must be null' },
      { keyword: 'enum', instancePath: '/state', params: { allowedValues: ['a'] }, message: 'must be equal to one of the allowed values' },
    ]);
    expect(findingsFor(separate).map((f) => f.rule)).toEqual(['maxLength', 'pattern', 'oneOf', 'type', 'enum']);
  });

  it('folds only what says the same thing at other indices, and names a break of the whole body plainly', () => {
    const siblings: SchemaProblem[] = [
      { path: '/data/0', rule: 'type', message: '/data/0 must be object' },
      { path: '/data/1', rule: 'type', message: '/data/1 must be null' },
      { path: '', rule: 'required', message: '(body) must have required property data' },
    ];
    expect(findingsFor(siblings).map((f) => f.message)).toEqual([
      'body /data/0 must be object',
      'body /data/1 must be null',
      'body must have required property data',
    ]);
  });
});

// Found 2026-12-01: a documented header of the wrong type (ratelimit-remaining: "lots") passed every check.
describe('judgeHeaders', () => {
  type Schema = { type: string };
  // A schema here is a JSON type; the "validator" checks only that.
  const validate = (schema: Schema, value: unknown): SchemaProblem[] =>
    (schema.type === 'integer' ? Number.isInteger(value) : typeof value === schema.type) ? [] : [{ path: '', rule: 'type', message: `(body) must be ${schema.type}` }];
  const header = (type: string, required = false) => ({ schema: { type }, types: [type], required });
  const documented = { 'X-Records': header('integer'), 'WWW-Authenticate': header('string', true), 'X-Flag': header('boolean'), 'Content-Type': header('integer', true) };
  const judge = (sent: Record<string, string>) => judgeHeaders(documented, (name) => sent[name.toLowerCase()] ?? null, validate);

  it('reads each value as its schema types it on the wire, and passes what validates', () => {
    expect(judge({ 'x-records': ' 12 ', 'www-authenticate': 'Basic', 'x-flag': 'false' })).toEqual([]);
  });

  it('names a header whose value breaks its schema, with the rule and the text sent', () => {
    expect(judge({ 'x-records': 'lots', 'www-authenticate': 'Basic', 'x-flag': 'yes' })).toEqual([
      { pointer: null, rule: 'type', message: 'header X-Records must be integer (got "lots")' },
      { pointer: null, rule: 'type', message: 'header X-Flag must be boolean (got "yes")' },
    ]);
  });

  it('names a required header that was not sent; an optional one may be left out; Content-Type is the body check\'s', () => {
    expect(judge({})).toEqual([{ pointer: null, rule: 'required', message: 'header WWW-Authenticate is required but was not sent' }]);
  });
});

// Found 2026-12-01 (a second round): readings by the top-level type alone refused an enum of numbers and split no list; `0x10` passed as 16.
describe('judgeHeaders with real schemas', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = (schema: object, value: unknown) => {
    const check = ajv.compile(schema);
    return check(value) ? [] : (check.errors ?? []).map(schemaProblem);
  };
  const judge = (schema: { type?: string; [keyword: string]: unknown }, text: string) => judgeHeaders({ 'X-H': { schema, types: schema.type ? [schema.type] : [], required: false } }, () => text, validate);

  it.each([
    ['an enum of numbers, with no type of its own', { enum: [1, 2] }, '2'],
    ['a oneOf of integer and null', { oneOf: [{ type: 'integer' }, { type: 'null' }] }, '5'],
    ['a list, comma-separated', { type: 'array', items: { type: 'integer' } }, '1, 2,3'],
    ['a boolean', { type: 'boolean' }, 'true'],
    ['text that looks like a number', { type: 'string' }, '007'],
  ])('takes %s', (_, schema, text) => {
    expect(judge(schema, text)).toEqual([]);
  });

  it.each([['0x10'], ['1e3'], ['12abc'], ['']])('refuses %j for an integer: only a decimal is one', (text) => {
    expect(judge({ type: 'integer' }, text)).toMatchObject([{ rule: 'type', message: `header X-H must be integer (got ${JSON.stringify(text)})` }]);
  });
});

// Found 2026-12-03 (TEST-92, "Left"): Perx's ErrorBody (anyOf {code, message} | {error}) answered as
// `{"errors":[…]}` was three violations, one per missing field of both shapes, as if all were required.
describe('judgeResponse on a body of several documented shapes', () => {
  const business = { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' } } };
  const oauth = { type: 'object', required: ['error'], properties: { error: { type: 'string' } } };
  const doc = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: {
      schemas: {
        Business: business,
        OAuth: oauth,
        ErrorBody: { anyOf: [{ $ref: '#/components/schemas/Business' }, { $ref: '#/components/schemas/OAuth' }] },
        Outcome: {
          oneOf: [
            { type: 'object', required: ['kind', 'points'], properties: { kind: { const: 'points' }, points: { type: 'integer' } } },
            { type: 'object', required: ['kind', 'badge'], properties: { kind: { const: 'badge' }, badge: { type: 'string' } } },
            { type: 'object', required: ['kind'], properties: { kind: { enum: ['stamp', 'quest'] }, count: { type: 'integer' } } },
          ],
        },
        Page: { type: 'object', properties: { error: { $ref: '#/components/schemas/ErrorBody' }, price: { oneOf: [{ type: 'number' }, { type: 'null' }] } } },
      },
    },
  };
  const validator = createValidator(doc as never, 'shapes');
  const judge = (schema: string, body: unknown) =>
    judgeResponse(() => ({ 'application/json': `#/components/schemas/${schema}` }), { status: 400, contentType: 'application/json', text: JSON.stringify(body) }, validator).findings;

  it('names a body that is none of the shapes once, at the composition, with what each shape needs', () => {
    expect(judge('ErrorBody', { errors: [{ code: 1, message: 'x' }] })).toEqual([
      { pointer: '', rule: 'anyOf', message: 'body matches none of the 2 documented shapes (anyOf): shape 1 needs /code, needs /message; shape 2 (closest) needs /error' },
    ]);
    expect(judge('Page', { error: 'boom' })).toEqual([
      { pointer: '/error', rule: 'anyOf', message: 'body /error matches none of the 2 documented shapes (anyOf): shape 1 must be object; shape 2 must be object' },
    ]);
    expect(judge('Outcome', { kind: 'prize' })).toEqual([
      {
        pointer: '',
        rule: 'oneOf',
        message:
          'body matches none of the 3 documented shapes (oneOf): shape 1 needs /points, /kind must be "points"; shape 2 needs /badge, /kind must be "badge"; shape 3 (closest) /kind must be one of "stamp", "quest"',
      },
    ]);
  });

  it('names the precise field of a body that belongs to one shape: its discriminating const matched, or every other shape is of another type', () => {
    expect(judge('Outcome', { kind: 'badge', badge: 5 })).toEqual([{ pointer: '/badge', rule: 'type', message: 'body /badge must be string' }]);
    expect(judge('Outcome', { kind: 'quest', count: 'two' })).toEqual([{ pointer: '/count', rule: 'type', message: 'body /count must be integer' }]);
    expect(judge('Page', { price: '12' })).toEqual([{ pointer: '/price', rule: 'type', message: 'body /price must be number' }]);
  });

  it('passes a body of any one shape', () => {
    expect(judge('ErrorBody', { error: 'invalid-token' })).toEqual([]);
    expect(judge('ErrorBody', { code: 40, message: 'not enough points' })).toEqual([]);
  });
});

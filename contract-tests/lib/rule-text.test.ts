import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operations as perxResponses } from '../../generated/perx/validators.js';
import { validators as placewiseWebhooks } from '../../generated/placewise/webhooks.validate.js';
import { schemaProblem } from '../../src/guard/schema-problem.js';
import { bodyFindings } from '../../src/guard/violation.js';
import type { OpenApiDocument } from '../../scripts/lib/openapi.js';
import { createValidator } from './validator.js';

/**
 * Every JSON Schema keyword a bundled spec can fail on, said as its rule in the project's words
 * (CLIENT-228): the limit, the allowed values, the format, the field not allowed, what a `not`
 * forbids and why an `if` applied, from the spec's own schemas through the validator the suite
 * and `npm run traffic` use. Keywords no spec uses get a small schema of their own.
 */
const bundle = (vendor: string) => JSON.parse(readFileSync(new URL(`../../generated/${vendor}/openapi.json`, import.meta.url), 'utf8')) as OpenApiDocument;
const specs = new Map<string, ReturnType<typeof createValidator>>();
const spec = (vendor: string) => specs.get(vendor) ?? specs.set(vendor, createValidator(bundle(vendor), `rule-text:${vendor}`)).get(vendor)!;
let inlined = 0;
const inline = (schema: object) => createValidator({ openapi: '3.1.0', info: { title: 'inline', version: '1' }, components: { schemas: { X: schema } } } as unknown as OpenApiDocument, `rule-text:inline${inlined++}`);

/** [keyword, vendor (or an inline schema), schema pointer, value, the finding of that keyword: pointer and message]. */
const rows: [string, string | object, string, unknown, string, string][] = [
  ['type', 'perx', '#/components/schemas/OperatingHour', { days: ['x'] }, '/days/0', 'body /days/0 must be integer'],
  ['type (two)', 'perx', '#/components/schemas/IdentifierTokenRequest', { mech_id: true }, '/mech_id', 'body /mech_id must be string or integer'],
  ['required', 'xonvo', '#/components/schemas/BulkLeadsRequest', {}, '/leadsByAccountId', 'body /leadsByAccountId is required but missing'],
  ['enum', 'placewise', '#/components/schemas/MembersGroupsBulkMembersPayload', { identifier_type: 'phone', identifiers: [] }, '/identifier_type', 'body /identifier_type must be one of "email", "msisdn", "id"'],
  ['const', 'footprints', '#/components/schemas/TokenRequestClientCredentials/properties/grant_type', 'password', '', 'body must be "client_credentials"'],
  ['format', 'footprints', '#/components/schemas/DateYmd', '2026-13-45', '', 'body must be a date as YYYY-MM-DD (format "date")'],
  ['format', 'footprints', '#/components/schemas/IsoDateTime', 'yesterday', '', 'body must be a date and time as RFC 3339 writes it, e.g. 2026-12-01T10:00:00Z (format "date-time")'],
  ['format', 'perx', '#/components/schemas/MerchantUserAccountRequest/properties/email', 'nobody', '', 'body must be an e-mail address (format "email")'],
  ['format', 'placewise', '#/components/schemas/MembersChangesSubscriptionPayload/properties/url', 'https//x', '', 'body must be an absolute URI, with its scheme (format "uri")'],
  ['pattern', 'xonvo', '#/components/schemas/BulkLeadsRequest', { leadsByAccountId: { abc: [] } }, '/leadsByAccountId/abc', 'body /leadsByAccountId/abc (the key) must match the pattern "^[0-9]+$"'],
  ['propertyNames', 'xonvo', '#/components/schemas/BulkLeadsRequest', { leadsByAccountId: { abc: [] } }, '/leadsByAccountId', 'body /leadsByAccountId has a key that is not allowed: "abc"'],
  ['minLength', 'perx', '#/components/schemas/ClientCredentialsTokenRequest/properties/client_id', '', '', 'body must not be empty'],
  ['maxLength', 'xonvo', '#/components/schemas/LeadFields', { firstName: 'x'.repeat(251) }, '/firstName', 'body /firstName must be at most 250 characters long'],
  ['minItems', 'perx', '#/components/schemas/PosInvoiceRequest/properties/transaction_data', [], '', 'body must hold at least 1 item'],
  ['maxItems', 'footprints', '#/components/schemas/LeadDocumentsUpload/properties/documents/oneOf/0', ['a', 'b', 'c', 'd', 'e', 'f'], '', 'body must hold at most 5 items'],
  ['minimum', 'perx', '#/components/schemas/OperatingHour', { days: [-1] }, '/days/0', 'body /days/0 must be at least 0'],
  ['maximum', 'perx', '#/components/schemas/OperatingHour', { days: [7] }, '/days/0', 'body /days/0 must be at most 6'],
  ['exclusiveMinimum', 'perx', '#/components/schemas/PosPointsReserveRequest/properties/amount_to_deduct', 0, '', 'body must be more than 0'],
  ['not', 'perx', '#/components/schemas/IdentifierTokenRequest', { grant_type: 'password' }, '', 'body must not be what its schema forbids (not): has `grant_type` or has `client_secret`'],
  ['if', 'footprints', '#/components/schemas/LeadUpdate', { contractNumber: 'C-1', status: 'lead' }, '', 'body breaks a conditional rule: when any contract field is present, then the lead must be set to customer in the same call'],
  ['anyOf', 'xonvo', '#/components/schemas/Lead/allOf/1', {}, '', 'body matches none of the 2 documented shapes (anyOf): shape 1 (closest) needs /zip; shape 2 needs /state, needs /city'],
  ['oneOf', 'perx', '#/components/schemas/TokenRequest', { grant_type: 'client_credentials' }, '', 'body matches none of the 2 documented shapes (oneOf): shape 1 needs /client_id, needs /client_secret; shape 2 (closest) must not be what its schema forbids (not): has `grant_type` or has `client_secret`'],
  // No spec uses these: each gets the smallest schema that fails it.
  ['additionalProperties', { properties: { a: {} }, additionalProperties: false }, '', { b: 1 }, '/b', 'body /b is not a documented field, and this object takes no others'],
  ['unevaluatedProperties', { properties: { a: {} }, unevaluatedProperties: false }, '', { z: 1 }, '/z', 'body /z is not a documented field, and this object takes no others'],
  ['oneOf (two pass)', { oneOf: [{ type: 'integer' }, { minimum: 0 }] }, '', 3, '', 'body matches 2 of the documented shapes (1 and 2), where exactly one is allowed (oneOf)'],
  ['if (else)', { if: { required: ['a'] }, then: {}, else: { required: ['c'] } }, '', {}, '', 'body fails the "if" of a conditional rule, so must match its "else", and does not'],
  ['if (then, undescribed)', { if: { required: ['a'] }, then: { required: ['c'] } }, '', { a: 1 }, '', 'body matches the "if" of a conditional rule, so must match its "then", and does not'],
  ['not (unsaid)', { not: { type: 'number' } }, '', 3, '', 'body matches what its schema forbids (not)'],
  ['not (described)', { not: { description: 'A number.', type: 'number' } }, '', 3, '', 'body must not be what its schema forbids (not): a number'],
  // What a `not` forbids, said from the shapes summary() knows (CLIENT-229), and not where a part of it is not said.
  ['not (enum)', { not: { enum: ['a', 'b'] } }, '', 'a', '', 'body must not be what its schema forbids (not): is one of "a", "b"'],
  ['not (const)', { not: { const: 'x' } }, '', 'x', '', 'body must not be what its schema forbids (not): is "x"'],
  ['not (allOf)', { not: { allOf: [{ required: ['a'] }, { required: ['b'] }] } }, '', { a: 1, b: 1 }, '', 'body must not be what its schema forbids (not): has `a` and has `b`'],
  ['not (oneOf)', { not: { oneOf: [{ required: ['a'] }, { required: ['b'] }] } }, '', { a: 1 }, '', 'body must not be what its schema forbids (not): has `a` or has `b`'],
  ['not (empty required)', { not: { required: [], const: {} } }, '', {}, '', 'body must not be what its schema forbids (not): is {}'],
  ['not (annotations)', { not: { required: ['a'], properties: { a: {} }, title: 'T', $comment: 'c', 'x-note': 1 } }, '', { a: 1 }, '', 'body must not be what its schema forbids (not): has `a`'],
  ['not (a branch unsaid)', { not: { anyOf: [{ required: ['a'] }, { minProperties: 1 }] } }, '', { a: 1 }, '', 'body matches what its schema forbids (not)'],
  ['not (a keyword not said)', { not: { required: ['a'], minProperties: 2 } }, '', { a: 1, b: 2 }, '', 'body matches what its schema forbids (not)'],
  ['not (a property that asks)', { not: { required: ['a'], properties: { a: { type: 'integer' } } } }, '', { a: 1 }, '', 'body matches what its schema forbids (not)'],
  ['not (two required)', { not: { required: ['a', 'b'] } }, '', { a: 1, b: 1 }, '', 'body must not be what its schema forbids (not): has `a` and `b`'],
  ['not (two parts)', { not: { required: ['a'], enum: [{ a: 1 }] } }, '', { a: 1 }, '', 'body must not be what its schema forbids (not): has `a` and is one of {"a":1}'],
  ['not (a described branch)', { not: { anyOf: [{ description: 'Has a.', required: ['a'] }, { required: ['b'] }] } }, '', { a: 1 }, '', 'body must not be what its schema forbids (not): has `a` or has `b`'],
  ['not (a boolean branch)', { not: { anyOf: [{ required: ['a'] }, false] } }, '', { a: 1 }, '', 'body matches what its schema forbids (not)'],
  ['not (a property forbidden)', { not: { required: ['b'], properties: { a: false } } }, '', { b: 1 }, '', 'body matches what its schema forbids (not)'],
  ['not (properties only)', { not: { properties: { a: {} } } }, '', {}, '', 'body matches what its schema forbids (not)'],
  // Why an `if` applied and the clause that failed, from the descriptions of the `if` and of its `then` or `else`.
  ['if (else, described)', { if: { description: 'A has a.', required: ['a'] }, then: { description: 'Then b.' }, else: { description: 'Else it needs c.', required: ['c'] } }, '', {}, '', 'body breaks a conditional rule: when a has a, else it needs c'],
  ['if (only the condition described)', { if: { description: 'A has a.', required: ['a'] }, then: { required: ['b'] } }, '', { a: 1 }, '', 'body matches the "if" of a conditional rule, so must match its "then", and does not'],
  ['if (then, described, with an else)', { if: { description: 'A has a.', required: ['a'] }, then: { description: 'Then it needs b.', required: ['b'] }, else: { description: 'Else c.' } }, '', { a: 1 }, '', 'body breaks a conditional rule: when a has a, then it needs b'],
  ['enum (long)', { enum: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }, '', 0, '', 'body must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (12 in all)'],
  ['minLength (more than 1)', { minLength: 3 }, '', 'ab', '', 'body must be at least 3 characters long'],
  ['multipleOf', { multipleOf: 5 }, '', 7, '', 'body must be a multiple of 5'],
  ['exclusiveMaximum', { exclusiveMaximum: 5 }, '', 5, '', 'body must be less than 5'],
  ['uniqueItems', { uniqueItems: true }, '', [1, 2, 1], '', 'body must not repeat an item (items 0 and 2 are the same)'],
  ['minProperties', { minProperties: 1 }, '', {}, '', 'body must have at least 1 field'],
  ['maxProperties', { maxProperties: 1 }, '', { a: 1, b: 2 }, '', 'body must have at most 1 field'],
  ['dependentRequired', { dependentRequired: { a: ['b'] } }, '', { a: 1 }, '', 'body must have b when it has a'],
  ['contains', { contains: { type: 'string' } }, '', [1], '', 'body must hold at least 1 item of the kind it documents (contains)'],
  ['items', { prefixItems: [{}], items: false }, '', [1, 2], '', 'body must hold at most 1 item'],
  ['false schema', { properties: { a: false } }, '', { a: 1 }, '/a', 'body /a is not allowed here'],
];

describe('each keyword a finding can name says its rule', () => {
  it.each(rows)('%s (%s %s)', (keyword, source, pointer, value, at, message) => {
    const problems = typeof source === 'string' ? spec(source)(pointer, value) : inline(source)('#/components/schemas/X', value);
    const rule = keyword.replace(/ \(.*\)$/, '');
    expect(bodyFindings(problems).filter((f) => f.rule === rule)).toEqual([{ pointer: at, rule, message }]);
    // Ajv's own words are gone from every finding of the value, whichever keyword made it.
    for (const f of bodyFindings(problems)) expect(f.message).not.toMatch(/must NOT|must match "|must pass|equal to (one of the allowed values|constant)|must match format|property name must be valid|must be >|must be <|must have required property/);
  });
});

describe('the validators compiled ahead carry what the messages need', () => {
  it('the clients\' generated validators: an enum names its values, a format its format', () => {
    // listVouchers' 200: what the guard judges, with no schema left at run time.
    const [, responses] = perxResponses['GET /v4/vouchers']!;
    const validate = responses['200']!['application/json']!;
    const page = { data: [{ id: 1, state: 'gifted', valid_from: 'soon' }], meta: { count: 1 } };
    expect(validate(page)).toBe(false);
    const messages = (validate.errors ?? []).map((e) => schemaProblem(e).message);
    expect(messages).toEqual([
      '/data/0/state must be one of "issued", "reserved", "redemption_in_progress", "redeemed", "released", "expired"',
      '/data/0/valid_from must be a date and time as RFC 3339 writes it, e.g. 2026-12-01T10:00:00Z (format "date-time")',
    ]);
  });

  it('the webhook validators: a format and an enum', () => {
    const validate = placewiseWebhooks.memberChangesV2;
    expect(validate({ version: 3 })).toBe(false);
    const messages = (validate.errors ?? []).map((e) => schemaProblem(e).message);
    expect(messages.some((m) => /^\/\S* (is required but missing|must be one of .+)$/.test(m))).toBe(true);
    expect(messages.join('\n')).not.toMatch(/must have required property|equal to one of the allowed values/);
  });
});

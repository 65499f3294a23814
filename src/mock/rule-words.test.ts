/**
 * The mock's refusals say the rule a request broke as every finding of the package does
 * (`ruleText`, src/guard/violation.ts), not in Ajv's words: the Placewise validation answers'
 * `message` (MOCK-105, MOCK-113), Prism's `sl-violations` for every vendor, and the log line read
 * from them (MOCK-186, PLACEWISE-48). Real spec schemas, real requests over HTTP.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath, pickVendors } from './bundles.js';
import { schemaValidators } from './contract.js';
import { startMocks, type RunningMocks } from './index.js';
import { escapeToken, resolvedPointer } from './state/pointer.js';

let mocks: RunningMocks;
const logged: string[] = [];
const bugs: string[] = [];
beforeAll(async () => {
  mocks = await startMocks({ vendors: ['placewise', 'xonvo', 'perx', 'footprints'], portBase: 0, log: (line) => (line.includes('MOCK BUG') ? bugs : logged).push(line) });
});
afterAll(async () => {
  await mocks?.stop();
  expect(bugs).toEqual([]);
});

const headers: Record<string, Record<string, string>> = {
  placewise: { 'x-client-authorization': 'token', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json' },
  xonvo: { authorization: `Basic ${Buffer.from('user:secret').toString('base64')}`, 'content-type': 'application/json' },
  perx: { authorization: 'Bearer token', 'content-type': 'application/json' },
  footprints: { 'content-type': 'application/x-www-form-urlencoded' },
};

async function call(vendor: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${mocks.urls[vendor]}${path}`, { method, headers: headers[vendor], body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any, violations: JSON.parse(response.headers.get('sl-violations') ?? '[]') as { location: string[]; message: string }[] };
}

/** Whether an answer validates against the schema its operation documents for its status. */
function documented(vendor: string, method: string, path: string, status: number, body: unknown): boolean {
  const document = JSON.parse(readFileSync(bundlePath(pickVendors([vendor])[0]!), 'utf8')) as object;
  const response = resolvedPointer(document, `/paths/${escapeToken(path)}/${method}/responses/${status}`);
  const valid = schemaValidators(document, vendor)(`${response}/content/application~1json/schema`);
  return valid(body) || (expect.fail(`${JSON.stringify(body)}: ${JSON.stringify(valid.errors)}`) as never);
}

/** Ajv's words, which no answer may say any more. */
const AJV = /must be equal to|must have required property|must NOT|must match pattern|must match format|must be [<>]=|must match "then"|property name must be valid|must match exactly one schema/;

describe("a Placewise validation answer's message says the rule as the package does", () => {
  it('a body field out of its enum, a missing field, a query bound and a path format, each answer still the documented 422', async () => {
    const subscription = '/members_changes_subscriptions/{subscription_id}';
    const cases: [string, string, string, unknown, string, unknown][] = [
      ['PUT', '/members_changes_subscriptions/7', subscription, { url: 'http://hooks.example/x', event_schema_version: 5 }, 'event_schema_version', [{ error: 'inclusion', options: { in: [1, 2] }, value: 5, message: 'must be one of 1, 2' }]],
      ['PUT', '/members_changes_subscriptions/7', subscription, { event_schema_version: 2 }, 'url', [{ error: 'presence', options: {}, message: 'is required but missing' }]],
      ['PUT', '/members_changes_subscriptions/7', subscription, { url: 'ftp://hooks.example/x' }, 'url', [{ error: 'invalid', options: {}, value: 'ftp://hooks.example/x', message: 'must match the pattern "^[Hh][Tt][Tt][Pp][Ss]?://"' }]],
      ['GET', '/members?per_page=5000', '/members', undefined, 'per_page', [{ error: 'less_or_equal_to', options: { number: 1000 }, value: 5000, message: 'must be at most 1000' }]],
      ['GET', '/members/by_email/not-an-email', '/members/by_email/{member_email}', undefined, 'member_email', [{ error: 'invalid', options: {}, value: 'not-an-email', message: 'must be an e-mail address (format "email")' }]],
    ];
    for (const [method, path, template, body, field, errors] of cases) {
      const answer = await call('placewise', method, path, body);
      expect({ path, body, answer: { status: answer.status, body: answer.body } }).toEqual({ path, body, answer: { status: 422, body: { error: 'Invalid parameters', details: { [field]: errors } } } });
      expect(documented('placewise', method.toLowerCase(), template, 422, answer.body)).toBe(true);
    }
  });

  it("the push-token call's plain message names the allowed values", async () => {
    const answer = await call('placewise', 'PUT', '/members/42/update_app_token', { app_token: 'tok3n', app_platform: 'windows' });
    expect(answer.body).toEqual({ error: 'Invalid parameters', details: { app_platform: ['must be one of "android", "ios", null'] } });
    expect(documented('placewise', 'put', '/members/{member_id}/update_app_token', 422, answer.body)).toBe(true);
  });
});

describe("Prism's sl-violations say the rule as the package does, pointing at the field", () => {
  it.each([
    ['xonvo', 'POST', '/leads/bulk', { leadsByAccountId: { abc: [] } }, [
      { location: ['request', 'body', 'leadsByAccountId', 'abc'], message: 'Request body property leadsByAccountId.abc (the key) must match the pattern "^[0-9]+$"' },
      { location: ['request', 'body', 'leadsByAccountId'], message: 'Request body property leadsByAccountId has a key that is not allowed: "abc"' },
    ]],
    ['xonvo', 'POST', '/accounts', {}, [{ location: ['request', 'body', 'name'], message: 'Request body property name is required but missing' }]],
    ['perx', 'POST', '/v4/customers/signup', { phone: '' }, [{ location: ['request', 'body', 'phone'], message: 'Request body property phone must not be empty' }]],
    ['perx', 'POST', '/v4/oauth/token', { grant_type: 'client_credentials', client_id: '', client_secret: 'x' }, [
      { location: ['request', 'body', 'client_id'], message: 'Request body property client_id must not be empty' },
      { location: ['request', 'body'], message: 'Request body matches what its schema forbids (not)' },
      { location: ['request', 'body'], message: 'Request body matches none of the documented shapes (oneOf)' },
    ]],
    ['footprints', 'PUT', '/api/lead/5?access_token=t', 'contractNumber=12&status=lead', [
      { location: ['request', 'body', 'status'], message: 'Request body property status must be "customer"' },
      { location: ['request', 'body'], message: 'Request body matches the "if" of a conditional rule, so must match its "then", and does not' },
    ]],
    ['footprints', 'PUT', '/api/lead/5/nps?access_token=t', 'nps=99', [{ location: ['request', 'body', 'nps'], message: 'Request body property nps must be at most 10' }]],
    ['footprints', 'PUT', '/api/lead/5?access_token=t', 'status=bogus', [{ location: ['request', 'body', 'status'], message: 'Request body property status must be one of "prospect", "lead", "sale_lead", "opportunity", "customer", "lost"' }]],
    ['placewise', 'PUT', '/members/42', { event_occurred_at: 'yesterday' }, [{ location: ['request', 'body', 'event_occurred_at'], message: 'Request body property event_occurred_at must be a date and time as RFC 3339 writes it, e.g. 2026-12-01T10:00:00Z (format "date-time")' }]],
  ])('%s %s %s %j', async (vendor, method, path, body, violations) => {
    const answer = await call(vendor, method, path, body);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.violations).toEqual(violations.map((v) => ({ ...v, severity: 'Error' })));
  });

  it("the refusal's log line says it so too", async () => {
    logged.length = 0;
    await call('xonvo', 'POST', '/accounts', {});
    expect(logged).toEqual([expect.stringMatching(/^\[xonvo\] POST \/accounts → 400 \(\d+\.\d ms\): request\.body\.name Request body property name is required but missing$/)]);
    expect(logged.join('\n')).not.toMatch(AJV);
  });
});

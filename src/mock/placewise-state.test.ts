import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyPlacewiseWebhook } from '../webhooks/placewise.js';
import { startMocks, type RunningMocks } from './index.js';

// ajv-formats' default export, as Node's ESM loader hands it over.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => void }).default;

/** Placewise as a product team meets it: groups that hold members, and member changes pushed as webhooks. */
const received: { url: string; headers: Record<string, string>; body: string }[] = [];
let receiver: Server;
let receiverUrl: string;
let mocks: RunningMocks;
const bugs: string[] = [];
/** What `startMocks({ onChange })` heard: each change a call made. */
const heard: { action: string; resource: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url!, headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  mocks = await startMocks({ vendors: ['placewise'], portBase: 0, subscribers: { placewise: [{ url: receiverUrl, secret: 'configured-secret' }] }, onChange: (c) => heard.push(c), log: (l) => l.includes('MOCK BUG') && bugs.push(l) });
});
afterAll(async () => {
  await mocks?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  expect(bugs).toEqual([]);
});
beforeEach(() => {
  mocks.reset();
  received.length = 0;
  heard.length = 0;
});

const headers = { 'x-client-authorization': 'token', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json' };
async function call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  const response = await fetch(`${mocks.urls.placewise}${path}`, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}
async function until(check: () => boolean) {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('no webhook arrived within 5 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Makes one real change to member 42 and checks it is the first and only notification the receiver gets. */
async function expectOnlyARealChangeNotified() {
  expect((await call('PUT', '/members/42', { properties: { last_name: 'Changed' } })).status).toBe(200);
  await until(() => received.length === 1);
  await new Promise((r) => setTimeout(r, 100));
  expect(received).toHaveLength(1);
  expect(received[0]!.body).toContain('Changed');
}

describe('placewise groups and members', () => {
  it('a created group is listed and filterable, and a member added to it shows on both sides', async () => {
    const created = await call('POST', '/members_groups', { members_group: { name: 'Gold', type: 'Store', description: 'Top spenders' } });
    expect(created.status).toBe(200);
    const group = created.body.members_group;
    expect(group).toMatchObject({ name: 'Gold', type: 'Store' });
    expect((await call('GET', '/members_groups?name=Gold')).body.members_groups.map((g: { id: number }) => g.id)).toEqual([group.id]);
    expect((await call('GET', `/members_groups/${group.id}/members`)).body.members).toEqual([]);

    expect((await call('POST', `/members_groups/${group.id}/members/42`)).status).toBe(200);
    expect((await call('GET', `/members_groups/${group.id}/members`)).body.members.map((m: { id: number }) => m.id)).toEqual([42]);
    expect((await call('GET', '/members/42/groups')).body.members_groups.map((g: { id: number }) => g.id)).toContain(group.id);

    expect((await call('DELETE', `/members_groups/${group.id}/members/42`)).status).toBe(200);
    expect((await call('GET', '/members/42/groups')).body.members_groups.map((g: { id: number }) => g.id)).not.toContain(group.id);
  });

  it("a group created without a type or description has none, not the example group's, and can be given them", async () => {
    const created = await call('POST', '/members_groups', { members_group: { name: 'Plain' } });
    expect(created.status).toBe(200);
    const group = created.body.members_group;
    for (const shown of [group, (await call('GET', `/members_groups/${group.id}`)).body.members_group, (await call('GET', '/members_groups?name=Plain')).body.members_groups[0]]) {
      expect(shown).toMatchObject({ id: group.id, name: 'Plain', members_count: 0 });
      expect(shown).not.toHaveProperty('type');
      expect(shown).not.toHaveProperty('description');
    }
    expect((await call('POST', '/members_groups', { members_group: {} })).body.members_group).not.toHaveProperty('name');
    expect((await call('PUT', `/members_groups/${group.id}`, { members_group: { type: 'Tier' } })).body.members_group).toMatchObject({ name: 'Plain', type: 'Tier' });
    expect((await call('DELETE', `/members_groups/${group.id}`)).body.members_group).not.toHaveProperty('description');
  });

  it("a new group's audience is its own, not the example group's 351: made for it unless an id is sent, and automatic when either audience field is sent", async () => {
    const manual = (await call('POST', '/members_groups', { members_group: { name: 'Manual' } })).body.members_group;
    const audience = (id: number) => [{ type: 'array', field: 'members_group_ids', value: [id], operator: 'any', condition_group: 'member_properties' }];
    expect(manual).toMatchObject({ automatic: false, audience_conditions: audience(manual.id) });
    expect(manual.audience_id).not.toBe(351);
    expect((await call('GET', `/members_groups/${manual.id}`)).body.members_group).toEqual(manual);
    const second = (await call('POST', '/members_groups', { members_group: {} })).body.members_group;
    expect(second.audience_id).not.toBe(manual.audience_id);
    const conditions = [{ type: 'array', field: 'members_group_ids', value: [manual.id], operator: 'any', condition_group: 'member_properties' }];
    const built = (await call('POST', '/members_groups', { members_group: { name: 'Built', audience_conditions: conditions } })).body.members_group;
    expect(built).toMatchObject({ automatic: true, audience_conditions: conditions });
    expect([351, manual.audience_id, second.audience_id]).not.toContain(built.audience_id);
    expect((await call('POST', '/members_groups', { members_group: { name: 'Bound', audience_id: 77 } })).body.members_group).toMatchObject({ automatic: true, audience_id: 77 });
    expect((await call('POST', '/members_groups', { members_group: { audience_id: 78, audience_conditions: [] } })).body.members_group).toMatchObject({ automatic: true, audience_id: 78, audience_conditions: [] });
  });

  it("a group bound to an audience the mock holds by its id shows that audience's conditions, on create and update, not the example's", async () => {
    const city = [{ type: 'string', field: 'city', value: 'Oslo', operator: 'eq', condition_group: 'member_properties' }];
    const built = (await call('POST', '/members_groups', { members_group: { name: 'Oslo', audience_conditions: city } })).body.members_group;
    const bound = (await call('POST', '/members_groups', { members_group: { name: 'Also Oslo', audience_id: built.audience_id } })).body.members_group;
    expect(bound).toMatchObject({ automatic: true, audience_id: built.audience_id, audience_conditions: city });
    expect((await call('GET', `/members_groups/${bound.id}`)).body.members_group.audience_conditions).toEqual(city);
    // A manual group's audience names the group itself: a group bound to it names that group too.
    const manual = (await call('POST', '/members_groups', { members_group: { name: 'Hand-picked' } })).body.members_group;
    expect((await call('PUT', '/members_groups/6813', { members_group: { audience_id: manual.audience_id } })).body.members_group).toMatchObject({ audience_id: manual.audience_id, audience_conditions: manual.audience_conditions });
    expect((await call('GET', '/members_groups/6813')).body.members_group.audience_conditions).toEqual(manual.audience_conditions);
    // Conditions sent with the id are the group's; an audience the mock does not hold keeps the example's (not documented).
    expect((await call('PUT', '/members_groups/6813', { members_group: { audience_id: built.audience_id, audience_conditions: [] } })).body.members_group.audience_conditions).toEqual([]);
    expect((await call('POST', '/members_groups', { members_group: { audience_id: 424242 } })).body.members_group.audience_conditions).toEqual([{ type: 'array', field: 'members_group_ids', value: [6813], operator: 'any', condition_group: 'member_properties' }]);
  });

  it('refuses a group body that breaks its schema with the 422 naming the field under members_group, not the per_page example', async () => {
    const created = await call('POST', '/members_groups', { members_group: { name: 'Silver', audience_id: 'many' } });
    expect(created).toEqual({ status: 422, body: { error: 'Invalid parameters', details: { members_group: { audience_id: [{ error: 'not_an_integer', options: {}, value: 'many', message: 'must be integer' }] } } } });
    const updated = await call('PUT', '/members_groups/6813', { members_group: { name: ['Gold'] } });
    expect(updated).toEqual({ status: 422, body: { error: 'Invalid parameters', details: { members_group: { name: [{ error: 'invalid', options: {}, value: ['Gold'], message: 'must be string' }] } } } });
    expect((await call('GET', '/members_groups/6813')).body.members_group.name).not.toEqual(['Gold']);
  });

  it("refuses a query parameter that breaks its schema with the 422 naming it and the rule, not the per_page > 1000 example", async () => {
    const perPage = (value: unknown, error: string, options: object, message: string) => ({ status: 422, body: { error: 'Invalid parameters', details: { per_page: [{ value, error, options, message }] } } });
    for (const list of ['/members', '/members_groups', '/members_groups/6813/members', '/members/42/groups']) {
      expect(await call('GET', `${list}?per_page=0`)).toEqual(perPage(0, 'greater_or_equal_to', { number: 1 }, 'must be at least 1'));
      expect(await call('GET', `${list}?per_page=1.5`)).toEqual(perPage(1.5, 'not_an_integer', {}, 'must be integer'));
    }
    expect(await call('GET', '/members_groups?per_page=1001')).toEqual(perPage(1001, 'less_or_equal_to', { number: 1000 }, 'must be at most 1000'));
    expect((await call('GET', '/members_groups?page_no=abc')).body).toEqual({ error: 'Invalid parameters', details: { page_no: [{ value: 'abc', error: 'not_an_integer', options: {}, message: 'must be integer' }] } });
    expect((await call('GET', '/members_groups?automatic=maybe')).body.details).toEqual({ automatic: [{ value: 'maybe', error: 'invalid', options: {}, message: 'must be boolean' }] });
    // A list parameter's item is not named (no source shows where the vendor files it): the documented example stays.
    expect((await call('GET', '/members?ids[]=x')).body.details).toHaveProperty('per_page');
  });

  it('refuses a body whole number past 2^53 - 1 where the schema wants an integer, naming it as a parameter is, not storing the neighbour it reads as', async () => {
    const raw = async (method: string, path: string, text: string) => {
      const response = await fetch(`${mocks.urls.placewise}${path}`, { method, headers, body: text });
      return { status: response.status, body: (await response.json()) as any };
    };
    // Its value is not quoted: the mock holds another number.
    const named = (read: string) => ({ status: 422, body: { error: 'Invalid parameters', details: { members_group: { audience_id: [{ error: 'invalid', options: {}, message: `must be a number the mock can read exactly (got one beyond the largest whole number told apart from its neighbours, 2^53 - 1, read as ${read})` }] } } } });
    const before = (await call('GET', '/members_groups')).body;
    expect(await raw('POST', '/members_groups', '{"members_group":{"name":"Far","audience_id":9007199254740993}}')).toEqual(named('9007199254740992'));
    expect(await raw('PUT', '/members_groups/6813', '{"members_group":{"audience_id":-9007199254740992}}')).toEqual(named('-9007199254740992'));
    expect(await raw('PUT', '/members_groups/6813', '{"members_group":{"audience_id":1e16}}')).toEqual(named('10000000000000000'));
    expect((await call('GET', '/members_groups')).body).toEqual(before);
    // The same digits in a text are text; 2^53 - 1 is held exactly; another fault of the body is named first, as before.
    expect((await raw('POST', '/members_groups', '{"members_group":{"name":"9007199254740993","audience_id":9007199254740991}}')).body.members_group).toMatchObject({ name: '9007199254740993', audience_id: 9007199254740991 });
    expect((await raw('POST', '/members_groups', '{"members_group":{"description":"\\"9007199254740993\\" \\\\","audience_id":1}}')).body.members_group.description).toBe('"9007199254740993" \\');
    expect((await raw('POST', '/members_groups', '{"members_group":{"name":5,"audience_id":9007199254740993}}')).body.details.members_group).toHaveProperty('name');
    // A club property the spec does not type takes any value, so it is kept as read (the club's schema is not in the spec).
    expect((await raw('PUT', '/members/42', '{"properties":{"points":9007199254740993}}')).status).toBe(200);
  });

  it('refuses a group whose audience_id is past what JSON reads (1e400), naming it without quoting a value it cannot write, and stores nothing', async () => {
    const raw = async (method: string, path: string, text: string) => {
      const response = await fetch(`${mocks.urls.placewise}${path}`, { method, headers, body: text });
      return { status: response.status, body: (await response.json()) as any };
    };
    const named = { status: 422, body: { error: 'Invalid parameters', details: { members_group: { audience_id: [{ error: 'not_an_integer', options: {}, message: 'must be integer' }] } } } };
    const before = (await call('GET', '/members_groups')).body;
    expect(await raw('POST', '/members_groups', '{"members_group":{"name":"Far","audience_id":1e400}}')).toEqual(named);
    expect(await raw('PUT', '/members_groups/6813', '{"members_group":{"audience_id":-1e400}}')).toEqual(named);
    expect((await call('GET', '/members_groups')).body).toEqual(before);
  });

  it('refuses a body that is not an object, or one sent to a call that takes none, with the 422 naming the body as a whole under base, and changes nothing', async () => {
    const whole = (error: string, value: unknown, message: string) => ({ status: 422, body: { error: 'Invalid parameters', details: { base: [{ error, options: {}, value, message }] } } });
    for (const body of [[], 'x', 5, null]) {
      expect(await call('POST', '/members_groups', body)).toEqual(whole('must_be_an_object', body, 'must be object'));
      expect(await call('PUT', '/members_changes_subscriptions/7', body)).toEqual(whole('must_be_an_object', body, 'must be object'));
    }
    expect((await call('PUT', '/members/42/update_app_token', ['tok3n'])).body).toEqual({ error: 'Invalid parameters', details: { base: ['must be object'] } });
    expect(await call('DELETE', '/members_groups/6813', { members_group: {} })).toEqual(whole('invalid', { members_group: {} }, 'must not be sent: this call takes no body'));
    expect(await call('DELETE', '/members_groups/6813/members/42', [1])).toEqual(whole('invalid', [1], 'must not be sent: this call takes no body'));
    // The member-validation object names it the same way; `{}` on a DELETE is still no body (MOCK-1).
    const member = { status: 422, body: { base: [{ property: 'base', error: 'invalid' }] } };
    for (const body of [[], 'x', 0]) {
      expect(await call('POST', '/members', body)).toEqual(member);
      expect(await call('PUT', '/members/42', body)).toEqual(member);
    }
    expect(await call('DELETE', '/members/42', { properties: {} })).toEqual(member);
    expect((await call('GET', '/members_groups/6813')).status).toBe(200);
    expect((await call('GET', '/members/42')).status).toBe(200);
    expect(received).toEqual([]);
  });

  it('names a body the mock does not parse, sent where none is taken (a string fetch sends as text/plain), under base as any other, not with the per_page or e-mail example', async () => {
    const { 'content-type': _json, ...plain } = headers;
    const sent = async (method: string, path: string, body: string, type?: string) => {
      const response = await fetch(`${mocks.urls.placewise}${path}`, { method, headers: { ...plain, ...(type ? { 'content-type': type } : {}) }, body });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const whole = (value: string) => ({ status: 422, body: { error: 'Invalid parameters', details: { base: [{ error: 'invalid', options: {}, value, message: 'must not be sent: this call takes no body' }] } } });
    // Without a Content-Type, fetch sends a string as text/plain;charset=UTF-8.
    expect(await sent('DELETE', '/members_groups/6813', '{}')).toEqual(whole('{}'));
    expect(await sent('POST', '/members_groups/6813/members/42', 'x', 'text/plain')).toEqual(whole('x'));
    expect(await sent('DELETE', '/members_groups/6813/members/42', '[1]', 'text/csv')).toEqual(whole('[1]'));
    expect(await sent('DELETE', '/members/42', '{}')).toEqual({ status: 422, body: { base: [{ property: 'base', error: 'invalid' }] } });
    expect((await call('GET', '/members_groups/6813')).status).toBe(200);
    expect((await call('GET', '/members/42')).status).toBe(200);
  });

  it('quotes no value that holds, at any depth, a number the mock read as another (past 2^53 - 1, or past what JSON reads): a whole body, an object field', async () => {
    const raw = async (method: string, path: string, text: string) => {
      const response = await fetch(`${mocks.urls.placewise}${path}`, { method, headers, body: text });
      return { status: response.status, body: (await response.json()) as any };
    };
    const whole = (error: string, message: string) => ({ status: 422, body: { error: 'Invalid parameters', details: { base: [{ error, options: {}, message }] } } });
    expect(await raw('POST', '/members_groups', '[9007199254740993]')).toEqual(whole('must_be_an_object', 'must be object'));
    expect(await raw('POST', '/members_groups', '-9007199254740993')).toEqual(whole('must_be_an_object', 'must be object'));
    expect(await raw('DELETE', '/members_groups/6813', '{"a":1e400}')).toEqual(whole('invalid', 'must not be sent: this call takes no body'));
    expect(await raw('DELETE', '/members_groups/6813/members/42', '{"a":[{"b":9.007199254740993e15}]}')).toEqual(whole('invalid', 'must not be sent: this call takes no body'));
    const named = { status: 422, body: { error: 'Invalid parameters', details: { members_group: { name: [{ error: 'invalid', options: {}, message: 'must be string' }] } } } };
    expect(await raw('POST', '/members_groups', '{"members_group":{"name":9007199254740993}}')).toEqual(named);
    expect(await raw('POST', '/members_groups', '{"members_group":{"name":{"a":1e400}}}')).toEqual(named);
    // 2^53 - 1 is held exactly, and quoted.
    expect((await raw('POST', '/members_groups', '[9007199254740991]')).body.details.base[0].value).toEqual([9007199254740991]);
    expect((await call('GET', '/members_groups/6813')).status).toBe(200);
  });

  it('refuses a member create or update whose top-level field breaks the schema with the member-validation 422 naming it, not the duplicated e-mail', async () => {
    const named = (field: string) => ({ status: 422, body: { [field]: [{ property: field, error: 'invalid' }] } });
    expect(await call('POST', '/members', { properties: { email: 'nulled@example.com' }, consents: null })).toEqual(named('consents'));
    expect(await call('PUT', '/members/42', { consents: null })).toEqual(named('consents'));
    expect(await call('DELETE', '/members/abc')).toEqual({ status: 422, body: { member_id: [{ property: 'member_id', error: 'invalid' }] } });
    expect(await call('POST', '/members', { properties: { email: 'pw@example.com' }, password: 5 })).toEqual(named('password'));
    // The e-mail another member has is still the duplicated e-mail.
    expect(await call('POST', '/members', { properties: { email: 'foo@bar.bz' } })).toEqual({ status: 422, body: { email: [{ property: 'email', error: 'duplicated_email_in_community' }] } });
    expect((await call('GET', '/members/42')).body.consents).toHaveProperty('consent1');
  });

  it('refuses a member create whose fault is inside a field with the member-validation 422 naming the field and the rule, where the vendor files it', async () => {
    // The vendor's schema-errors example files a sent e-mail at the top level and a club property nested under `properties`.
    expect(await call('POST', '/members', { properties: { email: 5 } })).toEqual({ status: 422, body: { email: [{ property: 'email', error: 'invalid' }] } });
    expect(await call('POST', '/members', { properties: { email: 'lang@example.com', language: 5 } })).toEqual({ status: 422, body: { properties: [{ error: { language: [{ property: 'language', error: 'invalid' }] } }] } });
    // An MSISDN is an identifier beside the e-mail, not a club property (S19's member and member_changes hold both at the top level): filed as the e-mail is.
    const msisdn = { status: 422, body: { msisdn: [{ property: 'msisdn', error: 'invalid' }] } };
    expect(await call('POST', '/members', { properties: { email: 'tel@example.com', msisdn: '0123' } })).toEqual(msisdn);
    expect(await call('POST', '/members', { properties: { msisdn: 4740485124 } })).toEqual(msisdn);
    expect(await call('PUT', '/members/42', { properties: { msisdn: '+4740485124' } })).toEqual(msisdn);
    // A property the body lacks is the example's optin_channel symbol.
    expect(await call('POST', '/members', { properties: { first_name: 'Nobody' } })).toEqual({ status: 422, body: { email: [{ property: 'email', error: 'not_contain_required_property' }] } });
    const consent = (inner: unknown) => ({ status: 422, body: { consents: [{ error: { consent9: inner } }] } });
    expect(await call('POST', '/members', { properties: { email: 'c@example.com' }, consents: { consent9: { status: 'yes' } } })).toEqual(consent([{ error: { status: [{ property: 'status', error: 'invalid' }] } }]));
    expect(await call('POST', '/members', { properties: { email: 'c@example.com' }, consents: { consent9: {} } })).toEqual(consent([{ error: { status: [{ property: 'status', error: 'not_contain_required_property' }] } }]));
    expect(await call('PUT', '/members/42', { consents: { consent9: 5 } })).toEqual(consent([{ property: 'consent9', error: 'invalid' }]));
    expect((await call('GET', '/members?per_page=1000')).body.members.map((m: { id: number }) => m.id)).toEqual([42]);
  });

  it('keeps a property the spec does not type as it was sent, whatever type the example member has there, and shows it on every read', async () => {
    const created = await call('POST', '/members', { properties: { email: 'five@example.com', first_name: 5, shoe: { size: 44 } } });
    expect(created.status).toBe(200);
    const kept = { email: 'five@example.com', first_name: 5, shoe: { size: 44 } };
    expect(created.body.properties).toEqual(kept);
    expect((await call('GET', `/members/${created.body.id}`)).body.properties).toEqual(kept);
    expect((await call('GET', '/members/by_email/five@example.com')).body.properties).toEqual(kept);
    expect((await call('GET', '/members?per_page=1000')).body.members.find((m: { id: number }) => m.id === created.body.id).properties).toEqual(kept);
    await until(() => received.some((r) => r.body.includes('"first_name":5')));
    expect((await call('PUT', `/members/${created.body.id}`, { properties: { first_name: 7, last_name: 'Seven' } })).body.properties).toEqual({ ...kept, first_name: 7, last_name: 'Seven' });
    // A property the spec types is refused on update as on create, named where the vendor files it.
    expect(await call('PUT', '/members/42', { properties: { email: 5 } })).toEqual({ status: 422, body: { email: [{ property: 'email', error: 'invalid' }] } });
    expect(await call('PUT', '/members/42', { properties: { language: 5, last_name: 'Not kept' } })).toEqual({ status: 422, body: { properties: [{ error: { language: [{ property: 'language', error: 'invalid' }] } }] } });
    expect((await call('DELETE', `/members/${created.body.id}`)).body.properties).toEqual({ ...kept, first_name: 7, last_name: 'Seven' });
  });

  it('removes an update\'s property sent as null from the member, every read of it and its change notification', async () => {
    const updated = await call('PUT', '/members/42', { properties: { first_name: null, last_name: 'Kept' } });
    expect(updated.status).toBe(200);
    const reads = [updated.body, ...(await Promise.all(['/members/42', '/members/by_email/foo@bar.bz', '/members/by_msisdn/4740485124'].map(async (path) => (await call('GET', path)).body)))];
    reads.push((await call('GET', '/members?per_page=1000')).body.members.find((m: { id: number }) => m.id === 42));
    for (const member of reads) {
      expect(member.properties).not.toHaveProperty('first_name');
      expect(member.properties).toMatchObject({ email: 'foo@bar.bz', last_name: 'Kept' });
    }
    await until(() => received.some((r) => r.body.includes('"Kept"')));
    const notified = JSON.parse(received.find((r) => r.body.includes('"Kept"'))!.body).events[0];
    expect(notified.member.properties).not.toHaveProperty('first_name');
    expect(notified.member_changes.properties.first_name).toEqual({ change: '-', was: 'Ola', is: null });
    // A null for a property the member lacks changes nothing, and a number JSON writes back as null removes nothing.
    expect((await call('PUT', '/members/42', { properties: { first_name: null } })).body.properties).toMatchObject({ last_name: 'Kept' });
    const raw = await fetch(`${mocks.urls.placewise}/members/42`, { method: 'PUT', headers, body: '{"properties":{"last_name":1e400}}' });
    expect(((await raw.json()) as any).properties.last_name).toBe('Kept');
  });

  // The reason a refusal carries (MOCK-154) is not put on an answer the vendor documents as a success:
  // Placewise answers a member it does not have with 200 on these reads.
  it('answers a member it does not have on public_info and person_id with the documented 200, with no sl-violations', async () => {
    for (const path of ['/members/99999/public_info', '/members/99999/person_id', '/members/by_email/nobody@example.com/person_id']) {
      const response = await fetch(`${mocks.urls.placewise}${path}`, { headers });
      expect({ path, status: response.status, violations: response.headers.get('sl-violations') }).toEqual({ path, status: 200, violations: null });
    }
  });

  // Found 2026-12-03: `'X-Client-Authorization': token` with the token unset was answered 200 (TEST-28).
  it('refuses an X-Client-Authorization that is the text of a value never set with the 401, naming the header', async () => {
    const response = await fetch(`${mocks.urls.placewise}/members_groups`, { headers: { ...headers, 'x-client-authorization': 'null' } });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.headers.get('sl-violations') ?? '[]')).toEqual([{ location: ['request', 'header', 'x-client-authorization'], severity: 'Error', message: 'the header X-Client-Authorization is the text "null": the caller sent a value it had not set (a token not yet fetched, a setting left unset)' }]);
  });

  it('refuses a path parameter of the wrong form with the 422 naming it and the rule, not the per_page example', async () => {
    const named = (name: string, value: string, error: string, message: string) => ({ status: 422, body: { error: 'Invalid parameters', details: { [name]: [{ value, error, options: {}, message }] } } });
    for (const suffix of ['', '/groups', '/public_info', '/person_id']) {
      expect(await call('GET', `/members/by_email/not-an-email${suffix}`)).toEqual(named('member_email', 'not-an-email', 'invalid', 'must be an e-mail address (format "email")'));
      expect(await call('GET', `/members/by_msisdn/+4740485124${suffix}`)).toEqual(named('member_msisdn', '+4740485124', 'invalid', 'must match the pattern "^[1-9][0-9]{1,14}$"'));
      expect(await call('GET', `/members/abc${suffix}`)).toEqual(named('member_id', 'abc', 'not_an_integer', 'must be integer'));
    }
    expect(await call('GET', '/members_groups/abc')).toEqual(named('members_group_id', 'abc', 'not_an_integer', 'must be integer'));
    expect(await call('POST', '/members_groups/6813/members/abc')).toEqual(named('member_id', 'abc', 'not_an_integer', 'must be integer'));
    // A path parameter of the right form still gets its answer.
    expect((await call('GET', '/members/by_email/foo@bar.bz')).body.id).toBe(42);
  });

  it('refuses a parameter number the mock cannot hold exactly with the 422 naming it and the rule, judged as the body rule judges 1e400, never quoting another value', async () => {
    const named = (name: string, error: string, options: object, message: string) => ({ status: 422, body: { error: 'Invalid parameters', details: { [name]: [{ error, options, message }] } } });
    const unreadable = (name: string, where: string, sent: string) => named(name, 'invalid', {}, `must be ${where === 'path' ? 'a number a record can have' : 'a number the mock can read exactly'} (got "${sent}", which is beyond the largest whole number told apart from its neighbours, 2^53 - 1)`);
    for (const list of ['/members', '/members_groups', '/members/42/groups']) {
      // Past 2^53 the bound is broken whatever the last digits: named without the neighbour's value (…992) or the example's (1001).
      expect(await call('GET', `${list}?per_page=9007199254740993`)).toEqual(named('per_page', 'less_or_equal_to', { number: 1000 }, 'must be at most 1000'));
      // Past what JSON reads, judged as JSON writes it back (null), as a body's audience_id: 1e400 is.
      for (const huge of ['1e400', '9'.repeat(400)]) {
        expect(await call('GET', `${list}?per_page=${huge}`)).toEqual(named('per_page', 'not_an_integer', {}, 'must be integer'));
        expect(await call('GET', `${list}?page_no=${huge}`)).toEqual(named('page_no', 'not_an_integer', {}, 'must be integer'));
      }
      // A page no bound refuses: the mock's own rule is named, not the per_page example.
      expect(await call('GET', `${list}?page_no=9007199254740993`)).toEqual(unreadable('page_no', 'query', '9007199254740993'));
    }
    expect(await call('GET', '/members?page_no=1e3')).toEqual(named('page_no', 'invalid', {}, 'must be a whole number in decimal digits (got "1e3")'));
    for (const path of ['/members/9007199254740993', '/members/9007199254740993/groups', '/members_groups/6813/members/9007199254740993']) {
      expect(await call(path.startsWith('/members_groups') ? 'POST' : 'GET', path)).toEqual(unreadable('member_id', 'path', '9007199254740993'));
    }
    expect(await call('GET', '/members_groups/9007199254740993')).toEqual(unreadable('members_group_id', 'path', '9007199254740993'));
    // Two such numbers: whichever is named first, neither quotes the value it was read as.
    expect(await call('GET', '/members?page_no=9007199254740993&per_page=9007199254740993')).toEqual(named('page_no', 'invalid', {}, expect.stringContaining('must be a number the mock can read exactly')));
    // The member-validation form names it as it names `abc`.
    expect(await call('DELETE', '/members/9007199254740993')).toEqual({ status: 422, body: { member_id: [{ property: 'member_id', error: 'invalid' }] } });
  });

  it("refuses a push token body that breaks its schema with the 422 naming that field alone, as a plain message like the vendor's", async () => {
    expect(await call('PUT', '/members/42/update_app_token', { app_token: 5 })).toEqual({ status: 422, body: { error: 'Invalid parameters', details: { app_token: ['must be string or null'] } } });
    expect(await call('PUT', '/members/42/update_app_token', { app_token: 'tok3n', app_platform: 'windows' })).toEqual({ status: 422, body: { error: 'Invalid parameters', details: { app_platform: ['must be one of "android", "ios", null'] } } });
  });

  it('refuses to add a member to a group that does not exist', async () => {
    expect((await call('POST', '/members_groups/999999/members/42')).status).toBe(404);
  });

  it('pages lists with page_no/per_page and says so in pagination_info', async () => {
    for (const name of ['A', 'B', 'C']) await call('POST', '/members_groups', { members_group: { name, type: 'Store' } });
    const page = await call('GET', '/members_groups?page_no=2&per_page=2');
    expect(page.body.members_groups).toHaveLength(2);
    expect(page.body.pagination_info).toMatchObject({ current_page: 2, per_page: 2, total_count: 4, total_pages: 2, is_last_page: true, prev_page: 1, next_page: null });
  });

  it("a new member's opt-in channel is the X-Product-Name it registered through, not the example member's, and a later call through another product keeps it", async () => {
    const created = await call('POST', '/members', { properties: { email: 'kiosk@example.com' } }, { 'x-product-name': 'mall-kiosk' });
    expect({ status: created.status, channel: created.body.optin_channel }).toEqual({ status: 200, channel: 'mall-kiosk' });
    expect((await call('PUT', `/members/${created.body.id}`, { properties: { first_name: 'Kim' } }, { 'x-product-name': 'web' })).body.optin_channel).toBe('mall-kiosk');
    expect((await call('GET', `/members/${created.body.id}`)).body.optin_channel).toBe('mall-kiosk');
  });
});

describe('placewise writes the spec cannot show are not stored', () => {
  const member = { properties: { email: 'new@example.com' } };
  const listed = async () => {
    const list = await call('GET', '/members');
    expect(list.status).toBe(200);
    return list.body.members as { id: number; banned_until?: unknown }[];
  };

  it.each([['a date where a date-time is documented', '2025-01-01'], ['a number', 5]])('banned_until as %s leaves the member as it was, readable', async (_, value) => {
    const before = (await call('GET', '/members/42')).body.banned_until;
    expect((await call('PUT', '/members/42', { banned_until: value })).status).toBe(200);
    const read = await call('GET', '/members/42');
    expect(read.status).toBe(200);
    expect(read.body.banned_until).toEqual(before);
    expect((await listed()).find((m) => m.id === 42)).toBeDefined();
  });

  it.each([['a string', 'abc'], ['a fraction', 1.5], ["an existing member's", 42]])('a create whose body carries %s id gets an id of its own and replaces nobody', async (_, id) => {
    const created = await call('POST', '/members', { ...member, id });
    expect(created.status).toBe(200);
    expect(created.body.id).not.toBe(id);
    expect(Number.isInteger(created.body.id)).toBe(true);
    const ids = (await listed()).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([42, created.body.id]));
    expect((await call('GET', '/members/42')).body.properties.email).not.toBe('new@example.com');
  });

  it("a member's properties named for Object's methods, or __proto__, are kept as sent and read back", async () => {
    const created = await call('POST', '/members', { properties: { email: 'proto@x.io', constructor: 'c', valueOf: 'v' } });
    expect(created.body.properties).toMatchObject({ constructor: 'c', valueOf: 'v' });
    const id = created.body.id as number;
    const response = await fetch(`${mocks.urls.placewise}/members/${id}`, { method: 'PUT', headers, body: '{"properties":{"toString":"t","hasOwnProperty":"h","__proto__":{"x":1}}}' });
    expect(response.status).toBe(200);
    const read = JSON.parse(await (await fetch(`${mocks.urls.placewise}/members/${id}`, { headers })).text()).properties;
    expect([read.constructor, read.valueOf, read.toString, read.hasOwnProperty, Object.hasOwn(read, '__proto__') && read['__proto__']]).toEqual(['c', 'v', 't', 'h', { x: 1 }]);
  });

  it('an update whose body carries another id does not move or rename the record', async () => {
    expect((await call('PUT', '/members_groups/6813', { members_group: { id: 7, name: 'Renamed' } })).status).toBe(200);
    expect((await call('GET', '/members_groups/6813')).body.members_group).toMatchObject({ id: 6813, name: 'Renamed' });
    expect((await call('GET', '/members_groups/7')).status).toBe(404);
  });

  it("an update changes only the fields its request schema has: a member's created_at or email_status stay as they were, updated_at is the update's time", async () => {
    const before = (await call('GET', '/members/42')).body;
    const sent = { created_at: '2030-01-01T00:00:00Z', updated_at: '1999-01-01T00:00:00Z', person_id: 5, has_password: !before.has_password, email_status: 'bogus', properties: { last_name: 'Changed' } };
    expect((await call('PUT', '/members/42', sent)).status).toBe(200);
    const after = (await call('GET', '/members/42')).body;
    expect(after.properties.last_name).toBe('Changed');
    for (const field of ['created_at', 'person_id', 'has_password', 'email_status']) expect(after[field]).toEqual(before[field]);
    // Not the one sent: the time of the update (MOCK-48's `now`).
    expect(after.updated_at).not.toBe(sent.updated_at);
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
  });

  it('a delete answers with the record it removed', async () => {
    const group = (await call('POST', '/members_groups', { members_group: { name: 'Blue', type: 'Color' } })).body.members_group;
    expect((await call('DELETE', `/members_groups/${group.id}`)).body.members_group).toMatchObject({ id: group.id, name: 'Blue' });
    const created = (await call('POST', '/members', member)).body;
    expect((await call('DELETE', `/members/${created.id}`)).body).toMatchObject({ id: created.id, properties: { email: 'new@example.com' } });
  });

  it('a refusal quoting a consent slug outside Latin-1 is a 4xx, its sl-violations header escaped', async () => {
    const answer = await fetch(`${mocks.urls.placewise}/members`, { method: 'POST', headers, body: JSON.stringify({ ...member, consents: { 'nyhetsbrev€': { status: 'yes' } } }) });
    expect(answer.status).toBe(422);
    const header = answer.headers.get('sl-violations') ?? '';
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(header).toContain('nyhetsbrev\\u20ac');
    expect(JSON.stringify(JSON.parse(header))).toContain('nyhetsbrev€');
  });

  it('a page number past every record is an empty page, one past 2^53 - 1 is refused, and a per_page spelt per_page[] is not read past its limit', async () => {
    for (const path of ['/members?page_no=9007199254740991', '/members_groups?page_no=9007199254740991', '/members/42/groups?page_no=9007199254740991']) {
      const { status, body } = await call('GET', path);
      expect({ path, status, page: body.pagination_info?.current_page }).toEqual({ path, status: 200, page: 9007199254740991 });
    }
    // Past 2^53 - 1 the page answered was another (…993 read as …992): refused naming the parameter (MOCK-66).
    // Refused as an invalid page is: Placewise's documented 422, its {error, details}, not the mock's problem document.
    const shape = ({ status, body }: { status: number; body: any }) => ({ status, keys: Object.keys(body).sort() });
    const invalid = shape(await call('GET', '/members?page_no=abc'));
    expect(invalid).toEqual({ status: 422, keys: ['details', 'error'] });
    for (const page of ['9007199254740993', '99999999999999999999', '1e308', '1e400']) expect(shape(await call('GET', `/members?page_no=${page}`))).toEqual(invalid);
    // A list of ids item by item (a second round found it answered 200 []).
    for (const ids of ['ids[]=1&ids[]=9007199254740993', 'ids[]=1e400']) expect(shape(await call('GET', `/members?${ids}`))).toEqual(invalid);
    expect((await call('GET', '/members?ids[]=42&ids[]=9007199254740991')).status).toBe(200);
    expect((await call('GET', '/members_groups?per_page[]=5000')).body.pagination_info.per_page).toBe(1000);
  });

  it('finds a group by exactly its name: a comma or a bar in the filter is part of the name', async () => {
    await call('POST', '/members_groups', { members_group: { name: 'Redwood', type: 'Store' } });
    await call('POST', '/members_groups', { members_group: { name: 'Bluebell', type: 'Store' } });
    for (const name of ['Redwood,Bluebell', 'Redwood|Bluebell', 'Redwood|X']) expect((await call('GET', `/members_groups?name=${encodeURIComponent(name)}`)).body.members_groups).toEqual([]);
    expect((await call('GET', '/members_groups?name=Redwood')).body.members_groups.map((g: { name: string }) => g.name)).toEqual(['Redwood']);
  });

  it('finds a group by a name with a comma in it', async () => {
    const group = (await call('POST', '/members_groups', { members_group: { name: 'Sale, spring', type: 'Season' } })).body.members_group;
    expect((await call('GET', `/members_groups?name=${encodeURIComponent('Sale, spring')}`)).body.members_groups.map((g: { id: number }) => g.id)).toEqual([group.id]);
  });

  it("a subscription created by PUT takes the spec's defaults for what it leaves out, not the example's", async () => {
    const created = (await call('PUT', '/members_changes_subscriptions/9', { url: 'https://hooks.example/a' })).body;
    expect(created).toMatchObject({ event_schema_version: 1, is_sent_on_import: true, is_person_id_sent: false });
  });

  it('filters members by a property, equal to one value or any of several (properties[<name>], properties[<name>][])', async () => {
    const woman = (await call('POST', '/members', { properties: { email: 'w@example.com', gender: 'woman' } })).body.id;
    const man = (await call('POST', '/members', { properties: { email: 'm@example.com', gender: 'man' } })).body.id;
    const ids = async (query: string) => ((await call('GET', `/members?${query}`)).body.members as { id: number }[]).map((m) => m.id);
    expect(await ids('properties[gender]=man')).toContain(man);
    expect(await ids('properties[gender]=man')).not.toContain(woman);
    expect(await ids('properties[gender][]=man&properties[gender][]=woman')).toEqual(expect.arrayContaining([man, woman]));
    expect(await ids('properties[gender]=man&properties[email]=w@example.com')).toEqual([]);
    // A member without the property matches no value, "undefined" included.
    expect(await ids('properties[gender]=undefined')).toEqual([]);
  });

  // `$$`, `$&` and `$'` are patterns in String.replace's replacement text: the name went in as something else (MOCK-41).
  it.each(['price$$', 'a$&b', "c$'", 'd$`', '$1'])('filters by a property whose name holds "$" (%s)', async (name) => {
    const held = (await call('POST', '/members', { properties: { email: 'd@example.com', [name]: 'low', tier: 'gold' } })).body.id;
    const ids = async (query: string) => ((await call('GET', `/members?${query}`)).body.members as { id: number }[]).map((m) => m.id);
    expect(await ids('properties%5Btier%5D=gold')).toEqual([held]);
    expect(await ids(`properties%5B${encodeURIComponent(name)}%5D=low`)).toEqual([held]);
  });

  it('lists the members named by ids[]', async () => {
    const created = (await call('POST', '/members', member)).body;
    expect((await listed()).length).toBeGreaterThan(1);
    expect((await call('GET', `/members?ids[]=${created.id}`)).body.members.map((m: { id: number }) => m.id)).toEqual([created.id]);
    expect((await call('GET', '/members?ids[]=12345')).body.members).toEqual([]);
    // Any spelling Prism reads as the number names the member, as in a path (`/members/042`).
    expect((await call('GET', `/members?ids[]=0${created.id}`)).body.members.map((m: { id: number }) => m.id)).toEqual([created.id]);
  });

  it('searches and sorts members, and searches groups by name, type and description, as the spec documents (found 2026-12-01: dropped)', async () => {
    const ids = async (path: string) => (await call('GET', path)).body.members.map((m: { id: number }) => m.id);
    const zed = (await call('POST', '/members', { properties: { email: 'zed@example.com' } })).body.id;
    const amy = (await call('POST', '/members', { properties: { email: 'amy@example.com' } })).body.id;
    expect(await ids('/members')).toEqual([42, zed, amy]);
    expect(await ids('/members?sort_by[]=id&sort_directions[]=desc')).toEqual([amy, zed, 42]);
    expect(await ids('/members?search=ZED@example.com')).toEqual([zed]);
    await call('POST', '/members_groups', { members_group: { name: 'Gold', type: 'Store', description: 'Top spenders' } });
    const groups = (await call('GET', '/members_groups?search=spenders')).body.members_groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(['Gold']);
  });
});

describe('placewise member look-ups follow what is stored', () => {
  it('finds a created member by e-mail and MSISDN, and once it is deleted only its person id, in storage', async () => {
    const created = (await call('POST', '/members', { properties: { email: 'found@example.com', msisdn: '4799999999', first_name: 'Found' } })).body;
    for (const path of ['/members/by_email/found@example.com', '/members/by_msisdn/4799999999']) expect((await call('GET', path)).body).toMatchObject({ id: created.id, properties: { first_name: 'Found' } });
    for (const path of [`/members/${created.id}/person_id`, '/members/by_email/found@example.com/person_id', '/members/by_msisdn/4799999999/person_id']) {
      expect({ path, body: (await call('GET', path)).body }).toEqual({ path, body: { success: true, source: 'db', person_id: created.person_id } });
    }
    for (const path of [`/members/${created.id}/public_info`, '/members/by_email/found@example.com/public_info', '/members/by_msisdn/4799999999/public_info']) {
      expect({ path, body: (await call('GET', path)).body }).toMatchObject({ path, body: { exists: true } });
    }
    // Another member's look-ups find that member, not the first one stored.
    const other = (await call('POST', '/members', { properties: { email: 'other@example.com', msisdn: '4788888888' } })).body;
    expect((await call('GET', '/members/by_msisdn/4788888888/person_id')).body.person_id).toBe(other.person_id);
    expect((await call('GET', '/members/by_email/other@example.com/person_id')).body.person_id).toBe(other.person_id);
    expect((await call('DELETE', `/members/${created.id}`)).status).toBe(200);
    for (const path of ['/members/by_email/found@example.com', '/members/by_msisdn/4799999999']) expect((await call('GET', path)).status).toBe(404);
    for (const path of [`/members/${created.id}/public_info`, '/members/by_email/found@example.com/public_info', '/members/by_msisdn/4799999999/public_info']) expect(await call('GET', path)).toEqual({ status: 200, body: null });
    for (const path of [`/members/${created.id}/person_id`, '/members/by_email/found@example.com/person_id', '/members/by_msisdn/4799999999/person_id']) {
      // Placewise keeps a deleted member's person id (MOCK-47).
      expect(await call('GET', path)).toEqual({ status: 200, body: { success: true, source: 'storage', person_id: created.person_id } });
    }
  });

  it("lists a member's groups found by e-mail and by MSISDN from what is stored, and 404 once the member is gone", async () => {
    const member = (await call('POST', '/members', { properties: { email: 'grouped@example.com', msisdn: '4777777777' } })).body;
    const group = (await call('POST', '/members_groups', { members_group: { name: 'Silver', type: 'Store' } })).body.members_group;
    const byContact = ['/members/by_email/grouped@example.com/groups', '/members/by_msisdn/4777777777/groups'];
    const groupsAt = async (path: string) => ({ path, ids: (await call('GET', path)).body.members_groups.map((g: { id: number }) => g.id) });
    for (const path of byContact) expect(await groupsAt(path)).toEqual({ path, ids: [] });
    expect((await call('POST', `/members_groups/${group.id}/members/${member.id}`)).status).toBe(200);
    for (const path of byContact) expect(await groupsAt(path)).toEqual({ path, ids: [group.id] });
    // Member 42 (foo@bar.bz) is in other groups: the look-up is by the member it finds, not the example's.
    expect((await call('GET', '/members/by_email/foo@bar.bz/groups')).body.members_groups.map((g: { id: number }) => g.id)).not.toContain(group.id);
    expect((await call('DELETE', `/members/${member.id}`)).status).toBe(200);
    for (const path of [...byContact, '/members/by_email/nobody@example.com/groups']) expect({ path, status: (await call('GET', path)).status }).toEqual({ path, status: 404 });
  });

  it("every member has a person id of its own: created ones never take a seeded member's, however many are made", async () => {
    const seeded = (await call('GET', '/members?per_page=1000')).body.members.map((m: { person_id: number }) => m.person_id);
    const made: number[] = [];
    for (let i = 0; i < 60; i++) made.push((await call('POST', '/members', { properties: { msisdn: `47100000${String(i).padStart(2, '0')}` } })).body.person_id);
    expect(made.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set([...seeded, ...made]).size).toBe(seeded.length + made.length);
  });

  it("a deleted member's person id is not given to the next member, nor a deleted seed's; a reset starts over", async () => {
    const create = async (msisdn: string) => (await call('POST', '/members', { properties: { msisdn } })).body as { id: number; person_id: number };
    const first = await create('4711111111');
    expect((await call('DELETE', `/members/${first.id}`)).status).toBe(200);
    const second = await create('4711111112');
    expect(second.person_id).not.toBe(first.person_id);
    // The seeded member with the highest person id (42, 99) deleted: 99 stays taken too.
    const highestSeeded = Math.max(...(await call('GET', '/members?per_page=1000')).body.members.map((m: { person_id: number }) => m.person_id));
    for (const member of (await call('GET', '/members?per_page=1000')).body.members) expect((await call('DELETE', `/members/${member.id}`)).status).toBe(200);
    const third = await create('4711111113');
    expect([first.person_id, second.person_id, highestSeeded]).not.toContain(third.person_id);
    mocks.reset();
    expect((await create('4711111114')).person_id).toBe(first.person_id);
  });

  it("a deleted member's person id is found in `storage`, by id, e-mail and MSISDN, until a reset; one never held is `not_found`", async () => {
    const lookUps = (id: number, email: string, msisdn: string) => [`/members/${id}/person_id`, `/members/by_email/${email}/person_id`, `/members/by_msisdn/${msisdn}/person_id`];
    const answers = async (paths: string[]) => Promise.all(paths.map(async (path) => ({ path, ...(await call('GET', path)) })));
    const made = (await call('POST', '/members', { properties: { email: 'gone@example.com', msisdn: '4733333333' } })).body as { id: number; person_id: number };
    const seeded = lookUps(42, 'foo@bar.bz', '4740485124');
    const created = lookUps(made.id, 'gone@example.com', '4733333333');
    for (const answer of await answers(seeded)) expect(answer).toEqual({ path: answer.path, status: 200, body: { success: true, source: 'db', person_id: 99 } });
    expect((await call('DELETE', '/members/42')).status).toBe(200);
    expect((await call('DELETE', `/members/${made.id}`)).status).toBe(200);
    for (const answer of await answers(seeded)) expect(answer).toEqual({ path: answer.path, status: 200, body: { success: true, source: 'storage', person_id: 99 } });
    for (const answer of await answers(created)) expect(answer).toEqual({ path: answer.path, status: 200, body: { success: true, source: 'storage', person_id: made.person_id } });
    for (const answer of await answers(lookUps(987654, 'never@example.com', '4798989898'))) expect(answer).toEqual({ path: answer.path, status: 200, body: { success: true, source: 'not_found', person_id: null } });
    // The member itself is gone: only the person-id look-up reports deleted members.
    expect((await call('GET', '/members/42')).status).toBe(404);
    mocks.reset();
    for (const answer of await answers(created)) expect(answer.body.source).toBe('not_found');
  });

  it("a new member takes none of the example member's identifiers, and no member's e-mail", async () => {
    const bea = (await call('POST', '/members', { properties: { msisdn: '4722222222', first_name: 'Bea' } })).body;
    expect(bea.properties.email).toBeUndefined();
    expect(bea.person_id).toEqual(expect.any(Number));
    const cid = (await call('POST', '/members', { properties: { email: 'cid@example.com' } })).body;
    expect(cid.properties.msisdn).toBeUndefined();
    expect(cid.person_id).not.toBe(bea.person_id);
    expect((await call('DELETE', '/members/42')).status).toBe(200);
    for (const path of ['/members/by_email/foo@bar.bz', '/members/by_msisdn/4740485124']) expect((await call('GET', path)).status).toBe(404);

    const twice = await call('POST', '/members', { properties: { email: 'cid@example.com' } });
    expect(twice).toEqual({ status: 422, body: { email: [{ property: 'email', error: 'duplicated_email_in_community' }] } });
    expect((await call('PUT', `/members/${bea.id}`, { properties: { email: 'cid@example.com' } })).status).toBe(422);
    expect((await call('PUT', `/members/${cid.id}`, { properties: { email: 'cid@example.com', first_name: 'Cid' } })).status).toBe(200);
    expect((await call('GET', `/members?ids[]=${bea.id}`)).body.members[0].properties.email).toBeUndefined();
  });

  it("shows a member's own properties, not the example member's besides", async () => {
    const created = (await call('POST', '/members', { properties: { email: 'plain@example.com' } })).body;
    const shown = (await call('GET', `/members/${created.id}`)).body;
    const listed = (await call('GET', `/members?ids[]=${created.id}`)).body.members[0];
    expect(shown.properties).toEqual(listed.properties);
    expect(shown.properties.email).toBe('plain@example.com');
  });

  it("a new member holds what it was sent and what MPC gives it, none of the example member's consents, statuses, password or name: answered, read, listed, deleted and announced so", async () => {
    const created = await call('POST', '/members', { properties: { email: 'new@example.com' } }, { 'x-subproduct-name': 'spring-2026' });
    expect(created.status).toBe(200);
    const { id, created_at } = created.body;
    const given = { id, person_id: expect.any(Number), properties: { email: 'new@example.com' }, optin_channel: 'tests', optin_subchannel: 'spring-2026', created_at, updated_at: created_at };
    expect(created.body).toEqual(given);
    for (const path of [`/members/${id}`, '/members/by_email/new@example.com']) expect((await call('GET', path)).body).toEqual(given);
    expect((await call('GET', `/members?ids[]=${id}`)).body.members).toEqual([given]);
    await until(() => received.length === 1);
    const announced = JSON.parse(received[0]!.body).events[0].member;
    expect(announced).toMatchObject({ id, email: 'new@example.com', properties: {}, consents: {}, sms_status: null, email_status: null, push_status: null, optin_channel: 'tests' });
    // A consent given later is the member's first: no example consent beside it, in the update's answer or the delete's.
    const answered = (await call('PUT', `/members/${id}`, { consents: { consent1: { status: true } } })).body;
    expect(answered).toEqual({ ...given, consents: { consent1: { status: true, updated_at: answered.updated_at } }, updated_at: expect.any(String) });
    expect((await call('DELETE', `/members/${id}`)).body).toEqual(answered);
  });

  it('a new member has the consents and password it was sent, keeps no password, and an update adds a consent it lacked', async () => {
    const sent = { properties: { email: 'kari@example.com', first_name: 'Kari' }, consents: { consent2: { status: false } }, password: 'SuperStrongP4ssw0rd', sms_enabled: false };
    const created = (await call('POST', '/members', sent)).body;
    expect(created).toMatchObject({ properties: { email: 'kari@example.com', first_name: 'Kari' }, consents: { consent2: { status: false } }, has_password: true });
    for (const field of ['password', 'sms_enabled', 'email_status', 'sms_status']) expect(created).not.toHaveProperty(field);
    expect((await call('POST', '/members', { properties: { email: 'nopass@example.com' }, password: '' })).body).not.toHaveProperty('has_password');

    expect((await call('PUT', `/members/${created.id}`, { consents: { consent1: { status: true } }, password: 'another' })).status).toBe(200);
    const read = (await call('GET', `/members/${created.id}`)).body;
    expect(read.consents).toEqual({ consent1: { status: true, updated_at: read.updated_at }, consent2: { status: false, updated_at: created.created_at } });
    expect(read).not.toHaveProperty('password');
  });
});

describe("placewise consents are dated as a read shows them", () => {
  it('a consent given on create is dated with the member, one given or changed by an update with the update, and the others keep their dates', async () => {
    const created = (await call('POST', '/members', { properties: { email: 'consents@example.com' }, consents: { consent1: { status: true }, newsletter: { status: false } } })).body;
    const onCreate = { consent1: { status: true, updated_at: created.created_at }, newsletter: { status: false, updated_at: created.created_at } };
    expect(created.consents).toEqual(onCreate);
    expect((await call('GET', `/members/${created.id}`)).body.consents).toEqual(onCreate);
    expect((await call('GET', `/members?ids[]=${created.id}`)).body.members[0].consents).toEqual(onCreate);

    await new Promise((r) => setTimeout(r, 5));
    const updated = (await call('PUT', `/members/${created.id}`, { consents: { newsletter: { status: true }, consent2: { status: false } } })).body;
    expect(updated.updated_at > created.updated_at).toBe(true);
    expect(updated.consents).toEqual({ ...onCreate, newsletter: { status: true, updated_at: updated.updated_at }, consent2: { status: false, updated_at: updated.updated_at } });
    expect((await call('GET', `/members/${created.id}`)).body.consents).toEqual(updated.consents);
  });

  it('an update that sends consents as they are changes nothing: no date moves and no one hears of it', async () => {
    const created = (await call('POST', '/members', { properties: { email: 'same-consents@example.com' }, consents: { consent1: { status: true } } })).body;
    heard.length = 0;
    await new Promise((r) => setTimeout(r, 5));
    const again = (await call('PUT', `/members/${created.id}`, { consents: { consent1: { status: true } } })).body;
    expect(again).toEqual(created);
    expect(heard).toEqual([]);
  });

  it('a consent resent as it was alongside another change keeps its date and is announced as no change', async () => {
    const created = (await call('POST', '/members', { properties: { email: 'kept-consent@example.com' }, consents: { consent1: { status: true }, consent2: { status: true } } })).body;
    await new Promise((r) => setTimeout(r, 5));
    received.length = 0;
    const updated = (await call('PUT', `/members/${created.id}`, { properties: { first_name: 'Kari' }, consents: { consent1: { status: true }, consent2: { status: false } } })).body;
    expect(updated.updated_at).not.toBe(created.created_at);
    expect(updated.consents).toEqual({ consent1: { status: true, updated_at: created.created_at }, consent2: { status: false, updated_at: updated.updated_at } });
    await until(() => received.length === 1);
    const { events } = JSON.parse(received[0]!.body) as { events: { member_changes: { consents?: Record<string, unknown> } }[] };
    expect(Object.keys(events[0]!.member_changes.consents ?? {})).toEqual(['consent2']);
  });

  it('dates consents whose slugs are __proto__, constructor, empty or hold ~ and /, as slugs', async () => {
    const odd = '{"properties":{"email":"odd@example.com"},"consents":{"__proto__":{"status":true},"":{"status":false},"~1":{"status":true},"a/b":{"status":true}}}';
    const created = (await fetch(`${mocks.urls.placewise}/members`, { method: 'POST', headers, body: odd }).then((r) => r.json())) as any;
    const dated = (status: boolean, at: string) => ({ status, updated_at: at });
    expect(JSON.stringify(created.consents)).toBe(JSON.stringify({ ['__proto__']: dated(true, created.created_at), '': dated(false, created.created_at), '~1': dated(true, created.created_at), 'a/b': dated(true, created.created_at) }));
    const updated = (await fetch(`${mocks.urls.placewise}/members/${created.id}`, { method: 'PUT', headers, body: '{"consents":{"__proto__":{"status":false},"constructor":{"status":true}}}' }).then((r) => r.json())) as any;
    expect(Object.keys(updated.consents)).toEqual(['__proto__', '', '~1', 'a/b', 'constructor']);
    expect([updated.consents['__proto__'], updated.consents.constructor, updated.consents['~1']]).toEqual([dated(false, updated.updated_at), dated(true, updated.updated_at), dated(true, created.created_at)]);
  });
});

describe("placewise public info follows the member's record", () => {
  const publicInfo = (id: number, email: string, msisdn?: string) => [`/members/${id}/public_info`, `/members/by_email/${email}/public_info`, ...(msisdn ? [`/members/by_msisdn/${msisdn}/public_info`] : [])];

  it('shows the identifiers a member has, a password only when one was sent, and sign-in with a password or an MSISDN', async () => {
    const plain = (await call('POST', '/members', { properties: { email: 'plain-info@example.com' } })).body;
    for (const path of publicInfo(plain.id, 'plain-info@example.com')) {
      expect({ path, body: (await call('GET', path)).body }).toEqual({ path, body: { exists: true, can_login: false, available_identifiers: ['email'], has_password: false } });
    }
    const phone = (await call('POST', '/members', { properties: { email: 'phone-info@example.com', msisdn: '4791111111' } })).body;
    for (const path of publicInfo(phone.id, 'phone-info@example.com', '4791111111')) {
      expect({ path, body: (await call('GET', path)).body }).toEqual({ path, body: { exists: true, can_login: true, available_identifiers: ['email', 'msisdn'], has_password: false } });
    }
    // A password given later is had from then on, as one sent on create.
    expect((await call('PUT', `/members/${plain.id}`, { password: 'SuperStrongP4ssw0rd' })).status).toBe(200);
    expect((await call('GET', `/members/${plain.id}/public_info`)).body).toEqual({ exists: true, can_login: true, available_identifiers: ['email'], has_password: true });
    const withPassword = (await call('POST', '/members', { properties: { email: 'pass-info@example.com' }, password: 'SuperStrongP4ssw0rd' })).body;
    expect((await call('GET', '/members/by_email/pass-info@example.com/public_info')).body).toEqual({ exists: true, can_login: true, available_identifiers: ['email'], has_password: true });
    expect((await call('GET', `/members/${withPassword.id}`)).body.has_password).toBe(true);
  });

  it('answers null, as documented for not found, for a member that never existed, by id, e-mail and MSISDN', async () => {
    for (const path of publicInfo(987654, 'nobody@example.com', '4790000000')) expect({ path, answer: await call('GET', path) }).toEqual({ path, answer: { status: 200, body: null } });
  });
});

describe('placewise push tokens and registration checks (PLACEWISE-35)', () => {
  it("sets a member's push token with an empty answer, and refuses a member that does not exist", async () => {
    const created = (await call('POST', '/members', { properties: { email: 'push@example.com' } })).body;
    expect(await call('PUT', `/members/${created.id}/update_app_token`, { app_token: 'tok3n', app_platform: 'ios' })).toEqual({ status: 200, body: {} });
    expect((await call('PUT', `/members/${created.id}/update_app_token`, { app_token: null })).status).toBe(200);
    expect((await call('DELETE', `/members/${created.id}`)).status).toBe(200);
    expect((await call('PUT', `/members/${created.id}/update_app_token`, { app_token: 'tok3n', app_platform: 'ios' })).status).toBe(404);
    expect((await call('PUT', '/members/42/update_app_token', { app_token: 'tok3n', app_platform: 'windows' })).status).toBe(422);
  });
  it('a push token changes nothing a read shows, so it announces no member change', async () => {
    expect((await call('PUT', '/members/42/update_app_token', { app_token: 'tok3n', app_platform: 'android' })).status).toBe(200);
    await expectOnlyARealChangeNotified();
  });
  it('checks registration data with a 200 that says whether it is valid', async () => {
    const checked = await call('POST', '/members/validate', { properties: { email: 'new@example.com' } });
    expect(checked).toEqual({ status: 200, body: { valid: true, errors: null } });
  });
});

describe('placewise member-change webhooks from the mock', () => {
  it('creating a member sends an import notification that verifies', async () => {
    const member = await call('POST', '/members', { properties: { email: 'dev+6@example.com', msisdn: '4740485124', first_name: 'The', last_name: 'Doge' } });
    expect(member.status).toBe(200);
    await until(() => received.length === 1);
    const payload = await verifyPlacewiseWebhook({ headers: received[0]!.headers, body: received[0]!.body }, 'configured-secret');
    expect(payload.version).toBe(2);
    expect((payload as { events: { event: { type: string }; member: { id: number } }[] }).events[0]).toMatchObject({ event: { type: 'import' }, member: { id: member.body.id } });
  });

  it('a subscription made through the API receives updates with its own secret', async () => {
    const subscription = await call('PUT', '/members_changes_subscriptions/7', { url: receiverUrl, event_schema_version: 2, is_sent_on_update: true });
    expect(subscription.status).toBe(200);
    const secret = subscription.body.secret_token as string;
    expect((await call('PUT', '/members/42', { properties: { last_name: 'Doge' } })).status).toBe(200);
    await until(() => received.length === 2);
    const tokens = received.map((r) => r.headers['x-secret-token']).sort();
    expect(tokens).toEqual(['configured-secret', secret].sort());
    const mine = received.find((r) => r.headers['x-secret-token'] === secret)!;
    const payload = (await verifyPlacewiseWebhook({ headers: mine.headers, body: mine.body }, secret)) as { events: { member_changes: Record<string, unknown> }[] };
    expect(JSON.stringify(payload.events[0]!.member_changes)).toContain('Doge');
  });

  it('a numeric id in any decimal spelling names one record: 007, +7 and 7 are one subscription; 7.0, 1e1 and 0x7 are refused as an invalid id', async () => {
    for (const id of ['7', '007', '+7', '10']) expect((await call('PUT', `/members_changes_subscriptions/${id}`, { url: `${receiverUrl}?${id}`, event_schema_version: 2 })).status).toBe(200);
    // The id is an integer: a fraction or an exponent is no spelling of one, nor hex.
    for (const id of ['7.0', '1e1', '0x7']) expect((await call('PUT', `/members_changes_subscriptions/${id}`, { url: `${receiverUrl}?${id}`, event_schema_version: 2 })).status).toBe(422);
    expect((await call('GET', '/members/042')).body.id).toBe(42);
    expect((await call('PUT', '/members/42', { properties: { last_name: 'Numbered' } })).status).toBe(200);
    // The configured subscriber, subscription 7 (last pointed at ?+7) and subscription 10 (last at ?10).
    await until(() => received.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((r) => r.url).sort()).toEqual(['/hooks', '/hooks?+7', '/hooks?10']);
  });

  // Found 2026-12-01: a create refused for a duplicate e-mail had used up member id 43 and person id 100.
  it('a refused create gives out no id or person id', async () => {
    const taken = (await call('GET', '/members/42')).body.properties.email;
    expect((await call('POST', '/members', { properties: { email: taken } })).status).toBe(422);
    const after = (await call('POST', '/members', { properties: { email: 'first@example.com' } })).body;
    mocks.reset();
    const alone = (await call('POST', '/members', { properties: { email: 'first@example.com' } })).body;
    expect([after.id, after.person_id]).toEqual([alone.id, alone.person_id]);
    // Each create is announced: let both deliveries land here, not in the next test.
    await until(() => received.length === 2);
  });

  it('an update that changes nothing is no change: not dated, not heard by onChange, announced to no one', async () => {
    const current = (await call('GET', '/members/42')).body;
    const same = [await call('PUT', '/members/42', {}), await call('PUT', '/members/42', { properties: { last_name: current.properties.last_name } })];
    expect(same.map((answer) => [answer.status, answer.body.updated_at])).toEqual([[200, current.updated_at], [200, current.updated_at]]);
    expect((await call('GET', '/members/42')).body).toEqual(current);
    expect(heard).toEqual([]);
    await expectOnlyARealChangeNotified();
    expect(heard.map((c) => `${c.action} ${c.resource}`)).toEqual(['update members']);
  });

  it('a subscription gets only the kinds of change and the format it asks for', async () => {
    const v1 = (await call('PUT', '/members_changes_subscriptions/7', { url: `${receiverUrl}?v1`, event_schema_version: 1, is_sent_on_import: false })).body;
    const v2 = (await call('PUT', '/members_changes_subscriptions/8', { url: `${receiverUrl}?v2`, event_schema_version: 2, is_person_id_sent: false })).body;
    const at = (suffix: string) => received.filter((r) => r.url === `/hooks${suffix}`).map((r) => JSON.parse(r.body));

    expect((await call('POST', '/members', { properties: { email: 'v1@example.com' } })).status).toBe(200);
    await until(() => received.length === 2); // the configured receiver and v2: v1 takes no imports
    expect(at('?v1')).toEqual([]);
    // person_id only where asked for: the configured receiver gets it, this subscription does not.
    expect(at('')[0].events[0].member).toHaveProperty('person_id');
    expect(at('?v2')[0].events[0].member).not.toHaveProperty('person_id');

    expect((await call('PUT', '/members/42', { properties: { last_name: 'Doge' } })).status).toBe(200);
    await until(() => received.length === 5);
    const v1Sent = received.find((r) => r.url === '/hooks?v1')!;
    const payload = (await verifyPlacewiseWebhook({ headers: v1Sent.headers, body: v1Sent.body }, v1.secret_token)) as { version: number; bulk: { event_type: string; external_id: number; properties: Record<string, { value: string }> }[] };
    expect(payload).toMatchObject({ version: 1, bulk: [{ event_type: 'update', external_id: 42, properties: { last_name: { value: 'Doge' } } }] });
    // The statuses and opt-in channel the vendor's v1 example carries, from the member.
    const member = (await call('GET', '/members/42')).body;
    for (const field of ['sms_status', 'email_status', 'push_status', 'optin_channel']) expect(payload.bulk[0]!.properties[field]).toEqual({ type: 'string', value: member[field] });
    expect(at('?v2').at(-1).version).toBe(2);
    expect(v2.secret_token).toEqual(expect.any(String));
  });

  // A review of 2026-12-03: the sender checks each payload with the generated validators before it goes;
  // here each one that arrived is judged again by Ajv 2020-12 compiled from the bundled spec itself.
  it('every notification the mock sends, in each format and for each kind of change, validates against the bundled spec with Ajv 2020-12', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(JSON.parse(readFileSync(new URL('../../generated/placewise/openapi.json', import.meta.url), 'utf8')), 'placewise');
    const schemaOf = (webhook: string) => ajv.getSchema(`placewise#/webhooks/${webhook}/post/requestBody/content/application~1json/schema`)!;
    for (const [id, settings] of [[7, { event_schema_version: 1 }], [8, { event_schema_version: 2 }], [9, { event_schema_version: 2, is_person_id_sent: true }]] as const) {
      expect((await call('PUT', `/members_changes_subscriptions/${id}`, { url: `${receiverUrl}?${id}`, ...settings })).status).toBe(200);
    }
    const created = await call('POST', '/members', { properties: { email: 'every@example.com', msisdn: '4740485125', first_name: 'Every', interests: ['a', 'b'] }, consents: { sms_marketing: { status: true } } });
    expect((await call('PUT', `/members/${created.body.id}`, { properties: { first_name: 'Format', interests: null }, consents: { sms_marketing: { status: false } } })).status).toBe(200);
    expect((await call('DELETE', `/members/${created.body.id}`)).status).toBe(200);
    // Three subscriptions and the receiver given to the mock, for each of the three changes.
    await until(() => received.length === 12);
    const judged = received.map((r) => {
      const payload = JSON.parse(r.body);
      const validate = schemaOf(payload.version === 1 ? 'memberChangesV1' : 'memberChangesV2');
      const kind = payload.version === 1 ? payload.bulk[0].event_type : payload.events[0].event.type;
      return `${r.url} v${payload.version} ${kind}: ${validate(payload) ? 'valid' : ajv.errorsText(validate.errors)}`;
    });
    expect(judged.sort()).toEqual(['/hooks', '/hooks?7', '/hooks?8', '/hooks?9'].flatMap((url) => ['delete', 'import', 'update'].map((kind) => `${url} v${url.endsWith('7') ? 1 : 2} ${kind}: valid`)).sort());
  });

  it('a created member is created and last changed now, and an update moves only updated_at', async () => {
    const start = new Date().toISOString();
    const created = (await call('POST', '/members', { properties: { email: 'dated@example.com' } })).body;
    const made = new Date().toISOString();
    expect(created.created_at >= start && created.created_at <= made).toBe(true);
    expect(created.updated_at).toBe(created.created_at);
    await until(() => received.length === 1);
    expect(JSON.parse(received[0]!.body).events[0]).toMatchObject({ event: { date: created.created_at }, member: { created_at: created.created_at, updated_at: created.updated_at } });

    await new Promise((r) => setTimeout(r, 5));
    const updated = (await call('PUT', `/members/${created.id}`, { properties: { first_name: 'Dated' } })).body;
    expect(updated.created_at).toBe(created.created_at);
    expect(updated.updated_at > created.updated_at && updated.updated_at <= new Date().toISOString()).toBe(true);
    expect((await call('GET', `/members/${created.id}`)).body.updated_at).toBe(updated.updated_at);
    // As in the vendor's example: the event happened when the member was last changed.
    await until(() => received.length === 2);
    expect(JSON.parse(received[1]!.body).events[0]).toMatchObject({ event: { type: 'update', date: updated.updated_at }, member: { updated_at: updated.updated_at } });
  });

  it('each subscription has a secret token of its own, and a url another subscription has is refused with the documented 422', async () => {
    const seven = await call('PUT', '/members_changes_subscriptions/7', { url: `${receiverUrl}?one`, event_schema_version: 2 });
    const eight = await call('PUT', '/members_changes_subscriptions/8', { url: `${receiverUrl}?two`, event_schema_version: 2 });
    expect([seven.status, eight.status]).toEqual([200, 200]);
    expect(seven.body.secret_token).not.toBe(eight.body.secret_token);
    expect((await call('PUT', '/members_changes_subscriptions/7', { url: `${receiverUrl}?one` })).body.secret_token).toBe(seven.body.secret_token);

    const taken = await call('PUT', '/members_changes_subscriptions/9', { url: `${receiverUrl}?one`, event_schema_version: 2 });
    expect(taken.status).toBe(422);
    // It quotes the url sent, not the example's.
    expect(taken.body).toMatchObject({ error: 'Invalid parameters', details: { url: [{ error: 'taken', value: `${receiverUrl}?one` }] } });
    expect((await call('PUT', '/members_changes_subscriptions/8', { url: `${receiverUrl}?one` })).status).toBe(422);
    // The same receiver spelt otherwise (the scheme in capitals) is taken too: both subscriptions got every change twice.
    expect((await call('PUT', '/members_changes_subscriptions/9', { url: `${receiverUrl.replace('http://', 'HTTP://')}?one`, event_schema_version: 2 })).status).toBe(422);
    // Nor is a fragment another receiver: fetch never sends it.
    expect((await call('PUT', '/members_changes_subscriptions/9', { url: `${receiverUrl}?one#again`, event_schema_version: 2 })).status).toBe(422);

    expect((await call('PUT', '/members/42', { properties: { last_name: 'Once' } })).status).toBe(200);
    await until(() => received.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((r) => r.url).sort()).toEqual(['/hooks', '/hooks?one', '/hooks?two']);
    expect(received.find((r) => r.url === '/hooks?one')!.headers['x-secret-token']).toBe(seven.body.secret_token);
  });

  it('refuses a subscription url that is not http(s) with the documented 422 naming url, and takes https in any case', async () => {
    // http:// with no host and a url with a user name and password were taken, then never sent to.
    for (const url of ['ftp://hooks.example.com/x', 'mailto:ops@example.com', 'hooks.example.com/x', 'http://', 'http://user:pass@127.0.0.1:1/x']) {
      const refused = await call('PUT', '/members_changes_subscriptions/7', { url, event_schema_version: 2 });
      expect(refused.status).toBe(422);
      // Whether the schema refused it or only the mock's delivery did (a user and password), it quotes the url sent.
      expect(refused.body).toMatchObject({ error: 'Invalid parameters', details: { url: [{ error: 'invalid', value: url }] } });
    }
    expect((await call('PUT', '/members_changes_subscriptions/7', { url: 'HTTPS://hooks.example.com/x' })).status).toBe(200);
  });

  // Found 2026-12-01: an IDN url broke the schema's `format: uri`, and the 422 was the first documented
  // example, naming event_schema_version. Placewise's URL check is not documented; the spec takes RFC 3986.
  it('refuses a url that is no URI (an IDN host, a space) with the 422 naming url, and takes the IDN written in punycode', async () => {
    for (const url of ['http://bücher.example/hook', 'https://hooks.example.com/a b']) {
      const refused = await call('PUT', '/members_changes_subscriptions/7', { url, event_schema_version: 2 });
      expect([refused.status, refused.body]).toEqual([422, { error: 'Invalid parameters', details: { url: [expect.objectContaining({ error: 'invalid' })] } }]);
    }
    expect((await call('PUT', '/members_changes_subscriptions/7', { url: 'http://xn--bcher-kva.example/hook', event_schema_version: 2 })).status).toBe(200);
  });

  // Found 2026-12-02: every body violation but a url's got the first 422 example, naming event_schema_version 3.
  it('refuses a subscription body that breaks its schema with the 422 naming the field and the rule, and stores nothing', async () => {
    const refusals: [unknown, unknown][] = [
      [{ event_schema_version: 2 }, { url: [{ error: 'presence', options: {}, message: 'is required but missing' }] }],
      [{ url: receiverUrl, event_schema_version: 5 }, { event_schema_version: [{ error: 'inclusion', options: { in: [1, 2] }, value: 5, message: 'must be one of 1, 2' }] }],
      [{ url: receiverUrl, event_schema_version: 'two' }, { event_schema_version: [{ error: 'not_an_integer', options: {}, value: 'two', message: 'must be integer' }] }],
      [{ url: receiverUrl, is_sent_on_update: 'yes' }, { is_sent_on_update: [{ error: 'invalid', options: {}, value: 'yes', message: 'must be boolean' }] }],
      [{ url: receiverUrl, excluded_sources: { update: 'web' } }, { excluded_sources: { update: [{ error: 'must_be_an_array', options: {}, value: 'web', message: 'must be array' }] } }],
      [{ url: receiverUrl, excluded_sources: { update: ['web', 7] } }, { excluded_sources: { update: { 1: [{ error: 'invalid', options: {}, value: 7, message: 'must be string' }] } } }],
    ];
    for (const [body, details] of refusals) {
      const refused = await call('PUT', '/members_changes_subscriptions/7', body);
      expect({ body, refused }).toEqual({ body, refused: { status: 422, body: { error: 'Invalid parameters', details } } });
    }
    // Nothing was stored: the subscription 7 made now is the first, with the defaults.
    expect((await call('PUT', '/members_changes_subscriptions/7', { url: receiverUrl })).body).toMatchObject({ id: 7, event_schema_version: 1, is_sent_on_update: true });
  });

  it('tells the receiver given to the mock which session each change was made in (X-Mock-Session)', async () => {
    const inSession = await fetch(`${mocks.urls.placewise}/members`, { method: 'POST', headers: { ...headers, 'x-mock-session': 'B' }, body: JSON.stringify({ properties: { email: 'b@example.com' } }) });
    expect(inSession.status).toBe(200);
    expect((await call('POST', '/members', { properties: { email: 'a@example.com' } })).status).toBe(200);
    await until(() => received.length === 2);
    const sessions = Object.fromEntries(received.map((r) => [JSON.parse(r.body).events[0].member.email, r.headers['x-mock-session']]));
    expect(sessions).toEqual({ 'b@example.com': 'B', 'a@example.com': 'default' });
    mocks.reset('B');
  });
});

describe('placewise bodies that are not JSON', () => {
  it('are answered with the documented 400 and its empty body (PLACEWISE-8), not the mock\'s problem, and change nothing', async () => {
    const groups = async () => JSON.stringify((await call('GET', '/members_groups')).body);
    const before = await groups();
    for (const [method, path] of [['POST', '/members_groups'], ['POST', '/members'], ['POST', '/members/validate'], ['PUT', '/members_changes_subscriptions/5']]) {
      const response = await fetch(`${mocks.urls.placewise}${path}`, { method, headers, body: '{bad' });
      expect({ path, status: response.status, type: response.headers.get('content-type'), body: await response.text() }).toEqual({ path, status: 400, type: null, body: '' });
    }
    expect(await groups()).toBe(before);
    // Whatever a Prefer asks: asked for its 200, a create was a 422 "duplicated_email_in_community" (found 2026-12-02).
    for (const prefer of ['code=200', 'code=422']) {
      const asked = await fetch(`${mocks.urls.placewise}/members`, { method: 'POST', headers: { ...headers, prefer }, body: '{bad' });
      expect({ prefer, status: asked.status, body: await asked.text() }).toEqual({ prefer, status: 400, body: '' });
    }
    // Bytes that are not UTF-8 are no JSON either: a Latin-1 "Café" was stored as "Caf\uFFFD" and announced so.
    const latin1 = Buffer.concat([Buffer.from('{"properties":{"last_name":"Caf'), Buffer.from([0xe9]), Buffer.from('"}}')]);
    const update = await fetch(`${mocks.urls.placewise}/members/42`, { method: 'PUT', headers, body: latin1 });
    expect([update.status, await update.text()]).toEqual([400, '']);
    expect((await call('GET', '/members/42')).body.properties.last_name).not.toContain('\uFFFD');
    // The same text sent as UTF-8 (a real U+FFFD) is a body like any other, not the refused one's verdict.
    const utf8 = await fetch(`${mocks.urls.placewise}/members/42`, { method: 'PUT', headers, body: Buffer.from('{"properties":{"last_name":"Caf\uFFFD"}}') });
    expect([utf8.status, ((await utf8.json()) as { properties: { last_name: string } }).properties.last_name]).toEqual([200, 'Caf\uFFFD']);
    // A Prefer does not let such a body past its answer, as it does not a body's 415 (MOCK-65).
    const preferred = await fetch(`${mocks.urls.placewise}/members_groups`, { method: 'POST', headers: { ...headers, prefer: 'code=200' }, body: '{bad' });
    expect({ status: preferred.status, body: await preferred.text() }).toEqual({ status: 400, body: '' });
    // The credentials are checked first, as for any body.
    const unauthorised = await fetch(`${mocks.urls.placewise}/members_groups`, { method: 'POST', headers: { ...headers, 'x-client-authorization': '' }, body: '{bad' });
    expect(unauthorised.status).toBe(401);
    // Its violations name the body's real fault: it was sent, and is not JSON (they said it was missing).
    const violations = JSON.parse(unauthorised.headers.get('sl-violations') ?? '[]') as { location: string[]; message: string }[];
    expect(violations.filter((v) => v.location[1] === 'body' || /body/i.test(v.message))).toEqual([{ location: ['request', 'body'], severity: 'Error', message: expect.stringMatching(/^request body is not valid JSON: /) }]);
  });
});

import { createServer } from 'node:http';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { vendors as listed } from '../vendors.js';
import { bundlePath } from './bundles.js';
import { close, listen } from './http.js';
import { ConfigError, startMocks, type Change, type RunningMocks } from './index.js';
import { loadOperations, type Operation } from './prism.js';

// The vendor list plus two vendors whose specs document no operation yet (as a new vendor starts out).
vi.mock('../vendors.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../vendors.js')>();
  const imprzd = real.vendors.find((v) => v.name === 'imprzd')!;
  const all = [...real.vendors, { ...imprzd, name: 'newcomer', operationCount: 0 }, { ...imprzd, name: 'latecomer', operationCount: 0 }];
  return { ...real, vendors: all, findVendor: (name: string) => all.find((v) => v.name === name.toLowerCase()) };
});
const vendors = listed.filter((v) => v.operationCount > 0);

const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
const createAccount = (base: string, session?: string) =>
  fetch(`${base}/accounts`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json', ...(session ? { 'x-mock-session': session } : {}) },
    body: JSON.stringify({ name: 'Acme', phoneNumber: '+1324353535', email: 'a@b.co' }),
  }).then((r) => r.json() as Promise<{ id: number }>);
const statistics = (base: string, id: number, session?: string) =>
  fetch(`${base}/accounts/${id}/statistics`, { headers: { authorization: basic, ...(session ? { 'x-mock-session': session } : {}) } }).then((r) => r.status);

/**
 * A call to an operation with its credentials and required headers as its security and examples
 * ask, each path parameter its example unless given, so only what a test changes can be wrong.
 */
function callWith(base: string, operation: Operation, given: Record<string, string>): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const query = new URLSearchParams();
  for (const scheme of operation.security?.[0] ?? []) {
    if (scheme.type === 'http') headers.authorization = scheme.scheme === 'basic' ? basic : 'Bearer t';
    else if (scheme.type === 'apiKey' && scheme.in === 'query') query.set(scheme.name, 't');
    else if (scheme.type === 'apiKey' && scheme.in === 'header') headers[scheme.name.toLowerCase()] = 't';
  }
  for (const header of operation.request?.headers ?? []) if (header.required) headers[header.name.toLowerCase()] = String(header.examples?.[0] && 'value' in header.examples[0] ? header.examples[0].value : 'x');
  const example = (name: string) => {
    const param = operation.request?.path?.find((p) => p.name === name);
    return given[name] ?? String(param?.examples?.[0] && 'value' in param.examples[0] ? param.examples[0].value : '1');
  };
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(example(name)));
  return fetch(`${base}${path}${query.size ? `?${query}` : ''}`, { method: operation.method.toUpperCase(), headers });
}

/** A port that was free a moment ago (from port 0), for the options that take a port number. */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, 0, '127.0.0.1', 'probe');
  await close(probe);
  return port;
}

describe('startMocks() with every vendor', () => {
  let mocks: RunningMocks;
  const changes: Change[] = [];
  const lines: string[] = [];
  const loaded: { vendor: string; operations: number }[] = [];
  let loadedWhenStarted: typeof loaded = [];
  // Started before the first test, not in beforeAll: a beforeAll that throws only marks the tests
  // skipped (a mutation run counts them as passing); here a failure to start fails every test.
  let started: Promise<void> | undefined;
  beforeEach(async () => {
    started ??= startMocks({ portBase: 0, log: (line) => lines.push(line), onChange: (change) => changes.push(change), onLoaded: (vendor) => loaded.push(vendor) }).then((running) => {
      mocks = running;
      loadedWhenStarted = [...loaded];
    });
    await started;
    mocks.reset();
    changes.length = 0;
    lines.length = 0;
  });
  afterAll(() => mocks?.stop());

  it('serves each vendor that has operations on a port of its own on 127.0.0.1, and all of them under the gateway', async () => {
    expect(Object.keys(mocks.urls)).toEqual(vendors.map((v) => v.name));
    const ports = Object.values(mocks.urls).map((url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      return new URL(url).port;
    });
    expect(new Set([...ports, new URL(mocks.gatewayUrl).port]).size).toBe(vendors.length + 1);
    expect(await statistics(mocks.urls.xonvo!, 21)).toBe(200);
    expect(await statistics(`${mocks.gatewayUrl}/xonvo`, 21)).toBe(200);
  });

  // The command line prints a line for each: loading is most of start-up (TEST-19).
  it('tells onLoaded each vendor it loads, once, with the number of its operations, before it resolves', () => {
    expect(loadedWhenStarted.sort((a, b) => a.vendor.localeCompare(b.vendor))).toEqual(vendors.map((v) => ({ vendor: v.name, operations: v.operationCount })).sort((a, b) => a.vendor.localeCompare(b.vendor)));
    expect(loaded).toHaveLength(vendors.length);
  });

  it('refuses an unknown vendor at the gateway, naming the ones it serves; at its root says to begin the path with one, and after a doubled / says so', async () => {
    // Found 2026-12-03: `${base}/perx/…` with a base ending in / was told to begin the path with a vendor, which it did (MOCK-153).
    for (const [path, tail] of [['/nobody/x', '"nobody" is not one of them'], ['/', 'begin the path with one of them'], ['//perx/v4/rewards', 'this path begins with "//perx/…": join the base URL and the path with a single /'], ['//', 'begin the path with one of them']]) {
      const response = await fetch(`${mocks.gatewayUrl}${path}`);
      expect(response.status).toBe(404);
      const { title, detail } = (await response.json()) as { title: string; detail: string };
      expect(title).toBe('No such vendor');
      const [, served, said] = /^the gateway serves (.*); (.*)$/.exec(detail) ?? [];
      expect(served?.split(', ')).toEqual(vendors.map((v) => `/${v.name}/…`).sort());
      expect(said).toBe(tail);
    }
  });

  // Found 2026-12-03: a guessed Imprzd call (its login, which the one-operation spec lacks) got only
  // "imprzd documents no operation at /api/v1/auth/login", nothing of what the mock does serve (MOCK-165).
  it("answers a path no operation serves naming what the vendor documents: all of a thin spec's paths, else the nearest", async () => {
    const detail = async (url: string) => {
      const response = await fetch(url);
      expect(response.status).toBe(404);
      return ((await response.json()) as { detail: string }).detail;
    };
    const image = 'it documents 1 path: GET /BroadcastImpression/api/file/displayImageV2/{fileId}';
    expect(await detail(`${mocks.urls.imprzd}/api/v1/auth/login`)).toBe(`imprzd documents no operation at /api/v1/auth/login; ${image}`);
    expect(await detail(`${mocks.gatewayUrl}/imprzd/BroadcastImpression/api/file/displayImageV2`)).toBe(`imprzd documents no operation at /BroadcastImpression/api/file/displayImageV2; ${image}`);
    expect(await detail(`${mocks.urls.perx}/v4/reward/1`)).toBe('perx documents no operation at /v4/reward/1; it documents 64 paths; nearest: GET /v4/rewards; GET /v4/rewards/{reward_id}; POST /v4/rewards/{reward_id}/issue; POST /v4/rewards/{reward_id}/reserve; GET /v4/rewards/{reward_id}/prices and 3 more');
    expect(await detail(`${mocks.urls.xonvo}/nothing/here`)).toBe('xonvo documents no operation at /nothing/here; it documents 14 paths, none under /nothing');
  });

  it('reports writes to onChange and logs every request', async () => {
    const { id } = await createAccount(mocks.urls.xonvo!);
    expect(changes).toEqual([expect.objectContaining({ vendor: 'xonvo', session: 'default', resource: 'accounts', action: 'create', after: expect.objectContaining({ id }) })]);
    expect(lines).toEqual([expect.stringMatching(/^\[xonvo\] POST \/accounts → 200 \(/)]);
  });

  // Found 2026-12-03: a mistyped gateway prefix and a body over the limit printed no line at all (MOCK-151).
  it("logs the answers the ports give themselves, under the vendor's name or the gateway's", async () => {
    await fetch(`${mocks.gatewayUrl}/prex/v4/rewards`);
    await fetch(`${mocks.urls.perx}/v4/rewards`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    await fetch(`${mocks.gatewayUrl}/perx/__mock/reset`, { method: 'POST' });
    expect(lines).toEqual([
      expect.stringMatching(/^\[gateway\] GET \/prex\/v4\/rewards → 404 \(\d+\.\d ms\): the gateway serves .*; "prex" is not one of them$/),
      expect.stringMatching(/^\[perx\] POST \/v4\/rewards → 413 \(\d+\.\d ms\): request body has \d+ bytes or more/),
      expect.stringMatching(/^\[gateway\] POST \/perx\/__mock\/reset → 204 \(\d+\.\d ms\)$/),
    ]);
  });

  it('reset(session) forgets one session; reset() and the gateway admin route forget all', async () => {
    const gatewayXonvo = `${mocks.gatewayUrl}/xonvo`;
    const alice = await createAccount(mocks.urls.xonvo!, 'alice');
    const bob = await createAccount(mocks.urls.xonvo!, 'bob');
    mocks.reset('alice');
    expect(await statistics(mocks.urls.xonvo!, alice.id, 'alice')).toBe(404);
    expect(await statistics(mocks.urls.xonvo!, bob.id, 'bob')).toBe(200);
    mocks.reset();
    expect(await statistics(mocks.urls.xonvo!, bob.id, 'bob')).toBe(404);

    const shared = await createAccount(gatewayXonvo);
    expect((await fetch(`${mocks.gatewayUrl}/__mock/reset`, { method: 'POST' })).status).toBe(204);
    expect(await statistics(gatewayXonvo, shared.id)).toBe(404);
  });

  // Found 2026-12-01: an empty x-mock-session was a session "" of its own for data, but its reset forgot every session.
  it('an empty session name is no session, everywhere: its data is the default session\'s, and its reset (header, code API) forgets every session', async () => {
    const unnamed = { authorization: basic, 'content-type': 'application/json', 'x-mock-session': '' };
    const written = (await (await fetch(`${mocks.urls.xonvo}/accounts`, { method: 'POST', headers: unnamed, body: JSON.stringify({ name: 'Acme' }) })).json()) as { id: number };
    const readEmpty = () => fetch(`${mocks.urls.xonvo}/accounts/${written.id}/statistics`, { headers: unnamed }).then((r) => r.status);
    expect(await statistics(mocks.urls.xonvo!, written.id)).toBe(200);
    expect(await statistics(mocks.urls.xonvo!, written.id, 'default')).toBe(200);
    expect(changes).toEqual([expect.objectContaining({ session: 'default' })]);
    const other = await createAccount(mocks.urls.xonvo!, 'other-test');
    mocks.reset('');
    expect([await readEmpty(), await statistics(mocks.urls.xonvo!, other.id, 'other-test')]).toEqual([404, 404]);
    const again = await createAccount(mocks.urls.xonvo!, 'other-test');
    expect((await fetch(`${mocks.urls.xonvo}/__mock/reset`, { method: 'POST', headers: { 'x-mock-session': '' } })).status).toBe(204);
    expect(await statistics(mocks.urls.xonvo!, again.id, 'other-test')).toBe(404);
  });

  it("a vendor's reset (its port, or its prefix at the gateway) forgets that vendor only, in the session the request names", async () => {
    const placewise = (path: string, init: RequestInit = {}) =>
      fetch(`${mocks.urls.placewise}${path}`, { ...init, headers: { 'x-client-authorization': 't', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json', 'x-mock-session': 'kept', ...init.headers } });
    const groupIn = async (session: string) =>
      ((await (await placewise('/members_groups', { method: 'POST', headers: { 'x-mock-session': session }, body: JSON.stringify({ members_group: { name: 'Kept', type: 'Store' } }) })).json()) as { members_group: { id: number } }).members_group.id;
    const groupStatus = async (id: number, session: string) => (await placewise(`/members_groups/${id}`, { headers: { 'x-mock-session': session } })).status;
    const kept = await groupIn('kept');
    const others = await groupIn('other');
    const account = await createAccount(mocks.urls.xonvo!, 'kept');
    const other = await createAccount(mocks.urls.xonvo!, 'other');
    // A vendor's prefix: that vendor's data in the header's session, no other vendor's.
    expect((await fetch(`${mocks.gatewayUrl}/xonvo/__mock/reset`, { method: 'POST', headers: { 'x-mock-session': 'other' } })).status).toBe(204);
    expect(await statistics(mocks.urls.xonvo!, other.id, 'other')).toBe(404);
    expect(await statistics(mocks.urls.xonvo!, account.id, 'kept')).toBe(200);
    expect(await groupStatus(others, 'other')).toBe(200);
    // The gateway's root: every vendor, in the header's session only.
    expect((await fetch(`${mocks.gatewayUrl}/__mock/reset`, { method: 'POST', headers: { 'x-mock-session': 'other' } })).status).toBe(204);
    expect(await groupStatus(others, 'other')).toBe(404);
    expect(await groupStatus(kept, 'kept')).toBe(200);
    expect(await statistics(mocks.urls.xonvo!, account.id, 'kept')).toBe(200);
    expect((await fetch(`${mocks.urls.xonvo}/__mock/reset?session=kept`, { method: 'POST' })).status).toBe(204);
    expect(await statistics(mocks.urls.xonvo!, account.id, 'kept')).toBe(404);
    expect(await groupStatus(kept, 'kept')).toBe(200);
    expect((await fetch(`${mocks.gatewayUrl}/nowhere/__mock/reset`, { method: 'POST' })).status).toBe(404);
  });

  // Found 2026-12-01: valid PUTs of 75,000 new keys each grew one member until every read of it held up every vendor.
  it('refuses a write that would make one record hold more than 10,000 values with 413 naming the limit, and keeps the record as it was', async () => {
    const pw = { 'x-client-authorization': 't', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json' };
    const grow = (prefix: string) =>
      fetch(`${mocks.urls.placewise}/members/42`, { method: 'PUT', headers: pw, body: JSON.stringify({ properties: Object.fromEntries(Array.from({ length: 6_000 }, (_, i) => [`${prefix}${i}`, 'v'])) }) });
    expect((await grow('a')).status).toBe(200);
    const refused = await grow('b');
    expect({ status: refused.status, type: refused.headers.get('content-type'), body: await refused.json() }).toEqual({
      status: 413,
      type: 'application/problem+json',
      body: expect.objectContaining({ title: 'Record too large', limit: 10_000, detail: expect.stringContaining('this write would make members 42 hold more than 10000 JSON values') }),
    });
    const kept = (await (await fetch(`${mocks.urls.placewise}/members/42`, { headers: pw })).json()) as { properties: Record<string, unknown> };
    expect([kept.properties.a5999, kept.properties.b0]).toEqual(['v', undefined]);
  });

  // Found 2026-12-01: 85,000 properties (0.7 MB) were merged and checked for 1.8 s, every vendor waiting, before the 413.
  it('refuses a body that alone brings one record more than 10,000 values before Prism or the merge reads it', async () => {
    const pw = { 'x-client-authorization': 't', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json' };
    const body = JSON.stringify({ properties: Object.fromEntries(Array.from({ length: 85_000 }, (_, i) => [i.toString(36), 0])) });
    const put = (headers: Record<string, string>) => fetch(`${mocks.urls.placewise}/members/42`, { method: 'PUT', headers, body });
    const refused = await put(pw);
    expect({ status: refused.status, body: await refused.json() }).toEqual({
      status: 413,
      body: expect.objectContaining({ title: 'Record too large', limit: 10_000, detail: expect.stringContaining('this write gives one members record more than 10000 JSON values') }),
    });
    // Before Prism: its check of the credentials (a 401 without them) is not reached, as for a body past the JSON bounds.
    const { 'x-client-authorization': _, ...anonymous } = pw;
    expect((await put(anonymous)).status).toBe(413);
  });

  // Found 2026-12-01: any `/<word>/__mock/reset` on a vendor's port reset that vendor, API paths included.
  it("on a vendor's port only /__mock/… and /<that vendor>/__mock/… are admin routes; any other prefix is the API's 404", async () => {
    const created = await createAccount(mocks.urls.xonvo!);
    for (const path of ['/not-a-vendor/__mock/reset', '/accounts/__mock/reset', '/perx/__mock/reset']) {
      const answer = await fetch(`${mocks.urls.xonvo}${path}`, { method: 'POST', headers: { authorization: basic } });
      const { title, hint } = (await answer.json()) as { title: string; hint: string };
      expect({ path, status: answer.status, title, hint }).toEqual({ path, status: 404, title: 'No such operation', hint: "this port's admin routes are /__mock/… and /xonvo/__mock/…" });
    }
    expect((await fetch(`${mocks.urls.xonvo}/xyz/__mock/health`)).status).toBe(404);
    expect(await statistics(mocks.urls.xonvo!, created.id)).toBe(200);
    expect((await fetch(`${mocks.urls.xonvo}/xonvo/__mock/reset`, { method: 'POST' })).status).toBe(204);
    expect(await statistics(mocks.urls.xonvo!, created.id)).toBe(404);
    const gateway = await fetch(`${mocks.gatewayUrl}/not-a-vendor/__mock/reset`, { method: 'POST' });
    expect({ status: gateway.status, hint: ((await gateway.json()) as { hint: string }).hint }).toEqual({ status: 404, hint: `this port's admin routes are /__mock/… (every vendor) and /<vendor>/__mock/… for ${Object.keys(mocks.urls).sort().join(', ')}` });
  });

  it('an empty page size or page number is not given: the page is the one asked for without it, not a page of one record', async () => {
    const pw = { 'x-client-authorization': 't', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json' };
    await fetch(`${mocks.urls.placewise}/members`, { method: 'POST', headers: pw, body: JSON.stringify({ properties: { email: 'second@example.com' } }) });
    await fetch(`${mocks.urls.footprints}/api/lead?access_token=t`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'userFirstName=A&userEmail=a@example.com' });
    const lists: [string, string, RequestInit, (body: any) => unknown[]][] = [
      [`${mocks.urls.placewise}/members`, 'per_page=&page_no=', { headers: pw }, (b) => b.members],
      [`${mocks.urls.perx}/v4/vouchers`, 'size=&page=', { headers: { authorization: 'Bearer t' } }, (b) => b.data],
      [`${mocks.urls.footprints}/api/lead?access_token=t`, 'pageSize=&page=', {}, (b) => b],
    ];
    for (const [url, empty, init, items] of lists) {
      const read = async (query: string) => {
        const answer = await fetch(query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url, init);
        expect({ url, query, status: answer.status }).toEqual({ url, query, status: 200 });
        return answer.json();
      };
      const whole = await read('');
      expect(items(whole).length, url).toBeGreaterThan(1);
      for (const query of [empty, empty.split('&')[0]!]) expect({ url, query, answer: await read(query) }).toEqual({ url, query, answer: whole });
    }
  });

  // Found 2026-12-01: a front end's unset filter (`?state=${filter}`) listed nothing.
  it('an empty list filter is not given: the list is the one without it, not an empty one', async () => {
    const perx = { authorization: 'Bearer t' };
    const lists: [string, string, (body: any) => unknown[]][] = [
      [`${mocks.urls.perx}/v4/vouchers`, 'state=', (b) => b.data],
      [`${mocks.urls.perx}/v4/rewards`, 'favorite=', (b) => b.data],
    ];
    for (const [url, empty, items] of lists) {
      const whole = await (await fetch(url, { headers: perx })).json();
      expect(items(whole).length, url).toBeGreaterThan(1);
      const answer = await fetch(`${url}?${empty}`, { headers: perx });
      expect({ url, status: answer.status, body: await answer.json() }).toEqual({ url, status: 200, body: whole });
    }
  });

  // Found 2026-12-01: five Perx operations documented no 400, so `/v4/catalogs/abc` got Prism's own
  // 422 application/problem+json, a shape no Perx client reads; every other operation with a
  // numeric path id answered its documented invalid-parameter answer (MOCK-75).
  it("answers a path number it cannot read with the operation's documented answer, for every operation of every vendor", async () => {
    const undocumented: string[] = [];
    for (const vendor of vendors) {
      for (const operation of await loadOperations(bundlePath(vendor))) {
        for (const param of operation.request?.path ?? []) {
          if (!/integer|number/.test(JSON.stringify((param.schema as { type?: unknown }).type))) continue;
          const answer = await callWith(mocks.urls[vendor.name]!, operation, { [param.name]: 'abc' });
          const type = answer.headers.get('content-type') ?? '';
          if (!operation.responses.some((r) => r.code === String(answer.status)) || type.includes('problem')) undocumented.push(`${vendor.name} ${operation.method.toUpperCase()} ${operation.path} (${param.name}): ${answer.status} ${type}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});

const HOST_RULE = 'must be a host name or IP address of this machine to listen on, such as 127.0.0.1, 0.0.0.0 or ::1 (no scheme, port or path)';

describe('startMocks() options', () => {
  // What a test setup may get wrong, each refused before anything starts, naming the option.
  it.each([
    ['options null', null, 'options', 'must be an object: startMocks({ … }) (got null)'],
    ['vendors a string', { vendors: 'perx' }, 'vendors', 'must be an array (got a string)'],
    // A split of an unset variable: it started every vendor, on the default ports (found 2026-12-01).
    ['vendors an empty list', { vendors: [], portBase: 0, gatewayPort: 0 }, 'vendors', 'must name at least one vendor (got an empty list); leave it out to start every vendor'],
    ['portBase a string', { portBase: '4010' }, 'portBase', 'must be a whole number from 0 (any free port) to 65531 (got a string)'],
    ['portBase too high', { portBase: 70000 }, 'portBase', 'must be a whole number from 0 (any free port) to 65531 (got 70000)'],
    ['gatewayPort a fraction', { gatewayPort: 1.5 }, 'gatewayPort', 'must be a whole number from 0 (any free port) to 65535 (got 1.5)'],
    ['stateless a string', { stateless: 'yes' }, 'stateless', 'must be true or false (got a string)'],
    ['log not a function', { log: 'yes' }, 'log', 'must be a function (got a string)'],
    // Free ports and one vendor: wrongly accepted, it must not take the default ports.
    ['onLoaded not a function', { onLoaded: true, vendors: ['imprzd'], portBase: 0, gatewayPort: 0 }, 'onLoaded', 'must be a function (got a boolean)'],
    ['seed a number', { seed: 5 }, 'seed', 'must be a string (got a number)'],
    ['a subscriber without a secret', { subscribers: { placewise: [{ url: 'http://127.0.0.1:3000/hooks' }] } }, 'subscribers.placewise', '[0] secret must be a string (got nothing)'],
    ['a subscriber secret no header can carry', { subscribers: { placewise: [{ url: 'http://127.0.0.1:3000/hooks', secret: 'dev\nsecret' }] } }, 'subscribers.placewise', '[0] secret must be usable in a header: no control characters other than tab, and none above U+00FF'],
    ['a subscriber URL with a password', { subscribers: { placewise: [{ url: 'http://ops:pw@127.0.0.1/h', secret: 's' }] } }, 'subscribers.placewise', '[0] url must not contain a user name or password (got "http://…@127.0.0.1/h")'],
    ['portBase mistyped', { portbase: 0 }, 'portbase', 'is unknown: did you mean "portBase"?'],
    // Each was a plain Error from getaddrinfo naming no option (found 2026-12-01).
    ['host a URL', { host: 'http://127.0.0.1' }, 'host', `${HOST_RULE}; got "http://127.0.0.1"`],
    ['host with a port', { host: 'localhost:3000' }, 'host', `${HOST_RULE}; got "localhost:3000"`],
    ['host with spaces', { host: 'not a host' }, 'host', `${HOST_RULE}; got "not a host"`],
    ['host an IPv6 address with a zone id (no URL can hold it)', { host: 'fe80::1%lo' }, 'host', `${HOST_RULE}; got "fe80::1%lo"`],
    ['host a name longer than DNS allows', { host: 'a'.repeat(300), vendors: ['xonvo'], portBase: 0 }, 'host', `${HOST_RULE}; "${'a'.repeat(300)}" is not one (EINVAL)`],
    ['host an address of another machine', { host: '192.0.2.1', vendors: ['xonvo'], portBase: 0 }, 'host', `${HOST_RULE}; "192.0.2.1" is not one (EADDRNOTAVAIL)`],
  ])('%s → ConfigError', async (_, options, option, rule) => {
    const error = await startMocks(options as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigError', option, message: `mock: option "${option}" ${rule}` });
  });

  // An async onLoaded that rejected was an unhandled rejection while the mocks started on (found 2026-12-02).
  it.each([
    ['throws', () => {
      throw new Error('no terminal');
    }, 'no terminal'],
    ['rejects', async () => {
      throw new Error('no terminal');
    }, 'no terminal'],
    ['throws what is no error', () => {
      throw null;
    }, 'null was thrown'],
  ])('fails before any request is answered, naming onLoaded and the vendor, when onLoaded %s', async (_, onLoaded, why) => {
    // Started, the mock is stopped at once: the test fails on what it says, and leaves no port behind.
    const outcome = await startMocks({ vendors: ['imprzd'], portBase: 0, gatewayPort: 0, onLoaded }).then(
      async (running) => (await running.stop(), 'started'),
      (error: Error) => error.message,
    );
    expect(outcome).toBe(`mock: option "onLoaded" failed on imprzd: ${why}`);
  });
});

describe('startMocks() with chosen vendors and ports', () => {
  it('refuses an unknown vendor, naming the known ones', async () => {
    const refused = startMocks({ vendors: ['xonvo', 'nobody'], portBase: 0 });
    await expect(refused).rejects.toThrow(`mock: option "vendors" names an unknown vendor "nobody"; known vendors: ${listed.map((v) => v.name).join(', ')}`);
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    // Twice, in any case: the second would be told its port is in use by "something" (the mock itself).
    await expect(startMocks({ vendors: ['perx', 'Perx'], portBase: 0 })).rejects.toThrow('mock: option "vendors" names perx twice ("Perx"); give each vendor once');
  });

  it('refuses to start named vendors that have no operations yet', async () => {
    await expect(startMocks({ vendors: ['imprzd', 'newcomer', 'latecomer'], portBase: 0 })).rejects.toThrow('newcomer, latecomer has no documented operations to mock yet');
  });

  it('refuses a vendor whose spec was not built, saying how to build it', async () => {
    // A vendor listed while its bundle is missing (a clone before `npm run build`), for this test only.
    listed.push({ ...listed.find((v) => v.name === 'imprzd')!, name: 'unbuilt', bundle: 'generated/unbuilt/openapi.json' });
    try {
      await expect(startMocks({ vendors: ['unbuilt'], portBase: 0 })).rejects.toThrow(
        'unbuilt: its spec generated/unbuilt/openapi.json is missing (in a clone: npm run build; in an installed package: reinstall martech-contracts)',
      );
    } finally {
      listed.pop();
    }
  });

  it('serves only the vendors named (in any case) on portBase + their place in the vendor list, the gateway on gatewayPort; stop() frees them', async () => {
    const [vendorPort, gatewayPort] = [await freePort(), await freePort()];
    const place = listed.findIndex((v) => v.name === 'imprzd');
    const mocks = await startMocks({ vendors: ['IMPRZD'], portBase: vendorPort - place, gatewayPort });
    try {
      expect(mocks.urls).toEqual({ imprzd: `http://127.0.0.1:${vendorPort}` });
      expect(mocks.gatewayUrl).toBe(`http://127.0.0.1:${gatewayPort}`);
      expect((await fetch(`${mocks.gatewayUrl}/__mock/health`)).status).toBe(200);
    } finally {
      await mocks.stop();
    }
    await expect(fetch(`http://127.0.0.1:${vendorPort}/__mock/health`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${gatewayPort}/__mock/health`)).rejects.toThrow();
  });

  it('writes an IPv6 host in brackets in the URLs it hands out, so they can be called', async () => {
    const mocks = await startMocks({ vendors: ['xonvo'], portBase: 0, gatewayPort: 0, host: '::1' });
    try {
      expect(mocks.urls.xonvo).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect(mocks.gatewayUrl).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await fetch(`${mocks.urls.xonvo}/__mock/health`)).status).toBe(200);
      expect((await fetch(`${mocks.gatewayUrl}/__mock/health`)).status).toBe(200);
    } finally {
      await mocks.stop();
    }
  });

  // Found 2026-12-03: `--port-base 4900 --gateway-port 4900` was told so only after every spec had loaded, seconds later (TEST-24).
  it("refuses a gateway port that is one of its own vendors' ports, naming the vendor, before any spec is loaded", async () => {
    const vendorPort = await freePort();
    const place = listed.findIndex((v) => v.name === 'footprints');
    const loaded: string[] = [];
    await expect(startMocks({ vendors: ['footprints'], portBase: vendorPort - place, gatewayPort: vendorPort, onLoaded: ({ vendor }) => void loaded.push(vendor) })).rejects.toThrow(
      `mock: option "gatewayPort" is footprints's port too (${vendorPort}): pick another, or 0 for any free port`,
    );
    expect(loaded).toEqual([]);
    // Nothing was left listening.
    const probe = createServer();
    await listen(probe, vendorPort, '127.0.0.1', 'probe');
    await new Promise((resolve) => probe.close(resolve));
  });

  it('names the gateway when its port is taken, before any spec is loaded, and frees the ports it had taken', async () => {
    const holder = createServer();
    const taken = await listen(holder, 0, '127.0.0.1', 'holder');
    const vendorPort = await freePort();
    const place = listed.findIndex((v) => v.name === 'imprzd');
    const loaded: string[] = [];
    try {
      await expect(startMocks({ vendors: ['imprzd'], portBase: vendorPort - place, gatewayPort: taken, onLoaded: ({ vendor }) => void loaded.push(vendor) })).rejects.toThrow(`port ${taken} (gateway) is in use`);
      expect(loaded).toEqual([]);
      // The vendor's port was released on the way out: it can be listened on again.
      const again = createServer();
      expect(await listen(again, vendorPort, '127.0.0.1', 'again')).toBe(vendorPort);
      await close(again);
    } finally {
      await close(holder);
    }
  });
  // TEST-24 left a port in use to listen time, after every spec had loaded: `npm start` was told 2.7 to 4.2 s in, not 0.4 s.
  it('refuses a vendor port in use before any spec is loaded, naming the port, the vendor and the option', async () => {
    const holder = createServer();
    const taken = await listen(holder, 0, '127.0.0.1', 'holder');
    const base = taken - listed.findIndex((v) => v.name === 'perx');
    const loaded: string[] = [];
    try {
      const refused = await startMocks({ vendors: ['perx'], portBase: base, gatewayPort: 0, onLoaded: ({ vendor }) => void loaded.push(vendor) }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConfigError);
      expect(refused).toMatchObject({ option: 'portBase', message: `mock: option "portBase" is ${base}, and port ${taken} (perx) is in use${process.platform === 'linux' ? ` by this process (pid ${process.pid})` : ''}: stop what holds it, or pass another (0: any free ports)` });
      expect(loaded).toEqual([]);
    } finally {
      await close(holder);
    }
  });

  // A port found free and listened on only once the specs had loaded could be taken meanwhile: it is held from the start.
  it('holds its ports while the specs load: another listener is refused them, and a request meanwhile waits to be answered by the loaded mock', async () => {
    const [vendorPort, gatewayPort] = [await freePort(), await freePort()];
    const place = listed.findIndex((v) => v.name === 'imprzd');
    const events: string[] = [];
    const intruder = createServer();
    let grabbed: unknown;
    let early: Promise<number> | undefined;
    const mocks = await startMocks({
      vendors: ['imprzd'],
      portBase: vendorPort - place,
      gatewayPort,
      onLoaded: async () => {
        grabbed = await listen(intruder, gatewayPort, '127.0.0.1', 'intruder').catch((error: Error) => error.message);
        if (intruder.listening) await close(intruder);
        early = fetch(`http://127.0.0.1:${vendorPort}/__mock/reset`, { method: 'POST' }).then((response) => (events.push('answered'), response.status));
        // Time for the request to arrive while the start is still under way.
        await new Promise((resolve) => setTimeout(resolve, 200));
        events.push('loaded');
      },
    });
    try {
      expect(grabbed).toBe(`port ${gatewayPort} (intruder) is in use`);
      expect(await early).toBe(204);
      expect(events).toEqual(['loaded', 'answered']);
    } finally {
      await mocks.stop();
    }
  });

  // Found 2026-12-03: a probe waited for the specs, so one with a timeout (Kubernetes' 1 s) saw a timeout, never why.
  it('answers a health probe while the specs load at once, 503 naming the vendors still loading, on every port and prefix; 200 once all are', async () => {
    const [vendorPort, gatewayPort] = [await freePort(), await freePort()];
    const place = listed.findIndex((v) => v.name === 'imprzd');
    const during: unknown[] = [];
    const mocks = await startMocks({
      vendors: ['imprzd', 'xonvo'],
      portBase: vendorPort - place,
      gatewayPort,
      onLoaded: async ({ vendor }) => {
        if (vendor !== 'imprzd') return;
        // Imprzd's own onLoaded is under way: it counts as loading until it returns.
        for (const url of [`http://127.0.0.1:${vendorPort}/__mock/health`, `http://127.0.0.1:${gatewayPort}/__mock/health`, `http://127.0.0.1:${gatewayPort}/imprzd/__mock/health`]) {
          const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
          during.push([response.status, response.headers.get('content-type'), await response.json()]);
        }
        const head = await fetch(`http://127.0.0.1:${vendorPort}/imprzd/__mock/health`, { method: 'HEAD', signal: AbortSignal.timeout(2000) });
        during.push([head.status, await head.text()]);
      },
    });
    try {
      const loading = { ok: false, loading: expect.arrayContaining(['imprzd']) as unknown };
      expect(during).toEqual([[503, 'application/json', loading], [503, 'application/json', loading], [503, 'application/json', loading], [503, '']]);
      for (const url of [`${mocks.urls.imprzd}/__mock/health`, `${mocks.gatewayUrl}/__mock/health`, `${mocks.gatewayUrl}/imprzd/__mock/health`]) {
        const response = await fetch(url);
        expect([response.status, await response.json()]).toEqual([200, { ok: true }]);
      }
    } finally {
      await mocks.stop();
    }
  });

  it('drops a request waiting for specs that then fail to load, rather than leave it hanging, and lets its ports go', async () => {
    const [vendorPort, gatewayPort] = [await freePort(), await freePort()];
    const place = listed.findIndex((v) => v.name === 'imprzd');
    let waiting: Promise<unknown> | undefined;
    const outcome = await startMocks({
      vendors: ['imprzd'],
      portBase: vendorPort - place,
      gatewayPort,
      onLoaded: async () => {
        waiting = fetch(`http://127.0.0.1:${gatewayPort}/imprzd/x`).then((response) => response.status, (error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message);
        await new Promise((resolve) => setTimeout(resolve, 200));
        throw new Error('no terminal');
      },
    }).then(async (running) => (await running.stop(), 'started'), (error: Error) => error.message);
    expect(outcome).toBe('mock: option "onLoaded" failed on imprzd: no terminal');
    expect(await waiting).toBe('UND_ERR_SOCKET');
    for (const port of [vendorPort, gatewayPort]) {
      const again = createServer();
      expect(await listen(again, port, '127.0.0.1', 'again')).toBe(port);
      await close(again);
    }
  });
});

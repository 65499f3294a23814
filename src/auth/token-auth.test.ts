import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import createClient from 'openapi-fetch';
import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer } from '../../contract-tests/support/http-server.js';
import { createTokenCache } from './token-cache.js';
import { asBearer, asQueryParameter, tokenAuth } from './token-auth.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

/** A server that accepts only the newest token it handed out. */
async function tokenServer() {
  let issued = 0;
  const server = await recordingServer((seen, res) => {
    const token = seen.headers.authorization?.replace('Bearer ', '') ?? new URL(seen.url, 'http://x').searchParams.get('access_token');
    if (token === `t${issued}`) json(res, 200, { ok: true, token, body: seen.body });
    else json(res, 401, { error: 'invalid_token' });
  });
  close = server.close;
  const cache = createTokenCache(async () => ({ accessToken: `t${++issued}`, expiresIn: 3600 }));
  return { server, cache, issued: () => issued, revoke: () => issued++ };
}

describe('tokenAuth', () => {
  it('sends the cached token as a bearer header', async () => {
    const { server, cache } = await tokenServer();
    const client = createClient<any>({ baseUrl: server.url });
    client.use(tokenAuth(cache, asBearer));
    const { data } = await client.GET('/things' as never, {} as never);
    expect(data).toMatchObject({ ok: true, token: 't1' });
  });

  it('retries a 401 once with a refreshed token, and concurrent 401s share the refresh', async () => {
    const { server, cache, issued, revoke } = await tokenServer();
    const client = createClient<any>({ baseUrl: server.url });
    client.use(tokenAuth(cache, asBearer));
    await client.GET('/things' as never, {} as never);
    revoke(); // the server now only accepts t3; t1 is refused
    const results = await Promise.all([1, 2, 3].map(() => client.GET('/things' as never, {} as never)));
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(issued()).toBe(3); // t1, the revoked t2 slot, and a single refresh
    expect(server.seen.filter((s) => s.headers.authorization === 'Bearer t1')).toHaveLength(4);
  });

  it('resends the same body when a call with a body is refused and retried', async () => {
    const { server, cache, revoke } = await tokenServer();
    const client = createClient<any>({ baseUrl: server.url });
    client.use(tokenAuth(cache, asQueryParameter('access_token')));
    await client.GET('/things' as never, {} as never);
    revoke();
    const { data } = await client.POST('/things' as never, { body: { a: 2 } } as never);
    expect(data).toMatchObject({ ok: true, token: 't3', body: '{"a":2}' });
    expect(server.seen.slice(-2).map((s) => s.body)).toEqual(['{"a":2}', '{"a":2}']);
  });

  it.each([
    ['changes the request in place', (request: Request) => (request.headers.set('X-Request-Id', 'req-7'), request)],
    ['returns a new request', (request: Request) => new Request(request, { headers: { ...Object.fromEntries(request.headers), 'x-request-id': 'req-7' } })],
  ])('resends a refused call as the middleware after it left it (one that %s), with the body first sent', async (_, onRequest) => {
    const { server, cache, revoke } = await tokenServer();
    const client = createClient<any>({ baseUrl: server.url });
    client.use(tokenAuth(cache, asBearer), { onRequest: ({ request }) => onRequest(request) });
    await client.GET('/things' as never, {} as never);
    revoke();
    const { data } = await client.POST('/things' as never, { body: { a: 2 } } as never);
    expect(data).toMatchObject({ ok: true, token: 't3', body: '{"a":2}' });
    expect(server.seen.slice(-2).map((s) => [s.headers.authorization, s.headers['x-request-id'], s.body])).toEqual([
      ['Bearer t1', 'req-7', '{"a":2}'],
      ['Bearer t3', 'req-7', '{"a":2}'],
    ]);
  });

  it('gives up after one retry and returns the 401', async () => {
    const server = await recordingServer((_, res) => json(res, 401, { error: 'nope' }));
    close = server.close;
    let issued = 0;
    const client = createClient<any>({ baseUrl: server.url });
    client.use(tokenAuth(createTokenCache(async () => ({ accessToken: `t${++issued}` })), asBearer));
    const { response } = await client.GET('/things' as never, {} as never);
    expect(response.status).toBe(401);
    expect(server.seen).toHaveLength(2);
  });

  it('puts the token in a query parameter and keeps the body', async () => {
    const { server, cache } = await tokenServer();
    const client = createClient<any>({ baseUrl: server.url });
    client.use(tokenAuth(cache, asQueryParameter('access_token')));
    const { data } = await client.POST('/things' as never, { params: { query: { page: 2 } }, body: { a: 1 } } as never);
    expect(data).toMatchObject({ ok: true, token: 't1', body: '{"a":1}' });
    expect(server.seen[0]!.url).toBe('/things?page=2&access_token=t1');
  });
});

describe('tokenAuth bookkeeping', () => {
  it('forgets a request that failed, so a late 401 for its id is not resent', async () => {
    let issued = 0;
    const auth = tokenAuth(createTokenCache(async () => ({ accessToken: `t${++issued}` })), asBearer);
    const resent: Request[] = [];
    const options = { fetch: async (request: Request) => (resent.push(request), new Response('{}')) };
    const request = new Request('http://x/things');
    await auth.onRequest!({ request, id: 'a', options, schemaPath: '/things', params: {} } as never);
    await auth.onError!({ request, id: 'a', options, schemaPath: '/things', params: {}, error: new Error('down') } as never);
    const refused = new Response('{}', { status: 401 });
    // Left as it is: the hook hands back nothing.
    expect(await auth.onResponse!({ request, response: refused, id: 'a', options, schemaPath: '/things', params: {} } as never)).toBeUndefined();
    expect(resent).toHaveLength(0);
    expect(issued).toBe(1);
  });

  it('keeps nothing of a call that a later middleware answered itself (no onResponse comes for it)', () => {
    // A caching middleware after the token one answers from its cache: openapi-fetch then calls
    // no onResponse, so state kept per call id would never be let go. The child counts the
    // requests still reachable after 50 such calls and two collections.
    const at = (file: string) => JSON.stringify(fileURLToPath(new URL(file, import.meta.url)));
    const script = `
      import createClient from 'openapi-fetch';
      import { createTokenCache } from ${at('./token-cache.ts')};
      import { asBearer, tokenAuth } from ${at('./token-auth.ts')};
      const client = createClient({ baseUrl: 'http://127.0.0.1:9' });
      const seen = [];
      const cached = { onRequest: ({ request }) => (seen.push(new WeakRef(request)), new Response('{}', { headers: { 'content-type': 'application/json' } })) };
      client.use(tokenAuth(createTokenCache(async () => ({ accessToken: 't' })), asBearer), cached);
      for (let i = 0; i < 50; i++) await client.GET('/things');
      const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
      await tick(); gc(); await tick(); gc(); await tick();
      console.log(seen.filter((ref) => ref.deref() !== undefined).length);
    `;
    const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('0');
  });
});

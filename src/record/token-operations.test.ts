/**
 * Every way a client asks for a token, recorded through the real client, and the HAR searched for
 * the token it was given: against the real mock (the tokens under the names the spec documents),
 * and against a stand-in that answers each token request with its token under a name no mask
 * knows, as an undocumented answer shape would (CLIENT-184, CLIENT-210).
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFootprintsClient, type FootprintsClientOptions } from '../footprints.js';
import { startMocks, type RunningMocks } from '../mock/index.js';
import { createPerxClient, type paths, type PerxClient } from '../perx.js';
import type { Client } from '../client.js';
import { findVendor, vendors } from '../vendors.js';
import { createHarRecorder, type HarEntry } from './har.js';
import { recordingFetch } from './recording-fetch.js';
import { recorded } from './recordings.js';
import { startRecordingProxy } from './proxy.js';

type EveryOperation = PerxClient & Client<paths>;
type Way = { vendor: 'perx' | 'footprints'; name: string; path: string; call: (baseUrl: string, record: ReturnType<typeof createHarRecorder>['record'], fetch: typeof globalThis.fetch) => Promise<unknown> };

const perx = (baseUrl: string, record: ReturnType<typeof createHarRecorder>['record'], fetch: typeof globalThis.fetch) =>
  createPerxClient({ baseUrl, clientId: 'client-id-7Qx', clientSecret: 'client-secret-9Zt', record, fetch }) as EveryOperation;
const footprints = (grant: FootprintsClientOptions['grant']) => (baseUrl: string, record: ReturnType<typeof createHarRecorder>['record'], fetch: typeof globalThis.fetch) =>
  createFootprintsClient({ baseUrl, key: 'fp-key-123', secret: 'fp-secret-456', grant, record, fetch }).GET('/api/channels');

/** Each token request a client sends: those it sends itself, and those a caller sends through it. */
const WAYS: Way[] = [
  { vendor: 'footprints', name: 'client_credentials', path: '/api/token', call: footprints({ grant_type: 'client_credentials' }) },
  { vendor: 'footprints', name: 'client_credentials with a PIN', path: '/api/token', call: footprints({ grant_type: 'client_credentials', pin: '4821' }) },
  { vendor: 'footprints', name: 'password', path: '/api/token', call: footprints({ grant_type: 'password', username: 'ann', password: 'pw-789xyz' }) },
  { vendor: 'footprints', name: 'pin', path: '/api/token', call: footprints({ grant_type: 'pin', pin: '4821' }) },
  { vendor: 'perx', name: 'app token', path: '/v4/oauth/token', call: (...a) => perx(...a).GET('/v4/pos/user_accounts/{user_account_id}', { params: { path: { user_account_id: 1 } } }) },
  { vendor: 'perx', name: 'user token (asUser)', path: '/v4/oauth/token', call: (...a) => perx(...a).asUser('66666').GET('/v4/customers/me') },
  { vendor: 'perx', name: 'merchant-user token (asMerchantUser)', path: '/v4/oauth/token', call: (...a) => perx(...a).asMerchantUser('merchant-1').GET('/v4/rewards') },
  {
    vendor: 'perx',
    name: 'identifier form (no grant_type)',
    path: '/v4/oauth/token',
    call: (...a) => perx(...a).POST('/v4/oauth/token', { params: { query: { client_id: 'client-id-7Qx', client_secret: 'client-secret-9Zt', identifier: '66666' } }, body: { username: 'ann' } as never }),
  },
  {
    vendor: 'perx',
    name: 'legacy v2 app token',
    path: '/v2/oauth/token',
    call: (...a) => perx(...a).POST('/v2/oauth/token', { params: { query: { client_id: 'client-id-7Qx', client_secret: 'client-secret-9Zt', grant_type: 'client_credentials' } } }),
  },
  {
    vendor: 'perx',
    name: 'exchange_token (no grant_type)',
    path: '/v4/oauth/exchange_token',
    call: (...a) => perx(...a).POST('/v4/oauth/exchange_token', { params: { query: { client_id: 'client-id-7Qx', client_secret: 'client-secret-9Zt', jwt_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NjY2NiJ9.c2lnbmF0dXJl' } } }),
  },
];

/** The caller's fetch, keeping the text of every answer to a token request: the tokens issued, in clear, to look for in the recording. */
function watching() {
  const answers: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (/\/oauth\/(exchange_)?token$|\/api\/token$/.test(url.pathname)) answers.push(await response.clone().text());
    return response;
  };
  return { fetch, answers };
}

/** The tokens a token answer issues: each `…_token` value (access, refresh, bearer). */
function issued(answers: string[]): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (node && typeof node === 'object') for (const [name, value] of Object.entries(node)) typeof value === 'string' && name.endsWith('_token') ? found.push(value) : walk(value);
  };
  for (const text of answers) walk(JSON.parse(text));
  return found;
}

describe('every token operation, recorded', () => {
  // Started by the first test that needs it, not in beforeAll: a hook's failure only marks tests skipped.
  let mocks: Promise<RunningMocks> | undefined;
  const mock = () => (mocks ??= startMocks({ vendors: ['footprints', 'perx'], portBase: 0, gatewayPort: 0 }));
  afterAll(async () => mocks && (await mocks).stop());

  it('the spec marks every token operation the clients reach, and only those (x-issues-token → generated/vendors.json)', () => {
    const marked = vendors.flatMap((v) => v.tokenOperations.map((o) => `${v.name} ${o.method} ${o.path}`));
    expect(marked.sort()).toEqual([...new Set(WAYS.map((w) => `${w.vendor} POST ${w.path}`))].sort());
  });

  it.each(WAYS)('against the mock, $vendor $name: the token issued is nowhere in the HAR', { timeout: 60_000 }, async (way) => {
    const recorder = createHarRecorder();
    const { fetch, answers } = watching();
    await way.call((await mock()).urls[way.vendor]!, recorder.record, fetch);
    const tokens = issued(answers);
    expect(tokens.length).toBeGreaterThan(0);
    const har = JSON.stringify(recorder.har());
    expect(recorder.entries.some((e) => new URL(e.request.url).pathname === way.path && e.response.status === 200)).toBe(true);
    for (const token of tokens) expect(har).not.toContain(token);
  });

  describe('against a stand-in that answers each with its token under a name no mask knows', () => {
    const live = 'Zm9vYmFy-live-0123456789abcdef';
    let url = '';
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(/token/.test(req.url!) ? `{"result":{"value":"${live}"},"token_type":"bearer","expires_in":3600}` : '{"data":{}}');
    });
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

    it.each(WAYS)('$vendor $name: the token is nowhere in the HAR', async (way) => {
      const recorder = createHarRecorder();
      // The clients' own token requests fail with a TokenError here (no token where they look): recorded all the same.
      await way.call(url, recorder.record, globalThis.fetch).catch((error: unknown) => expect(error).toMatchObject({ name: 'TokenError' }));
      const entry = recorder.entries.find((e) => new URL(e.request.url).pathname === way.path) as HarEntry;
      expect(entry.response.status).toBe(200);
      expect(JSON.stringify(recorder.har())).not.toContain(live);
    });

    it('the record proxy, told the vendor\'s token operations, masks them alike', async () => {
      const entries: HarEntry[] = [];
      const proxy = await startRecordingProxy({ target: url, record: (e) => entries.push(e), tokenOperations: findVendor('perx')!.tokenOperations });
      try {
        await fetch(`${proxy.url}/v4/oauth/exchange_token?client_id=c&client_secret=s&jwt_token=j`, { method: 'POST' }).then((r) => r.text());
      } finally {
        await proxy.stop();
      }
      expect(entries).toHaveLength(1);
      expect(JSON.stringify(entries)).not.toContain(live);
    });

    it('a request to another path, or by another method, is not taken for a token request', async () => {
      const entries: HarEntry[] = [];
      const send = recordingFetch(globalThis.fetch, (e) => entries.push(e), [], undefined, undefined, findVendor('perx')!.tokenOperations);
      for (const [path, method] of [['/v4/oauth/exchange_token_status', 'POST'], ['/prefix/v4/oauth/exchange_token', 'GET'], ['/prefix/v4/oauth/exchange_token/', 'POST']] as const) {
        const response = await send(new Request(`${url}${path}`, { method }));
        await response.text();
        await recorded(response);
      }
      expect(entries.map((e) => e.response.content.text.includes(live))).toEqual([true, true, false]);
    });
  });
});

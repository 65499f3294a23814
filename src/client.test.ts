/**
 * What every vendor client shares (src/client.ts), through the XONVO client: base URLs, the call's
 * signal, the guard's answers, retries by method, and openapi-fetch's middleware hooks; and, with
 * Footprints and Perx too, a dispatcher the caller gives a call.
 */
import { getEventListeners } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, recordingServer, type Seen } from '../contract-tests/support/http-server.js';
import { dispatcherKey } from './call-abort.js';
import { createVendorClient, defaultBaseUrl, type Client } from './client.js';
import { ContractViolationError, TimeoutError } from './errors.js';
import type { ContractViolation } from './guard/violation.js';
import { createFootprintsClient } from './footprints.js';
import { createImprzdClient } from './imprzd.js';
import { createPerxClient, type paths, type PerxClient } from './perx.js';
import { createXonvoClient, type XonvoClientOptions } from './xonvo.js';

/** The app client with every operation typed: these tests send user-token operations through it to stand-ins that take any token. */
type EveryOperation = PerxClient & Client<paths>;

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function serve(handle: (seen: Seen, res: ServerResponse) => void) {
  const server = await recordingServer(handle);
  close = server.close;
  return server;
}
const stats = { accountId: 1, engagedCount: 0, leadCount: 1, unsubscribeCount: 0, deliveredCount: 1, ctr: 0 };
const xonvo = (baseUrl: string, options: Partial<XonvoClientOptions> = {}) => createXonvoClient({ baseUrl, username: 'u', password: 'p', ...options });
const getStats = (client: ReturnType<typeof xonvo>, init: Record<string, unknown> = {}) =>
  client.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, ...init });

describe('defaultBaseUrl', () => {
  it("fills the spec server's variables: given values first, then their defaults", () => {
    expect(defaultBaseUrl('placewise', { loyalty_club_slug: 'my-club' })).toBe('https://api.mpc.placewise.com/v3/my-club');
    expect(defaultBaseUrl('xonvo')).toBe('https://admin.xonvo.com');
  });

  it('says what to do for a vendor whose spec names no server', () => {
    expect(() => defaultBaseUrl('nobody')).toThrow('nobody: the bundled spec declares no server; pass baseUrl');
  });
});

describe('calls', () => {
  it('joins a base URL with a trailing slash without doubling it', async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    await getStats(xonvo(`${server.url}/api///`));
    expect(server.seen[0]!.url).toBe('/api/accounts/1/statistics');
  });

  it('takes the method by name in any case through request()', async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    const { data } = await xonvo(server.url).request('get', '/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} } });
    expect(data).toEqual(stats);
    expect(server.seen[0]!.method).toBe('GET');
  });

  it('a caller whose signal has already aborted sends nothing and gets its reason', async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    const reason = new Error('user navigated away');
    await expect(getStats(xonvo(server.url), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(server.seen).toHaveLength(0);
  });

  it("leaves no listener on a caller's signal once a call is over, so one signal can serve many calls", async () => {
    const server = await serve((seen, res) => (seen.url.includes('fail') ? res.destroy() : json(res, 200, stats)));
    const client = xonvo(server.url);
    const shared = new AbortController().signal;
    for (let i = 0; i < 3; i++) await getStats(client, { signal: shared });
    await expect(client.GET('/fail' as never, { signal: shared } as never)).rejects.toThrow();
    expect(getEventListeners(shared, 'abort')).toEqual([]);
  });

  it.each([
    ['nothing', async () => undefined, 'must resolve to a Response (got nothing)'],
    ['a plain object (a test double)', async () => ({ ok: true, json: async () => stats }), 'must resolve to a Response (got an object without a numeric status, headers.get and text())'],
    ['an object that looks like a Response but cannot give its body', async () => ({ ok: true, status: 200, headers: new Headers(), json: async () => stats }), 'must resolve to a Response (got an object without text())'],
    ['an object whose status is a string and whose headers are a plain object', async () => ({ status: '200', headers: {}, text: async () => '{}' }), 'must resolve to a Response (got an object without a numeric status and headers.get)'],
    ['a string', async () => 'ok', 'must resolve to a Response (got a string)'],
  ])('a fetch option that resolves to %s fails the call with a ConfigError naming the option', async (_, fake, rule) => {
    const error = await getStats(xonvo('http://127.0.0.1:9', { fetch: fake as never })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigError', option: 'fetch', message: `xonvo: option "fetch" ${rule}` });
  });

  // The token request is the first a Perx or Footprints call makes: the caller's mistake was a TokenError there (found 2026-12-01).
  it.each([
    ['perx', () => (createPerxClient({ baseUrl: 'http://127.0.0.1:9', clientId: 'id', clientSecret: 's', fetch: (async () => undefined) as never }) as EveryOperation).GET('/v4/rewards')],
    ['footprints', () => createFootprintsClient({ baseUrl: 'http://127.0.0.1:9', key: 'k', secret: 's', fetch: (async () => undefined) as never }).GET('/api/lead' as never, {} as never)],
  ])('%s: a fetch option that answers no Response is a ConfigError on the token request too', async (vendor, call) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigError', option: 'fetch', message: `${vendor}: option "fetch" must resolve to a Response (got nothing)` });
  });

  it("a fetch option receives each request with the call's signal on it", async () => {
    const caller = new AbortController();
    const seen: { aborted: boolean; reason: unknown }[] = [];
    const client = xonvo('http://127.0.0.1:9', {
      fetch: async (request) => {
        caller.abort(new Error('user left')); // while the request is in flight
        seen.push({ aborted: request.signal.aborted, reason: request.signal.reason });
        return new Response(JSON.stringify(stats), { headers: { 'content-type': 'application/json' } });
      },
    });
    await getStats(client, { signal: caller.signal }).catch(() => undefined);
    expect(seen).toEqual([{ aborted: true, reason: new Error('user left') }]);
  });

  it('runs middleware added with use(), until it is ejected', async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    const client = xonvo(server.url);
    const tagging = { onRequest: ({ request }: { request: Request }) => (request.headers.set('x-trace', 'abc'), request) };
    client.use(tagging);
    await getStats(client);
    client.eject(tagging);
    await getStats(client);
    expect(server.seen.map((s) => s.headers['x-trace'])).toEqual(['abc', undefined]);
  });

  it("sends a call's options as checked when a prototype holds them: its middleware runs, its body goes", async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    const tagging = { onRequest: ({ request }: { request: Request }) => (request.headers.set('x-trace', 'abc'), request) };
    // Shared defaults for many calls, each call's own fields on top.
    const defaults = { middleware: [tagging], body: { a: 1 } };
    await xonvo(server.url).POST('/anything' as never, Object.create(defaults) as never);
    expect(server.seen.map((s) => [s.headers['x-trace'], s.body])).toEqual([['abc', '{"a":1}']]);
  });

  it("hands the caller's middleware a real Request, whether added with use() or on the call", async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    const client = xonvo(server.url);
    const seen: unknown[] = [];
    const inspecting = {
      async onRequest({ request }: { request: Request }) {
        seen.push([request instanceof Request, request.method, await request.clone().text()]);
        return request;
      },
    };
    await client.POST('/anything' as never, { body: { a: 1 }, middleware: [inspecting] } as never);
    client.use(inspecting, inspecting);
    client.eject(inspecting); // one copy stays registered, as in openapi-fetch
    await client.POST('/anything' as never, { body: { a: 2 } } as never);
    expect(seen).toEqual([
      [true, 'POST', '{"a":1}'],
      [true, 'POST', '{"a":2}'],
    ]);
    expect(server.seen.map((s) => s.body)).toEqual(['{"a":1}', '{"a":2}']);
  });

  it('has a function per HTTP method, each sending its method', async () => {
    const server = await serve((_, res) => void res.writeHead(204).end());
    const client = xonvo(server.url) as unknown as Record<string, (path: string, init?: object) => Promise<unknown>>;
    for (const method of ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH']) await client[method]!('/anything');
    expect(server.seen.map((s) => s.method)).toEqual(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH']);
    // fetch itself refuses TRACE; the client still has the method and passes the call on.
    await expect(client.TRACE!('/anything')).rejects.toThrow(/TRACE/);
  });

  it('retries HEAD, OPTIONS and DELETE too', async () => {
    const refused = new Set<string>();
    const server = await serve((seen, res) => {
      if (!refused.has(seen.method)) return void (refused.add(seen.method), res.writeHead(429, { 'retry-after': '0' }).end());
      res.writeHead(204).end();
    });
    const client = xonvo(server.url, { retry: { retries: 1 } });
    for (const method of ['head', 'options', 'delete']) expect((await client.request(method as never, '/anything' as never, {} as never)).response.status).toBe(204);
    expect(server.seen.map((s) => s.method)).toEqual(['HEAD', 'HEAD', 'OPTIONS', 'OPTIONS', 'DELETE', 'DELETE']);
  });

  it("returns a refusal at once when its Retry-After would outlast the call's deadline, instead of waiting into a timeout", async () => {
    const server = await serve((_, res) => res.writeHead(429, { 'retry-after': '10', 'content-type': 'application/json' }).end('{"error":"slow down"}'));
    const { response, error } = await getStats(xonvo(server.url, { timeoutMs: 2000, retry: { retries: 3 } }));
    expect(response.status).toBe(429);
    expect(error).toEqual({ error: 'slow down' });
    expect(server.seen).toHaveLength(1);
  });

  it('retries DELETE and PUT like GET, never POST', async () => {
    let refusals = 0;
    const server = await serve((seen, res) => {
      if (seen.url.endsWith('/stop') && refusals++ === 0) return void res.writeHead(503, { 'retry-after': '0' }).end();
      json(res, 200, { id: 1 });
    });
    const client = xonvo(server.url, { retry: { retries: 1 } });
    const { response } = await client.PUT('/accounts/{accountId}/leads/{leadExternalId}/stop', { params: { path: { accountId: 1, leadExternalId: 'x' } } });
    expect(response.status).toBe(200);
    expect(server.seen.map((s) => s.method)).toEqual(['PUT', 'PUT']);
  });
});

describe('the guard', () => {
  const reporting = (baseUrl: string, seen: ContractViolation[], validate: 'report' | 'throw' = 'report') =>
    xonvo(baseUrl, { validate, onViolation: (v) => seen.push(v) });

  it('judges an error body as it was sent: a JSON string wrapping an object is a string, not the object', async () => {
    const server = await serve((_, res) => void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(JSON.stringify({ error: 'Not Found' }))));
    const seen: ContractViolation[] = [];
    const { error } = await getStats(reporting(server.url, seen));
    expect(error).toBe('{"error":"Not Found"}'); // what openapi-fetch gives the caller, unchanged
    expect(seen.map((v) => [v.status, v.pointer, v.rule])).toEqual([[404, '', 'type']]);
  });

  it("judges the error answer the caller gets, one a caller's middleware put in place too", async () => {
    const server = await serve((_, res) => json(res, 500, { error: 'boom' }));
    const seen: ContractViolation[] = [];
    const client = reporting(server.url, seen);
    client.use({ onResponse: () => new Response('{"replaced":true}', { status: 404, headers: { 'content-type': 'application/json' } }) });
    const { error } = await getStats(client);
    expect(error).toEqual({ replaced: true });
    expect(seen.map((v) => v.rule)).not.toContain('json');
  });

  it('hands back the parsed body it checked, exactly as openapi-fetch would', async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    const seen: ContractViolation[] = [];
    const { data, error } = await getStats(reporting(server.url, seen));
    expect(data).toEqual(stats);
    expect(error).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('reports an undocumented status and still returns the answer in report mode', async () => {
    const server = await serve((_, res) => json(res, 418, { error: 'teapot' }));
    const seen: ContractViolation[] = [];
    const { error, response } = await getStats(reporting(server.url, seen));
    expect(response.status).toBe(418);
    expect(error).toEqual({ error: 'teapot' });
    expect(seen).toEqual([
      expect.objectContaining({ vendor: 'xonvo', operationId: 'getAccountStatistics', method: 'GET', path: '/accounts/{accountId}/statistics', status: 418, rule: 'status' }),
    ]);
  });

  it('judges an error body openapi-fetch could not parse by its text', async () => {
    const server = await serve((_, res) => void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>gone</h1>'));
    const seen: ContractViolation[] = [];
    const error = await getStats(reporting(server.url, seen, 'throw')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect((error as ContractViolationError).body).toBe('<h1>gone</h1>');
    expect(seen.map((v) => v.rule)).toEqual(['content-type']);
  });

  it('passes an empty answer through as no data', async () => {
    const server = await serve((_, res) => void res.writeHead(200).end());
    const seen: ContractViolation[] = [];
    const { data } = await client200(server.url, seen);
    expect(data).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('replays an answer that may have no body to the other parseAs modes', async () => {
    const server = await serve((_, res) => void res.writeHead(204).end());
    const seen: ContractViolation[] = [];
    const { data, response } = await reporting(server.url, seen).PUT('/accounts/{accountId}/pause', { params: { path: { accountId: 1 } }, parseAs: 'text' });
    expect(response.status).toBe(204);
    expect(data).toBeUndefined();
    expect(seen.map((v) => v.status)).toEqual([204]); // 204 is not among pause's documented statuses
  });

  it("hands a binary answer on byte for byte in every parseAs mode (Imprzd's PNG)", async () => {
    // Bytes that are not UTF-8: a guard that read them as text would replay U+FFFD in their place.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x80, 0xc3]);
    const server = await serve((_, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(png));
    const seen: ContractViolation[] = [];
    const imprzd = createImprzdClient({ baseUrl: server.url, token: 'jwt', validate: 'report', onViolation: (v) => seen.push(v) });
    const image = (parseAs: 'arrayBuffer' | 'blob' | 'stream') =>
      imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'f1' } }, parseAs }).then(({ data }) => new Response(data as BodyInit).arrayBuffer());
    for (const parseAs of ['arrayBuffer', 'blob', 'stream'] as const) expect(Buffer.from(await image(parseAs))).toEqual(png);
    expect(seen).toEqual([]);
  });

  it("hands the caller the vendor's own response in 'report' mode: its url and type, an empty body still a stream", async () => {
    const server = await serve((_, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end());
    const call = (validate: 'off' | 'report') =>
      createImprzdClient({ baseUrl: server.url, token: 'jwt', validate, ...(validate === 'report' ? { onViolation: () => {} } : {}) }).GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'f1' } }, parseAs: 'stream' });
    const [off, on] = [await call('off'), await call('report')];
    expect([on.response.url, on.response.type]).toEqual([off.response.url, off.response.type]);
    expect(on.response.url).toBe(`${server.url}/BroadcastImpression/api/file/displayImageV2/f1`);
    expect(on.data).toBeInstanceOf(ReadableStream);
    expect(await new Response(on.data as ReadableStream).arrayBuffer()).toEqual(new ArrayBuffer(0));
    await (off.data as ReadableStream).cancel();
  });

  it('has nothing to say about a path the spec does not have', async () => {
    const server = await serve((_, res) => json(res, 200, { anything: true }));
    const seen: ContractViolation[] = [];
    const { data } = await reporting(server.url, seen, 'throw').request('get', '/not-in-the-spec' as never, {} as never);
    expect(data).toEqual({ anything: true });
    expect(seen).toEqual([]);
  });
});

describe("a caller's own Request class (CLIENT-58)", () => {
  it('sends what the class built, headers and URL whole, whatever arguments its constructor takes', async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    class Stamped extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        const headers = new Headers(init?.headers);
        headers.set('x-trace', 'abc');
        super(input, { ...init, headers });
      }
    }
    class Signed extends Request {
      constructor(url: string, init?: RequestInit) {
        const signed = new URL(url);
        signed.searchParams.set('sig', 'x');
        super(signed, init);
      }
    }
    const client = xonvo(server.url);
    for (const Own of [Stamped, Signed]) expect((await getStats(client, { Request: Own })).response.status).toBe(200);
    expect(server.seen.map((s) => [s.url, s.headers.authorization, s.headers['x-trace']])).toEqual([
      ['/accounts/1/statistics', `Basic ${Buffer.from('u:p').toString('base64')}`, 'abc'],
      ['/accounts/1/statistics?sig=x', `Basic ${Buffer.from('u:p').toString('base64')}`, undefined],
    ]);
  });
});

describe('the guard within the deadline', () => {
  it('the first guarded call waits for its validators to load within its timeout (CLIENT-57)', async () => {
    const server = await serve((_, res) => json(res, 200, stats));
    const client = createVendorClient<any>({ vendor: 'xonvo', options: { baseUrl: server.url, timeoutMs: 100, validate: 'throw' }, validators: () => new Promise(() => {}) });
    await expect(client.GET('/accounts/{accountId}/statistics' as never, { params: { path: { accountId: 1 } } } as never)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('callbacks that watch calls (onViolation, record)', () => {
  /** console.error, captured for the test: where a failing callback is reported. */
  function consoleErrors() {
    const lines: unknown[][] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
    return { lines, restore: () => spy.mockRestore() };
  }

  it('a callback that throws, or rejects, is reported and the call goes on as if it had returned', async () => {
    const server = await serve((_, res) => json(res, 418, { error: 'teapot' }));
    const errors = consoleErrors();
    try {
      const throwing = xonvo(server.url, { validate: 'report', onViolation: () => { throw new Error('logger down'); }, record: () => { throw new Error('disk full'); } });
      const { response } = await getStats(throwing);
      expect(response.status).toBe(418);
      const rejecting = xonvo(server.url, { validate: 'report', onViolation: async () => { throw new Error('queue closed'); } });
      expect((await getStats(rejecting)).response.status).toBe(418);
      await new Promise((r) => setTimeout(r, 10)); // the rejection is reported once it settles
      expect(errors.lines.map(([message, error]) => `${message} ${(error as Error).message}`)).toEqual([
        // The exchange is recorded as it comes back, before the guard judges it.
        'martech-contracts: your record callback failed; the call went on without it: disk full',
        'martech-contracts: your onViolation callback failed; the call went on without it: logger down',
        'martech-contracts: your onViolation callback failed; the call went on without it: queue closed',
      ]);
    } finally {
      errors.restore();
    }
  });

  it("in 'throw' mode the call still fails with the violation, not with the callback's error", async () => {
    const server = await serve((_, res) => json(res, 418, { error: 'teapot' }));
    const errors = consoleErrors();
    try {
      const error = await getStats(xonvo(server.url, { validate: 'throw', onViolation: () => { throw new Error('logger down'); } })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractViolationError);
      expect(errors.lines).toHaveLength(1);
    } finally {
      errors.restore();
    }
  });
});

/** PUT /accounts/{id}/pause documents a 200 without a body. */
const client200 = (baseUrl: string, seen: ContractViolation[]) =>
  xonvo(baseUrl, { validate: 'throw', onViolation: (v) => seen.push(v) }).PUT('/accounts/{accountId}/pause', { params: { path: { accountId: 1 } } });

describe("a caller's per-call dispatcher (a ProxyAgent, a MockAgent)", () => {
  /** Perx answers its first API request 401 (so it is resent), XONVO its first 503 (so it is retried). */
  async function vendorServer() {
    let api = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const reply = (status: number, body: string) => (res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' }), res.end(body));
        if (req.url!.startsWith('/api/token') || req.url === '/v4/oauth/token') return reply(200, '{"access_token":"tok","expires_in":3600}');
        if (api++ === 0 && !req.url!.startsWith('/api/')) return reply(req.url!.startsWith('/v4/') ? 401 : 503, '{}');
        reply(200, '{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await (await fetch(`${url}/api/warm`)).text(); // Node's fetch makes its own dispatcher on first use
    api = 0;
    return url;
  }
  /** A dispatcher of the caller's: sends as Node's own would, noting each request it is given. */
  const watching = () => {
    const seen: string[] = [];
    const node = () => (globalThis as Record<symbol, { dispatch: (o: unknown, h: unknown) => boolean }>)[dispatcherKey!]!;
    return { seen, dispatcher: { dispatch: (options: { method: string; path: string }, handler: unknown) => (seen.push(`${options.method} ${options.path}`), node().dispatch(options, handler)) } };
  };
  const passThrough = { onRequest: ({ request }: { request: Request }) => request };
  const flows = [
    { name: 'XONVO, retried after a 503', make: (baseUrl: string, o: object) => xonvo(baseUrl, o), call: (c: any, init: Record<string, unknown>) => getStats(c, init), sent: ['GET /accounts/1/statistics', 'GET /accounts/1/statistics'] },
    { name: "Footprints, its token put in the query", make: (baseUrl: string, o: object) => createFootprintsClient({ baseUrl, key: 'k', secret: 's', ...o }), call: (c: any, init: object) => c.GET('/api/channels', init), sent: ['GET /api/channels?access_token=tok'] },
    {
      name: 'Perx, a POST resent after a 401',
      make: (baseUrl: string, o: object) => createPerxClient({ baseUrl, clientId: 'i', clientSecret: 's', ...o }),
      call: (c: any, init: object) => c.POST('/v4/rewards/{reward_id}/reserve', { params: { path: { reward_id: 1 } }, body: {}, ...init }),
      sent: ['POST /v4/rewards/1/reserve', 'POST /v4/rewards/1/reserve'],
    },
  ];
  const ways = [
    { way: 'as it is', options: {}, middleware: false },
    { way: 'with middleware of the caller', options: {}, middleware: true },
    { way: 'with middleware and recording', options: { record: () => {} }, middleware: true },
  ];
  it.skipIf(dispatcherKey === undefined).each(flows.flatMap((flow) => ways.map((way) => ({ ...flow, ...way }))))(
    '$name, $way: every exchange goes out on it (token requests, shared by calls, on the client\'s fetch)',
    async ({ make, call, sent, options, middleware }) => {
      const url = await vendorServer();
      const client = make(url, { retry: { retries: 1 }, ...options });
      if (middleware) client.use(passThrough);
      const { seen, dispatcher } = watching();
      const { response } = await call(client, { dispatcher });
      expect(response.status).toBe(200);
      expect(seen).toEqual(sent);
    },
  );
});

describe("a refusal's error body", () => {
  // The README's first example logs `error`: a token the vendor echoed there was shown, where the
  // HAR, a TokenError and a ContractViolationError masked it (found 2026-12-01).
  const token = 'live-fp-token-8f3kd93jf83kd93';
  const footprintsEcho = (answer: (given: string, res: ServerResponse) => void) =>
    serve((seen, res) => {
      const url = new URL(seen.url, 'http://x');
      if (url.pathname === '/api/token') return json(res, 200, { access_token: token, token_type: 'bearer', expires_in: 31535999 });
      answer(url.searchParams.get('access_token') ?? '', res);
    });

  it.each([['off'], ['report']] as const)('masks a token the vendor echoes in JSON, keeping its shape (guard %s)', async (validate) => {
    const server = await footprintsEcho((given, res) =>
      json(res, 401, { error: `invalid token ${given}`, code: 401, ok: false, none: null, details: [`token=${given}`, { seen: given, n: 1.5 }] }),
    );
    const client = createFootprintsClient({ baseUrl: server.url, key: 'k', secret: 's', validate, ...(validate === 'off' ? {} : { onViolation: () => {} }) });
    const { error, response } = await client.GET('/api/lead' as never, {} as never);
    expect(response.status).toBe(401);
    expect(error).toEqual({ error: 'invalid token [redacted]', code: 401, ok: false, none: null, details: ['token=[redacted]', { seen: '[redacted]', n: 1.5 }] });
  });

  // The refusal's keys were not masked, only its values: a 401 keyed by the token it refused kept it (found 2026-12-02).
  it.each([['off'], ['report']] as const)('masks a token the vendor echoes as a key of its JSON refusal (guard %s)', async (validate) => {
    const server = await footprintsEcho((given, res) => json(res, 401, { errors: { [given]: 'expired', list: [{ [given]: 1 }] }, message: 'invalid' }));
    const client = createFootprintsClient({ baseUrl: server.url, key: 'k', secret: 's', validate, ...(validate === 'off' ? {} : { onViolation: () => {} }) });
    const { error } = await client.GET('/api/lead' as never, {} as never);
    expect(error).toEqual({ errors: { '[redacted]': 'expired', list: [{ '[redacted]': 1 }] }, message: 'invalid' });
  });

  // Masked alike, the token's key and the client key's made one key, and the refusal lost a message (found 2026-12-02).
  it.each([['off'], ['report']] as const)('keeps each of two keys a refusal is keyed by when both are masked (guard %s)', async (validate) => {
    const key = 'fp-client-key-5d81c0a9e2';
    const server = await footprintsEcho((given, res) => json(res, 401, { errors: { [given]: 'expired', [key]: 'unknown client', '[redacted]': 'literal' } }));
    const client = createFootprintsClient({ baseUrl: server.url, key, secret: 'fp-client-secret-77ad01', validate, ...(validate === 'off' ? {} : { onViolation: () => {} }) });
    const { error } = await client.GET('/api/lead' as never, {} as never);
    expect(error).toEqual({ errors: { '[redacted] (2)': 'expired', '[redacted] (3)': 'unknown client', '[redacted]': 'literal' } });
  });

  // The error's body was masked as text before it was parsed: the two keys made one, and the body thrown lost a message (found 2026-12-02).
  it("keeps each of two keys masked alike in a ContractViolationError's body", async () => {
    const key = 'fp-client-key-5d81c0a9e2';
    const server = await footprintsEcho((given, res) => json(res, 418, { errors: { [given]: 'expired', [key]: 'unknown client', '[redacted]': 'literal' } }));
    const client = createFootprintsClient({ baseUrl: server.url, key, secret: 'fp-client-secret-77ad01', validate: 'throw', onViolation: () => {} });
    const error = await client.GET('/api/lead' as never, {} as never).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect((error as ContractViolationError).body).toEqual({ errors: { '[redacted] (2)': 'expired', '[redacted] (3)': 'unknown client', '[redacted]': 'literal' } });
  });

  it.each([['off'], ['report']] as const)('masks a password echoed in a plain-text refusal (guard %s)', async (validate) => {
    const password = 'hunter2-correct-horse';
    const server = await serve((_, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`upstream refused password ${password} for svc`));
    const { error } = await getStats(xonvo(server.url, { password, validate, ...(validate === 'off' ? {} : { onViolation: () => {} }) }));
    expect(error).toBe('upstream refused password [redacted] for svc');
  });

  it("masks no field by its name: a 422's messages under password or token fields are the vendor's words", async () => {
    const body = { errors: { password: 'must be at least 12 characters', api_key: 'is required', token: ['missing'] }, access_token: null };
    const server = await serve((_, res) => json(res, 422, body));
    expect((await getStats(xonvo(server.url))).error).toEqual(body);
  });

  it('leaves an error body without a credential as openapi-fetch parsed it', async () => {
    const body = { message: 'Not found', items: [1, 'two', { three: true }], at: null };
    const server = await serve((_, res) => json(res, 404, body));
    expect((await getStats(xonvo(server.url))).error).toEqual(body);
    const text = await serve((_, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Down for maintenance</h1>'));
    expect((await getStats(xonvo(text.url))).error).toBe('<h1>Down for maintenance</h1>');
  });
});

describe('an empty success body', () => {
  // openapi-fetch hands back `data: undefined` for any empty body, typed as the documented data:
  // the caller's `data.leadCount` broke later (found 2026-12-01).
  const empty = (headers: Record<string, string>) => (_: Seen, res: ServerResponse) => {
    res.writeHead(200, headers);
    res.end();
  };
  it('loads no operation table for a 204 with the guard off: it is empty by definition', async () => {
    const server = await serve((_: Seen, res: ServerResponse) => (res.writeHead(204), res.end()));
    let loads = 0;
    const validators = () => (loads++, Promise.resolve({ operations: {} }));
    const client = createVendorClient<any>({ vendor: 'xonvo', options: { baseUrl: server.url }, validators });
    expect((await client.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 } } } as never)).response.status).toBe(204);
    expect(loads).toBe(0);
    // With the guard on, the table is loaded, and a 204 is still no empty-body error where JSON is the default answer.
    const operations = { 'GET /accounts/{accountId}/statistics': ['getAccountStatistics', { default: { 'application/json': null } }] as const };
    const guarded = createVendorClient<any>({ vendor: 'xonvo', options: { baseUrl: server.url, validate: 'report', onViolation: () => {} }, validators: () => Promise.resolve({ operations }) });
    expect((await guarded.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 } } } as never)).response.status).toBe(204);
  });

  it.each([
    ['JSON, Content-Length: 0', { 'content-type': 'application/json', 'content-length': '0' }],
    ['JSON, chunked and empty', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
    ['no content type, Content-Length: 0', { 'content-length': '0' }],
  ])('is a RequestError where the operation documents JSON for the status (%s)', async (_, headers) => {
    const server = await serve(empty(headers));
    for (const options of [{}, { validate: 'report', onViolation: () => {} }, { record: () => {} }] as const) {
      const error = await getStats(xonvo(server.url, options)).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'RequestError', vendor: 'xonvo', operation: 'GET /accounts/{accountId}/statistics', message: 'xonvo: GET /accounts/{accountId}/statistics answered 200 with an empty body, where application/json is documented' });
    }
  });

  // openapi-fetch gives a refusal sent with Content-Length: 0 `error: undefined`, as it gives a
  // success, and the README's `error !== undefined` read a gateway's bare 401 as data (found 2026-12-02).
  it.each([401, 404, 302, 502])("gives a refusal with Content-Length: 0 (%i) error '', as one sent chunked", async (status) => {
    const server = await serve((_, res) => res.writeHead(status, { 'content-length': '0' }).end());
    for (const options of [{}, { validate: 'report', onViolation: () => {} }, { record: () => {} }] as const) {
      for (const init of [{}, { parseAs: 'stream' }]) {
        const result = await getStats(xonvo(server.url, options), init);
        expect(result).toMatchObject({ error: '', response: { status } });
        expect(result.error !== undefined).toBe(true);
      }
    }
  });

  it('passes where the operation documents no body (addLead), for a 204, a HEAD, another parseAs, and a path the spec does not have', async () => {
    const server = await serve(empty({ 'content-type': 'application/json', 'content-length': '0' }));
    const client = xonvo(server.url);
    const added = await client.POST('/lead', { body: {} as never });
    expect(added).toMatchObject({ data: undefined, response: { status: 200 } });
    expect(await getStats(client, { parseAs: 'text' })).toMatchObject({ data: undefined, response: { status: 200 } });
    expect(await client.GET('/nowhere' as never, {} as never)).toMatchObject({ data: undefined, response: { status: 200 } });
    expect(await client.HEAD('/accounts/{accountId}/statistics' as never, { params: { path: { accountId: 1 } } } as never)).toMatchObject({ data: undefined, response: { status: 200 } });
    const noContent = await serve((_, res) => res.writeHead(204).end());
    expect(await getStats(xonvo(noContent.url))).toMatchObject({ data: undefined, response: { status: 204 } });
  });
});

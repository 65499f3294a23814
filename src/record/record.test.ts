/**
 * Recording: real calls through the typed clients land in a HAR file, credentials masked, and
 * `npm run traffic`'s checker reads that file as it reads any browser or proxy recording.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSpec } from '../../contract-tests/lib/spec.js';
import { streamedAnswer } from '../../contract-tests/support/streamed-answer.js';
import { analyse } from '../../scripts/traffic/analyse.js';
import { readHar } from '../../scripts/traffic/har.js';
import { startExampleServer } from '../../scripts/traffic/example-server.js';
import { findVendor } from '../vendors.js';
import { createFootprintsClient } from '../footprints.js';
import { createImprzdClient } from '../imprzd.js';
import { createPerxClient, type paths, type PerxClient } from '../perx.js';
import { createCredentialMask, createHarRecorder, DEFAULT_MAX_KEPT_BYTES, LEARNED_TOKENS, type HarEntry } from './har.js';
import { recordingFetch } from './recording-fetch.js';
import { recorded } from './recordings.js';
import { lastWholeEntry } from './har-file.js';
import { overLimitScan, SCAN_OVERLAP } from './over-limit-scan.js';
import type { Client } from '../client.js';

/** The app client with every operation typed: these tests send user-token operations through it to stand-ins that take any token. */
type EveryOperation = PerxClient & Client<paths>;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const tmp = () => mkdtempSync(join(tmpdir(), 'martech-record-'));
const check = (vendor: string, file: string, server?: string) => analyse(loadSpec(findVendor(vendor)!), readHar(file), { har: file, spec: vendor }, server);

describe('record', () => {
  it('records Perx calls (token requests too) into a HAR the traffic checker reads, with no credential in it', async () => {
    const server = await startExampleServer('perx');
    stops.push(server.close);
    const recorder = createHarRecorder();
    const perx = createPerxClient({ baseUrl: server.url, clientId: 'client-id-7Qx', clientSecret: 'client-secret-9Zt', record: recorder.record });
    await (perx as EveryOperation).GET('/v4/rewards');
    await perx.asUser('user-66666').GET('/v4/customers/me');
    await (perx as EveryOperation).GET('/v4/rewards/{reward_id}', { params: { path: { reward_id: 205 } } });

    const file = join(tmp(), 'perx.har');
    await recorder.write(file);
    const text = readFileSync(file, 'utf8');
    for (const secret of ['client-id-7Qx', 'client-secret-9Zt']) expect(text).not.toContain(secret);
    expect(recorder.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`)).toEqual([
      'POST /v4/oauth/token 200',
      'GET /v4/rewards 200',
      'POST /v4/oauth/token 200',
      'GET /v4/customers/me 200',
      'GET /v4/rewards/205 200',
    ]);
    // Issued tokens are credentials too: masked in the token answers and in the calls that carry them.
    const [token, rewards] = recorder.entries as [HarEntry, HarEntry];
    expect(JSON.parse(token.response.content.text).access_token).toBe('[redacted]');
    expect(rewards.request.headers).toContainEqual({ name: 'authorization', value: 'Bearer [redacted]' });

    const report = check('perx', file, server.url);
    expect(report.counts).toMatchObject({ entries: 5, documented: 5, undocumented: 0, noResponse: 0 });
    // The token request as recorded has its credentials masked; everything else matches the spec.
    expect(report.mismatches.filter((m) => m.operationId !== 'createToken')).toEqual([]);
  });

  it('masks Footprints credentials in query strings, form bodies and Basic headers', async () => {
    const server = await startExampleServer('footprints');
    stops.push(server.close);
    const recorder = createHarRecorder();
    const footprints = createFootprintsClient({
      baseUrl: server.url,
      key: 'fp-key-123',
      secret: 'fp-secret-456',
      grant: { grant_type: 'password', username: 'ann', password: 'pw-789xyz' },
      record: recorder.record,
    });
    await footprints.GET('/api/channels');
    const text = JSON.stringify(recorder.har());
    for (const secret of ['fp-key-123', 'fp-secret-456', 'pw-789xyz']) expect(text).not.toContain(secret);
    const [token, channels] = recorder.entries as [HarEntry, HarEntry];
    expect(token.request.headers).toContainEqual({ name: 'authorization', value: 'Basic [redacted]' });
    expect(token.request.postData?.text).toBe('grant_type=password&username=ann&password=[redacted]');
    expect(new URL(channels.request.url).searchParams.get('access_token')).toBe('[redacted]');
    expect(text).not.toMatch(/"access_token":"(?!\[redacted\])/);
  });

  it('a Perx token answer without its token is a TokenError, and neither it nor the recording shows the token (CLIENT-184)', async () => {
    const live = 'Zm9vYmFy-live-0123456789abcdef';
    const server = createServer((_, res) => (res.writeHead(200, { 'content-type': 'application/json' }), res.end(`{"data":{"session":{"id":"${live}"}}}`)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    const recorder = createHarRecorder();
    const perx = createPerxClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, clientId: 'id', clientSecret: 's', record: recorder.record });
    const error = await (perx as EveryOperation).GET('/v4/rewards').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TokenError', body: { data: { session: { id: '[redacted]' } } } });
    expect(recorder.entries).toHaveLength(1);
    expect(JSON.stringify(recorder.entries)).not.toContain(live);
  });

  it("masks Footprints' appkey, the tracking calls' credential, in form bodies and as appKey in queries (CLIENT-68)", async () => {
    const server = await startExampleServer('footprints');
    stops.push(server.close);
    const recorder = createHarRecorder();
    const footprints = createFootprintsClient({ baseUrl: server.url, key: 'fp-key-123', secret: 'fp-secret-456', record: recorder.record });
    const appkey = '571e64183647a855d0sgf3a3';
    await footprints.POST('/mobileapi/init', { body: { appkey, userEmail: 'a@b.c' } as never });
    await footprints.GET('/api/lead', { params: { query: { appKey: appkey } } } as never);
    expect(JSON.stringify(recorder.har())).not.toContain(appkey);
    const calls = recorder.entries.filter((e) => !e.request.url.includes('/api/token'));
    expect(calls[0]!.request.postData?.text).toBe('appkey=[redacted]&userEmail=a%40b.c');
    expect(new URL(calls[1]!.request.url).searchParams.get('appKey')).toBe('[redacted]');
  });

  it("keeps a date about a password (Perx's password_expires_at), which the checker reads: masked, it was drift (CLIENT-67)", async () => {
    const spec = loadSpec(findVendor('perx')!);
    const me = structuredClone((spec.doc.paths!['/v4/customers/me'] as any).get.responses['200'].content['application/json'].example);
    me.data.password_expires_at = '2027-01-01T00:00:00.000Z';
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url!.includes('oauth/token') ? '{"access_token":"user-token-abcdef","token_type":"bearer","expires_in":3600}' : JSON.stringify(me));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const recorder = createHarRecorder();
    const perx = createPerxClient({ baseUrl: url, clientId: 'client-id-7Qx', clientSecret: 'client-secret-9Zt', record: recorder.record });
    await perx.asUser('user-1').GET('/v4/customers/me');
    const file = join(tmp(), 'perx-me.har');
    await recorder.write(file);
    expect(JSON.parse(recorder.entries[1]!.response.content.text).data.password_expires_at).toBe('2027-01-01T00:00:00.000Z');
    expect(check('perx', file, url).mismatches.filter((m) => m.operationId === 'getCurrentCustomer')).toEqual([]);
  });

  it('records a call that got no answer with status 0 and why (not only undici\'s "fetch failed"), which the checker reports as such', async () => {
    const recorder = createHarRecorder();
    const imprzd = createImprzdClient({ baseUrl: 'http://127.0.0.1:9', token: 'jwt-abc-def', record: recorder.record });
    await expect(imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'blob' })).rejects.toThrow();
    expect(recorder.entries[0]!.response).toMatchObject({ status: 0, _error: 'fetch failed: bad port' }); // fetch refuses port 9 itself: "fetch failed" alone hid it
  });

  it("records why a host with an IPv4 and an IPv6 address refused (happy eyeballs' AggregateError, whose message is empty), as the RequestError says it", async () => {
    // What undici throws when each of a host's addresses refuses: the socket's error, made for real against a closed loopback port.
    const refused = await new Promise<Error>((resolve) => {
      const lookup = (_: string, __: unknown, done: (error: null, addresses: { address: string; family: number }[]) => void) => done(null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
      connect({ host: 'dual.example', port: 9, autoSelectFamily: true, lookup: lookup as never }).on('error', resolve);
    });
    expect(refused).toBeInstanceOf(AggregateError);
    const recorder = createHarRecorder();
    const imprzd = createImprzdClient({ baseUrl: 'http://dual.example', token: 'jwt-abc-def', record: recorder.record, fetch: async () => { throw new TypeError('fetch failed', { cause: refused }); } });
    const error = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'blob' }).catch((e: Error) => e);
    const why = (error as Error).message.replace(/^.* got no answer: /, '');
    expect(why).toMatch(/^connect E\w+ 127\.0\.0\.1:9; connect E\w+ ::1:9$/);
    expect(recorder.entries[0]!.response._error).toBe(`fetch failed: ${why}`);
  });

  it.each(['', ' (with middleware added with use(): real Requests)'])("a call read with parseAs: 'stream' returns when its headers are in, and is recorded once its body is%s", async (withMiddleware) => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write('head-');
      void finished.then(() => res.end('tail'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const recorder = createHarRecorder();
    const imprzd = createImprzdClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, token: 'jwt-abc-def', record: recorder.record });
    if (withMiddleware) imprzd.use({ onRequest: ({ request }) => request });
    const call = imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'stream' });
    // The body is only finished after the call has returned: a call that waited for it would never return.
    const first = await Promise.race([call.then(() => 'returned'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000))]);
    expect(first).toBe('returned');
    expect(recorder.entries).toEqual([]);
    finish();
    expect(await new Response((await call).data as ReadableStream).text()).toBe('head-tail');
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
    expect(Buffer.from(recorder.entries[0]!.response.content.text, 'base64').toString()).toBe('head-tail');
  });

  it('a streamed body the caller cancels ends the exchange (the recording copy too), and is recorded as cancelled', async () => {
    let open = 0;
    const server = createServer((_, res) => {
      open++;
      res.on('close', () => open--);
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': '100000' });
      res.write(Buffer.alloc(1000)); // and then nothing
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const recorder = createHarRecorder();
    const imprzd = createImprzdClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, token: 'jwt-abc-def', record: recorder.record });
    const { data } = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'stream' });
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).value).toHaveLength(1000);
    await reader.cancel(); // it used to wait for the recording's copy, which waited for the vendor: forever
    await vi.waitFor(() => expect(open).toBe(0));
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
    expect(recorder.entries[0]!.response).toMatchObject({ status: 200, _error: 'The body was cancelled' });
  });

  it("a record function's own body limit out of range is refused as the client is made, not at its first call (the recording fetch loads then: CLIENT-231)", () => {
    const record = Object.assign(() => undefined, { maxBodyBytes: 1e12 });
    expect(() => createImprzdClient({ token: 'jwt-abc-def', record })).toThrow('record: maxBodyBytes must be a whole number of bytes from 0 to 268435456 (256 MiB) (got 1000000000000)');
  });

  it('a call that fails with an answer over the limit unread, from a fetch option that ignores its signal, fails and is recorded (found 2026-12-02)', async () => {
    // The paced answer was read only as far as the limit, and only fetch's own body ends when the
    // call aborts: the guard refused this stream's type, and the call waited for its entry for ever.
    const recorder = createHarRecorder({ maxBodyBytes: 1024 });
    const imprzd = createImprzdClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 'jwt-abc-def',
      record: recorder.record,
      validate: 'throw',
      fetch: async () => new Response('x'.repeat(64 * 1024), { status: 200, headers: { 'content-type': 'text/plain' } }),
    });
    const call = imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'stream' });
    const failure = call.then(() => 'returned', (error: Error) => error.message);
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
    expect(await failure).toMatch(/content type "text\/plain" is not documented for 200/);
    expect(recorder.entries[0]!.response).toMatchObject({ status: 200, _error: expect.stringMatching(/not documented/), content: { _notRecorded: expect.stringContaining('maxBodyBytes') } });
  });

  it('an answer that arrives after its call has aborted is recorded with the abort\'s reason, whatever the reason is (found 2026-12-03)', async () => {
    // The paced answer ended its recording as it was made, before recordAnswer held it: a
    // ReferenceError ("Cannot access 'answer' before initialization") in place of the answer, and no entry.
    const recorder = createHarRecorder({ maxBodyBytes: 1024 });
    const controller = new AbortController();
    const late = async () => (controller.abort('the caller gave up'), new Response('x'.repeat(64 * 1024), { headers: { 'content-type': 'text/plain' } }));
    const response = await recordingFetch(late, recorder.record, [], 1024)(new Request('https://api.example.com/a', { signal: controller.signal }));
    await expect(response.text()).rejects.toBe('the caller gave up');
    await recorded(response);
    expect(recorder.entries.map((entry) => entry.response._error)).toEqual(['the caller gave up']);
    // Through a client whose deadline passed while a `fetch` option ignoring its signal answered.
    const client = createHarRecorder({ maxBodyBytes: 1024 });
    const imprzd = createImprzdClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 'jwt-abc-def',
      record: client.record,
      timeoutMs: 50,
      fetch: async () => (await new Promise((resolve) => setTimeout(resolve, 200)), new Response('x'.repeat(64 * 1024), { headers: { 'content-type': 'image/png' } })),
    });
    const call = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'stream' }).then(() => 'returned', (error: Error) => error.message);
    expect(call).toMatch(/timed out after 50 ms/);
    await vi.waitFor(() => expect(client.entries).toHaveLength(1), { timeout: 5000 });
    expect(client.entries[0]!.response._error).toMatch(/timed out after 50 ms/);
  });

  it('a streamed answer over the limit that its caller leaves unread is recorded when the call\'s deadline ends it, whatever fetch gave it (found 2026-12-02)', async () => {
    const recorder = createHarRecorder({ maxBodyBytes: 1024 });
    const imprzd = createImprzdClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 'jwt-abc-def',
      record: recorder.record,
      timeoutMs: 200,
      fetch: async () => new Response('x'.repeat(64 * 1024), { status: 200, headers: { 'content-type': 'image/png' } }),
    });
    await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'stream' });
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1), { timeout: 5000 });
    expect(recorder.entries[0]!.response._error).toMatch(/timed out after 200 ms/);
  });

  it('hands on and records an answer whose reason phrase Response\'s constructor refuses, as fetch gave it (found 2026-12-02)', async () => {
    // fetch takes `200 O\x01K` from the vendor; the paced answer, made anew, was refused ("Invalid
    // statusText"): the call failed where it worked unrecorded, and nothing was recorded.
    const server = createNetServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 O\x01K\r\ncontent-type: text/plain\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    const recorder = createHarRecorder();
    const response = await recordingFetch(fetch, recorder.record)(new Request(`http://127.0.0.1:${(server.address() as { port: number }).port}/`));
    expect([response.status, response.statusText, await response.text()]).toEqual([200, 'O\x01K', 'hello']);
    await recorded(response);
    expect(recorder.entries.map((entry) => [entry.response.status, entry.response.statusText, entry.response.content.text])).toEqual([[200, 'O\x01K', 'hello']]);
  });

  it('reads a streamed answer over the limit at its caller\'s pace: a caller that reads nothing holds no more of it than the limit and the sockets (found 2026-12-02)', async () => {
    // The recording read a copy (a tee) as fast as the vendor sent, and the tee held for the
    // caller all it had not read yet: a streamed answer the caller read slowly was held whole.
    const total = 64 * 1024 * 1024;
    const vendor = streamedAnswer(total, 'image/png');
    const server = createServer(vendor.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const recorder = createHarRecorder({ maxBodyBytes: 1024 * 1024 });
    const imprzd = createImprzdClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, token: 'jwt-abc-def', record: recorder.record, timeoutMs: 60_000 });
    const { data, response } = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'stream' });
    // The answer the caller gets is made anew around the paced body; it keeps what fetch gave it.
    expect([response.url, response.type, response.redirected]).toEqual([`http://127.0.0.1:${(server.address() as { port: number }).port}/BroadcastImpression/api/file/displayImageV2/x`, 'basic', false]);
    // What is written once the vendor stops being read is what the recording, the caller's body and the sockets between took.
    expect(await vendor.whenStill()).toBeLessThan(16 * 1024 * 1024);
    let got = 0;
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) got += next.value.length;
    expect(got).toBe(total);
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
    expect(recorder.entries[0]!.response).toMatchObject({ status: 200, content: { size: total, _notRecorded: expect.stringContaining('maxBodyBytes') } });
  });

  it('grows the Imprzd spec: documented calls check out, undocumented ones come back as suggested paths', async () => {
    const server = await startExampleServer('imprzd');
    stops.push(server.close);
    const recorder = createHarRecorder();
    const imprzd = createImprzdClient({ baseUrl: server.url, token: 'eyJhbGciOi.secret.jwt', record: recorder.record });
    await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'L2hvbWUv' } }, parseAs: 'arrayBuffer' });
    // A call the spec does not know yet, as a team would make it from its own integration code.
    await imprzd.request('get' as never, '/BroadcastImpression/api/customers/{id}/segments' as never, { params: { path: { id: 1042 } } } as never);
    const file = join(tmp(), 'imprzd.har');
    await recorder.write(file);
    expect(readFileSync(file, 'utf8')).not.toContain('secret.jwt');

    const report = check('imprzd', file, server.url);
    expect(report.counts).toMatchObject({ entries: 2, documented: 1, undocumented: 1 });
    expect(report.mismatches).toEqual([]);
    expect(report.undocumented).toMatchObject([{ method: 'GET', path: '/BroadcastImpression/api/customers/{customerId}/segments', statuses: [404] }]);
    expect(Object.keys(report.suggestedPaths)).toEqual(['/BroadcastImpression/api/customers/{customerId}/segments']);
  });
});

/** The recorder on its own: a stub fetch in place of a vendor, the entries read back. */
describe('recordingFetch', () => {
  const answer = (body: string | null, init: ResponseInit = {}) => async () => new Response(body, init);

  async function recordOne(request: Request, fetch: (r: Request) => Promise<Response>, secrets: string[] = []) {
    const entries: HarEntry[] = [];
    const response = await recordingFetch(fetch, (e) => entries.push(e), secrets)(request);
    await recorded(response);
    return { entry: entries[0]!, response, entries };
  }

  it('records request and response in HAR form, and hands the caller a response it can still read', async () => {
    const request = new Request('https://api.example.com/v1/members?page=2&size=10', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
      body: '{"name":"Åse"}',
    });
    const { entry, response } = await recordOne(request, answer('{"id":7,"name":"Åse"}', { status: 201, statusText: 'Created', headers: { 'content-type': 'application/json; charset=utf-8' } }));
    expect(await response.json()).toEqual({ id: 7, name: 'Åse' });
    expect(Date.parse(entry.startedDateTime)).not.toBeNaN();
    expect(entry.startedDateTime).toBe(new Date(entry.startedDateTime).toISOString());
    expect(entry.time).toBeGreaterThanOrEqual(0);
    expect(entry.timings).toEqual({ send: 0, wait: entry.time, receive: 0 });
    expect(entry.cache).toEqual({});
    expect(entry.request).toEqual({
      method: 'POST',
      url: 'https://api.example.com/v1/members?page=2&size=10',
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'content-type', value: 'application/json' },
        { name: 'x-trace', value: 'abc' },
      ],
      queryString: [
        { name: 'page', value: '2' },
        { name: 'size', value: '10' },
      ],
      cookies: [],
      headersSize: -1,
      // Bytes, not characters: Å takes two.
      bodySize: 15,
      postData: { mimeType: 'application/json', text: '{"name":"Åse"}' },
    });
    expect(entry.response).toEqual({
      status: 201,
      statusText: 'Created',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'content-type', value: 'application/json; charset=utf-8' }],
      cookies: [],
      content: { size: 22, mimeType: 'application/json; charset=utf-8', text: '{"id":7,"name":"Åse"}' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 22,
    });
  });

  it('records a body that is not text (an image) as base64, byte for byte, and the checker reads it back', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xfe]);
    const { entry, response } = await recordOne(new Request('https://api.example.com/image/1'), async () => new Response(png, { headers: { 'content-type': 'image/png' } }));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
    expect(entry.response.content).toEqual({ size: 11, mimeType: 'image/png', text: 'iVBORw0KGgr/AP4=', encoding: 'base64' });
    expect(entry.response.bodySize).toBe(11);
    const file = join(tmp(), 'image.har');
    const recorder = createHarRecorder();
    recorder.record(entry);
    await recorder.write(file);
    expect(readHar(file)[0]!.response).toMatchObject({ status: 200, contentType: 'image/png', bodyRecorded: true });
  });

  it('records a request without a body with size 0 and no postData, and an answer without a type as ""', async () => {
    const { entry } = await recordOne(new Request('https://api.example.com/ping'), answer('pong'));
    expect(entry.request.bodySize).toBe(0);
    expect(entry.request).not.toHaveProperty('postData');
    expect(entry.response.content).toEqual({ size: 4, mimeType: 'text/plain;charset=UTF-8', text: 'pong' });
    const bare = await recordOne(new Request('https://api.example.com/ping', { method: 'POST', body: new Uint8Array([1]) }), answer(null));
    expect(bare.entry.request.postData?.mimeType).toBe('');
    expect(bare.entry.response.content).toEqual({ size: 0, mimeType: '', text: '' });
  });

  it('records a call that got no answer with status 0 and the reason, and still fails it', async () => {
    const entries: HarEntry[] = [];
    const failing = recordingFetch(async () => Promise.reject(new TypeError('fetch failed')), (e) => entries.push(e));
    await expect(failing(new Request('https://api.example.com/ping'))).rejects.toThrow('fetch failed');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.response).toEqual({
      status: 0,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: [],
      cookies: [],
      content: { size: 0, mimeType: '', text: '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
      _error: 'fetch failed',
    });
  });

  it("masks a token a fetch's error quotes (node-fetch quotes the URL)", async () => {
    const entries: HarEntry[] = [];
    const quoting = recordingFetch(async (r) => Promise.reject(new Error(`request to ${r.url} failed, reason: socket hang up`)), (e) => entries.push(e));
    await expect(quoting(new Request('https://api.example.com/api/lead?access_token=LIVE-TOKEN-777'))).rejects.toThrow('LIVE-TOKEN-777');
    expect(entries[0]!.response._error).toBe('request to https://api.example.com/api/lead?access_token=[redacted] failed, reason: socket hang up');
  });

  it('records an answer cut off mid-body with its status and headers and the error; reading it fails as with fetch', async () => {
    const entries: HarEntry[] = [];
    const cut = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('{"par')), c.error(new TypeError('terminated'))) });
    const cutOff = recordingFetch(async () => new Response(cut, { status: 200, headers: { 'content-type': 'application/json', 'x-api-key': 'k-1234' } }), (e) => entries.push(e));
    // The response is handed on at its headers; reading its body fails as fetch's would.
    const response = await cutOff(new Request('https://api.example.com/list'));
    await expect(response.text()).rejects.toThrow('terminated');
    await recorded(response);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.response).toMatchObject({ status: 200, content: { size: 0, mimeType: 'application/json', text: '' }, bodySize: 0, _error: 'terminated' });
    expect(entries[0]!.response.headers).toContainEqual({ name: 'x-api-key', value: '[redacted]' });
  });

  it('records an answer cut off mid-body with the part of its body that came (CLIENT-69)', async () => {
    const entries: HarEntry[] = [];
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const cutOff = recordingFetch(async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }), (e) => entries.push(e));
    const response = await cutOff(new Request('https://api.example.com/list'));
    controller.enqueue(new TextEncoder().encode('{"password":"pw-12345","par'));
    // The chunk reaches the recording's copy before the cut.
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.error(new TypeError('terminated'));
    await expect(response.text()).rejects.toThrow('terminated');
    await recorded(response);
    expect(entries[0]!.response).toMatchObject({ status: 200, content: { size: 27, text: '{"password":"[redacted]","par' }, bodySize: 27, _error: 'terminated' });
  });

  // Found 2026-12-01: the part that came was recorded with the token in clear, its closing quote never having arrived.
  it('masks a credential the cut-off part ends inside', async () => {
    const entries: HarEntry[] = [];
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const stalled = recordingFetch(async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }), (e) => entries.push(e));
    const response = await stalled(new Request('https://api.example.com/v4/oauth/token', { method: 'POST' }));
    controller.enqueue(new TextEncoder().encode('{"data":[{"id":1,"access_token":"tok-PARTIAL-SECRET-99'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.error(new TypeError('terminated'));
    await expect(response.text()).rejects.toThrow('terminated');
    await recorded(response);
    expect(entries[0]!.response.content.text).toBe('{"data":[{"id":1,"access_token":"[redacted]');
  });

  it('learns the credentials a request body carries before it records the answer, which may quote one', async () => {
    const json = new Request('https://api.example.com/members', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"hunter2-SECRET-VALUE"}' });
    const { entry } = await recordOne(json, answer('{"error":"password hunter2-SECRET-VALUE is too common"}', { status: 422, headers: { 'content-type': 'application/json' } }));
    expect(JSON.stringify(entry)).not.toContain('hunter2-SECRET-VALUE');
    const form = new Request('https://api.example.com/api/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&password=form-SECRET-VALUE' });
    const { entry: formEntry } = await recordOne(form, answer('<p>bad password form-SECRET-VALUE</p>', { status: 400, headers: { 'content-type': 'text/html' } }));
    expect(JSON.stringify(formEntry)).not.toContain('form-SECRET-VALUE');
  });

  it('learns the credentials a request body over maxBodyBytes sends, as it passes, so an answer quoting one is masked: JSON, a form, a file upload in chunks', async () => {
    const quoted = (secret: string) => answer(`{"error":"${secret} is too common"}`, { status: 422, headers: { 'content-type': 'application/json' } });
    const overLimit = async (request: Request, fetch: (r: Request) => Promise<Response>) => {
      const entries: HarEntry[] = [];
      const response = await recordingFetch(fetch, (e) => entries.push(e), [], 1024)(request);
      await recorded(response);
      expect(entries[0]!.request.postData).toMatchObject({ text: '', _notRecorded: expect.stringContaining('maxBodyBytes') });
      return entries[0]!;
    };
    const filler = 'x'.repeat(5000);
    const json = new Request('https://api.example.com/members', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"bio":"${filler}","password":"json-OVER-LIMIT-1"}` });
    expect((await overLimit(json, quoted('json-OVER-LIMIT-1'))).response.content.text).toBe('{"error":"[redacted] is too common"}');
    const streamOf = (bytes: Uint8Array, size: number) =>
      new ReadableStream({
        start(c) {
          for (let at = 0; at < bytes.length; at += size) c.enqueue(bytes.slice(at, at + size));
          c.close();
        },
      });
    // Its credential in the chunks kept until the limit was reached.
    const formBody = streamOf(new TextEncoder().encode(`password=form-OVER-LIMIT-2&bio=${filler}`), 500);
    const form = new Request('https://api.example.com/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formBody, duplex: 'half' } as RequestInit);
    expect((await overLimit(form, quoted('form-OVER-LIMIT-2'))).response.content.text).toBe('{"error":"[redacted] is too common"}');
    // A multipart upload streamed a few bytes at a time: the password's part is cut across chunks, after a file that is not UTF-8.
    const upload = new FormData();
    upload.append('file', new Blob([new Uint8Array(3000).fill(0xff)]), 'a.bin');
    upload.append('password', 'pässwört-OVER-3');
    const encoded = new Request('https://x', { method: 'POST', body: upload });
    const type = encoded.headers.get('content-type')!;
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const multipart = new Request('https://api.example.com/upload', { method: 'POST', headers: { 'content-type': type }, body: streamOf(bytes, 7), duplex: 'half' } as RequestInit);
    const entry = await overLimit(multipart, quoted('pässwört-OVER-3'));
    expect(entry.request.bodySize).toBe(bytes.length);
    expect(entry.response.content.text).toBe('{"error":"[redacted] is too common"}');
  });

  it("learns a JSON credential of a body over the limit whose key or value is escaped (`pass\\u0077ord`, Python's `p\\u00e4ss`), which a window never parses", async () => {
    const filler = 'f'.repeat(3 * SCAN_OVERLAP);
    const body = `{"bio":"${filler}","pass\\u0077ord":"key-ESCAPED-1","password":"p\\u00e4ss\\/w\\u00f6rt-ESCAPED-2","z":"${filler}"}`;
    const request = new Request('https://api.example.com/members', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const quote = async () => new Response('{"error":"key-ESCAPED-1 and päss/wört-ESCAPED-2 are too common"}', { status: 422, headers: { 'content-type': 'application/json' } });
    const entries: HarEntry[] = [];
    const response = await recordingFetch(quote, (e) => entries.push(e), [], 1024)(request);
    await recorded(response);
    expect(entries[0]!.request.postData?._notRecorded).toContain('maxBodyBytes');
    expect(entries[0]!.response.content.text).toBe('{"error":"[redacted] and [redacted] are too common"}');
  });

  it('learns a credential of a body over the limit that a scan window cuts, whole, and never holds more than three windows of it', async () => {
    const windows: number[] = [];
    const learnt: string[] = [];
    const scan = overLimitScan((text) => {
      windows.push(text.length);
      for (const [, value] of text.matchAll(/"password":"([^"]*)"/g)) learnt.push(value!);
    });
    const secret = `long-${'s'.repeat(1000)}-secret`;
    // A pair every 10,000 characters, one of them across the first window's cut.
    const pair = (i: number) => `"password":"${i === 13 ? secret : `pw-${i}`}",`;
    let text = '{';
    for (let i = 0; text.length < 1_000_000; i++) text += `${pair(i)}"filler":"${'f'.repeat(10_000)}",`;
    text += '"end":1}';
    const bytes = new TextEncoder().encode(text);
    for (let at = 0; at < bytes.length; at += 4096) scan.take(bytes.subarray(at, at + 4096));
    scan.end();
    expect(learnt).toContain(secret);
    expect(new Set(learnt)).toEqual(new Set(Array.from(text.matchAll(/"password":"([^"]*)"/g), (m) => m[1])));
    expect(Math.max(...windows)).toBeLessThanOrEqual(3 * SCAN_OVERLAP);
  });

  it("does not learn a carried value that is a plain word: it would mask that word everywhere ('Bearer undefined')", async () => {
    const request = new Request('https://api.example.com/me', { headers: { Authorization: 'Bearer undefined', 'X-Api-Key': 'application' } });
    const { entry } = await recordOne(request, answer('{"error":"token is undefined"}', { status: 401, headers: { 'content-type': 'application/json' } }));
    expect(entry.response.content.text).toBe('{"error":"token is undefined"}');
    expect(entry.response.headers).toContainEqual({ name: 'content-type', value: 'application/json' });
  });

  it('masks a token the reason phrase quotes, learnt or not, and keeps a scheme followed by a plain word (found 2026-12-01)', async () => {
    const request = new Request('https://api.example.com/me', { headers: { Authorization: 'Bearer carried-token-123' } });
    const { entry } = await recordOne(request, answer('{}', { status: 401, statusText: 'Token Bearer carried-token-123 rejected', headers: { 'content-type': 'application/json' } }));
    expect(entry.response.statusText).not.toContain('carried-token-123');
    const { entry: other } = await recordOne(new Request('https://api.example.com/me'), answer('{}', { status: 401, statusText: 'Bearer never-sent-456 and Basic dXNlcjpwYXNzd29yZA== refused; Bearer token required, Basic charset=UTF-8' }));
    expect(other.response.statusText).toBe('Bearer [redacted] and Basic [redacted] refused; Bearer token required, Basic charset=UTF-8');
    // An auth-param, and words after a scheme, are not a token (a second round found them masked).
    const kept = 'Bearer error_description="the token expired"; Token not-yet-valid; Bearer realm=api';
    const { entry: params } = await recordOne(new Request('https://api.example.com/me'), answer('{}', { status: 401, statusText: kept }));
    expect(params.response.statusText).toBe(kept);
    // Cut off mid-body, the answer is recorded as failed, with its reason phrase masked the same way.
    const cut = new Response(new ReadableStream({ start: (c) => c.error(new Error('cut')) }), { status: 401, statusText: 'Bearer never-sent-456' });
    const { entry: failed } = await recordOne(new Request('https://api.example.com/me'), async () => cut);
    expect(failed.response.statusText).toBe('Bearer [redacted]');
  });

  it("learns the credentials a request carries in its headers, so an answer quoting one is masked (CLIENT-68)", async () => {
    const request = new Request('https://api.example.com/me', { headers: { Authorization: 'Bearer carried-token-123', 'X-Api-Key': 'carried-key-456' } });
    const { entry } = await recordOne(request, answer('{"error":"token carried-token-123 expired","key":"carried-key-456"}', { status: 401, headers: { 'content-type': 'application/json' } }));
    expect(entry.response.content.text).toBe('{"error":"token [redacted] expired","key":"[redacted]"}');
  });

  it('learns each cookie a request sends, so an answer quoting one cookie\'s value is masked (found 2026-12-02)', async () => {
    // Only a Cookie line's whole value was learnt: a 401 naming the session it refused, on its
    // own, was recorded in clear, one line or two.
    const request = new Request('https://api.example.com/me', { headers: [['Cookie', 'lang=en; sid=s3ss-93jf8a0s9d'], ['Cookie', 'csrf=c5rf-77ab12cd']] });
    const { entry } = await recordOne(request, answer('{"error":"session s3ss-93jf8a0s9d expired","csrf":"c5rf-77ab12cd","lang":"en"}', { status: 401, headers: { 'content-type': 'application/json' } }));
    expect(entry.response.content.text).toBe('{"error":"session [redacted] expired","csrf":"[redacted]","lang":"en"}');
  });

  it('learns the session an answer issues in Set-Cookie, so its own body quoting it is masked, and none of the cookie\'s attributes (found 2026-12-02)', async () => {
    const issued = 'sid=s3ss-issued-4410; Path=/; Max-Age=31536000; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly';
    const body = '{"session":"s3ss-issued-4410","ttl":31536000,"at":"Wed, 21 Oct 2026 07:28:00 GMT"}';
    const { entry } = await recordOne(new Request('https://api.example.com/login', { method: 'POST' }), answer(body, { headers: { 'content-type': 'application/json', 'set-cookie': issued } }));
    expect(entry.response.content.text).toBe('{"session":"[redacted]","ttl":31536000,"at":"Wed, 21 Oct 2026 07:28:00 GMT"}');
  });

  it("learns a cookie that could be a session, not one naming an id, a number, a date or a zone, whose every such value it masked (found 2026-12-03)", async () => {
    const member = '5f1e2c3a-7b9d-4e21-a0c4-1b2c3d4e5f60';
    const cookies = `member_id=${member}; last_visit=2026-12-02; tz=Europe/London; card_no=6001234567; sid=s3ss-93jf8a0s9d`;
    const body = JSON.stringify({ id: member, card: 6001234567, visited: '2026-12-02', tz: 'Europe/London', items: [{ id: member }], error: 'session s3ss-93jf8a0s9d expired' });
    const { entry } = await recordOne(new Request(`https://api.example.com/me?member_id=${member}`, { headers: { cookie: cookies } }), answer(body, { status: 401, headers: { 'content-type': 'application/json' } }));
    expect(entry.response.content.text).toBe(body.replace('s3ss-93jf8a0s9d', '[redacted]'));
    expect(entry.request.url).toBe(`https://api.example.com/me?member_id=${member}`);
    // Issued, the same: only the session is learnt.
    const issued = new Headers({ 'content-type': 'application/json' });
    for (const cookie of cookies.split('; ')) issued.append('set-cookie', `${cookie}; Path=/`);
    const login = await recordOne(new Request('https://api.example.com/login', { method: 'POST' }), answer(body, { headers: issued }));
    expect(login.entry.response.content.text).toBe(body.replace('s3ss-93jf8a0s9d', '[redacted]'));
  });

  it('masks and learns a Set-Cookie2 cookie, and a cookie sent percent-encoded where a body quotes it decoded (found 2026-12-03)', async () => {
    const headers = new Headers({ 'content-type': 'application/json', 'set-cookie2': 'legacy="LgCy-77x99zz"; Version="1"; Max-Age="31536000"' });
    headers.append('set-cookie', 'enc=abc%2Bdef%2Fghi%3D%3D; Path=/');
    headers.append('set-cookie', '__Host-csrf="Tk9uX2NzcmZfdjE"; Path=/; Secure');
    const body = '{"legacy":"LgCy-77x99zz","enc":"abc+def/ghi==","c":"Tk9uX2NzcmZfdjE","ttl":31536000}';
    const { entry } = await recordOne(new Request('https://api.example.com/login', { method: 'POST' }), answer(body, { headers }));
    expect(entry.response.headers.find((header) => header.name === 'set-cookie2')?.value).toBe('[redacted]');
    expect(entry.response.content.text).toBe('{"legacy":"[redacted]","enc":"[redacted]","c":"[redacted]","ttl":31536000}');
    // Sent encoded, quoted decoded.
    const sent = await recordOne(new Request('https://api.example.com/me', { headers: { cookie: 'sid=s3ss%2Fq8Zk2w%2B9x' } }), answer('{"error":"session s3ss/q8Zk2w+9x expired"}', { status: 401, headers: { 'content-type': 'application/json' } }));
    expect(sent.entry.response.content.text).toBe('{"error":"session [redacted] expired"}');
  });

  it('records a body nested deeper than the masks can walk, credentials masked, without failing the call (CLIENT-71)', async () => {
    let chain = 'null';
    for (let i = 0; i < 20_000; i++) chain = `{"id":${i},"pin":1234,"password":"pw-deep-1","parent":${chain}}`;
    const text = `{"data":[${chain}]}`;
    const { entry, response } = await recordOne(new Request('https://api.example.com/v4/categories'), answer(text, { headers: { 'content-type': 'application/json' } }));
    expect(await response.text()).toBe(text);
    const recordedText = entry.response.content.text;
    expect(recordedText).not.toContain('pw-deep-1');
    expect(recordedText).not.toContain('"pin":1234');
    expect(recordedText.startsWith('{"data":[{"id":19999,"pin":"[redacted]","password":"[redacted]","parent":{"id":19998,')).toBe(true);
  });

  it('masks credential headers whatever their case, keeping the scheme, and configured secrets in other headers', async () => {
    const request = new Request('https://api.example.com/', {
      headers: { Authorization: 'bearer abc.def', 'X-Client-Authorization': 'Token t-123', 'Proxy-Authorization': 'Basic dTpw', Cookie: 'sid=1', 'X-Secret-Token': 'shh', 'X-Echo': 'key=api-key-42' },
    });
    const { entry } = await recordOne(request, answer(null, { headers: { 'Set-Cookie': 'sid=2; HttpOnly', 'X-Request-Id': 'r1' } }), ['api-key-42']);
    expect(entry.request.headers).toEqual([
      { name: 'authorization', value: 'bearer [redacted]' },
      { name: 'cookie', value: '[redacted]' },
      { name: 'proxy-authorization', value: 'Basic [redacted]' },
      { name: 'x-client-authorization', value: 'Token [redacted]' },
      { name: 'x-echo', value: 'key=[redacted]' },
      { name: 'x-secret-token', value: '[redacted]' },
    ]);
    expect(entry.response.headers).toEqual([
      { name: 'set-cookie', value: '[redacted]' },
      { name: 'x-request-id', value: 'r1' },
    ]);
  });

  it('records how long the exchange took', async () => {
    const now = vi.spyOn(performance, 'now').mockReturnValueOnce(1_000).mockReturnValue(1_041.6);
    try {
      const { entry } = await recordOne(new Request('https://api.example.com/ping'), answer('pong'));
      expect(entry.time).toBe(42);
      expect(entry.timings).toEqual({ send: 0, wait: 42, receive: 0 });
    } finally {
      now.mockRestore();
    }
  });

  it('masks a credential header with no scheme, or a scheme without a space, whole', () => {
    const mask = createCredentialMask([]);
    // The scheme is only kept when the value starts with it.
    expect(mask.header({ name: 'Authorization', value: 'Custom Token abc123' })).toEqual({ name: 'Authorization', value: '[redacted]' });
    expect(mask.header({ name: 'Authorization', value: 'abc123' })).toEqual({ name: 'Authorization', value: '[redacted]' });
    expect(mask.header({ name: 'Authorization', value: 'Bearerabc123' })).toEqual({ name: 'Authorization', value: '[redacted]' });
    expect(mask.header({ name: 'Authorization', value: 'Digest username="a"' })).toEqual({ name: 'Authorization', value: '[redacted]' });
  });

  it('records a request body that is not UTF-8 (a file upload) as base64 of its bytes, its size in bytes, its credential fields masked (CLIENT-85)', async () => {
    const form = new FormData();
    form.append('password', 'hunter2hunter2');
    form.append('file', new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x9f])], { type: 'application/octet-stream' }), 'a.bin');
    const request = new Request('https://api.example.com/upload', { method: 'POST', body: form });
    const sent = new Uint8Array(await request.clone().arrayBuffer());
    const { entry } = await recordOne(request, answer('{}', { headers: { 'content-type': 'application/json' } }));
    expect(entry.request.bodySize).toBe(sent.length);
    expect(entry.request.postData).toMatchObject({ mimeType: request.headers.get('content-type'), _encoding: 'base64' });
    const recordedBytes = Buffer.from(entry.request.postData!.text, 'base64');
    expect(recordedBytes.toString('latin1')).toBe(Buffer.from(sent).toString('latin1').replace('hunter2hunter2', '[redacted]'));
    // The checker reads it back one character a byte.
    const file = join(tmp(), 'upload.har');
    const recorder = createHarRecorder();
    recorder.record(entry);
    await recorder.write(file);
    expect(readHar(file)[0]!.requestBody?.text).toBe(recordedBytes.toString('latin1'));
    // A configured secret outside ASCII, in a text part beside the file, is masked as its UTF-8 bytes.
    const secret = 'Geheimnis-Schlüssel-42';
    const signed = new FormData();
    signed.append('note', `signed with ${secret}`);
    signed.append('file', new Blob([new Uint8Array([0xff, 0x00])]), 'b.bin');
    const withSecret = await recordOne(new Request('https://api.example.com/upload', { method: 'POST', body: signed }), answer('{}'), [secret]);
    const decoded = Buffer.from(withSecret.entry.request.postData!.text, 'base64').toString('latin1');
    expect(decoded).toContain('signed with [redacted]');
    expect(decoded).not.toContain(Buffer.from('Schlüssel').toString('latin1'));
    // A password sent beside a file is learnt as text, so the answer quoting it is masked; the file's bytes are kept.
    const login = new FormData();
    login.append('password', 'pässwört-9911');
    login.append('file', new Blob([new Uint8Array([0xff, 0xfe, 0x41])]), 'c.bin');
    const refused = await recordOne(new Request('https://api.example.com/upload', { method: 'POST', body: login }), answer('{"error":"pässwört-9911 is too short"}', { status: 422, headers: { 'content-type': 'application/json' } }));
    const sentBytes = Buffer.from(refused.entry.request.postData!.text, 'base64');
    expect(sentBytes.toString('latin1')).not.toContain(Buffer.from('pässwört').toString('latin1'));
    expect(sentBytes.includes(Buffer.from([0xff, 0xfe, 0x41]))).toBe(true);
    expect(refused.entry.response.content.text).toBe('{"error":"[redacted] is too short"}');
  });

  it('records a JSON answer with nothing to mask as it was sent, so the checker judges what the vendor wrote (CLIENT-85)', async () => {
    const text = '{ "total": 1e400,\n  "items": [] }';
    const { entry } = await recordOne(new Request('https://api.example.com/list'), answer(text, { headers: { 'content-type': 'application/json' } }));
    expect(entry.response.content.text).toBe(text);
    // Something masked: written again, as before.
    const masked = await recordOne(new Request('https://api.example.com/list'), answer('{ "access_token": "tok-123456789" }', { headers: { 'content-type': 'application/json' } }));
    expect(masked.entry.response.content.text).toBe('{"access_token":"[redacted]"}');
    // What JSON.parse dropped or wrote otherwise is not recorded as sent (a second round found these in clear).
    const mask = createCredentialMask(['configuredSecret42']);
    for (const text of ['{"access_token":"LIVE_TOKEN_x1234567","access_token":null}', '{"user":{"password":"hunter2hunter2"},"user":{"name":"a"}}', '{"note":"configured\\u0053ecret42","note":"x"}']) {
      const shown = mask.body(text, 'application/json');
      for (const secret of ['LIVE_TOKEN', 'hunter2', 'u0053ecret42']) expect(shown).not.toContain(secret);
    }
  });

  it('masks a form-shaped answer with a line break after it or a space in a value, its first field too (CLIENT-85)', () => {
    const mask = createCredentialMask([]);
    // A URL at the start of a text: its query's first pair is still masked (a second round found it in clear).
    expect(mask.header({ name: 'Location', value: 'https://vendor.example/cb?api_key=LIVEKEY_9f8e7d6c5b4a&x=1' }).value).toBe('https://vendor.example/cb?api_key=[redacted]&x=1');
    expect(mask.header({ name: 'Location', value: 'https://h.example/app;v=1/cb?access_token=SECRETVALUE123' }).value).toBe('https://h.example/app;v=1/cb?access_token=[redacted]');
    expect(mask.text('url=https://h.example/cb?api_key=SECRETVALUE123')).toBe('url=https://h.example/cb?api_key=[redacted]');
    for (const text of ['access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&token_type=bearer\n', 'access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo gist&token_type=bearer', 'password=hunter2hunter2&user=a\r\n']) {
      const shown = mask.body(text, 'text/plain');
      expect(shown).not.toContain('gho_');
      expect(shown).not.toContain('hunter2');
    }
  });

  it("masks pairs as Python's repr and JavaScript's object literals write them, by the credential's name, with nothing learnt or given (CLIENT-86 left them)", () => {
    const token = 'rt_9Fq2Lx81Zp0Wm3';
    for (const [text, shown] of [
      [`{'refresh_token': '${token}', 'expires_in': 3600}`, "{'refresh_token': '[redacted]', 'expires_in': 3600}"],
      [`{refresh_token: "${token}", ok: true}`, '{refresh_token: "[redacted]", ok: true}'],
      [`Error: {'access_token': '${token}`, "Error: {'access_token': '[redacted]"],
      [`{'password': 'it\\'s-${token}'}`, "{'password': '[redacted]'}"],
    ]) {
      const mask = createCredentialMask([]);
      expect(mask.body(text!, 'text/plain', 'answer')).toBe(shown);
      // Learnt, as a JSON pair's value is: masked where the text quotes it again.
      if (!text!.includes('\\')) expect(mask.text(`again ${token}`)).toBe('again [redacted]');
    }
    // Other pairs, times and words before a colon are left alone.
    expect(createCredentialMask([]).body("note: 'hello', at 12:30, name: \"x\"", 'text/plain', 'answer')).toBe("note: 'hello', at 12:30, name: \"x\"");
  });

  it('masks a query pair whose name holds a `?`, which URLSearchParams reads as part of the name (CLIENT-85 left it)', () => {
    const mask = createCredentialMask([]);
    expect(mask.header({ name: 'Location', value: 'https://vendor.example/cb?a=1&password_x?y=hunter2hunter2&b=2' }).value).toBe('https://vendor.example/cb?a=1&password_x?y=[redacted]&b=2');
    expect(mask.text('see https://h.example/cb?password_x?y=hunter2hunter2 now')).toBe('see https://h.example/cb?password_x?y=[redacted] now');
    expect(mask.body('user=a&password_x?y=hunter2hunter2', 'text/plain', 'answer')).not.toContain('hunter2');
    expect(mask.body('password_x?y=hunter2hunter2', 'text/plain', 'answer')).not.toContain('hunter2');
    // The query's own `?` starts no name: a path that mentions a secret is no field.
    expect(mask.text('https://h.example/password_reset?y=1&x=2')).toBe('https://h.example/password_reset?y=1&x=2');
  });

  it('masks a form-shaped answer with a space, a line break or a BOM before it, a pair that starts a line, and pairs in a fragment (CLIENT-86)', () => {
    const token = 'Zq81Kx77Lm0Pp2QqRt5';
    for (const text of [`\r\naccess_token=${token}&token_type=bearer`, ` access_token=${token}`, `\ufeffaccess_token=${token}`, `ok\naccess_token=${token}\nexpires_in=3600`]) {
      for (const type of ['text/plain', 'text/html']) expect(createCredentialMask([]).body(text, type, 'answer')).not.toContain(token);
    }
    // OAuth's implicit flow sends its token in the fragment.
    expect(createCredentialMask([]).header({ name: 'Location', value: `https://app.example/cb#access_token=${token}&token_type=bearer` }).value).toBe(
      'https://app.example/cb#access_token=[redacted]&token_type=bearer',
    );
  });

  it("learns a Basic credential's password, so an answer quoting it is masked where no secret was given (record's proxy) (CLIENT-86)", async () => {
    const request = new Request('https://api.example.com/me', { headers: { Authorization: `Basic ${btoa('bob:Hunter2-Secret-99')}` } });
    const { entry } = await recordOne(request, answer('wrong password Hunter2-Secret-99 for bob', { status: 401, headers: { 'content-type': 'text/plain' } }));
    expect(entry.response.content.text).toBe('wrong password [redacted] for bob');
  });

  it('reads an answer that is not UTF-8 in the charset its type names, so a password past ASCII it quotes is masked (CLIENT-86)', async () => {
    const password = 'Grüßgott-2024-Kennwört';
    const latin1 = Uint8Array.from(`Login failed for password ${password}`, (c) => c.charCodeAt(0));
    for (const type of ['text/html; charset=iso-8859-1', 'text/html', 'text/html; charset=utf-8']) {
      const recorder = createHarRecorder();
      const fetch = recordingFetch(async () => new Response(latin1, { status: 401, headers: { 'content-type': type } }), recorder.record, [password]);
      await (await fetch(new Request('https://api.example.com/login'))).arrayBuffer();
      await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
      expect({ type, text: recorder.entries[0]!.response.content.text }).toEqual({ type, text: 'Login failed for password [redacted]' });
    }
  });

  it('reads an answer in the charset its type names before trying UTF-8: UTF-16 ASCII is also valid UTF-8 (CLIENT-86)', async () => {
    const secret = 'client-secret-Zx81Qa77';
    const recorder = createHarRecorder();
    const utf16 = new Uint8Array(Buffer.from(`bad secret ${secret}`, 'utf16le'));
    const fetch = recordingFetch(async () => new Response(utf16, { status: 401, headers: { 'content-type': 'text/plain; charset=utf-16le' } }), recorder.record, [secret]);
    await (await fetch(new Request('https://api.example.com/token'))).arrayBuffer();
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
    expect(recorder.entries[0]!.response.content.text).toBe('bad secret [redacted]');
  });

  it('masks an answer whose type names the wrong charset in its UTF-8 reading too, and records that reading where it held the secret', async () => {
    const cases: [string, string, string][] = [
      ['pässwörd-42', 'text/plain; charset=iso-8859-1', 'invalid password: [redacted]'], // read as Latin-1: pÃ¤sswÃ¶rd-42
      ['plain-ascii-secret', 'text/plain; charset=utf-16', 'invalid password: [redacted]'], // read as UTF-16: other letters, the bytes still the secret's
      ['plain-ascii-secret', 'text/html; charset=unicode', 'invalid password: [redacted]'],
    ];
    for (const [secret, type, text] of cases) {
      const recorder = createHarRecorder();
      const fetch = recordingFetch(async () => new Response(new TextEncoder().encode(`invalid password: ${secret}`), { status: 401, headers: { 'content-type': type } }), recorder.record, [secret]);
      await (await fetch(new Request('https://api.example.com/login'))).arrayBuffer();
      await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
      expect({ type, text: recorder.entries[0]!.response.content.text }).toEqual({ type, text });
    }
    const recorder = createHarRecorder();
    const body = '{"access_token":"tok-Zq81-x","name":"José"}';
    const fetch = recordingFetch(async () => new Response(new TextEncoder().encode(body), { headers: { 'content-type': 'application/json; charset=iso-8859-1' } }), recorder.record);
    await (await fetch(new Request('https://api.example.com/token'))).arrayBuffer();
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
    expect(recorder.entries[0]!.response.content.text).toBe('{"access_token":"[redacted]","name":"José"}');
    // A secret in each reading: neither reading masked is safe to record.
    const both = createHarRecorder();
    const twice = recordingFetch(async () => new Response(new TextEncoder().encode('one ä-secret-Q1 two pä-other-Z9'), { headers: { 'content-type': 'text/plain; charset=iso-8859-1' } }), both.record, ['ä-secret-Q1', 'pÃ¤-other-Z9']);
    await (await twice(new Request('https://api.example.com/x'))).arrayBuffer();
    await vi.waitFor(() => expect(both.entries).toHaveLength(1));
    expect(both.entries[0]!.response.content.text).toBe('[redacted]');
  });

  it('masks a form with many fields as it masks a short one: every credential, the rest as sent (CLIENT-86)', () => {
    // Deleting each name from the list scanned it again: 200 KB of fields took seconds (no timing here; the result is what is checked).
    const fields = Array.from({ length: 5000 }, (_, i) => `f${i}=${i}`);
    const shown = createCredentialMask([]).body([...fields, 'password=hunter2hunter2', 'a=', 'a='].join('&'), 'application/x-www-form-urlencoded');
    expect(shown).toBe([...fields, 'password=[redacted]', 'a=', 'a='].join('&'));
  });

  it('records a token answer labelled as bytes (octet-stream) as text, masked', async () => {
    const { entry } = await recordOne(new Request('https://auth.example.com/token', { method: 'POST' }), answer('{"access_token":"oct-123456"}', { headers: { 'content-type': 'application/octet-stream' } }));
    expect(entry.response.content).toMatchObject({ text: '{"access_token":"[redacted]"}' });
    expect(entry.response.content.encoding).toBeUndefined();
  });

  // CLIENT-184: the TokenError for such an answer masked these (CLIENT-26, CLIENT-80); the recording of the same answer held them in clear.
  it('masks a token a token answer holds under a name or nesting it does not know, as the TokenError does: JSON, form and query grants', async () => {
    const live = 'Zm9vYmFy-live-0123456789abcdef';
    const requests = [
      () => new Request('https://api.example.com/v4/oauth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_id":"c","grant_type":"client_credentials"}' }),
      () => new Request('https://api.example.com/api/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=pin&pin=[pin]' }),
      () => new Request('https://api.example.com/v2/oauth/token?client_id=c&grant_type=client_credentials', { method: 'POST' }),
    ];
    const answers: [string, string, string][] = [
      ['{"session":{"id":"LIVE"},"token_type":"bearer","expires_in":3600}', 'application/json', '{"session":{"id":"[redacted]"},"token_type":"bearer","expires_in":3600}'],
      ['["LIVE"]', 'application/json', '["[redacted]"]'],
      ['"LIVE"', 'application/json', '"[redacted]"'],
      ['{"access_token":{"value":"LIVE"}}', 'application/json', '{"access_token":{"value":"[redacted]"}}'],
      ['{"status":"ok","message":"Bearer LIVE"}', 'application/json', '{"status":"ok","message":"Bearer [redacted]"}'],
      ['LIVE', 'text/plain', '[redacted]'],
    ];
    for (const request of requests) {
      for (const [body, type, recorded] of answers) {
        const { entry } = await recordOne(request(), answer(body.replace('LIVE', live), { headers: { 'content-type': type } }));
        expect(entry.response.content.text).toBe(recorded);
      }
    }
  });

  it('records as sent an answer that is not to a token request, a token answer whose names masked its token, and a refusal', async () => {
    const live = 'Zm9vYmFy-live-0123456789abcdef';
    const call = await recordOne(new Request('https://api.example.com/v4/rewards'), answer(`{"session":{"id":"${live}"}}`, { headers: { 'content-type': 'application/json' } }));
    expect(call.entry.response.content.text).toBe(`{"session":{"id":"${live}"}}`);
    const token = () => new Request('https://api.example.com/v4/oauth/token', { method: 'POST', body: '{"grant_type":"client_credentials"}' });
    const named = await recordOne(token(), answer(`{"access_token":"${live}","user_ref":"a1b2c3d4e5f6g7h8"}`, { headers: { 'content-type': 'application/json' } }));
    expect(named.entry.response.content.text).toBe('{"access_token":"[redacted]","user_ref":"a1b2c3d4e5f6g7h8"}');
    const plain = await recordOne(token(), answer('{ "error": "invalid_client", "expires_in": 0 }', { headers: { 'content-type': 'application/json' } }));
    expect(plain.entry.response.content.text).toBe('{ "error": "invalid_client", "expires_in": 0 }');
    const refused = await recordOne(token(), answer('{"error":"invalid_client","request_id":"a1b2c3d4e5f6g7h8"}', { status: 401, headers: { 'content-type': 'application/json' } }));
    expect(refused.entry.response.content.text).toBe('{"error":"invalid_client","request_id":"a1b2c3d4e5f6g7h8"}');
  });

  it('masks token fields in the query string (readable, not percent-encoded) and configured secrets anywhere in the URL', async () => {
    const request = new Request('https://api.example.com/v1/items?ACCESS_TOKEN=tok-1234&page=2&key=api-key-42&pin=0000');
    const { entry } = await recordOne(request, answer('ok'), ['api-key-42']);
    expect(entry.request.url).toBe('https://api.example.com/v1/items?ACCESS_TOKEN=[redacted]&page=2&key=[redacted]&pin=[redacted]');
    expect(entry.request.queryString).toEqual([
      { name: 'ACCESS_TOKEN', value: '[redacted]' },
      { name: 'page', value: '2' },
      { name: 'key', value: '[redacted]' },
      { name: 'pin', value: '[redacted]' },
    ]);
  });

  it('masks every value of a repeated credential parameter, keeps the others in order, and learns each', () => {
    const mask = createCredentialMask([]);
    expect(mask.url('https://a.example/?token=aaaa1111&x=1&token=bbbb2222')).toBe('https://a.example/?token=[redacted]&x=1&token=[redacted]');
    expect(mask.body('pin=1234&a=b&pin=pin-5678', 'application/x-www-form-urlencoded')).toBe('pin=[redacted]&a=b&pin=[redacted]');
    expect(mask.body('echo bbbb2222 and pin-5678x', 'text/plain')).toBe('echo [redacted] and [redacted]x');
  });

  it("masks fields whose last word is a credential's, not those that only mention one", () => {
    const mask = createCredentialMask([]);
    expect(mask.url('https://a.example/?tokens=1&my_token=2&token_type=bearer&secretary=3')).toBe('https://a.example/?tokens=1&my_token=[redacted]&token_type=bearer&secretary=3');
    expect(mask.body('{"token_type":"bearer","passwords":"x","mypin":"1"}', 'application/json')).toBe('{"token_type":"bearer","passwords":"x","mypin":"1"}');
    expect(mask.body('{"accessToken":"camel-1","tokenType":"bearer","clientSecret":"camel-2"}', 'application/json')).toBe('{"accessToken":"[redacted]","tokenType":"bearer","clientSecret":"[redacted]"}');
    // Placewise's webhook subscription and member registration.
    expect(JSON.parse(mask.body('{"secret_token":"hook-secret-1","registration_password":"reg-pass-2","api_key":"k-3333"}', 'application/json'))).toEqual({
      secret_token: '[redacted]',
      registration_password: '[redacted]',
      api_key: '[redacted]',
    });
  });

  it('masks any field with a password or secret word in it, a short numeric password too (Perx password_confirmation)', () => {
    const mask = createCredentialMask([]);
    expect(JSON.parse(mask.body('{"password":"246813","password_confirmation":246813,"newPassword":"x-1","secretQuestion":"q","secretary":"Ann"}', 'application/json'))).toEqual({
      password: '[redacted]',
      password_confirmation: '[redacted]',
      newPassword: '[redacted]',
      secretQuestion: '[redacted]',
      secretary: 'Ann',
    });
  });

  it('does not mask a field that only mentions a password or secret and ends in a word of time or count (CLIENT-67)', () => {
    const mask = createCredentialMask([]);
    const body = '{"password_expires_at":"2027-01-01T00:00:00Z","passwordChangedOn":"2026-01-01","secret_length":12,"password_confirmation":"pw-1","secret_question":"q","user_password":"pw-2","clientsecret":"cs-3"}';
    expect(JSON.parse(mask.body(body, 'application/json'))).toEqual({
      password_expires_at: '2027-01-01T00:00:00Z',
      passwordChangedOn: '2026-01-01',
      secret_length: 12,
      password_confirmation: '[redacted]',
      secret_question: '[redacted]',
      user_password: '[redacted]',
      clientsecret: '[redacted]',
    });
  });

  // Found 2026-12-01 (a third round): each field's messages, learnt as secrets, hid that text all through the recording.
  it("learns none of the messages a 422 lists under a credential's name: they stay readable everywhere else", () => {
    const mask = createCredentialMask([]);
    const refusal = '{"errors":{"password":["is too short (minimum is 8 characters)"],"app_token":["must be a string"]},"message":"Password is too short (minimum is 8 characters)"}';
    expect(JSON.parse(mask.body(refusal, 'application/json', 'answer'))).toEqual({
      errors: { password: ['[redacted]'], app_token: ['[redacted]'] },
      message: 'Password is too short (minimum is 8 characters)',
    });
    expect(mask.body('{"email":["must be a string"]}', 'application/json')).toBe('{"email":["must be a string"]}');
  });

  // Found 2026-12-01 (a fourth round): CLIENT-79 kept only listed messages from being learnt.
  it("learns no message and no plain word a credential's name holds in an answer: masked there, readable everywhere else", () => {
    const mask = createCredentialMask([]);
    const refusal = '{"errors":{"password":"is too short","password_confirmation":"doesn\'t match","pin":"invalid","name":"is too short"}}';
    expect(JSON.parse(mask.body(refusal, 'application/json', 'answer'))).toEqual({ errors: { password: '[redacted]', password_confirmation: '[redacted]', pin: '[redacted]', name: 'is too short' } });
    expect(mask.body('{"status":"invalid","hint":"doesn\'t match"}', 'application/json', 'answer')).toBe('{"status":"invalid","hint":"doesn\'t match"}');
    expect(mask.text('Required')).toBe('Required');
    // A password in an answer is learnt as before; one with spaces is masked where it stands only.
    expect(mask.body('{"password":"hunter2-x","new_password":"correct horse battery"}', 'application/json', 'answer')).toBe('{"password":"[redacted]","new_password":"[redacted]"}');
    expect(mask.text('echo hunter2-x and correct horse battery')).toBe('echo [redacted] and correct horse battery');
  });

  // A third round found `Bearer <token>` taken for words (it holds a space), so a copy of the token elsewhere in an answer was shown.
  it('learns a token given with its scheme in an answer, under any credential name, so every copy is masked', () => {
    const mask = createCredentialMask([]);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig123abc';
    const masked = mask.body(JSON.stringify({ data: { token: `Bearer ${jwt}` }, meta: { curl: `curl -H 'Authorization: Bearer ${jwt}'`, raw: jwt } }), 'application/json', 'answer');
    expect(masked).not.toContain(jwt);
    expect(JSON.parse(masked).data.token).toBe('[redacted]');
  });

  // A second round found the rule above applied to what a request sends: a passphrase, or a
  // one-word password, was no longer learnt, and an answer quoting it was recorded in clear.
  it('learns whatever a request sends under a credential name, a passphrase or a plain word, so an answer quoting it is masked', async () => {
    const request = new Request('https://api.example.com/members', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"correct horse battery staple","pin":"sunshine"}' });
    const { entry } = await recordOne(request, answer('{"error":"password correct horse battery staple is too common; sunshine too"}', { status: 422, headers: { 'content-type': 'application/json' } }));
    expect(entry.request.postData?.text).toBe('{"password":"[redacted]","pin":"[redacted]"}');
    expect(entry.response.content.text).toBe('{"error":"password [redacted] is too common; [redacted] too"}');
  });

  it('masks a credential too long for one regular expression, and never throws quoting it', () => {
    const long = `k-${'x'.repeat(40_000)}`;
    const mask = createCredentialMask([long]);
    expect(mask.text(`before ${long} after`)).toBe('before [redacted] after');
    expect(JSON.parse(mask.body(JSON.stringify({ password: `p-${'y'.repeat(40_000)}`, echo: `p-${'y'.repeat(40_000)}` }), 'application/json'))).toEqual({ password: '[redacted]', echo: '[redacted]' });
  });

  // A regular expression took seconds on a name of many '[' and no closing one: the name is read from the end now.
  it("reads a field's own name from its last brackets, or the whole name where they do not close", () => {
    const mask = createCredentialMask([]);
    const form = (name: string) => mask.body(`${encodeURIComponent(name)}=pw-12345`, 'application/x-www-form-urlencoded');
    for (const name of [`${'['.repeat(50_000)}password]`, `${'['.repeat(50_000)}password`, 'user[password][]', 'user[x]password']) expect(form(name), name.slice(-20)).toBe(`${encodeURIComponent(name)}=[redacted]`);
    expect(createCredentialMask([]).body('user%5Bpassword%5Dx=kept-1', 'application/x-www-form-urlencoded')).toBe('user%5Bpassword%5Dx=kept-1');
  });

  it('masks credential headers by the names APIs give them', () => {
    const mask = createCredentialMask([]);
    for (const name of ['X_API_KEY', 'X-Auth-Key', 'X-Authentication', 'Ocp-Apim-Subscription-Key', 'X-User-Passwd', 'X-Authorization', 'X-AuthToken']) {
      expect(mask.header({ name, value: 'abc-123' }), name).toEqual({ name, value: '[redacted]' });
    }
    expect(mask.header({ name: 'Idempotency-Key', value: 'abc-123' })).toEqual({ name: 'Idempotency-Key', value: 'abc-123' });
  });

  it('masks a key header named for what it opens or signs, and any header with a secret or password word (found 2026-12-01)', () => {
    const mask = createCredentialMask([]);
    for (const name of ['X-Secret-Key', 'X-Private-Key', 'X-Client-Key', 'X-Signing-Key', 'X-Session-Key', 'X_SECRET_KEY', 'X-Secret-Question', 'X-User-Pwd']) {
      expect(mask.header({ name, value: 'abc-123' }), name).toEqual({ name, value: '[redacted]' });
    }
    // A second round found these masked: the mock's own session header, words of kind, CORS's allow-credentials.
    for (const name of ['X-Signature', 'X-Request-Key', 'X-Session-Count', 'X-Password-Expires', 'X-Mock-Session', 'X-Session-Id', 'X-Password-Policy', 'X-Secret-Version', 'Access-Control-Allow-Credentials']) {
      expect(mask.header({ name, value: 'abc-123' }), name).toEqual({ name, value: 'abc-123' });
    }
  });

  it("masks private and signing keys, pwd, passcode, credentials and a login form's pass by name, not a wallet pass (found 2026-12-01)", () => {
    const mask = createCredentialMask([]);
    const body = { private_key: 'pk-1', privateKey: 'pk-2', signing_key: 'sk-3', pass: 'p-4', user_pass: 'p-5', pwd: 'p-6', passcode: '998877', loginPasscode: 'p-7', credentials: 'c-8', credential: 'c-9', wallet_pass: 'https://pass.example/1', pass_type: 'gold', voucher_key: 'v-1' };
    expect(JSON.parse(mask.body(JSON.stringify(body), 'application/json'))).toEqual({
      ...Object.fromEntries(Object.keys(body).map((key) => [key, '[redacted]'])),
      wallet_pass: 'https://pass.example/1',
      pass_type: 'gold',
      voucher_key: 'v-1',
    });
    expect(mask.body('pwd=p-10&pass=p-11&log=ann', 'application/x-www-form-urlencoded')).toBe('pwd=[redacted]&pass=[redacted]&log=ann');
  });

  it("masks a multipart body's credential fields however the part names them, and JSON pairs in any part", () => {
    const mask = createCredentialMask([]);
    const parts = (...bodies: string[]) => ['--b0', ...bodies.flatMap((b) => [b, '--b0']).slice(0, -1), '--b0--', ''].join('\r\n');
    const body = parts(
      'Content-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n{"access_token":"json-part-secret-1"}',
      "Content-Disposition: form-data; name='password'\r\n\r\nsingle-quoted-secret-2",
      "Content-Disposition: form-data; name*=UTF-8''password\r\n\r\nextended-name-secret-3",
    );
    const masked = mask.body(body, 'multipart/form-data; boundary=b0');
    for (const secret of ['json-part-secret-1', 'single-quoted-secret-2', 'extended-name-secret-3']) expect(masked).not.toContain(secret);
    // Without a boundary, or another multipart type, JSON pairs are still masked.
    expect(mask.body('{"access_token":"no-boundary-secret-4"}', 'multipart/mixed')).not.toContain('no-boundary-secret-4');
  });

  it('masks appkey, api-key, accesstoken and authorization by name in any case, and credentials given as lists (CLIENT-68)', () => {
    const mask = createCredentialMask([]);
    expect(mask.url('https://a.example/x?APPKEY=k-11111&app_key=k-22222&api-key=k-33333&accesstoken=k-44444&page=2')).toBe(
      'https://a.example/x?APPKEY=[redacted]&app_key=[redacted]&api-key=[redacted]&accesstoken=[redacted]&page=2',
    );
    expect(mask.body('appkey=k-55555&userEmail=a%40b.c', 'application/x-www-form-urlencoded')).toBe('appkey=[redacted]&userEmail=a%40b.c');
    expect(JSON.parse(mask.body('{"appKey":"k-66666","password":["pw-77777",["pw-88888"]],"headers":{"Authorization":"Bearer tok-99999999"}}', 'application/json'))).toEqual({
      appKey: '[redacted]',
      password: ['[redacted]', ['[redacted]']],
      headers: { Authorization: '[redacted]' },
    });
    // Learnt with their field: the token after an Authorization field's scheme too.
    expect(mask.text('echo k-66666 pw-88888 tok-99999999')).toBe('echo [redacted] [redacted] [redacted]');
  });

  it('masks a secret wherever it sits: in a JSON number, as a name, in a bracketed form field', () => {
    const mask = createCredentialMask(['98765432101', 'S3cr3tValue']);
    expect(mask.body('{"account":98765432101,"keys":{"S3cr3tValue":true},"n":5}', 'application/json')).toBe('{"account":"[redacted]","keys":{"[redacted]":true},"n":5}');
    expect(mask.body('S3cr3tValue=1&a=b', 'application/x-www-form-urlencoded')).toBe('[redacted]=1&a=b');
    expect(createCredentialMask([]).body('user[password]=pw-1&user[name]=ann&pin[]=4321', 'application/x-www-form-urlencoded')).toBe('user[password]=[redacted]&user[name]=ann&pin[]=[redacted]');
  });

  it('gives back a form-shaped text in which nothing was masked as it came, and changes only what it masks in one', () => {
    const mask = createCredentialMask(['hunter2-Zq81']);
    for (const text of ['<html>grant_type=client_credentials</html>', 'a=1&&b=%7e+x&c', 'error=invalid_request&error_description=bad+%22scope%22'])
      expect(mask.body(text, 'application/x-www-form-urlencoded', 'answer')).toBe(text);
    expect(mask.body('<p>grant_type=password&password=p%40ss+1&note=hunter2-Zq81&x=%7e</p>', 'text/html', 'answer')).toBe('<p>grant_type=password&password=[redacted]&note=[redacted]&x=%7e</p>');
    // Learnt from its field, a value sent twice is masked before it too.
    expect(createCredentialMask([]).body('echo=p%40ss-word-9&password=p%40ss-word-9', 'application/x-www-form-urlencoded')).toBe('echo=[redacted]&password=[redacted]');
    // Written otherwise than its field wrote it (Latin-1 bytes, letters percent-encoded), a secret is read decoded.
    const form = 'application/x-www-form-urlencoded';
    expect(createCredentialMask([]).body('password=p%E4ssw%F6rd-42&confirm=p%E4ssw%F6rd-42', form)).toBe('password=[redacted]&confirm=%5Bredacted%5D');
    expect(createCredentialMask(['tok_live_abcd']).body('note=%74%6f%6b%5f%6c%69%76%65%5f%61%62%63%64&n=1', form)).toBe('note=%5Bredacted%5D&n=1');
  });

  it("never renames a credential's own field: a learnt token equal to its name masks values only", () => {
    const mask = createCredentialMask([]);
    // The mock's example subscription holds the literal "secret_token" as its secret token.
    expect(mask.body('{"id":1,"secret_token":"secret_token","url":"https://h.example"}', 'application/json')).toBe('{"id":1,"secret_token":"[redacted]","url":"https://h.example"}');
    expect(mask.body('{"secret_token":"other-1","note":"secret_token"}', 'application/json')).toBe('{"secret_token":"[redacted]","note":"[redacted]"}');
    expect(mask.body('secret_token=abc1&note=secret_token', 'application/x-www-form-urlencoded')).toBe('secret_token=[redacted]&note=[redacted]');
  });

  it('masks token fields at any depth of a JSON body, numbers too', () => {
    const mask = createCredentialMask([]);
    // The null comes first: it must not stop the fields after it from being masked.
    const body = JSON.stringify({ secret: null, data: [{ id: 1, refresh_token: 'r-1234', nested: { Password: 'p-5678' } }], token: 42, pin: { value: 'x' }, password: 12345678 });
    expect(JSON.parse(mask.body(body, 'application/vnd.api+json'))).toEqual({
      secret: null,
      data: [{ id: 1, refresh_token: '[redacted]', nested: { Password: '[redacted]' } }],
      token: '[redacted]',
      pin: { value: 'x' },
      password: '[redacted]',
    });
    expect(mask.body('echo 12345678', 'text/plain')).toBe('echo [redacted]');
  });

  it('masks headers named for a credential, and a token in the query of a URL a header carries', () => {
    const mask = createCredentialMask([]);
    expect(mask.header({ name: 'X-Api-Key', value: 'k-123456' }).value).toBe('[redacted]');
    expect(mask.header({ name: 'X-Auth-Token', value: 't-123456' }).value).toBe('[redacted]');
    expect(mask.header({ name: 'X-Secret-Token', value: 's-123456' }).value).toBe('[redacted]');
    expect(mask.header({ name: 'Location', value: '/done?access_token=loc-9999&x=1' }).value).toBe('/done?access_token=[redacted]&x=1');
    expect(mask.body('now loc-9999', 'text/plain')).toBe('now [redacted]');
    expect(mask.header({ name: 'X-Token-Count', value: '3' }).value).toBe('3');
  });

  it('learns tokens from answers and masks them wherever they show up later', () => {
    const mask = createCredentialMask([]);
    expect(mask.body('{"access_token":"tok-abcdef","expires_in":3600}', 'application/json')).toBe('{"access_token":"[redacted]","expires_in":3600}');
    expect(mask.header({ name: 'X-Echo', value: 'tok-abcdef' }).value).toBe('[redacted]');
    expect(mask.url('https://a.example/tok-abcdef/items')).toBe('https://a.example/[redacted]/items');
    expect(mask.body('you sent tok-abcdef', 'text/plain')).toBe('you sent [redacted]');
  });

  it('masks a login answer\'s jwt, a passphrase and a session id by name, and learns them (found 2026-12-01: recorded in clear)', () => {
    const mask = createCredentialMask([]);
    const answer = '{"jwt":"eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl","passphrase":"correct horse battery staple","session_id":"s-93jf8a0s9d","sessionId":"s-77ab","user":"ann"}';
    expect(mask.body(answer, 'application/json')).toBe('{"jwt":"[redacted]","passphrase":"[redacted]","session_id":"[redacted]","sessionId":"[redacted]","user":"ann"}');
    expect(mask.header({ name: 'X-Echo', value: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' }).value).toBe('[redacted]');
    expect(mask.url('https://a.example/items?jwt=eyJ.x.y&auth_session_id=42abcdef')).toBe('https://a.example/items?jwt=[redacted]&auth_session_id=[redacted]');
  });

  it(`remembers the ${LEARNED_TOKENS} most recently issued tokens, so a long recording does not slow down with every user`, () => {
    // Each learnt token used to be paired with every other into Basic forms, and the masks rebuilt
    // on every token: 400 learnt tokens cost 200 ms per new token and 9 ms per header masked.
    const mask = createCredentialMask(['client-secret-456']);
    const issued = Array.from({ length: LEARNED_TOKENS + 1 }, (_, i) => `user-token-${String(i).padStart(4, '0')}`);
    for (const token of issued) mask.body(JSON.stringify({ access_token: token }), 'application/json');
    const echoed = (token: string) => mask.body(`you sent ${token}`, 'text/plain');
    expect(echoed(issued[0]!)).toBe(`you sent ${issued[0]}`);
    expect(echoed(issued[1]!)).toBe('you sent [redacted]');
    expect(echoed(issued.at(-1)!)).toBe('you sent [redacted]');
    expect(echoed('client-secret-456')).toBe('you sent [redacted]');
  });

  it('learns tokens from query strings and form bodies too', () => {
    const mask = createCredentialMask([]);
    mask.url('https://a.example/?id_token=idt-1234');
    mask.body('grant_type=password&password=pw-5678', 'application/x-www-form-urlencoded');
    expect(mask.body('{"echo":"idt-1234 pw-5678"}', 'application/json')).toBe('{"echo":"[redacted] [redacted]"}');
  });

  it('does not learn values too short to mask safely (they would mask ordinary text)', () => {
    const mask = createCredentialMask([]);
    expect(mask.body('{"pin":"123"}', 'application/json')).toBe('{"pin":"[redacted]"}');
    expect(mask.body('{"count":"123"}', 'application/json')).toBe('{"count":"123"}');
    mask.body('{"pin":"ab12"}', 'application/json');
    expect(mask.body('{"count":"ab12"}', 'application/json')).toBe('{"count":"[redacted]"}');
  });

  it('masks a short number (a PIN) by its field only: inside other text it would mask dates and prices', () => {
    const mask = createCredentialMask(['2018']);
    expect(mask.body('pin=2018&grant_type=pin', 'application/x-www-form-urlencoded')).toBe('pin=[redacted]&grant_type=pin');
    mask.body('{"pin":5534}', 'application/json');
    const answer = '{"createdAt":"2018-09-24T19:00:00.000Z","price":5534}';
    expect(mask.body(answer, 'application/json')).toBe(answer);
    expect(mask.url('https://a.example/leads?from=2018-11-25')).toBe('https://a.example/leads?from=2018-11-25');
    // Eight digits and more, or anything with a letter in it, are still masked wherever they appear.
    const long = createCredentialMask(['20182018', 'pin-2018']);
    expect(long.body('x 20182018 pin-2018', 'text/plain')).toBe('x [redacted] [redacted]');
  });

  it('masks form bodies field by field, keeping the rest as sent', () => {
    const mask = createCredentialMask(['fp-key-123']);
    expect(mask.body('grant_type=password&username=ann&password=pw-789xyz&client_id=fp-key-123', 'application/x-www-form-urlencoded; charset=UTF-8')).toBe(
      'grant_type=password&username=ann&password=[redacted]&client_id=[redacted]',
    );
  });

  it('masks a body that claims JSON but is not as text, and other bodies as text', () => {
    const mask = createCredentialMask(['s3cr3t-value']);
    expect(mask.body('{broken s3cr3t-value', 'application/json')).toBe('{broken [redacted]');
    expect(mask.body('password=s3cr3t-value', 'text/plain')).toBe('password=[redacted]');
    // Text shaped like a form is read as one whatever its label (a token answered as text/plain);
    // other text only has known secrets masked.
    expect(mask.body('password=other&x=1', 'text/plain')).toBe('password=[redacted]&x=1');
    expect(createCredentialMask([]).body('the password=other, they said', 'text/plain')).toBe('the password=other, they said');
    // A password as a form encodes it (space as "+", "!" escaped) is masked in that form too.
    expect(createCredentialMask(['open sesame!']).body('{"echo":"password=open+sesame%21"}', 'application/json')).toBe('{"echo":"password=[redacted]"}');
    // JSON is read as JSON whatever its label: a token endpoint may answer text/plain.
    expect(mask.body('{"token":"tok-abcdef"}', 'text/plain')).toBe('{"token":"[redacted]"}');
    expect(mask.body('{"token":"tok-abcdef"}', 'Application/JSON')).toBe('{"token":"[redacted]"}');
  });
});

describe('createHarRecorder', () => {
  it('collects entries in order into a HAR 1.2 log and writes it as indented JSON', async () => {
    const recorder = createHarRecorder();
    const entry = { startedDateTime: 'x' } as HarEntry;
    recorder.record(entry);
    recorder.record(entry);
    expect(recorder.entries).toEqual([entry, entry]);
    expect(recorder.har()).toEqual({ log: { version: '1.2', creator: { name: 'martech-contracts', version: '1' }, entries: [entry, entry] } });
    const file = join(tmp(), 'out.har');
    await recorder.write(file);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(recorder.har(), null, 2)}\n`);
  });

  // It kept every entry until write(): a service recording its traffic grew without bound (CLIENT-123 left it).
  it('keeps the newest entries up to maxKeptBytes (64 MiB by default), drops the oldest, and says how many in dropped and the log comment', async () => {
    const sized = (i: number, chars: number) => ({ request: { url: `https://api.example.com/${i}`, headers: [] }, response: { content: { text: 'x'.repeat(chars) }, headers: [] } }) as unknown as HarEntry;
    const byDefault = createHarRecorder();
    const mib = sized(0, 1024 * 1024);
    for (let i = 0; i < 70; i++) byDefault.record(mib);
    expect(DEFAULT_MAX_KEPT_BYTES).toBe(64 * 1024 * 1024);
    expect(byDefault.entries.length).toBe(63);
    expect(byDefault.dropped).toBe(7);

    const recorder = createHarRecorder({ maxKeptBytes: 10_000 });
    const entries = Array.from({ length: 6 }, (_, i) => sized(i, 4000));
    for (const entry of entries) recorder.record(entry);
    expect(recorder.entries).toEqual(entries.slice(4));
    expect(recorder.dropped).toBe(4);
    const comment = '4 older entries were dropped: the recorder keeps the newest up to 10000 bytes (maxKeptBytes)';
    expect(recorder.har().log).toMatchObject({ comment, entries: entries.slice(4) });
    const file = join(tmp(), 'kept.har');
    const writing = recorder.write(file);
    // Recorded while it writes: the file holds the entries as they stood when it was called.
    recorder.record(sized(6, 4000));
    await writing;
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify({ log: { version: '1.2', creator: { name: 'martech-contracts', version: '1' }, comment, entries: entries.slice(4) } }, null, 2)}\n`);
    // An entry larger than the limit on its own is dropped too; Infinity keeps them all.
    const small = createHarRecorder({ maxKeptBytes: 1000 });
    small.record(sized(0, 3000));
    expect([small.entries.length, small.dropped]).toEqual([0, 1]);
    const all = createHarRecorder({ maxKeptBytes: Infinity });
    for (let i = 0; i < 70; i++) all.record(mib);
    expect([all.entries.length, all.dropped]).toEqual([70, 0]);
    const rule = 'maxKeptBytes must be a whole number of bytes, 1 or more, or Infinity';
    expect(() => createHarRecorder({ maxKeptBytes: -1 })).toThrow(`createHarRecorder: ${rule} (got -1)`);
    // It kept nothing, silently: every entry dropped as it came.
    expect(() => createHarRecorder({ maxKeptBytes: 0 })).toThrow(`createHarRecorder: ${rule} (got 0)`);
    expect(() => createHarRecorder({ maxKeptBytes: '64MiB' as never })).toThrow(`createHarRecorder: ${rule} (got string)`);
    expect(() => createHarRecorder({ maxKeptBytes: 1.5 })).toThrow(`createHarRecorder: ${rule} (got 1.5)`);
  });

  it('names a mistyped option, and options that are no object, rather than ignoring or crashing on them (CLIENT-216)', () => {
    // A near miss was ignored: the recording kept 8 MiB bodies and 64 MiB of entries with nothing said.
    expect(() => createHarRecorder({ maxBodybytes: 1024 } as never)).toThrow('createHarRecorder: option "maxBodybytes" is unknown: did you mean "maxBodyBytes"?');
    expect(() => createHarRecorder({ maxKeptByte: 1024 } as never)).toThrow('createHarRecorder: option "maxKeptByte" is unknown: did you mean "maxKeptBytes"?');
    // null was "Cannot read properties of null"; a number or a string was taken as no options.
    for (const [given, kind] of [[null, 'null'], [5, 'a number'], ['8MiB', 'a string']] as const) {
      expect(() => createHarRecorder(given as never)).toThrow(`createHarRecorder: its options must be an object such as { maxBodyBytes, maxKeptBytes } (got ${kind})`);
    }
    // Other keys pass, as a client factory's do (a wider settings object), and so does undefined.
    expect(createHarRecorder({ file: 'x.har' } as never).entries).toEqual([]);
    expect(createHarRecorder(undefined).entries).toEqual([]);
  });

  it('write() names a file that is no path (an unset variable) before writing anything (CLIENT-216)', async () => {
    const recorder = createHarRecorder();
    // It wrote the whole HAR to "undefined.<pid>….tmp" in the working directory, then failed in
    // fs's words ('The "newPath" argument must be of type string …'), or renamed onto '' (ENOENT).
    for (const [file, kind] of [[undefined, 'nothing'], ['', 'an empty string'], [5, 'a number']] as const) {
      await expect(recorder.write(file as never)).rejects.toThrow(`createHarRecorder: write(file) needs the HAR file's path as a non-empty string (got ${kind})`);
    }
  });

  it("keeps to maxKeptBytes after an entry of the caller's whose header value is no text, and refuses an entry that is no object by name", () => {
    const entry = (path: string, headers: unknown[] = []) =>
      ({
        startedDateTime: '2026-12-02T08:00:00.000Z',
        time: 1,
        request: { method: 'GET', url: `https://api.example.com/${path}`, httpVersion: 'HTTP/1.1', headers, queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
        response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: '', text: '' }, redirectURL: '', headersSize: -1, bodySize: 0 },
        cache: {},
        timings: { send: 0, wait: 1, receive: 0 },
      }) as HarEntry;
    const recorder = createHarRecorder({ maxKeptBytes: 5000 });
    // Its size was NaN, and so was the total: no entry after it was dropped again.
    recorder.record(entry('odd', [{ name: 'X-Count', value: 5 }, null]));
    for (let i = 0; i < 20; i++) recorder.record(entry(`${i}-${'p'.repeat(2000)}`));
    expect(recorder.entries.length).toBe(1);
    expect(recorder.dropped).toBe(20);
    expect(() => recorder.record(null as never)).toThrow('createHarRecorder: record takes a HAR entry, an object (got null)');
  });

  it('counts an entry as the bytes it takes in the file: escaped control characters and UTF-8 letters, not characters (CLIENT-137 left it)', async () => {
    const entry = (i: number, text: string): HarEntry => ({
      startedDateTime: '2026-12-02T08:00:00.000Z',
      time: i,
      request: { method: 'GET', url: `https://api.example.com/${i}?q=€`, httpVersion: 'HTTP/1.1', headers: [{ name: 'X-Note', value: 'ünïcode' }], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: text.length, mimeType: 'text/plain', text }, redirectURL: '', headersSize: -1, bodySize: text.length },
      cache: {},
      timings: { send: 0, wait: i, receive: 0 },
    });
    // A control character is six bytes in the file (`\u0001`), a `€` three: counted as one each, the file was up to six times the bound.
    const entries = [entry(1, '\u0001'.repeat(4000)), entry(2, '€'.repeat(4000)), entry(3, '"\\\n😀'.repeat(1000))];
    const fileBytes = async (kept: HarEntry[], comment?: string) => {
      const file = join(tmp(), 'sized.har');
      const recorder = createHarRecorder({ maxKeptBytes: Infinity });
      for (const e of kept) recorder.record(e);
      await recorder.write(file);
      return readFileSync(file).length - (comment === undefined ? 0 : Buffer.byteLength(comment));
    };
    // What the entries add to an empty file: each one's text, a comma between, and the closing line's indentation (5 bytes).
    const entryBytes = (await fileBytes(entries)) - (await fileBytes([])) - 5 + 1;
    const exact = createHarRecorder({ maxKeptBytes: entryBytes });
    for (const e of entries) exact.record(e);
    expect([exact.entries.length, exact.dropped]).toEqual([3, 0]);
    const short = createHarRecorder({ maxKeptBytes: entryBytes - 1 });
    for (const e of entries) short.record(e);
    expect([short.entries.length, short.dropped]).toEqual([2, 1]);
    // A bound of one entry's characters keeps no entry whose bytes are more: the file stays within it.
    const bound = 10_000;
    const bounded = createHarRecorder({ maxKeptBytes: bound });
    for (const e of entries) bounded.record(e);
    const file = join(tmp(), 'bounded.har');
    await bounded.write(file);
    expect(bounded.entries).toEqual([]);
    expect(readFileSync(file).length - (await fileBytes([]))).toBeLessThanOrEqual(bound + 200);
  });

  it('refuses an entry JSON cannot write (one that holds itself) by name when it is recorded, not when the file is written', () => {
    const recorder = createHarRecorder();
    const entry = { startedDateTime: 'x', request: { url: 'https://api.example.com/' } } as unknown as HarEntry & { self?: unknown };
    entry.self = entry;
    expect(() => recorder.record(entry)).toThrow('createHarRecorder: record takes a HAR entry that JSON can write: it holds itself (self), which JSON cannot write');
    expect(recorder.entries).toEqual([]);
  });

  it('writes a HAR with a log comment that the traffic checker reads, and that it can close again when cut mid-write', async () => {
    const recorder = createHarRecorder({ maxKeptBytes: 5000 });
    const entry = (path: string): HarEntry => ({
      startedDateTime: '2026-12-02T08:00:00.000Z',
      time: 1,
      request: { method: 'GET', url: `https://api.example.com${path}`, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 2, mimeType: 'application/json', text: '{}' }, redirectURL: '', headersSize: -1, bodySize: 2 },
      cache: {},
      timings: { send: 0, wait: 1, receive: 0 },
    });
    for (let i = 0; i < 6; i++) recorder.record(entry(`/${i}`));
    expect(recorder.dropped).toBeGreaterThan(0);
    const file = join(tmp(), 'commented.har');
    await recorder.write(file);
    expect(readHar(file).map((e) => e.url.href)).toEqual(recorder.entries.map((e) => e.request.url));
    const text = readFileSync(file, 'utf8');
    expect(lastWholeEntry(text.slice(0, text.length - 20))).toMatchObject({ entries: recorder.entries.length - 1 });
  });
});

describe('a recorded call whose body is a stream that fails part-way', () => {
  // The recording's read of the body threw the stream's error as it was: the exchange was missing
  // from the recording, and the caller got a bare Error naming no vendor or call (found 2026-12-02).
  it('is recorded as failed with the part of the body that came, and the caller gets the error it gets without recording', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/v4/oauth/token') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"app-token-1","expires_in":300}');
      req.on('error', () => undefined).resume().on('end', () => res.end('{}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const failing = () => {
      // The error comes a moment after the first chunk, as a file or socket's does: one raised at
      // once errors the copies the layers between make (tee) while that chunk still waits in them.
      let pulls = 0;
      const later = () => new Promise((resolve) => setTimeout(resolve, 20));
      return new ReadableStream({
        pull: async (c) => (pulls++ === 0 ? c.enqueue(new TextEncoder().encode('{"password":"hunter2-pw","a":')) : (await later(), c.error(new Error('disk read failed')))),
      });
    };
    const put = (record?: (entry: HarEntry) => void) =>
      createPerxClient({ baseUrl, clientId: 'id', clientSecret: 'secret', timeoutMs: 5000, record }).PUT('/v4/app_triggers/{id}' as never, {
        params: { path: { id: 'x' } },
        body: failing(),
        bodySerializer: (b: unknown) => b,
        duplex: 'half',
      } as never);
    const unrecorded = await put().catch((error: unknown) => error);
    expect(unrecorded).toMatchObject({ name: 'RequestError', message: 'perx: PUT /v4/app_triggers/{id} got no answer: disk read failed' });
    const entries: HarEntry[] = [];
    const recordedCall = await put((entry) => entries.push(entry)).catch((error: unknown) => error);
    expect(recordedCall).toMatchObject({ name: 'RequestError', message: (unrecorded as Error).message });
    const sent = entries.find((entry) => entry.request.method === 'PUT');
    expect(sent).toMatchObject({
      request: { postData: { text: '{"password":"[redacted]","a":' }, bodySize: 29 },
      response: { status: 0, _error: "the request body's stream failed part-way: disk read failed" },
    });
  });
});

describe('a recorded call whose body is a stream that stalls', () => {
  // The recording read the whole body before sending: the call was held unsent until its deadline,
  // and the exchange that timed out was missing from the recording (found 2026-12-02).
  it('times out and is recorded, with the part of the body that came', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/v4/oauth/token') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"app-token-1","expires_in":300}');
      req.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const entries: HarEntry[] = [];
    const perx = createPerxClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, clientId: 'id', clientSecret: 'secret', timeoutMs: 400, record: (entry) => entries.push(entry) });
    const body = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"a":')) });
    const call = perx.PUT('/v4/app_triggers/{id}' as never, { params: { path: { id: 'x' } }, body, bodySerializer: (b: unknown) => b, duplex: 'half' } as never);
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    const sent = entries.find((entry) => entry.request.method === 'PUT');
    expect(sent).toMatchObject({ request: { postData: { text: '{"a":' } }, response: { status: 0, _error: 'perx: PUT /v4/app_triggers/{id} timed out after 400 ms' } });
  });

  it('is recorded as text when the part that came ends inside a character', async () => {
    const entries: HarEntry[] = [];
    const recording = recordingFetch(() => Promise.reject(new Error('not sent')), (entry) => entries.push(entry), ['pässwörd']);
    const bytes = new TextEncoder().encode('{"password":"pässwörd","city":"Zürich €');
    const body = new ReadableStream({ start: (c) => c.enqueue(bytes.subarray(0, bytes.length - 1)) });
    const sent = recording(new Request('http://127.0.0.1:5710/x', { method: 'POST', body, duplex: 'half', signal: AbortSignal.timeout(50) } as RequestInit));
    await expect(sent).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(entries[0]!.request.postData).toEqual({ mimeType: '', text: '{"password":"[redacted]","city":"Zürich ' });
    expect(entries[0]!.request.bodySize).toBe(bytes.length - 1);
  });
});

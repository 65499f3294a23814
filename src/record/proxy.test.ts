/**
 * The recording proxy, over real HTTP: a client calls the proxy, the proxy calls a real upstream
 * (the Imprzd example server, or a fault server), and what it records is read back by the
 * traffic checker.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, maxHeaderSize, request as httpRequest, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSpec } from '../../contract-tests/lib/spec.js';
import { streamedAnswer } from '../../contract-tests/support/streamed-answer.js';
import { analyse } from '../../scripts/traffic/analyse.js';
import { startExampleServer } from '../../scripts/traffic/example-server.js';
import { readHar } from '../../scripts/traffic/har.js';
import { createImprzdClient } from '../imprzd.js';
import { findVendor } from '../vendors.js';
import { createHarRecorder } from './har.js';
import { startRecordingProxy } from './proxy.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function upstream(listener: RequestListener) {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** A call with exactly these headers (or these raw lines, case, order and repeats kept), as another service's code sends it: fetch would add its own. */
function send(url: string, headers: Record<string, string> = {}, method = 'GET', lines?: string[]) {
  return new Promise<{ status?: number; statusMessage?: string; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = httpRequest(url, { method, headers: lines ? ['Host', new URL(url).host, ...lines] : headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve({ status: res.statusCode, statusMessage: res.statusMessage, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject).end();
  });
}

async function proxyTo(target: string, timeoutMs?: number) {
  const recorder = createHarRecorder();
  const lines: string[] = [];
  const proxy = await startRecordingProxy({ target, record: recorder.record, timeoutMs, log: (line) => lines.push(line) });
  stops.push(proxy.stop);
  return { proxy, recorder, lines };
}

describe('startRecordingProxy', () => {
  it("records a client's calls into a HAR the traffic checker reads, answering the client as the vendor did", async () => {
    const server = await startExampleServer('imprzd');
    stops.push(server.close);
    const { proxy, recorder, lines } = await proxyTo(server.url);
    const imprzd = createImprzdClient({ baseUrl: proxy.url, token: 'eyJhbGciOi.secret.jwt' });
    const image = { params: { path: { fileId: 'L2hvbWUv' } }, parseAs: 'arrayBuffer' } as const;
    const through = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', image);
    const direct = await createImprzdClient({ baseUrl: server.url, token: 't' }).GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', image);
    expect(through.response.status).toBe(200);
    expect(through.response.headers.get('content-type')).toBe(direct.response.headers.get('content-type'));
    expect(new Uint8Array(through.data!)).toEqual(new Uint8Array(direct.data!));
    await imprzd.request('get' as never, '/BroadcastImpression/api/customers/{id}/segments' as never, { params: { path: { id: 1042 } } } as never);

    const file = join(mkdtempSync(join(tmpdir(), 'martech-proxy-')), 'imprzd.har');
    await recorder.write(file);
    const har = readHar(file);
    expect(har.map((e) => `${e.method} ${e.url.href}`)).toEqual([
      `GET ${server.url}/BroadcastImpression/api/file/displayImageV2/L2hvbWUv`,
      `GET ${server.url}/BroadcastImpression/api/customers/1042/segments`,
    ]);
    expect(har[0]!.requestHeaders.get('authorization')).not.toContain('secret.jwt');
    const report = analyse(loadSpec(findVendor('imprzd')!), har, { har: file, spec: 'imprzd' }, server.url);
    expect(report.counts).toMatchObject({ entries: 2, documented: 1, undocumented: 1 });
    expect(report.mismatches).toEqual([]);
    expect(lines).toEqual(['GET /BroadcastImpression/api/file/displayImageV2/L2hvbWUv → 200', 'GET /BroadcastImpression/api/customers/1042/segments → 404']);
  });

  it("records a reason phrase quoting the caller's token, and key headers, masked; the caller gets the vendor's answer as it came (found 2026-12-01)", async () => {
    const target = await upstream((req, res) => {
      res.writeHead(401, `Token ${req.headers.authorization} rejected`, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const { proxy, recorder } = await proxyTo(target);
    const response = await fetch(`${proxy.url}/me`, { headers: { Authorization: 'Bearer proxied-token-123', 'X-Secret-Key': 'sk_live_proxied456' } });
    expect(response.statusText).toBe('Token Bearer proxied-token-123 rejected');
    const recording = JSON.stringify(recorder.entries);
    expect(recording).not.toContain('proxied-token-123');
    expect(recording).not.toContain('sk_live_proxied456');
  });

  it('stopping ends the exchanges still waiting on the vendor (it does not wait out the timeout), each recorded as failed', async () => {
    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    const target = await upstream(() => arrived()); // never answers
    // A timeout far past the test's own: waiting it out fails the test.
    const { proxy, recorder, lines } = await proxyTo(target, 600_000);
    const call = fetch(`${proxy.url}/slow`).then((r) => r.status, () => 'cut');
    await waiting;
    await proxy.stop();
    expect(recorder.entries).toHaveLength(1);
    expect(recorder.entries[0]!.response).toMatchObject({ status: 0, _error: 'the recording stopped' });
    expect(lines).toEqual([`GET /slow → 502 (the recording stopped before ${target} answered)`]);
    await call;
  });

  it("passes a request sent with Expect: 100-continue (curl's way with a large body)", async () => {
    const target = await upstream((req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => (size += c.length));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ size })));
    });
    const { proxy } = await proxyTo(target);
    const body = 'x'.repeat(2000);
    const status = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${proxy.url}/upload`, { method: 'POST', headers: { expect: '100-continue', 'content-length': String(body.length) } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      });
      req.on('continue', () => req.end(body));
      req.on('error', reject);
    });
    expect(status).toBe('200 {"size":2000}');
  });

  it('shows each call on the console with its query credentials masked, as in the recording', async () => {
    const target = await upstream((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const { proxy, recorder, lines } = await proxyTo(target);
    await (await fetch(`${proxy.url}/api/lead?access_token=query-token-1&page=2`)).text();
    expect(lines).toEqual(['GET /api/lead?access_token=[redacted]&page=2 → 200']);
    expect(recorder.entries[0]!.request.url).toBe(`${target}/api/lead?access_token=[redacted]&page=2`);
  });

  it("masks OAuth's authorization code in a recorded login redirect, on the console and in the HAR, the state kept (CLIENT-224)", async () => {
    const code = 'SplxlOBeZQQYbYS6WxSbIA';
    const target = await upstream((req, res) =>
      req.url!.startsWith('/authorize') ? res.writeHead(302, { location: `https://app.example/cb?code=${code}&state=af0ifjsldkj` }).end() : res.writeHead(200, { 'content-type': 'text/plain' }).end('signed in'),
    );
    const { proxy, recorder, lines } = await proxyTo(target);
    expect((await send(`${proxy.url}/authorize?response_type=code&client_id=app1&state=af0ifjsldkj`)).headers.location).toBe(`https://app.example/cb?code=${code}&state=af0ifjsldkj`);
    await send(`${proxy.url}/cb?code=${code}&state=af0ifjsldkj`);
    expect(lines).toEqual(['GET /authorize?response_type=code&client_id=app1&state=af0ifjsldkj → 302', 'GET /cb?code=[redacted]&state=af0ifjsldkj → 200']);
    const [redirect, callback] = recorder.entries;
    expect(redirect!.response.headers.find((h) => h.name.toLowerCase() === 'location')?.value).toBe('https://app.example/cb?code=[redacted]&state=af0ifjsldkj');
    expect(callback!.request.url).toBe(`${target}/cb?code=[redacted]&state=af0ifjsldkj`);
    expect(JSON.stringify(recorder.entries)).not.toContain(code);
  });

  it('passes bodies, methods, query strings, statuses and headers both ways, and hands back compressed answers decoded', async () => {
    const seen: { method?: string; url?: string; body: string; type?: string } = { body: '' };
    const target = await upstream((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        Object.assign(seen, { method: req.method, url: req.url, body, type: req.headers['content-type'] });
        const gz = gzipSync(JSON.stringify({ created: true }));
        res.writeHead(201, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'set-cookie': ['a=1', 'b=2'], 'x-vendor': 'v' });
        res.end(gz);
      });
    });
    const { proxy, recorder } = await proxyTo(target);
    const response = await fetch(`${proxy.url}/members?page=2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Åse"}' });
    expect(seen).toEqual({ method: 'POST', url: '/members?page=2', body: '{"name":"Åse"}', type: 'application/json' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ created: true });
    expect(response.headers.get('x-vendor')).toBe('v');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(recorder.entries[0]!.response.content.text).toBe('{"created":true}');
  });

  it('answers 502 when the vendor cannot be reached and 504 when it does not answer in time, and goes on serving', async () => {
    const down = await proxyTo('http://127.0.0.1:1');
    const refused = await fetch(`${down.proxy.url}/x`);
    expect(refused.status).toBe(502);
    expect((await refused.json()).error).toMatch(/^recording proxy: http:\/\/127\.0\.0\.1:1 could not be reached: /);
    expect(down.recorder.entries[0]!.response.status).toBe(0);

    // Hangs by path, not on its first call: under load /hang did not reach it within the proxy's
    // 150 ms, /next was the first call it saw, and hung (TEST-76). The deadline also has to cover
    // /next's trip through the proxy to the vendor and back.
    const hangsOnHang = await upstream((req, res) => void (req.url === '/hang' || res.end('ok')));
    const deadlineMs = 1000;
    const slow = await proxyTo(hangsOnHang, deadlineMs);
    // Well before the vendor's own socket would give up: the proxy's deadline answers.
    const hung = await fetch(`${slow.proxy.url}/hang`, { signal: AbortSignal.timeout(5000) });
    expect(hung.status).toBe(504);
    expect((await hung.json()).error).toBe(`recording proxy: no answer from ${hangsOnHang} within ${deadlineMs} ms`);
    expect(await (await fetch(`${slow.proxy.url}/next`)).text()).toBe('ok');
  });

  it('refuses TRACE and TRACK with a 501 saying why, passing nothing on and recording nothing, and goes on serving (CLIENT-156)', async () => {
    // TRACE was a 500 (fetch's Request refuses it), TRACK a 400 "not HTTP/1.1 it can read".
    const seen: string[] = [];
    const target = await upstream((req, res) => (seen.push(`${req.method} ${req.url}`), res.end('ok')));
    const { proxy, recorder, lines } = await proxyTo(target);
    const { port } = new URL(proxy.url);
    const token = 'tok-echoed-back-1234567890';
    const raw = (method: string) =>
      new Promise<string>((resolve, reject) => {
        let out = '';
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(`${method} /trace-me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`));
        socket.on('data', (c) => (out += c)).on('end', () => resolve(out)).on('error', reject);
      });
    const why = (method: string) => `${method} is not passed on: the vendor would echo the request back, credentials and all, into an answer the recording keeps; a recording has no use for it (it calls no API)`;
    for (const method of ['TRACE', 'TRACK']) {
      const answer = await raw(method);
      expect(answer).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('{'), answer.lastIndexOf('}') + 1))).toEqual({ error: `recording proxy: ${why(method)}` });
      expect(answer).not.toContain(token);
    }
    // A method Node reads no more than TRACK is named, not called bytes that are not HTTP.
    expect(await raw('BREW')).toContain(`{"error":"recording proxy: BREW is not a method Node's HTTP server reads, so it cannot be passed on"}`);
    expect(await (await fetch(`${proxy.url}/next`)).text()).toBe('ok');
    expect(seen).toEqual(['GET /next']);
    expect(recorder.entries.map((entry) => entry.request.method)).toEqual(['GET']);
    expect(JSON.stringify(recorder.entries)).not.toContain(token);
    expect(lines.slice(0, 3)).toEqual([
      `TRACE /trace-me → 501 (${why('TRACE')})`,
      `(a request it could not read) → 501 (${why('TRACK')})`,
      "(a request it could not read) → 501 (BREW is not a method Node's HTTP server reads, so it cannot be passed on)",
    ]);
  });

  it('answers 504 for a body that stalls after its headers and 502 for one cut off, naming the target, and records what arrived (CLIENT-69)', async () => {
    const target = await upstream((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...(req.url === '/cut' ? { 'content-length': '100' } : {}) });
      res.write('{"points":');
      if (req.url === '/cut') setTimeout(() => res.socket!.destroy(), 20);
    });
    const { proxy, recorder, lines } = await proxyTo(target, 300);
    const stalled = await fetch(`${proxy.url}/stall`, { signal: AbortSignal.timeout(5000) });
    expect(stalled.status).toBe(504);
    expect((await stalled.json()).error).toBe(`recording proxy: ${target} did not finish its answer within 300 ms (status 200; its body stalled)`);
    const cut = await fetch(`${proxy.url}/cut`);
    expect(cut.status).toBe(502);
    expect((await cut.json()).error).toMatch(new RegExp(`^recording proxy: ${target} cut its answer off \\(status 200\\) mid-body: `));
    expect(lines.map((line) => line.slice(0, 15))).toEqual(['GET /stall → 50', 'GET /cut → 502 ']);
    expect(recorder.entries.map((e) => [e.response.status, e.response.content.text, typeof e.response._error])).toEqual([
      [200, '{"points":', 'string'],
      [200, '{"points":', 'string'],
    ]);
  });

  it("holds no more of a large answer than its caller's connection does while the caller reads slowly, and hands it on whole (found 2026-12-02)", async () => {
    // The proxy read the whole answer before passing it on, and its recording's copy read at its
    // own pace either way: 269 KB of gzip that decode to 256 MiB took 873 MiB of its memory.
    const total = 128 * 1024 * 1024;
    const vendor = streamedAnswer(total, 'application/octet-stream');
    const target = await upstream(vendor.handle);
    const { proxy, recorder, lines } = await proxyTo(target, 60_000);
    const caller = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => httpRequest(`${proxy.url}/big`, { agent: false }, resolve).on('error', reject).end());
    caller.pause();
    // What is written once the vendor stops being read is what the proxy, the caller's connection and the sockets between took.
    expect(await vendor.whenStill()).toBeLessThan(48 * 1024 * 1024);
    let got = 0;
    for await (const chunk of caller) got += (chunk as Buffer).length;
    expect([caller.statusCode, got]).toEqual([200, total]);
    const content = recorder.entries[0]!.response.content;
    expect([content.size, typeof content._notRecorded]).toEqual([total, 'string']);
    expect(lines).toEqual(['GET /big → 200']);
  });

  it("counts only the vendor's time against timeoutMs, not the time a slow caller holds the answer back (found 2026-12-02)", async () => {
    // Paced by its caller, a large answer took as long as the caller did, and AbortSignal.timeout
    // cut it off at the timeout: before pacing, the whole answer was held and reached the caller.
    const total = 32 * 1024 * 1024;
    const target = await upstream((_, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) }).end(Buffer.alloc(total, 0x61)));
    // The vendor's own time to send 32 MiB through the proxy must fit the timeout: the reading after the
    // wait took 0.3-0.6 s under load here, and 1.6 s at a load average of 10 on two cores, where a 1 s
    // timeout cut the answer at 29 MB (TEST-76).
    const timeoutMs = 2500;
    const { proxy, recorder, lines } = await proxyTo(target, timeoutMs);
    const caller = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => httpRequest(`${proxy.url}/big`, { agent: false }, resolve).on('error', reject).end());
    caller.pause();
    // A caller reading nothing for twice the timeout: not a measure, a wait.
    await new Promise((resolve) => setTimeout(resolve, 2 * timeoutMs));
    let got = 0;
    const outcome = await new Promise<string>((resolve) => caller.on('data', (chunk: Buffer) => (got += chunk.length)).on('end', () => resolve('end')).on('error', (error) => resolve(error.message)).resume());
    expect([outcome, got]).toEqual(['end', total]);
    expect([recorder.entries[0]!.response.bodySize, recorder.entries[0]!.response._error]).toEqual([total, undefined]);
    expect(lines).toEqual(['GET /big → 200']);
  });

  it('answers 504 for a stalled answer however often garbage is collected meanwhile (found 2026-12-02)', async () => {
    // AbortSignal.timeout inside AbortSignal.any is held weakly: once collected (a large answer
    // elsewhere makes garbage), the timeout never fired and the caller waited for ever.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const target = await upstream((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"points":'));
    const { proxy, recorder } = await proxyTo(target, 300);
    const collecting = setInterval(gc, 20);
    // The caller's own bound: only so that the test ends either way.
    const status = await fetch(`${proxy.url}/stall`, { signal: AbortSignal.timeout(5000) }).then(
      (answer) => answer.status,
      (error: Error) => error.name,
    );
    clearInterval(collecting);
    expect(status).toBe(504);
    expect(recorder.entries[0]!.response._error).toMatch(/timeout/);
  });

  it('cuts off the caller of an answer it has begun to hand on when the vendor cuts it off, and says so on its line (found 2026-12-02)', async () => {
    const target = await upstream((_, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(4 * 1024 * 1024) });
      res.write(Buffer.alloc(2 * 1024 * 1024), () => res.socket!.destroy());
    });
    const { proxy, recorder, lines } = await proxyTo(target);
    const outcome = await new Promise<{ status?: number; got: number; error?: string }>((resolve) =>
      httpRequest(`${proxy.url}/cut`, { agent: false }, (res) => {
        let got = 0;
        res.on('data', (chunk: Buffer) => (got += chunk.length)).on('error', (error) => resolve({ status: res.statusCode, got, error: error.message }));
        res.on('end', () => resolve({ status: res.statusCode, got }));
      }).end(),
    );
    expect(outcome).toMatchObject({ status: 200, error: 'aborted' });
    expect(outcome.got).toBeLessThan(4 * 1024 * 1024);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^GET /cut → 200, cut off after \\d+ bytes \\(${target} cut its answer off \\(status 200\\) mid-body: `))]);
    expect(recorder.entries[0]!.response._error).toMatch(/did not arrive whole/);
  });

  // A zstd frame's magic number and a few bytes that are not UTF-8.
  const ZSTD_BYTES = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x10, 0x81, 0xff, 0xfe]);
  it('offers the vendor only the codings fetch decodes (no zstd on Node 20), and hands on one it did not decode labelled as it came (CLIENT-69)', async () => {
    const offered: string[] = [];
    const target = await upstream((req, res) => {
      offered.push(String(req.headers['accept-encoding']));
      // A vendor that answers in a coding nobody offered it: a bogus label on plain JSON, and a zstd frame's bytes.
      if (req.url === '/a') res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'x-custom' }).end('{"access_token":"tok-in-a-bogus-coding-1234"}');
      else res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' }).end(ZSTD_BYTES);
    });
    const { proxy, recorder } = await proxyTo(target);
    const response = await fetch(`${proxy.url}/a`, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    // Read with node:http, which decodes nothing: what reaches the caller is what the vendor sent.
    const zstd = await send(`${proxy.url}/b`, { 'accept-encoding': 'zstd' });
    expect(offered).toEqual(['gzip, deflate, br', 'gzip, deflate, br']);
    expect([zstd.headers['content-encoding'], zstd.body]).toEqual(['zstd', ZSTD_BYTES]);
    expect(recorder.entries[1]!.response.headers).toContainEqual({ name: 'content-encoding', value: 'zstd' });
    expect(response.headers.get('content-encoding')).toBe('x-custom');
    expect(await response.text()).toBe('{"access_token":"tok-in-a-bogus-coding-1234"}');
    // Bytes that are text after all are masked as text (found 2026-12-01: kept as base64, the token was in clear);
    // bytes still encoded are not text: base64 keeps them as they came.
    expect(recorder.entries[0]!.response.content).toMatchObject({ text: '{"access_token":"[redacted]"}' });
    expect(recorder.entries[1]!.response.content).toMatchObject({ encoding: 'base64', text: ZSTD_BYTES.toString('base64') });
  });

  it.for<[string, RequestInit & { path?: string }]>([
    ['an X-Authorization header', { headers: { 'X-Authorization': 'Bearer SECRET' } }],
    ['an X-AuthToken header', { headers: { 'X-AuthToken': 'SECRET' } }],
    ['an ?api-key= query', { path: '/x?api-key=SECRET' }],
    ['an ?accesstoken= query', { path: '/x?accesstoken=SECRET' }],
    ['a Bearer token the vendor quotes in its 401', { headers: { Authorization: 'Bearer SECRET' } }],
    ['a multipart password field', { method: 'POST', body: (() => ((form) => (form.set('username', 'bob'), form.set('password', 'SECRET'), form))(new FormData()))() }],
    ['a JSON password given as a list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":["SECRET"]}' }],
    ['a JSON Authorization field', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"webhook":{"headers":{"Authorization":"Bearer SECRET"}}}' }],
  ])('leaves no credential in clear in the recording: %s (CLIENT-68)', async ([, init], { expect }) => {
    const target = await upstream(async (req, res) => {
      for await (const _ of req);
      // A vendor whose 401 quotes the credential it refused, as many frameworks' error pages do.
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: `rejected ${req.headers.authorization ?? req.headers['x-authorization'] ?? ''}` }));
    });
    const { proxy, recorder } = await proxyTo(target);
    // Each case its own secret: one learnt in another case would mask this one.
    const secret = `S3cr3t-${Math.random().toString(36).slice(2)}-value`;
    const withSecret = JSON.parse(JSON.stringify({ ...init, body: undefined }).replaceAll('SECRET', secret));
    const body = init.body instanceof FormData ? (init.body.set('password', secret), init.body) : typeof init.body === 'string' ? init.body.replaceAll('SECRET', secret) : undefined;
    const response = await fetch(`${proxy.url}${withSecret.path ?? '/x'}`, { ...withSecret, body });
    await response.text();
    const recording = JSON.stringify(recorder.entries);
    expect(recorder.entries).toHaveLength(1);
    expect(recording).not.toContain(secret);
    expect(recording).toContain('[redacted]');
  });

  it('refuses what an HTTP proxy is sent (absolute URLs, CONNECT), passing nothing on and saying to set the base URL instead (found 2026-12-02)', async () => {
    // `GET http://host/path` went on as `<target>http://host/path`; CONNECT got the connection
    // closed without a word, and a caller hanging up on its answer would have ended the process.
    const seen: string[] = [];
    const target = await upstream((req, res) => (seen.push(req.url!), res.end('{}')));
    const { proxy, recorder, lines } = await proxyTo(target);
    const { hostname, port } = new URL(proxy.url);
    const absolute = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ hostname, port, path: 'http://vendor.example.com/x?access_token=tok-abcdef-123' }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject).end();
    });
    expect(absolute.status).toBe(501);
    expect(JSON.parse(absolute.body).error).toBe(
      `recording proxy: got GET http://vendor.example.com/x?access_token=[redacted] (its target is not a path): it passes paths on to ${target}, and is no HTTP proxy; set your code's base URL to this address instead of a proxy setting (HTTP_PROXY)`,
    );
    const connected = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest({ hostname, port, method: 'CONNECT', path: 'vendor.example.com:443' });
      req.on('connect', (res, socket) => (socket.resetAndDestroy(), resolve(res.statusCode))).on('error', reject).end();
    });
    expect(connected).toBe(501);
    expect(await (await fetch(`${proxy.url}/still`)).text()).toBe('{}');
    expect(seen).toEqual(['/still']);
    expect(recorder.entries.map((e) => e.request.url)).toEqual([`${target}/still`]);
    expect(lines.slice(0, 2)).toEqual([
      'GET http://vendor.example.com/x?access_token=[redacted] → 501 (not a path: set the base URL to this address instead of a proxy setting)',
      'CONNECT vendor.example.com:443 → 501 (not a path: set the base URL to this address instead of a proxy setting)',
    ]);
  });

  it('names an answer it reached but could not read, with what to do: headers over the limit, bytes that are not HTTP (found 2026-12-02)', async () => {
    // Both were "could not be reached", which sent the reader to check the network.
    const target = await upstream((_, res) => res.writeHead(200, { 'x-big': 'a'.repeat(40_000) }).end('{}'));
    const { proxy, recorder } = await proxyTo(target);
    const big = await fetch(`${proxy.url}/big`);
    expect(big.status).toBe(502);
    expect((await big.json()).error).toBe(
      `recording proxy: ${target} answered with headers over Node's limit of ${maxHeaderSize} bytes (Parse Error: Header overflow): start the proxy with NODE_OPTIONS=--max-http-header-size=<bytes> to take them`,
    );
    // Node's own parser's words since the proxy forwards with node:http, not fetch (CLIENT-139).
    expect(recorder.entries[0]!.response).toMatchObject({ status: 0, _error: 'passing the request on failed: Parse Error: Header overflow (HPE_HEADER_OVERFLOW)' });
    const garbage = createNetServer((socket) => socket.once('data', () => socket.end('GARBAGE\r\n\r\n')));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => garbage.close(() => resolve())));
    const notHttp = `http://127.0.0.1:${(garbage.address() as { port: number }).port}`;
    const other = await proxyTo(notHttp);
    const answer = await fetch(`${other.proxy.url}/x`);
    expect(answer.status).toBe(502);
    expect((await answer.json()).error).toMatch(
      new RegExp(`^recording proxy: ${notHttp} answered with something that is not HTTP/1.1 \\(.+\\): check that --target names the right port, and https: for a TLS one$`),
    );
  });

  it('hands on an answer whose reason phrase no status line can carry with Node\'s phrase, and records the vendor\'s masked (CLIENT-159 left it)', async () => {
    // The Response the forwarder made refused the phrase: the caller got a 502 reading
    // "could not be reached: Invalid statusText", and the entry no answer.
    const body = (size: number) => '{"ok":true}'.padEnd(size, ' ');
    const vendor = createNetServer((socket) =>
      socket.once('data', (request) => {
        const text = body(String(request).startsWith('GET /big') ? 2 * 1024 * 1024 : 11);
        socket.on('error', () => undefined).end(`HTTP/1.1 401 O\x01K Bearer tok-proxied-77x1\r\ncontent-type: application/json\r\ncontent-length: ${text.length}\r\nconnection: close\r\n\r\n${text}`);
      }),
    );
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => vendor.close(() => resolve())));
    const { proxy, recorder, lines } = await proxyTo(`http://127.0.0.1:${(vendor.address() as { port: number }).port}`);
    // Within what the proxy holds until whole, and past it (its head written as the body goes on).
    for (const path of ['/small', '/big']) {
      const got = await send(`${proxy.url}${path}`);
      expect([got.status, got.statusMessage, got.body.toString().trimEnd()]).toEqual([401, 'Unauthorized', '{"ok":true}']);
    }
    expect(recorder.entries.map((entry) => [entry.response.status, entry.response.statusText, entry.response._error])).toEqual([
      [401, 'O\x01K Bearer [redacted]', undefined],
      [401, 'O\x01K Bearer [redacted]', undefined],
    ]);
    expect(lines).toEqual(['GET /small → 401', 'GET /big → 401']);
  });

  it('answers a request it cannot read with what to do, and logs it: headers over the limit, bytes that are not HTTP (found 2026-12-02)', async () => {
    // Node answered a bare 431 or 400 itself, logging nothing.
    const { proxy, lines } = await proxyTo(await upstream((_, res) => res.end('{}')));
    const big = await fetch(`${proxy.url}/x`, { headers: { 'x-big': 'a'.repeat(40_000) } });
    const overLimit = `the request's headers are over Node's limit of ${maxHeaderSize} bytes: start the proxy with NODE_OPTIONS=--max-http-header-size=<bytes> to take them`;
    expect([big.status, await big.json()]).toEqual([431, { error: `recording proxy: ${overLimit}` }]);
    const { port } = new URL(proxy.url);
    const garbage = await new Promise<string>((resolve, reject) => {
      let out = '';
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('HELLO THERE\r\n\r\n'));
      socket.on('data', (c) => (out += c)).on('end', () => resolve(out)).on('error', reject);
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\{"error":"recording proxy: the request is not HTTP\/1\.1 it can read \(HPE_INVALID_METHOD\)"\}$/);
    expect(lines).toEqual([`(a request it could not read) → 431 (${overLimit})`, '(a request it could not read) → 400 (the request is not HTTP/1.1 it can read (HPE_INVALID_METHOD))']);
  });

  it('says on its line when a caller hung up: mid-body (nothing passed on), or before the answer (recorded, never delivered) (found 2026-12-02)', async () => {
    // The lines said "→ 500 (aborted)" and "→ 200" for callers that got neither.
    let arrived!: () => void;
    const upstreamHas = new Promise<void>((resolve) => (arrived = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const target = await upstream((req, res) => req.resume().on('end', () => (arrived(), void answered.then(() => res.end('{}')))));
    const { proxy, recorder, lines } = await proxyTo(target);
    const { port } = new URL(proxy.url);
    const seen = (count: number) => new Promise<void>((resolve) => { const poll = () => (lines.length >= count ? resolve() : setTimeout(poll, 10)); poll(); });
    const cut = connect(Number(port), '127.0.0.1', () => cut.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nhello', () => cut.destroy()));
    cut.on('error', () => undefined);
    await seen(1);
    const gone = httpRequest(`${proxy.url}/slow`, () => undefined).on('error', () => undefined);
    gone.end();
    await upstreamHas;
    gone.destroy();
    // The proxy's side of the connection closes a moment after the caller's.
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer();
    await seen(2);
    expect(lines).toEqual(['POST /upload → not passed on: the caller hung up before its body was in', 'GET /slow → 200 (recorded; the caller had hung up, so never got it)']);
    expect(recorder.entries.map((e) => [e.request.url, e.response.status])).toEqual([[`${target}/slow`, 200]]);
  });

  it('records the whole answer when its caller hangs up mid-answer: the recording reads the rest alone (found 2026-12-02)', async () => {
    // Cancelling the caller's read cancelled the paced answer (CLIENT-151), whose recording ended
    // there: "The body was cancelled", where CLIENT-144 read the rest for it.
    const part = Buffer.alloc(2 * 1024 * 1024, 0x61);
    let rest!: () => void;
    const resting = new Promise<void>((resolve) => (rest = resolve));
    const target = await upstream((_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(3 * part.length) });
      res.write(part);
      void resting.then(() => res.end(Buffer.concat([part, part])));
    });
    const { proxy, recorder, lines } = await proxyTo(target);
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${proxy.url}/big`, (res) => res.once('data', () => (req.destroy(), resolve())));
      req.on('error', () => undefined).end();
    });
    // The proxy's side of the connection closes a moment after the caller's.
    await new Promise((resolve) => setTimeout(resolve, 100));
    rest();
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
    expect(recorder.entries[0]!.response).toMatchObject({ status: 200, bodySize: 3 * part.length });
    expect(recorder.entries[0]!.response._error).toBeUndefined();
    expect(lines[0]).toMatch(/^GET \/big → 200 \(recorded; the caller hung up after \d+ bytes were sent on\)$/);
  });

  it("reads on for the recording after its caller hangs up only while the recording keeps what it reads (found 2026-12-03)", async () => {
    // CLIENT-164 read the rest to its end whatever its size: a vendor streaming on to a caller
    // that had gone was read at full speed until --timeout, 151 MiB in 3 s, for a size.
    const stream = streamedAnswer(256 * 1024 * 1024, 'text/plain');
    const target = await upstream(stream.handle);
    const recorder = createHarRecorder();
    const lines: string[] = [];
    const proxy = await startRecordingProxy({ target, record: recorder.record, maxBodyBytes: 1024 * 1024, log: (line) => lines.push(line) });
    stops.push(proxy.stop);
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${proxy.url}/stream`, (res) => res.once('data', () => (req.destroy(), resolve())));
      req.on('error', () => undefined).end();
    });
    // The limit, what the sockets and the paced answer hold: a few MiB, not the 256.
    expect(await stream.whenStill()).toBeLessThan(32 * 1024 * 1024);
    await vi.waitFor(() => expect(recorder.entries).toHaveLength(1));
    expect(recorder.entries[0]!.response).toMatchObject({ status: 200, _error: 'The body was cancelled' });
    expect(recorder.entries[0]!.response.content._notRecorded).toMatch(/is over the recording's limit of 1048576 bytes/);
    expect(lines).toEqual([expect.stringMatching(/^GET \/stream → 200 \(recorded; the caller hung up after \d+ bytes were sent on, and the rest, past the recording's limit of 1048576 bytes, was not read\)$/)]);
  });

  it("passes bodies over the recording's limit on whole, and records them as their size with _notRecorded, never a part of them; one within it whole", async () => {
    const big = new Uint8Array(5000).map((_, i) => (i * 7) % 256);
    const target = await upstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
        const sent = Buffer.concat(chunks);
        // Answers big for /big, else what it was sent and its size.
        if (req.url === '/big') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(big);
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: sent.length }));
      });
    });
    const recorder = createHarRecorder();
    const proxy = await startRecordingProxy({ target, record: recorder.record, maxBodyBytes: 1024 });
    stops.push(proxy.stop);
    const upload = await fetch(`${proxy.url}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: big });
    expect(await upload.json()).toEqual({ got: 5000 });
    const download = await fetch(`${proxy.url}/big`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(big);
    const small = await fetch(`${proxy.url}/small`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await small.json()).toEqual({ got: 7 });

    const over = (size: number) => `the body, ${size} bytes, is over the recording's limit of 1024 bytes (maxBodyBytes): only its size is recorded`;
    const [up, down, within] = recorder.entries;
    expect(up!.request.bodySize).toBe(5000);
    expect(up!.request.postData).toEqual({ mimeType: 'application/octet-stream', text: '', _notRecorded: over(5000) });
    expect(up!.response.content).toEqual({ size: 12, mimeType: 'application/json', text: '{"got":5000}' });
    expect(down!.response.bodySize).toBe(5000);
    expect(down!.response.content).toEqual({ size: 5000, mimeType: 'application/octet-stream', text: '', _notRecorded: over(5000) });
    expect(down!.response).not.toHaveProperty('_error');
    expect(within!.request.postData).toEqual({ mimeType: 'application/json', text: '{"a":1}' });
    expect(within!.response.content.text).toBe('{"got":7}');
  });

  it("records with a client's record option up to the recorder's maxBodyBytes, and refuses a limit that is no whole number of bytes", async () => {
    const json = JSON.stringify({ data: 'x'.repeat(3000) });
    const target = await upstream((req, res) => void req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(json)));
    const recorder = createHarRecorder({ maxBodyBytes: 2048 });
    const imprzd = createImprzdClient({ baseUrl: target, token: 't', record: recorder.record });
    const { response } = await imprzd.request('get' as never, '/BroadcastImpression/api/customers/{id}/segments' as never, { params: { path: { id: 7 } }, parseAs: 'text' } as never);
    expect(response.status).toBe(200);
    expect(recorder.entries[0]!.response.content).toMatchObject({ size: json.length, text: '', _notRecorded: expect.stringContaining('over the recording\'s limit of 2048 bytes') });
    expect(createHarRecorder().record.maxBodyBytes).toBe(8 * 1024 * 1024);
    const rule = 'maxBodyBytes must be a whole number of bytes from 0 to 268435456 (256 MiB)';
    expect(() => createHarRecorder({ maxBodyBytes: -1 })).toThrow(`createHarRecorder: ${rule} (got -1)`);
    expect(() => createHarRecorder({ maxBodyBytes: '8MiB' as never })).toThrow(`createHarRecorder: ${rule} (got string)`);
    expect(() => createHarRecorder({ maxBodyBytes: NaN })).toThrow(`createHarRecorder: ${rule} (got NaN)`);
    expect(createHarRecorder({ maxBodyBytes: 256 * 1024 * 1024 }).record.maxBodyBytes).toBe(256 * 1024 * 1024);
    // Past about 400 MB a body's base64 is no string V8 holds: a limit over it, taken before, let the call fail unsent (CLIENT-115).
    expect(() => createHarRecorder({ maxBodyBytes: 256 * 1024 * 1024 + 1 })).toThrow(`createHarRecorder: ${rule} (got 268435457)`);
    expect(() => createHarRecorder({ maxBodyBytes: 1e12 })).toThrow(`createHarRecorder: ${rule} (got 1000000000000)`);
    await expect(startRecordingProxy({ target, record: () => undefined, maxBodyBytes: 1e12 })).rejects.toThrow(`recording proxy: ${rule} (got 1000000000000)`);
  });

  it("passes on exactly the caller's headers: none it did not send, its own values as sent, none of its hop (CLIENT-139)", async () => {
    // Forwarded with fetch, the vendor also got accept, accept-language, sec-fetch-mode, user-agent
    // and accept-encoding, none of which the caller sent.
    const seen: string[][] = [];
    const target = await upstream((req, res) => (seen.push(req.rawHeaders), res.end('{}')));
    const { proxy } = await proxyTo(target);
    await send(`${proxy.url}/bare`, { authorization: 'Bearer tok-1234567890', 'x-request-id': 'r1' });
    await send(`${proxy.url}/own`, { accept: 'application/json', 'accept-language': 'sv-SE', 'user-agent': 'loyalty-service/2.3', 'accept-encoding': 'gzip', connection: 'keep-alive, x-hop', 'x-hop': 'this hop only' });
    const pairs = (raw: string[]) => Object.fromEntries(raw.flatMap((name, i) => (i % 2 === 0 ? [[name.toLowerCase(), raw[i + 1]]] : [])));
    // Host and Connection are the proxy's own, for its hop to the vendor.
    const hop = { host: new URL(target).host, connection: 'keep-alive' };
    expect(pairs(seen[0]!)).toEqual({ ...hop, authorization: 'Bearer tok-1234567890', 'x-request-id': 'r1' });
    expect(pairs(seen[1]!)).toEqual({ ...hop, accept: 'application/json', 'accept-language': 'sv-SE', 'user-agent': 'loyalty-service/2.3', 'accept-encoding': 'gzip' });
  });

  it("passes on the caller's header lines in its case and order, repeats on lines of their own, and records them so (CLIENT-154)", async () => {
    // The vendor got them lower-cased and sorted, a repeated name as one joined line (two Cookie lines as one).
    const seen: string[][] = [];
    const target = await upstream((req, res) => (seen.push(req.rawHeaders), res.end('{}')));
    const { proxy, recorder } = await proxyTo(target);
    const { hostname, port } = new URL(proxy.url);
    const sent = ['Host', 'anything', 'X-Foo', '1', 'Accept', 'application/json', 'x-foo', '2', 'Cookie', 'a=1', 'User-Agent', 'loyalty-service/2.3', 'Cookie', 'b=2', 'Accept-Encoding', 'gzip, zstd', 'ACCEPT-ENCODING', 'zstd'];
    await new Promise<void>((resolve, reject) => httpRequest({ hostname, port, path: '/member', headers: sent, agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject).end());
    // Host first, then the caller's lines as it sent them (an Accept-Encoding line naming no coding the proxy decodes is dropped), then this hop's.
    expect(seen[0]).toEqual(['Host', new URL(target).host, 'X-Foo', '1', 'Accept', 'application/json', 'x-foo', '2', 'Cookie', 'a=1', 'User-Agent', 'loyalty-service/2.3', 'Cookie', 'b=2', 'Accept-Encoding', 'gzip', 'Connection', 'keep-alive']);
    expect(recorder.entries[0]!.request.headers).toEqual([
      { name: 'X-Foo', value: '1' },
      { name: 'Accept', value: 'application/json' },
      { name: 'x-foo', value: '2' },
      { name: 'Cookie', value: '[redacted]' },
      { name: 'User-Agent', value: 'loyalty-service/2.3' },
      { name: 'Cookie', value: '[redacted]' },
      { name: 'Accept-Encoding', value: 'gzip' },
    ]);
  });

  it("hands the caller the vendor's header lines in its case and order, repeats on lines of their own, and records them so (CLIENT-174)", async () => {
    // Passed on through a Response's Headers, they came lower-cased, and `X-Foo: 1` and `x-foo: 2` as one line `1, 2`.
    const lines = ['Content-Type', 'application/json', 'X-Foo', '1', 'Set-Cookie', 'a=1', 'x-foo', '2', 'Set-Cookie', 'b=2', 'WWW-Authenticate', 'Bearer realm="a"', 'WWW-Authenticate', 'Basic realm="b"', 'Connection', 'keep-alive'];
    const target = await upstream((_req, res) => res.writeHead(200, lines).end('{}'));
    const { proxy, recorder } = await proxyTo(target);
    const { hostname, port } = new URL(proxy.url);
    const got = await new Promise<string[]>((resolve, reject) => httpRequest({ hostname, port, path: '/member', agent: false }, (res) => res.resume().on('end', () => resolve(res.rawHeaders))).on('error', reject).end());
    // This hop's own (Date, Connection, the body's framing) are the proxy's, as before.
    const own = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
    expect(got.flatMap((name, i) => (i % 2 === 0 && !own.has(name.toLowerCase()) ? [name, got[i + 1]!] : []))).toEqual(lines.slice(0, -2));
    // The recording too, each Set-Cookie line masked on its own.
    expect(recorder.entries[0]!.response.headers.filter(({ name }) => !own.has(name.toLowerCase()))).toEqual([
      { name: 'Content-Type', value: 'application/json' },
      { name: 'X-Foo', value: '1' },
      { name: 'Set-Cookie', value: '[redacted]' },
      { name: 'x-foo', value: '2' },
      { name: 'Set-Cookie', value: '[redacted]' },
      { name: 'WWW-Authenticate', value: 'Bearer realm="a"' },
      { name: 'WWW-Authenticate', value: 'Basic realm="b"' },
    ]);
  });

  it('passes on every header line the caller sent, past Node\'s count of 2,000 (found 2026-12-02)', async () => {
    // Node's server kept the first 2,000 of rawHeaders and dropped the rest without a word: an
    // X-Api-Key after 1,100 lines never reached the vendor, which answered as to a caller without one.
    const seen: string[][] = [];
    const server = createServer((req, res) => (seen.push(req.rawHeaders), res.end('{}')));
    server.maxHeadersCount = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const { proxy, recorder } = await proxyTo(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    const lines = [...Array.from({ length: 1100 }, (_, i) => ['X-N', String(i)]).flat(), 'X-Api-Key', 'key-last-1234567890'];
    await send(`${proxy.url}/x`, {}, 'GET', lines);
    expect(seen[0]!.slice(-4)).toEqual(['X-Api-Key', 'key-last-1234567890', 'Connection', 'keep-alive']);
    expect(recorder.entries[0]!.request.headers).toHaveLength(1101);
    expect(recorder.entries[0]!.request.headers.at(-1)).toEqual({ name: 'X-Api-Key', value: '[redacted]' });
  });

  it('learns each line of a repeated credential header, so an answer quoting one of them is masked (CLIENT-154)', async () => {
    // Joined, "key-one…, key-two…" was learnt as one value, and an answer quoting the second alone was recorded in clear.
    const target = await upstream((req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: `unknown key ${String(req.headers['x-api-key']).split(', ').at(-1)}` })));
    const { proxy, recorder } = await proxyTo(target);
    await send(`${proxy.url}/x`, {}, 'GET', ['X-Api-Key', 'key-one-1234567890', 'X-Api-Key', 'key-two-0987654321']);
    const recording = JSON.stringify(recorder.entries);
    expect(recorder.entries[0]!.response.content.text).toBe('{"detail":"unknown key [redacted]"}');
    expect(recording).not.toContain('key-one');
    expect(recording).not.toContain('key-two');
  });

  it('frames a bodiless request as its caller did: a PATCH or POST sent without Content-Length goes without it, one sent with it keeps it (CLIENT-155)', async () => {
    // Node added `Content-Length: 0` to a bodiless POST, PUT and PATCH the caller had sent without one.
    const seen: string[][] = [];
    let connections = 0;
    const server = createServer((req, res) => (seen.push(req.rawHeaders), req.resume().on('end', () => res.end('{}'))));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const { proxy, recorder } = await proxyTo(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    const { port } = new URL(proxy.url);
    // Written by hand: Node's own client frames a bodiless PATCH or POST as the proxy did.
    const sendRaw = (head: string, body = '') =>
      new Promise<string>((resolve, reject) => {
        let out = '';
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(`${head}\r\nHost: x\r\nConnection: close\r\n\r\n${body}`));
        socket.on('data', (c) => (out += c)).on('end', () => resolve(out)).on('error', reject);
      });
    const framing = (raw: string[]) => raw.flatMap((name, i) => (i % 2 === 0 && /^(content-length|transfer-encoding)$/i.test(name) ? [`${name}: ${raw[i + 1]}`] : []));
    await sendRaw('PATCH /a HTTP/1.1');
    await sendRaw('POST /b HTTP/1.1');
    await sendRaw('PATCH /c HTTP/1.1\r\nContent-Length: 0');
    await sendRaw('PUT /d HTTP/1.1\r\nTransfer-Encoding: chunked', '0\r\n\r\n');
    await sendRaw('PATCH /e HTTP/1.1');
    expect(seen.map(framing)).toEqual([[], [], ['Content-Length: 0'], ['Content-Length: 0'], []]);
    // Unframed, the connection to the vendor is still kept for the next request.
    expect(connections).toBe(1);
    expect(recorder.entries.map((entry) => [entry.request.method, entry.request.bodySize, entry.response.status])).toEqual([
      ['PATCH', 0, 200],
      ['POST', 0, 200],
      ['PATCH', 0, 200],
      ['PUT', 0, 200],
      ['PATCH', 0, 200],
    ]);
  });

  const TEXT = '{"points":1200,"tier":"gold","note":"Åse"}';
  it.for<[string, string, Buffer]>([
    ['gzip', 'gzip', gzipSync(TEXT)],
    ['x-gzip', 'x-gzip', gzipSync(TEXT)],
    ['zlib-wrapped deflate', 'deflate', deflateSync(TEXT)],
    ['raw deflate (as some servers send it)', 'deflate', deflateRawSync(TEXT)],
    ['br', 'br', brotliCompressSync(TEXT)],
    ['gzip, then br', 'gzip, br', brotliCompressSync(gzipSync(TEXT))],
  ])('hands on and records a %s answer decoded, without its Content-Encoding (CLIENT-139)', async ([, coding, bytes], { expect }) => {
    const target = await upstream((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding }).end(bytes));
    const { proxy, recorder } = await proxyTo(target);
    const answer = await send(`${proxy.url}/member`, { 'accept-encoding': 'gzip, deflate, br' });
    expect([answer.status, answer.headers['content-encoding'], answer.body.toString()]).toEqual([200, undefined, TEXT]);
    expect(recorder.entries[0]!.response.content.text).toBe(TEXT);
    expect(recorder.entries[0]!.response).not.toHaveProperty('_error');
  });

  it('names a body that is not in the coding its Content-Encoding says as such, not as cut off (CLIENT-139)', async () => {
    const target = await upstream((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end('{"plain":"json"}'));
    const { proxy, recorder } = await proxyTo(target);
    const answer = await send(`${proxy.url}/member`, { 'accept-encoding': 'gzip' });
    expect([answer.status, JSON.parse(answer.body.toString()).error]).toEqual([502, `recording proxy: ${target} answered (status 200) with a body that is not gzip, as its Content-Encoding says: incorrect header check`]);
    expect(recorder.entries[0]!.response).toMatchObject({ status: 200, _error: "the answer's body is not gzip as its Content-Encoding says: incorrect header check (Z_DATA_ERROR)" });
  });

  it('hands back a redirect without following it, an answer to HEAD or a 204 without a body, and a status past 599 as it came (CLIENT-139)', async () => {
    const seen: string[] = [];
    const target = await upstream((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
      else if (req.url === '/none') res.writeHead(204, { 'content-encoding': 'gzip' }).end();
      else if (req.url === '/odd') res.writeHead(600, 'Odd').end('{}');
      else res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(req.method === 'HEAD' ? undefined : gzipSync('{}'));
    });
    const { proxy, recorder } = await proxyTo(target);
    const moved = await send(`${proxy.url}/moved`);
    expect([moved.status, moved.headers.location]).toEqual([302, '/elsewhere']);
    expect([(await send(`${proxy.url}/head`, {}, 'HEAD')).status, (await send(`${proxy.url}/none`)).status]).toEqual([200, 204]);
    const odd = await send(`${proxy.url}/odd`);
    expect([odd.status, odd.statusMessage, odd.body.toString()]).toEqual([600, 'Odd', '{}']);
    expect(seen).toEqual(['GET /moved', 'HEAD /head', 'GET /none', 'GET /odd']);
    expect(recorder.entries.map((e) => [e.response.status, e.response.content.text, e.response._error])).toEqual([
      [302, '', undefined],
      [200, '', undefined],
      [204, '', undefined],
      [600, '{}', undefined],
    ]);
  });

  it('closes its kept-alive connections to the vendor when stopped (CLIENT-139)', async () => {
    // fetch's global pool kept them open after the recording stopped, for as long as the vendor let it.
    const sockets: Socket[] = [];
    const server = createServer((_req, res) => res.end('{}'));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const { proxy } = await proxyTo(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    await send(`${proxy.url}/x`);
    await proxy.stop();
    const closed = Promise.all(sockets.map((socket) => (socket.destroyed ? undefined : new Promise((resolve) => socket.once('close', resolve)))));
    // A bound on the wait, not a measure: an open connection never closes by itself within it.
    expect(await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 2000, 'still open'))])).toBe('closed');
    expect(sockets).toHaveLength(1);
  });

  it('refuses a target that is not an http(s) URL, naming it', async () => {
    await expect(startRecordingProxy({ target: 'ftp://x', record: () => undefined })).rejects.toThrow('recording proxy: target must be an absolute URL with http: or https: (got "ftp://x")');
  });
});

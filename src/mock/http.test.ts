import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { createServer, maxHeaderSize, type Server } from 'node:http';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from './engine.js';
import type { MockRequest, MockResponse } from './exchange.js';
import { LIMITS } from './guard.js';
import { ADMIN, close, createMockServer, LINGER, listen } from './http.js';
import { PIPELINE } from './pipeline-cap.js';

/**
 * The transport against a stand-in engine that records what reaches it: everything about the API
 * is the engine's (tested in engine.test.ts); this is sockets, CORS, body limits and admin routes.
 */
const run = promisify(execFile);
const handled: MockRequest[] = [];
let answer: MockResponse = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'from the engine' };
const engine: Engine = {
  vendor: 'stub',
  handle: async (request) => {
    handled.push(request);
    return answer;
  },
  reset: () => {},
};
const resets: string[] = [];
/** What the transport logs of the answers it gives itself (the engine logs its own). */
const lines: string[] = [];
/** The path prefix /refused/ is answered by `pick` itself, /broken/ makes it throw. */
const pick = (path: string) => {
  if (path.startsWith('/refused/')) return { status: 404, headers: { 'content-type': 'application/problem+json' }, body: '{"title":"No such vendor"}' };
  if (path.startsWith('/broken/')) throw new Error('pick broke');
  return { engine, path: path.replace(/^\/gw/, '') };
};

let server: Server;
let base: string;
let port: number;
// Started before the first test, not in beforeAll: a beforeAll that throws only marks the tests
// skipped (a mutation run counts them as passing); here a failure to start fails every test.
let started: Promise<void> | undefined;
async function start() {
  server = createMockServer(pick, { serves: (prefix) => prefix === '' || prefix === 'perx', routes: '/__mock/… and /perx/__mock/…', reset: (session, prefix) => void resets.push(`${prefix}:${session}`) }, { name: 'stub', log: (line) => lines.push(line) });
  port = await listen(server, 0, '127.0.0.1', 'stub');
  base = `http://127.0.0.1:${port}`;
}
afterAll(() => server?.listening && close(server));
beforeEach(async () => {
  await (started ??= start());
  handled.length = 0;
  resets.length = 0;
  lines.length = 0;
  answer = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'from the engine' };
});

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

describe('requests reach the engine', () => {
  it('with method, path (as picked), raw query, lower-case headers and body bytes', async () => {
    const response = await fetch(`${base}/gw/a/b%20c?x=1&y=%20`, { method: 'POST', headers: { 'X-Thing': 'yes', 'content-type': 'text/plain' }, body: 'hello' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('from the engine');
    expect(handled).toHaveLength(1);
    const [request] = handled;
    expect(request).toMatchObject({ method: 'POST', path: '/a/b%20c', query: 'x=1&y=%20' });
    expect(request!.headers['x-thing']).toBe('yes');
    expect(text(request!.body)).toBe('hello');
  });

  it('with a target in the absolute form (a client using the mock as its proxy) as the same path and query', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.end(`GET http://127.0.0.1:${port}/gw/members?a=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(handled[0]).toMatchObject({ path: '/members', query: 'a=1' });
  });

  it('without a query string as an empty query', async () => {
    await fetch(`${base}/plain/path`);
    expect(handled[0]).toMatchObject({ path: '/plain/path', query: '' });
  });

  it('without a body, or with an empty one, as a request without body', async () => {
    await fetch(`${base}/x`);
    await fetch(`${base}/x`, { method: 'POST', body: '' });
    expect(handled.map((r) => r.body)).toEqual([undefined, undefined]);
  });

  it('with a chunked body put together', async () => {
    const body = new ReadableStream({
      start(controller) {
        for (const part of ['one,', 'two,', 'three']) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    await fetch(`${base}/x`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(text(handled[0]!.body)).toBe('one,two,three');
  });

  it(`with a body of exactly ${LIMITS.bodyBytes} bytes; one more is a 413 that never reaches the engine`, async () => {
    await fetch(`${base}/x`, { method: 'POST', body: 'x'.repeat(LIMITS.bodyBytes) });
    expect(handled[0]!.body!.byteLength).toBe(LIMITS.bodyBytes);
    const refused = await fetch(`${base}/x`, { method: 'POST', body: 'x'.repeat(LIMITS.bodyBytes + 1) });
    expect(refused.status).toBe(413);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(handled).toHaveLength(1);
  });
  /**
   * Sends `head` with an endless chunked body, as a client streaming an endless upload would: on
   * while the socket is open, answered or not. What came back, and how much was sent by the close.
   */
  async function endlessBody(head: string) {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`${head}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = `10000\r\n${'x'.repeat(0x10000)}\r\n`;
    let sent = 0;
    while (!socket.destroyed && sent < 512 * 1024 * 1024) {
      if (!socket.write(chunk)) await new Promise((resolve) => setTimeout(resolve, 1));
      sent += 0x10000;
    }
    await closed;
    return { received, sent };
  }

  it('a chunked body that goes on past the limit gets its 413, then the connection is closed rather than read forever', async () => {
    const { received, sent } = await endlessBody('POST /x HTTP/1.1\r\nHost: x');
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    // Closed once LINGER.bytes more had come (what was in flight besides), not at the time limit after hundreds of MiB.
    expect(sent).toBeLessThan(LINGER.bytes + 8 * 1024 * 1024);
    expect(handled).toHaveLength(0);
  });

  it.each([
    ['an admin route', `POST ${ADMIN}/reset?session=nobody HTTP/1.1\r\nHost: x`, 204],
    ['a CORS preflight', 'OPTIONS /x HTTP/1.1\r\nHost: x\r\nOrigin: http://app\r\nAccess-Control-Request-Method: POST', 204],
    ['a request without Host', 'POST /x HTTP/1.1', 400],
  ])('%s, answered before its body is read, drops an endless body within the same bounds, then closes', async (_, head, status) => {
    // An endless chunked body to /__mock/reset was read at 15.9 GB in 30 s.
    const { received, sent } = await endlessBody(head);
    expect(received).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(sent).toBeLessThan(LINGER.bytes + 8 * 1024 * 1024);
  });

  it('an admin route whose small body ends serves on over the same connection', async () => {
    const socket = connect(port, '127.0.0.1');
    try {
      let received = '';
      socket.on('data', (chunk) => (received += chunk));
      socket.write(`POST ${ADMIN}/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}GET /after HTTP/1.1\r\nHost: x\r\n\r\n`);
      while (!received.includes('from the engine')) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(received).toMatch(/^HTTP\/1\.1 204 /);
      expect(handled.map((r) => r.path)).toEqual(['/after']);
    } finally {
      socket.destroy();
    }
  });

  it.each([4, 17])('a fetch in another process sending %i MiB gets its 413 every time: the connection is not reset under it', async (mib) => {
    // Another process, as an app under test is: in this one the client reads the answer before the server closes.
    const script = `const body = 'a'.repeat(${mib} * 1024 * 1024); const out = [];
      for (let i = 0; i < 12; i++) out.push(await fetch(process.argv[1] + '/x', { method: 'POST', body }).then((r) => r.status, (e) => String(e.cause?.code ?? e.message)));
      console.log(JSON.stringify(out));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, base]);
    expect(JSON.parse(stdout)).toEqual(Array(12).fill(413));
    expect(handled).toHaveLength(0);
  });

  it('one keep-alive connection serves on after its 413s, each body read to its end, and gathers no listeners', async () => {
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on('warning', warned);
    const socket = connect(port, '127.0.0.1');
    try {
      let received = '';
      socket.on('data', (chunk) => (received += chunk));
      const answers = () => received.split('HTTP/1.1 413').length - 1;
      const body = 'x'.repeat(LIMITS.bodyBytes + 1);
      for (let i = 1; i <= 12; i++) {
        socket.write(`POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        while (answers() < i) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      socket.write('GET /after HTTP/1.1\r\nHost: x\r\n\r\n');
      while (!received.includes('from the engine')) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      expect(handled.map((r) => r.path)).toEqual(['/after']);
    } finally {
      process.off('warning', warned);
      socket.destroy();
    }
  });

  it('a client that stops sending its body after the 413 and closes its side gets no second answer, and the log one line (MOCK-160)', async () => {
    // Found 2026-12-03: node reported the unfinished body, and the mock wrote a 400 after the 413 and logged it as a request of its own.
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk;
      socket.end();
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: ${2 * LIMITS.bodyBytes}\r\n\r\n${'x'.repeat(64 * 1024)}`);
    await closed;
    expect(received.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 413']);
    expect(lines).toEqual([expect.stringMatching(/^\[stub\] POST \/x → 413 /)]);
  });

  it(`a Content-Length over ${LINGER.bytes / 1024 / 1024} MiB, more than the mock will drop, has its connection closed after the 413`, async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: ${4 * 1024 ** 3}\r\n\r\n`);
    const started = Date.now();
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    // Not the time limit: the answer out, the connection goes.
    expect(Date.now() - started).toBeLessThan(LINGER.ms);
  });

  it('a Content-Length over the limit is a 413 before any of the body is read', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMITS.bodyBytes * 100}\r\n\r\n`);
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(handled).toHaveLength(0);
  });
});

describe('Expect: 100-continue', () => {
  /** Sends `head` without its body and reads what comes back until `done` says it is enough or the connection closes. */
  async function ask(head: string, done: (received: string) => boolean) {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const enough = new Promise<void>((resolve) => socket.on('data', (chunk) => ((received += chunk), done(received) && resolve())));
    socket.write(head);
    await Promise.race([closed, enough]);
    return { socket, received: () => received, closed };
  }
  const problemOf = (reply: string) => JSON.parse(reply.slice(reply.indexOf('{'), reply.lastIndexOf('}') + 1)) as unknown;

  it('over the body limit by its Content-Length is the 413 in place of the 100, so nothing is uploaded for it (RFC 9110 10.1.1; found 2026-12-02)', async () => {
    const length = 2 * 1024 * 1024;
    const answered = (received: string) => received.endsWith('\r\n0\r\n\r\n');
    const plain = await ask(`POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n\r\n`, answered);
    plain.socket.destroy();
    const asked = await ask(`POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`, answered);
    try {
      const reply = asked.received();
      expect(reply).toMatch(/^HTTP\/1\.1 413 /);
      expect(reply).toMatch(/\r\naccess-control-allow-origin: \*\r\n(.*\r\n)*content-type: application\/problem\+json\r\n/);
      expect(problemOf(reply)).toEqual(problemOf(plain.received()));
      expect(problemOf(reply)).toMatchObject({ status: 413, limit: LIMITS.bodyBytes });
      expect(handled).toEqual([]);
      // A client may send the body all the same: it is read and dropped, and the connection serves on, as after any 413.
      asked.socket.write(`${'x'.repeat(length)}GET /after HTTP/1.1\r\nHost: x\r\n\r\n`);
      while (!asked.received().includes('from the engine') && !asked.socket.destroyed) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(handled.map((r) => r.path)).toEqual(['/after']);
    } finally {
      asked.socket.destroy();
    }
  });

  it.each([2, 17])('over the limit, sent with its %i MiB body without waiting for the 100, gets its 413 every time in another process: the connection is not reset under it', async (mib) => {
    // Node closed such a connection as soon as the 413 was out, and the client sending on lost it.
    const script = `import { connect } from 'node:net';
      const send = () => new Promise((resolve) => {
        const socket = connect(Number(process.argv[1]), '127.0.0.1');
        let received = '';
        socket.on('data', (chunk) => (received += chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(received.slice(0, 12)));
        socket.write('POST /x HTTP/1.1\\r\\nHost: x\\r\\nExpect: 100-continue\\r\\nContent-Length: ${mib * 1024 * 1024}\\r\\n\\r\\n');
        socket.end('x'.repeat(${mib * 1024 * 1024}));
      });
      const out = [];
      for (let i = 0; i < 12; i++) out.push(await send());
      console.log(JSON.stringify(out));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, String(port)]);
    expect(JSON.parse(stdout)).toEqual(Array(12).fill('HTTP/1.1 413'));
    expect(handled).toHaveLength(0);
  });

  it('within the limit gets its 100, and its body reaches the engine', async () => {
    const asked = await ask(`POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n`, (received) => received.includes('\r\n\r\n'));
    try {
      expect(asked.received()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
      asked.socket.write('{}');
      while (!asked.received().includes('from the engine')) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(asked.received()).toMatch(/\r\n\r\nHTTP\/1\.1 200 /);
      expect(text(handled[0]!.body)).toBe('{}');
    } finally {
      asked.socket.destroy();
    }
  });
});

describe('answers', () => {
  it("carry the engine's status, headers and body, and CORS headers for any caller", async () => {
    answer = { status: 201, headers: { 'content-type': 'application/json', 'x-from': 'engine' }, body: '{"id":1}' };
    const response = await fetch(`${base}/x`);
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('{"id":1}');
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control') || name === 'x-from'))).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-credentials': 'true',
      // `*` for calls without credentials; a credentialed one reads `*` as a name, so the names follow.
      'access-control-expose-headers': '*, content-type, x-from',
      'x-from': 'engine',
    });
  });

  it("name the caller's origin and requested headers, unless the engine says otherwise", async () => {
    const response = await fetch(`${base}/x`, { headers: { origin: 'http://app.test', 'access-control-request-headers': 'x-one' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-one');
    answer = { status: 200, headers: { 'access-control-allow-origin': 'http://engine.test' }, body: '' };
    expect((await fetch(`${base}/x`, { headers: { origin: 'http://app.test' } })).headers.get('access-control-allow-origin')).toBe('http://engine.test');
  });

  it('reach the admin routes under a gateway prefix too', async () => {
    const response = await fetch(`${base}/perx/__mock/reset?session=s1`, { method: 'POST' });
    expect(response.status).toBe(204);
    expect(resets).toEqual(['perx:s1']);
    expect((await fetch(`${base}/perx/deeper/__mock/reset`, { method: 'POST' })).status).not.toBe(204);
  });

  it('answer an admin route asked with another method with a 405 naming the right one, as the API does (found 2026-12-01)', async () => {
    for (const [path, method, allow] of [['/__mock/reset', 'GET', 'POST'], ['/__mock/health', 'POST', 'GET, HEAD'], ['/perx/__mock/reset', 'DELETE', 'POST']]) {
      const response = await fetch(`${base}${path}`, { method });
      expect({ path, status: response.status, allow: response.headers.get('allow') }).toEqual({ path, status: 405, allow });
    }
    expect(resets).toEqual([]);
    // A readiness probe's HEAD is answered as the GET is, without the body.
    const head = await fetch(`${base}/__mock/health`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it("reset the session the request's x-mock-session header names when the query names none", async () => {
    expect((await fetch(`${base}/__mock/reset`, { method: 'POST', headers: { 'x-mock-session': 'mine' } })).status).toBe(204);
    expect((await fetch(`${base}/__mock/reset?session=asked`, { method: 'POST', headers: { 'x-mock-session': 'mine' } })).status).toBe(204);
    expect((await fetch(`${base}/__mock/reset`, { method: 'POST' })).status).toBe(204);
    expect((await fetch(`${base}/__mock/reset?session=`, { method: 'POST', headers: { 'x-mock-session': 'mine' } })).status).toBe(204);
    expect(resets).toEqual([':mine', ':asked', ':undefined', ':mine']);
  });

  it('leave a path under a prefix the admin does not serve, or under an empty segment, to the API (found 2026-12-01)', async () => {
    for (const path of ['/nobody/__mock/reset', '/members/__mock/reset', '//__mock/reset']) expect(await (await fetch(`${base}${path}`, { method: 'POST' })).text()).toBe('from the engine');
    expect(await (await fetch(`${base}/xyz/__mock/health`)).text()).toBe('from the engine');
    expect(handled.map((request) => request.path)).toEqual(['/nobody/__mock/reset', '/members/__mock/reset', '//__mock/reset', '/xyz/__mock/health']);
    expect(resets).toEqual([]);
  });

  // Found 2026-12-02: another vendor's `/perx/__mock/reset` on Placewise's port got a 404 that did not say where the admin routes are.
  it("add a hint naming this port's admin routes to the mock's own 404 for an admin-shaped path it does not serve, and only to that", async () => {
    try {
      answer = { status: 404, headers: { 'content-type': 'application/problem+json' }, body: '{"title":"No such operation","status":404}' };
      expect(await (await fetch(`${base}/nobody/__mock/reset`, { method: 'POST' })).json()).toEqual({ title: 'No such operation', status: 404, hint: "this port's admin routes are /__mock/… and /perx/__mock/…" });
      expect(await (await fetch(`${base}/refused/__mock/reset`, { method: 'POST' })).json()).toEqual({ title: 'No such vendor', hint: "this port's admin routes are /__mock/… and /perx/__mock/…" });
      // Not for other paths, nor for a vendor's documented 404.
      for (const path of ['/nobody/x', '/a/b/__mock/reset']) expect(await (await fetch(`${base}${path}`)).json()).toEqual({ title: 'No such operation', status: 404 });
      answer = { status: 404, headers: { 'content-type': 'application/json' }, body: '{"error":"not found"}' };
      expect(await (await fetch(`${base}/nobody/__mock/reset`, { method: 'POST' })).json()).toEqual({ error: 'not found' });
    } finally {
      answer = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'from the engine' };
    }
  });

  it('come from pick itself when it answers (an unknown vendor at the gateway)', async () => {
    const response = await fetch(`${base}/refused/x`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('{"title":"No such vendor"}');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(handled).toEqual([]);
  });

  it('are a 500 problem naming the failure when the transport itself fails', async () => {
    const response = await fetch(`${base}/broken/x`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ title: 'Mock failure', detail: "the mock's transport failed (a mock bug): pick broke" });
  });
});

// Found 2026-12-03, a frontend developer's first hour: a body over the limit and a mistyped gateway
// prefix (`/prex/v4/rewards`) printed no line at all, where the README promises one per request.
describe('the log line of an answer the transport gives itself (MOCK-151)', () => {
  const line = (method: string, path: string, status: number, reason = '') => new RegExp(`^\\[stub\\] ${method} ${path} → ${status} \\(\\d+\\.\\d ms\\)${reason}$`);

  it('is written for a refused body, a path pick refuses, an admin route and a transport failure, with the reason the problem gives', async () => {
    await fetch(`${base}/x?access_token=s3cret`, { method: 'POST', body: 'a'.repeat(LIMITS.bodyBytes + 1) });
    await fetch(`${base}/refused/x`);
    await fetch(`${base}${ADMIN}/reset?session=alice`, { method: 'POST' });
    await fetch(`${base}${ADMIN}/reset`);
    await fetch(`${base}/broken/x`);
    expect(lines).toEqual([
      expect.stringMatching(line('POST', '/x', 413, `: request body has ${LIMITS.bodyBytes + 1} bytes or more; the mock accepts at most ${LIMITS.bodyBytes}`)),
      expect.stringMatching(line('GET', '/refused/x', 404)),
      expect.stringMatching(line('POST', `${ADMIN}/reset`, 204)),
      expect.stringMatching(line('GET', `${ADMIN}/reset`, 405, `: ${ADMIN}/reset takes POST, not GET`)),
      // As the engine's own failures are: `--quiet` prints only the lines that say MOCK BUG.
      expect.stringMatching(/^\[stub\] MOCK BUG: GET \/broken\/x: Error: pick broke\n\s+at /),
      expect.stringMatching(line('GET', '/broken/x', 500, ": the mock's transport failed \\(a mock bug\\): pick broke")),
    ]);
    // The query is left out: it may carry a credential (Footprints' access_token).
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it("is written for a request node could not read, which has no method or path to show", async () => {
    await fetch(`${base}/x`, { headers: { 'x-big': 'a'.repeat(maxHeaderSize + 1) } });
    expect(lines).toEqual([expect.stringMatching(/^\[stub\] \(a request node could not read\) → 431: the request's headers \(with its URL\) are over node's limit/)]);
  });

  it("is not written for what the engine answers (it logs its own), a CORS preflight, or a health probe that finds the mock up", async () => {
    await fetch(`${base}/x`);
    await fetch(`${base}/x`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'PUT' } });
    await fetch(`${base}${ADMIN}/health`);
    await fetch(`${base}${ADMIN}/health`, { method: 'HEAD' });
    expect(lines).toEqual([]);
  });
});

describe('CORS preflight', () => {
  it('is answered by the transport: 204 allowing the requested method', async () => {
    const response = await fetch(`${base}/x`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' } });
    expect(response.status).toBe(204);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control') || name === 'vary' || name === 'content-length'))).toEqual({
      'access-control-allow-methods': 'PUT',
      'access-control-allow-origin': 'http://app.test',
      'access-control-allow-headers': 'authorization',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': '*',
      vary: 'origin',
      'content-length': '0',
    });
    expect(handled).toEqual([]);
  });

  it('is only an OPTIONS with both Origin and Access-Control-Request-Method; other OPTIONS reach the engine', async () => {
    await fetch(`${base}/x`, { method: 'OPTIONS', headers: { origin: 'http://app.test' } });
    await fetch(`${base}/x`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'PUT' } });
    await fetch(`${base}/x`, { method: 'GET', headers: { origin: 'http://app.test', 'access-control-request-method': 'PUT' } });
    expect(handled.map((r) => r.method)).toEqual(['OPTIONS', 'OPTIONS', 'GET']);
  });
});

describe(`admin routes under ${ADMIN}`, () => {
  it('POST reset forgets one session or all of them', async () => {
    expect((await fetch(`${base}${ADMIN}/reset?session=alice`, { method: 'POST' })).status).toBe(204);
    const all = await fetch(`${base}${ADMIN}/reset`, { method: 'POST' });
    expect(all.status).toBe(204);
    expect(await all.text()).toBe('');
    expect(resets).toEqual([':alice', ':undefined']);
  });

  it('GET health says ok', async () => {
    const response = await fetch(`${base}${ADMIN}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('anything else there is a 404 listing the admin routes (a route asked with another method a 405), and never reaches the engine', async () => {
    for (const [method, path] of [['GET', '/other'], ['POST', '/resets']]) {
      const response = await fetch(`${base}${ADMIN}${path}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ title: 'No such admin route', detail: `the mock's admin routes are POST ${ADMIN}/reset[?session=name] and GET ${ADMIN}/health` });
    }
    for (const [method, path] of [['GET', '/reset'], ['POST', '/health']]) expect((await fetch(`${base}${ADMIN}${path}`, { method })).status).toBe(405);
    expect(resets).toEqual([]);
    expect(handled).toEqual([]);
  });
});

describe('the listener', () => {
  const raw = (bytes: string) => {
    const socket = connect(port, '127.0.0.1');
    socket.end(bytes);
    return new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
  };

  it('answers bytes that are not HTTP with a 400 a browser can read, and closes the connection', async () => {
    const reply = await raw('this is not HTTP\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\nconnection: close\r\naccess-control-allow-origin: \*\r\ncontent-type: application\/problem\+json\r\n/);
    expect(JSON.parse(reply.split('\r\n\r\n')[1]!)).toMatchObject({ status: 400, title: 'Bad request' });
    expect(handled).toEqual([]);
  });

  it('answers CONNECT, which node takes out of HTTP handling, with a 405 and an Allow header, and stays up', async () => {
    const reply = await raw('CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n(.*\r\n)*allow: GET, /);
    expect(JSON.parse(reply.split('\r\n\r\n')[1]!).detail).toContain('not a proxy');
    expect(handled).toEqual([]);
    expect((await fetch(`${base}/after`)).status).toBe(200);
  });

  it('answers what node refused on its own (no Host, an unknown Expect, an unknown method) with a problem a browser can read (found 2026-12-01)', async () => {
    const noHost = await raw('GET /x HTTP/1.1\r\nconnection: close\r\n\r\n');
    expect(noHost).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n(.*\r\n)*access-control-allow-origin: \*\r\n/);
    // Chunked: the problem is read from its braces.
    const json = (reply: string) => JSON.parse(reply.slice(reply.indexOf('{'), reply.lastIndexOf('}') + 1));
    expect(json(noHost)).toMatchObject({ status: 400, header: 'host' });
    const expectation = await raw('POST /x HTTP/1.1\r\nhost: 127.0.0.1\r\nexpect: 999-nope\r\ncontent-length: 2\r\n\r\n');
    expect(expectation).toMatch(/^HTTP\/1\.1 417 Expectation Failed\r\n(.*\r\n)*access-control-allow-origin: \*\r\n/);
    expect(json(expectation)).toMatchObject({ status: 417, header: 'expect' });
    const method = await raw('FOO /x HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    expect(method).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n(.*\r\n)*access-control-allow-origin: \*\r\n/);
    expect(handled).toEqual([]);
    expect((await fetch(`${base}/after`)).status).toBe(200);
  });

  it("answers headers over node's limit with a 431 naming it, readable by a browser", async () => {
    const reply = await raw(`GET /x?q=${'a'.repeat(maxHeaderSize)} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n(.*\r\n)*access-control-allow-origin: \*\r\n/);
    expect(JSON.parse(reply.split('\r\n\r\n')[1]!).detail).toBe(`the request's headers (with its URL) are over node's limit of ${maxHeaderSize} bytes`);
    expect(handled).toEqual([]);
    expect((await fetch(`${base}/after`)).status).toBe(200);
  });

  // Found 2026-12-03 over raw sockets: the refusal was written at once, ahead of the answers still due.
  it.each([
    ['garbage', 'garbage\r\n\r\n', 501],
    ['both Transfer-Encoding and Content-Length', 'POST /x HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n0\r\n\r\n', 400],
    ["headers over node's limit", `GET /x HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(maxHeaderSize)}\r\n\r\n`, 431],
  ])('answers good requests pipelined before one node refuses (%s) first, in order, then the refusal, and closes', async (_, broken, status) => {
    const good = 'GET /first HTTP/1.1\r\nhost: x\r\n\r\nGET /second HTTP/1.1\r\nhost: x\r\n\r\n';
    const reply = await raw(good + broken);
    expect([...reply.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((m) => Number(m[1]))).toEqual([200, 200, status]);
    expect(handled.map((r) => r.path)).toEqual(['/first', '/second']);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^\\[stub\\] \\(a request node could not read\\) → ${status}: `))]);
  });

  /** Writes `bytes` without ending its side, as a flooding client does, and reads until the mock closes the connection. */
  const flood = (bytes: string) => {
    const socket = connect(port, '127.0.0.1');
    socket.write(bytes);
    return new Promise<string>((resolve, reject) => {
      let data = '';
      const timer = setTimeout(() => (socket.destroy(), reject(new Error(`the connection is still open after 10 s, ${[...data.matchAll(/^HTTP\/1\.1 /gm)].length} answers read`))), 10_000);
      socket.on('data', (chunk) => (data += chunk.toString('latin1')));
      socket.on('close', () => (clearTimeout(timer), resolve(data)));
    });
  };
  const statuses = (reply: string) => [...reply.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((m) => Number(m[1]));

  // MOCK-159 left it: 30,000 GETs in one write to Perx were all handled, in 22 s and 186 MB.
  it(`answers a connection at most ${PIPELINE.queued} requests ahead of what it has read, then a 503 saying so, once, and closes it`, async () => {
    const started = performance.now();
    const reply = await flood('GET /x HTTP/1.1\r\nhost: x\r\norigin: http://app.test\r\n\r\n'.repeat(30_000));
    expect({ answers: statuses(reply).length, handled: handled.length }).toEqual({ answers: PIPELINE.queued + 1, handled: PIPELINE.queued });
    expect(statuses(reply)).toEqual([...Array<number>(PIPELINE.queued).fill(200), 503]);
    // Closed by the mock, not by its 5 s keep-alive timeout.
    expect(performance.now() - started).toBeLessThan(4_000);
    const refusal = reply.slice(reply.lastIndexOf('HTTP/1.1 503'));
    expect(refusal).toMatch(/\r\nconnection: close\r\n(.*\r\n)*access-control-allow-origin: http:\/\/app\.test\r\n/);
    expect(JSON.parse(refusal.slice(refusal.indexOf('{')))).toMatchObject({ status: 503, title: 'Too many pipelined requests', limit: PIPELINE.queued });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^\\[stub\\] GET /x → 503: this connection sent more than ${PIPELINE.queued} requests before reading their answers`))]);
    expect((await fetch(`${base}/after`)).status).toBe(200);
  });

  it(`serves on a connection whose requests come ${PIPELINE.queued} at a time, and any number one after another`, async () => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    const answers = (n: number) => new Promise<void>((resolve) => { const check = () => (statuses(data).length >= n ? resolve() : setTimeout(check, 5)); check(); });
    for (let round = 1; round <= 3; round++) {
      socket.write('GET /x HTTP/1.1\r\nhost: x\r\n\r\n'.repeat(PIPELINE.queued));
      await answers(round * PIPELINE.queued);
    }
    for (let one = 1; one <= 50; one++) {
      socket.write('GET /x HTTP/1.1\r\nhost: x\r\n\r\n');
      await answers(3 * PIPELINE.queued + one);
    }
    socket.destroy();
    expect(new Set(statuses(data))).toEqual(new Set([200]));
    expect(handled).toHaveLength(3 * PIPELINE.queued + 50);
  });

  it("says what node's parser found in a 400 (found 2026-12-03: \"not HTTP/1.1 the mock can read\" alone)", async () => {
    const reply = await raw('POST /x HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n0\r\n\r\n');
    expect(JSON.parse(reply.split('\r\n\r\n')[1]!).detail).toBe('the request is not HTTP/1.1 the mock can read: node\'s parser says "Content-Length can\'t be present with Transfer-Encoding" (HPE_INVALID_CONTENT_LENGTH)');
    const bareLf = await raw('GET /x HTTP/1.1\nhost: x\n\n');
    expect(JSON.parse(bareLf.split('\r\n\r\n')[1]!).detail).toBe('the request is not HTTP/1.1 the mock can read: node\'s parser says "Expected CRLF after version" (HPE_INVALID_VERSION)');
  });

  it('answers a client speaking HTTP/2 without asking (its preface) with a 505 saying the mock speaks HTTP/1.1', async () => {
    const reply = await raw('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 505 HTTP Version Not Supported\r\n/);
    expect(JSON.parse(reply.split('\r\n\r\n')[1]!).detail).toBe('the mock speaks HTTP/1.1 only, and this connection began with the HTTP/2 preface: call it over HTTP/1.1');
  });

  it('answers a body node cannot read (a broken chunk) once, with one line naming the request', async () => {
    const reply = await raw('POST /x?access_token=s3cret HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n');
    expect([...reply.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((m) => Number(m[1]))).toEqual([400]);
    // The handler reading the body hears of it after the refusal: it has nothing left to say.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toEqual([expect.stringMatching(/^\[stub\] POST \/x → 400: the request is not HTTP\/1\.1 the mock can read: node's parser says "Invalid character in chunk size"/)]);
    expect(handled).toEqual([]);
  });

  // Found 2026-12-03 over raw sockets, each answered as something else (MOCK-158).
  it.each([
    ['a transfer coding the mock does not decode, before chunked: 501, and the connection serves on once its body is dropped', 'POST /x HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', 501, { header: 'transfer-encoding', detail: 'the mock decodes no transfer coding but chunked (got Transfer-Encoding: gzip, RFC 9112 6.1): send the body as it is, chunked or with a Content-Length' }],
    ['two Host headers: 400 (RFC 9112 3.2; node kept the first without a word)', 'GET /x HTTP/1.1\r\nhost: a\r\nhost: b\r\n\r\n', 400, { header: 'host', detail: 'the request carries 2 Host headers; it must carry one (RFC 9112 3.2)' }],
    ['a target of * for another method than OPTIONS: 400 (it was a 404 "no operation at *")', 'GET * HTTP/1.1\r\nhost: x\r\n\r\n', 400, { detail: 'a request target of * is for OPTIONS only (RFC 9112 3.2.4), not GET' }],
  ])('answers %s', async (_, request, status, problem) => {
    const reply = await raw(`${request}GET /after HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
    const [first, second] = reply.split(/(?=HTTP\/1\.1 \d{3} )/);
    expect(first).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(JSON.parse(first!.slice(first!.indexOf('{'), first!.lastIndexOf('}') + 1))).toMatchObject({ status, ...problem });
    expect(second).toMatch(/^HTTP\/1\.1 200 /);
    expect(handled.map((r) => r.path)).toEqual(['/after']);
  });

  it('hands the engine every header field within the size limit, however many: node dropped those after the first 1,000 unsaid', async () => {
    const fields = Array.from({ length: 2100 }, (_, i) => `a${i}:b\r\n`).join('');
    const reply = await raw(`GET /x HTTP/1.1\r\nhost: x\r\n${fields}authorization: Bearer t\r\nconnection: close\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(handled[0]!.headers).toMatchObject({ a2099: 'b', authorization: 'Bearer t' });
  });

  it('answers OPTIONS * (the server as a whole) with a 204 listing the methods the vendors take', async () => {
    const reply = await raw('OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 204 No Content\r\n(.*\r\n)*allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/);
    expect(handled).toEqual([]);
  });

  // MOCK-151 left these with `*`: a credentialed browser call (credentials: 'include') reads that as a CORS error, not the status.
  describe("names the caller's Origin on node's own refusals where it can be known (MOCK-156)", () => {
    const allowed = (reply: string) => Object.fromEntries(reply.split('\r\n\r\n')[0]!.split('\r\n').slice(1).map((line) => line.split(': ')).filter(([name]) => /^(access-control-|vary$)/.test(name!)));
    const credentialed = { 'access-control-allow-origin': 'http://app.test', 'access-control-allow-credentials': 'true', vary: 'origin' };

    it('a 431 whose head came in one write', async () => {
      const reply = await raw(`GET /x HTTP/1.1\r\nhost: 127.0.0.1\r\norigin: http://app.test\r\ncookie: ${'a'.repeat(maxHeaderSize)}\r\n\r\n`);
      expect(reply).toMatch(/^HTTP\/1\.1 431 /);
      expect(allowed(reply)).toEqual(credentialed);
    });

    it('a 400 for a header node cannot read', async () => {
      const reply = await raw('GET /x HTTP/1.1\r\nhost: 127.0.0.1\r\nOrigin: http://app.test\r\nbad header: y\r\n\r\n');
      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
      expect(allowed(reply)).toEqual(credentialed);
    });

    it('a CONNECT', async () => {
      const reply = await raw('CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\norigin: http://app.test\r\n\r\n');
      expect(reply).toMatch(/^HTTP\/1\.1 405 /);
      expect(allowed(reply)).toEqual(credentialed);
    });

    it('but not what is no single origin: `*` then, as before', async () => {
      for (const origins of ['origin: http://a.test\r\norigin: http://b.test', 'origin: http://a.test, http://b.test', 'origin: not an origin', 'origin: http://a.test/path?q']) {
        const reply = await raw(`GET /x HTTP/1.1\r\nhost: 127.0.0.1\r\n${origins}\r\nbad header: y\r\n\r\n`);
        expect(allowed(reply)).toEqual({ 'access-control-allow-origin': '*' });
      }
    });

    it('a 408 for a body that never finished, its line naming the request, when node gives up on it', async () => {
      const said: string[] = [];
      const slow = createMockServer(pick, { serves: () => false, routes: '', reset: () => {} }, { name: 'slow', log: (line) => said.push(line) });
      const slowPort = await listen(slow, 0, '127.0.0.1', 'slow');
      // Node looks every second (connectionsCheckingInterval): given up on 1 to 2 s in. It waits for the
      // longer of the two limits on a body (measured on node 20), so both are lowered.
      slow.requestTimeout = 1000;
      slow.headersTimeout = 1000;
      try {
        const socket = connect(slowPort, '127.0.0.1');
        socket.write('POST /x?access_token=s3cret HTTP/1.1\r\nhost: 127.0.0.1\r\norigin: http://app.test\r\ncontent-length: 10\r\n\r\nabc');
        const reply = await new Promise<string>((resolve) => {
          let data = '';
          socket.on('data', (chunk) => (data += chunk.toString()));
          socket.on('close', () => resolve(data));
        });
        expect(reply).toMatch(/^HTTP\/1\.1 408 /);
        expect(allowed(reply)).toEqual(credentialed);
        expect(said).toEqual([expect.stringMatching(/^\[slow\] POST \/x → 408: the request did not arrive in full within 1 s/)]);
      } finally {
        await close(slow);
      }
    });
  });

  it('answers a request that never finishes arriving with a 408 naming the time limits, when node gives up on it', async () => {
    // Node checks its timeouts every 30 s; the error it then raises is handed to the handler here.
    const serverSide = new Promise<import('node:net').Socket>((resolve) => server.once('connection', resolve));
    const socket = connect(port, '127.0.0.1');
    socket.write('GET /x HTTP/1.1\r\nX-A: ');
    const reply = new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    server.emit('clientError', Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), await serverSide);
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(text.split('\r\n\r\n')[1]!).detail).toBe('the request did not arrive in full within 30 s (its headers within 10 s)');
    expect(handled).toEqual([]);
  });

  it('drops a request whose client hangs up mid-body, and keeps serving', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write('POST /x HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 100\r\n\r\nonly ten b');
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await fetch(`${base}/after`)).status).toBe(200);
    expect(handled.map((r) => r.path)).toEqual(['/after']);
  });

  it('names the owner when the port is taken, the errno as its cause (the caller names the option that chose it)', async () => {
    const second = createServer();
    const refused = await listen(second, port, '127.0.0.1', 'xonvo').then(() => undefined, (error: Error) => error);
    expect(refused?.message).toBe(`port ${port} (xonvo) is in use`);
    expect((refused?.cause as NodeJS.ErrnoException | undefined)?.code).toBe('EADDRINUSE');
  });

  it('names the owner and the address for any other failure to listen', async () => {
    // 192.0.2.1 (TEST-NET-1) is never an address of this machine: binding fails without any traffic.
    await expect(listen(createServer(), 0, '192.0.2.1', 'gateway')).rejects.toThrow(/^gateway: cannot listen on 192\.0\.2\.1:0: listen EADDRNOTAVAIL/);
  });

  it('closes with a keep-alive connection still open', async () => {
    const other = createMockServer(pick, { serves: () => true, routes: '', reset: () => {} });
    const otherPort = await listen(other, 0, '127.0.0.1', 'other');
    // fetch keeps the connection alive after the answer; close must not wait for it to time out.
    expect((await fetch(`http://127.0.0.1:${otherPort}/x`)).status).toBe(200);
    await close(other);
    expect(other.listening).toBe(false);
  });
});

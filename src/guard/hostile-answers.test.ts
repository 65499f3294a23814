/**
 * The guard in 'report' and 'throw' mode against answers real vendors send that a spec does not
 * foresee, written byte for byte by a raw server: each gets a verdict within seconds, and none
 * fails or holds the call in a way the guard off would not.
 */
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractViolationError, RequestError } from '../errors.js';
import { createXonvoClient } from '../xonvo.js';
import type { ContractViolation } from './violation.js';

const STATS = '/accounts/{accountId}/statistics';
const VALID = '{"engagedCount":0,"leadCount":1,"unsubscribeCount":0,"deliveredCount":0,"ctr":3}';
/** Past V8's longest string (0x1fffffe8 characters): no runtime reads it as text. */
const OVER_STRING_LIMIT = 513 * 1024 * 1024;

/** What the server answers next: a status line and headers as written, then a body (a size alone: that many spaces after `{"ctr":3`, sent in chunks). */
let answer: { head: string; body: string | number } = { head: '200 OK', body: '' };

function send(socket: Socket): void {
  const { head, body } = answer;
  const length = typeof body === 'number' ? body + '{"ctr":3}'.length : Buffer.byteLength(body);
  socket.write(`HTTP/1.1 ${head}\r\nConnection: close\r\nContent-Length: ${length}\r\n\r\n`);
  if (typeof body === 'string') return void socket.end(body);
  // Streamed, so the server holds 1 MiB of it, not 513.
  const chunk = Buffer.alloc(1024 * 1024, ' ');
  let left = body;
  const more = () => {
    while (left > 0) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= part.length;
      const first = left + part.length === body;
      if (!socket.write(first ? Buffer.concat([Buffer.from('{"ctr":3'), part.subarray(8)]) : part)) return void socket.once('drain', more);
    }
    socket.end(Buffer.from(' '.repeat(8) + '}'));
  };
  more();
}

const server = createServer((socket) => {
  socket.on('error', () => undefined);
  let head = '';
  socket.on('data', (data) => {
    if (!(head += data).includes('\r\n\r\n')) return;
    head = '';
    send(socket);
  });
});
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Calls getAccountStatistics (or `method` on its path) with the guard in `validate` mode: what the call gave, the violations reported, and how long it took. */
async function call(validate: 'report' | 'throw', init: Record<string, unknown> = {}, method = 'GET') {
  const reported: ContractViolation[] = [];
  const client = createXonvoClient({ baseUrl, username: 'u', password: 'p', validate, timeoutMs: 60_000, onViolation: (v) => reported.push(v) });
  const started = performance.now();
  type Result = { data?: unknown; error?: unknown; response: Response };
  const outcome: { result?: Result; error?: unknown } = await (client.request as (m: string, p: string, i: unknown) => Promise<Result>)(method, STATS, { params: { path: { accountId: '1' } }, ...init }).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, reported: reported.map((v) => `${v.rule}: ${v.message}`), ms: performance.now() - started };
}

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('the guard with answers a spec does not foresee', () => {
  // head, body, what 'report' hands onViolation (the same in 'throw', which throws them when there are any).
  const cases: [string, { head: string; body: string }, string[]][] = [
    ['JSON nested 100,000 levels, 200', { head: '200 OK\r\nContent-Type: application/json', body: deep(100_000) }, ['required: body /engagedCount is required but missing', 'required: body /leadCount is required but missing', 'required: body /unsubscribeCount is required but missing', 'required: body /deliveredCount is required but missing', 'required: body /ctr is required but missing']],
    ['JSON nested 100,000 levels, a documented 400', { head: '400 Bad Request\r\nContent-Type: application/json', body: deep(100_000) }, []],
    ['JSON nested 100,000 levels, an undocumented 418', { head: "418 I'm a teapot\r\nContent-Type: application/json", body: deep(100_000) }, ['status: status 418 is not documented']],
    // JSON.parse keeps the last, as the caller's data does: that is what is judged.
    ['a duplicate key, the last value valid', { head: '200 OK\r\nContent-Type: application/json', body: VALID.replace('{', '{"ctr":"three",') }, []],
    ['a duplicate key, the last value not', { head: '200 OK\r\nContent-Type: application/json', body: VALID.replace('}', ',"ctr":"three"}') }, ['type: body /ctr must be number']],
    ['a content type in odd case with parameters', { head: '200 OK\r\nContent-Type: Application/JSON; Charset=UTF-8', body: VALID }, []],
    ['application/problem+json where application/json is documented', { head: '400 Bad Request\r\nContent-Type: application/problem+json', body: '{"type":"about:blank","title":"Bad Request","status":400}' }, ['content-type: content type "application/problem+json" is not documented for 400 (application/json)']],
    // Node's client reads no body of a 204, whatever Content-Length says; the operation documents no 204.
    ['a 204 with a body', { head: '204 No Content\r\nContent-Type: application/json', body: VALID }, ['status: status 204 is not documented']],
  ];
  for (const [name, served, expected] of cases) {
    it(`${name}: ${expected.length === 0 ? 'no violation' : `${expected[0]}${expected.length > 1 ? ` and ${expected.length - 1} more` : ''}`}, in both modes, within 5 s`, async () => {
      answer = served;
      const reported = await call('report');
      expect(reported.reported).toEqual(expected);
      expect(reported).toHaveProperty('result');
      const thrown = await call('throw');
      expect(thrown.reported).toEqual(expected);
      if (expected.length === 0) expect(thrown).toHaveProperty('result');
      else expect(thrown.error).toBeInstanceOf(ContractViolationError);
      expect(Math.max(reported.ms, thrown.ms)).toBeLessThan(5000);
    });
  }

  it('a HEAD, on a path documented for GET only: judged by nothing, answered as sent', async () => {
    answer = { head: '200 OK\r\nContent-Type: application/json\r\nX-Length: 5', body: '' };
    for (const mode of ['report', 'throw'] as const) {
      const { result, reported } = await call(mode, {}, 'HEAD');
      expect(reported).toEqual([]);
      expect(result?.response.status).toBe(200);
      expect(result?.data).toBeUndefined();
    }
  });

  it("a body longer than a string can be, read as bytes: the guard judges its status and type and hands the bytes on, in 'report' and 'throw' mode as with the guard off", async () => {
    answer = { head: '200 OK\r\nContent-Type: application/json', body: OVER_STRING_LIMIT };
    for (const mode of ['report', 'throw'] as const) {
      const { result, error, reported } = await call(mode, { parseAs: 'arrayBuffer' });
      expect(error).toBeUndefined();
      expect((result?.data as ArrayBuffer).byteLength).toBe(OVER_STRING_LIMIT + '{"ctr":3}'.length);
      expect(reported).toEqual([]);
    }
  }, 120_000);

  it('a body longer than a string can be, read as JSON: a RequestError naming the call and the parseAs that reads it, not the runtime\'s bare Error', async () => {
    answer = { head: '200 OK\r\nContent-Type: application/json', body: OVER_STRING_LIMIT };
    const { error } = await call('report');
    expect(error).toBeInstanceOf(RequestError);
    expect((error as Error).message).toBe(
      "xonvo: GET /accounts/{accountId}/statistics answered with a body too long to read as text or JSON (past the longest string the runtime makes, about 512 MiB): read it with parseAs: 'stream', 'arrayBuffer' or 'blob'",
    );
  }, 120_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer } from '../support/http-server.js';
import { honourRetryAfter, retryAfterSeconds } from './retry-after.js';
import { createRecorder } from './target.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

describe('honourRetryAfter', () => {
  it('waits as long as Retry-After says, then resends the same request with its body (a POST with an Idempotency-Key)', async () => {
    let calls = 0;
    const server = await recordingServer((_, res) => {
      calls += 1;
      if (calls < 3) {
        res.writeHead(429, { 'Retry-After': '2', 'Content-Type': 'application/json' });
        return res.end('{"error":"rate limited"}');
      }
      json(res, 200, { ok: true });
    });
    close = server.close;
    const waits: number[] = [];
    const fetch = honourRetryAfter(globalThis.fetch, { sleep: async (ms) => void waits.push(ms) });
    const response = await fetch(new Request(`${server.url}/members`, { method: 'POST', body: '{"a":1}', headers: { 'Idempotency-Key': 'k1' } }));
    expect(response.status).toBe(200);
    expect(waits).toEqual([2000, 2000]);
    expect(server.seen.map((s) => s.body)).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });

  // A 429 does not say the vendor did nothing: a POST sent again may create a second member.
  it("sends a POST or PATCH the vendor refuses once, as the clients' retry does, and returns its 429", async () => {
    const server = await recordingServer((_, res) => {
      res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'application/json' });
      res.end('{"error":"rate limited"}');
    });
    close = server.close;
    const recorder = createRecorder();
    for (const method of ['POST', 'PATCH']) {
      const response = await recorder.fetch(new Request(`${server.url}/members`, { method, body: '{"a":1}' }));
      expect(response.status).toBe(429);
    }
    expect(recorder.take().status).toBe(429);
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'PATCH']);
    // The same suite backs off and resends a refused read.
    await recorder.fetch(new Request(`${server.url}/members`));
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'PATCH', 'GET', 'GET', 'GET', 'GET']);
  });

  it("sends a PUT its vendor's spec marks x-idempotent: false once, as the clients' retry does (CLIENT-217)", async () => {
    const server = await recordingServer((_, res) => {
      res.writeHead(503, { 'Retry-After': '0', 'Content-Type': 'application/json' });
      res.end('{"error":"busy"}');
    });
    close = server.close;
    const recorder = createRecorder({ vendor: 'perx' });
    expect((await recorder.fetch(new Request(`${server.url}/v4/games/12/play`, { method: 'PUT' }))).status).toBe(503);
    // Another vendor's suite, or another PUT, is resent as before.
    await createRecorder({ vendor: 'xonvo' }).fetch(new Request(`${server.url}/v4/games/12/play`, { method: 'PUT' }));
    await recorder.fetch(new Request(`${server.url}/v4/games/12`, { method: 'PUT' }));
    expect(server.seen.map((s) => s.url)).toEqual(['/v4/games/12/play', ...Array(4).fill('/v4/games/12/play'), ...Array(4).fill('/v4/games/12')]);
  });

  it("resends a token request its vendor's spec marks x-issues-token, as the clients' retry does (CLIENT-218)", async () => {
    const server = await recordingServer((_, res) => {
      res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'application/json' });
      res.end('{"error":"slow down"}');
    });
    close = server.close;
    await createRecorder({ vendor: 'perx' }).fetch(new Request(`${server.url}/v4/oauth/token`, { method: 'POST', body: '{}' }));
    // Another POST is sent once.
    await createRecorder({ vendor: 'perx' }).fetch(new Request(`${server.url}/v4/customers/signup`, { method: 'POST', body: '{}' }));
    expect(server.seen.map((s) => s.url)).toEqual([...Array(4).fill('/v4/oauth/token'), '/v4/customers/signup']);
  });

  it('returns the 429 when the wait is longer than allowed, or retries run out', async () => {
    const server = await recordingServer((_, res) => {
      res.writeHead(429, { 'Retry-After': '3600' });
      res.end();
    });
    close = server.close;
    const waits: number[] = [];
    const fetch = honourRetryAfter(globalThis.fetch, { maxWaitSeconds: 60, sleep: async (ms) => void waits.push(ms) });
    expect((await fetch(new Request(`${server.url}/x`))).status).toBe(429);
    expect(waits).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(retryAfterSeconds('5')).toBe(5);
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(retryAfterSeconds(null)).toBeUndefined();
  });
});

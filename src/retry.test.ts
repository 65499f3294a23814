import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer } from '../contract-tests/support/http-server.js';
import { honourRetryAfter, retryAfterSeconds, sleep } from './retry.js';
import { createFootprintsClient } from './footprints.js';
import { createPerxClient } from './perx.js';
import { createXonvoClient } from './xonvo.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

/** Answers the scripted statuses in order (then 200), each with the given Retry-After. */
async function scripted(answers: [status: number, retryAfter?: string][]) {
  const server = await recordingServer((_, res) => {
    const [status, retryAfter] = answers.shift() ?? [200];
    if (status === 200) return json(res, 200, { deliveredCount: 1 });
    res.writeHead(status, { 'Content-Type': 'application/json', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) });
    res.end('{"error":"busy"}');
  });
  close = server.close;
  return server;
}

const stats = (client: ReturnType<typeof createXonvoClient>, init: { signal?: AbortSignal } = {}) =>
  client.GET('/accounts/{accountId}/leads/{leadExternalId}/statistics', { params: { path: { accountId: 1, leadExternalId: 'x' } }, ...init });

describe('retry option', () => {
  it('retries idempotent calls on 429 and 503 after the Retry-After the vendor sends', async () => {
    const server = await scripted([[429, '0'], [503, '0']]);
    const client = createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p', retry: { retries: 2 } });
    const { response } = await stats(client);
    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(3);
  });

  it('is off by default, and never resends a non-idempotent call', async () => {
    const server = await scripted([[429, '0'], [429, '0']]);
    expect((await stats(createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p' }))).response.status).toBe(429);
    const client = createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p', retry: { retries: 3 } });
    const { response } = await client.POST('/accounts', { body: { name: 'a' } as never });
    expect(response.status).toBe(429);
    expect(server.seen).toHaveLength(2);
  });

  it('resends a POST that carries an Idempotency-Key, with its body: the vendor answers that key once', async () => {
    const server = await scripted([[429, '0']]);
    const client = createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p', retry: { retries: 1 } });
    const { response } = await client.POST('/accounts', { body: { name: 'a' } as never, headers: { 'Idempotency-Key': 'k1' } });
    expect(response.status).toBe(200);
    expect(server.seen.map((s) => [s.method, s.headers['idempotency-key'], s.body])).toEqual([
      ['POST', 'k1', '{"name":"a"}'],
      ['POST', 'k1', '{"name":"a"}'],
    ]);
  });

  it('does not resend a POST whose Idempotency-Key is empty or blank: it names no key the vendor could answer once for (CLIENT-215)', async () => {
    const server = await scripted([[503, '0'], [503, '0'], [503, '0']]);
    const client = createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p', retry: { retries: 1 } });
    for (const key of ['', '   ', '\t']) {
      const { response } = await client.POST('/accounts', { body: { name: 'a' } as never, headers: { 'Idempotency-Key': key } });
      expect(response.status).toBe(503);
    }
    expect(server.seen).toHaveLength(3);
  });

  it("never resends a PUT the spec marks x-idempotent: false (Perx's game play acts each time it is sent) (CLIENT-217)", async () => {
    const server = await recordingServer((seen, res) => {
      if (seen.url.startsWith('/v4/oauth/token')) return json(res, 200, { access_token: 'user-token', expires_in: 3600 });
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '0' });
      res.end('{"error":"busy"}');
    });
    close = server.close;
    const user = createPerxClient({ baseUrl: server.url, clientId: 'id', clientSecret: 'secret', retry: { retries: 2 } }).asUser('u1');
    const calls = () => server.seen.filter((s) => !s.url.startsWith('/v4/oauth/')).map((s) => `${s.method} ${s.url}`);
    // A 503 does not say the game was not played: sent again, it played again (a try used, an outcome awarded).
    expect((await user.PUT('/v4/games/{game_id}/play', { params: { path: { game_id: 12 } } })).response.status).toBe(503);
    expect((await user.PUT('/v4/games/{game_id}/reserve', { params: { path: { game_id: 12 } } })).response.status).toBe(503);
    expect(calls()).toEqual(['PUT /v4/games/12/play', 'PUT /v4/games/12/reserve']);
    // Other PUTs and GETs are still retried, and so is a play the caller sends with an Idempotency-Key.
    await user.GET('/v4/games/{game_id}', { params: { path: { game_id: 12 } } });
    await user.PUT('/v4/games/{game_id}/play', { params: { path: { game_id: 12 } }, headers: { 'Idempotency-Key': 'play-1' } });
    expect(calls().slice(2)).toEqual([...Array(3).fill('GET /v4/games/12'), ...Array(3).fill('PUT /v4/games/12/play')]);
  });

  it.each(['perx', 'footprints'] as const)("waits out a %s token endpoint's 429 as the call's own, and returns it as a TokenError where the wait would outlast the call (CLIENT-218)", async (vendor) => {
    let refusals = 0;
    let retryAfter = '0';
    const isToken = (url: string) => /^\/(api|v4\/oauth)\/token/.test(url);
    const server = await recordingServer((seen, res) => {
      if (isToken(seen.url) && refusals-- > 0) {
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': retryAfter });
        return res.end('{"error":"slow down"}');
      }
      json(res, 200, isToken(seen.url) ? { access_token: 'token-1', expires_in: 3600 } : { data: [], meta: {} });
    });
    close = server.close;
    const call = (retry?: { retries: number }) =>
      vendor === 'perx'
        ? createPerxClient({ baseUrl: server.url, clientId: 'id', clientSecret: 'secret', timeoutMs: 5000, retry }).asUser('u1').GET('/v4/rewards')
        : createFootprintsClient({ baseUrl: server.url, key: 'k', secret: 's', timeoutMs: 5000, retry }).GET('/api/client', { params: { query: { userEmail: 'a@b.c', userPhone: '1' } } });
    const tokenRequests = () => server.seen.filter((s) => isToken(s.url)).length;
    // A rate-limited token request failed every call with a TokenError 429, retry on or not.
    refusals = 1;
    expect((await call({ retries: 2 })).response.status).toBe(200);
    expect(tokenRequests()).toBe(2);
    // Off by default, as for calls.
    refusals = 1;
    await expect(call()).rejects.toMatchObject({ name: 'TokenError', status: 429 });
    expect(tokenRequests()).toBe(3);
    // A wait past the call's timeoutMs (30 s of 5) is not made: the 429 comes at once, not a TimeoutError at 5 s.
    [refusals, retryAfter] = [1, '30'];
    const started = performance.now();
    await expect(call({ retries: 2 })).rejects.toMatchObject({ name: 'TokenError', status: 429 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(tokenRequests()).toBe(4);
  });

  it('only retries the statuses asked for, and gives up when retries run out', async () => {
    const server = await scripted([[503, '0'], [429, '0'], [429, '0']]);
    const only429 = createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p', retry: { retries: 1, on: [429] } });
    expect((await stats(only429)).response.status).toBe(503);
    expect((await stats(only429)).response.status).toBe(429);
    expect(server.seen).toHaveLength(3);
  });

  it('returns the answer when Retry-After asks for longer than maxWaitSeconds', async () => {
    const server = await scripted([[429, '120']]);
    const client = createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p', retry: { retries: 2, maxWaitSeconds: 60 } });
    expect((await stats(client)).response.status).toBe(429);
    expect(server.seen).toHaveLength(1);
  });

  it.each(['', ' (with middleware added with use(): real Requests)'])('backs off without Retry-After, and returns the refusal whose wait would outlive the call timeout%s', async (withMiddleware) => {
    const server = await scripted([[503], [503, '5']]);
    const client = createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p', retry: { retries: 2 }, timeoutMs: 1000 });
    if (withMiddleware) client.use({ onRequest: ({ request }) => new Request(request, { headers: { 'x-request-id': 'a' } }) });
    const { response } = await stats(client);
    // The first retry after the 250 ms fallback; a 5 s wait would only end in a TimeoutError.
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(server.seen).toHaveLength(2);
  });

  it.each(['', ' (a middleware rebuilt the Request without its signal)'])("a wait that fits the deadline is still cut short by the caller's abort, and nothing more is sent%s", async (rebuilt) => {
    const server = await scripted([[503, '1']]);
    const client = createXonvoClient({ baseUrl: server.url, username: 'u', password: 'p', retry: { retries: 1 }, timeoutMs: 60_000 });
    if (rebuilt) client.use({ onRequest: ({ request }) => new Request(request.url, { method: request.method, headers: request.headers }) });
    const controller = new AbortController();
    const call = stats(client, { signal: controller.signal }).catch((e: unknown) => e);
    while (server.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('user left'));
    expect(await call).toMatchObject({ message: 'user left' });
    // Past the 1 s Retry-After: the retry was never sent.
    await new Promise((r) => setTimeout(r, 1300));
    expect(server.seen).toHaveLength(1);
  });
});

describe('sleep', () => {
  it('ends early with the abort reason', async () => {
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal).catch((e: unknown) => e);
    controller.abort(new Error('stop'));
    expect(await waiting).toMatchObject({ message: 'stop' });
    await expect(sleep(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('is the contract harness retry too (contract-tests/lib/retry-after.ts re-exports it)', async () => {
    const harness = await import('../contract-tests/lib/retry-after.js');
    expect(harness.honourRetryAfter).toBe(honourRetryAfter);
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds, trimmed', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(' 5 ')).toBe(5);
  });

  it('reads an HTTP date as the seconds until it, never below 0', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    // RFC 9110's two obsolete forms, which a recipient must read too, and the near misses servers send.
    for (const date of ['Wednesday, 21-Oct-15 07:28:30 GMT', 'Wed Oct 21 07:28:30 2015', 'Wed, 21 Oct 2015 07:28:30 UTC', 'Wed, 21 Oct 2015 07:28:30 +0000', 'wed, 21 oct 2015 07:28:30  gmt', 'Wed, 21 Oct 2015 00:28:30 PDT']) {
      expect(retryAfterSeconds(date, now), date).toBe(30);
    }
    expect(retryAfterSeconds('Wed, 1 Oct 2015 07:28:30 GMT', Date.parse('Wed, 01 Oct 2015 07:28:00 GMT'))).toBe(30);
  });

  it("reads the near misses servers write: Java's and JavaScript's Date.toString(), +00:00, a weekday written out, milliseconds, a trailing comma (CLIENT-86)", () => {
    const now = Date.parse('Tue, 01 Dec 2026 21:07:30 GMT');
    for (const date of [
      'Tue Dec 01 21:07:32 GMT 2026',
      'Tue Dec 01 2026 21:07:32 GMT+0000 (Coordinated Universal Time)',
      'Tue, 01 Dec 2026 21:07:32 +00:00',
      'Tuesday, 01 Dec 2026 21:07:32 GMT',
      'Tue, 01 Dec 2026 21:07:32.000 GMT',
      'Tue Dec  1 21:07:32 2026 GMT',
      'Tue, 01 Dec 2026 21:07:32 GMT,',
      // A comment after the zone, in every form: only the last form took one (found 2026-12-01).
      'Tue, 01 Dec 2026 21:07:32 +0000 (UTC)',
      'Tue, 01 Dec 2026 21:07:32 GMT (GMT)',
      'Tue, 01 Dec 2026 21:07:32 GMT (GMT),',
      'Tuesday, 01-Dec-26 21:07:32 GMT (GMT)',
      'Tue Dec  1 21:07:32 2026 GMT (Greenwich Mean Time)',
      'Tue Dec 01 21:07:32 UTC 2026 (UTC)',
    ]) {
      expect(retryAfterSeconds(date, now), date).toBe(2);
    }
  });

  it('reads a date that names no zone (asctime) in GMT, wherever the process runs', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      expect(retryAfterSeconds('Wed Oct 21 07:28:30 2015', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30);
      // A zone written only as a comment was not read as one, and Date.parse took local time (CLIENT-86).
      for (const date of ['Wed, 21 Oct 2015 07:28:30 (GMT)', 'Wednesday, 21-Oct-15 07:28:30 (GMT)', 'Wed Oct 21 07:28:30 2015 (GMT)', 'Wed, 21 Oct 2015 07:28:30 (GMT),']) {
        expect(retryAfterSeconds(date, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), date).toBeUndefined();
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it.each([['2.5', 3], ['1.5', 2], ['0.2', 1], ['-1', 0], ['+7', 7]])('reads %s, a number outside the grammar, as %i seconds (not as a date in 2001)', (value, seconds) => {
    expect(retryAfterSeconds(value)).toBe(seconds);
  });

  it('gives undefined for what it cannot read', () => {
    // Text Date.parse reads as a date in 2001 (or 2030): read so, every retry fired at once.
    for (const value of [null, '', 'soon', 'x5', '5x', '1.2.3', '2001-02-05', 'wait 10', 'retry 12', 'May 5', 'Sun 1', 'foo 2030', 'garbage-no-letters-1', 'Dec 2 18:00:00', 'retry May 5 10:00:00', 'Decimal 1 10:00:00 2030', '2026-12-01 20:00:30 Dec']) {
      expect(retryAfterSeconds(value)).toBeUndefined();
    }
  });
});

/** A fetch that answers the scripted responses in order, and the waits a retry asked for. */
function stubbed(answers: Response[], options: Parameters<typeof honourRetryAfter>[1] = {}) {
  const waits: number[] = [];
  const sent: string[] = [];
  const fetch = honourRetryAfter(
    async (request) => {
      sent.push(`${request.method} ${await request.text()}`);
      return answers.shift() ?? new Response('ok');
    },
    { sleep: async (ms) => void waits.push(ms), ...options },
  );
  return { fetch, waits, sent };
}
const refused = (status: number, retryAfter?: string, body: string | null = 'busy') =>
  new Response(body, { status, headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } });

describe('honourRetryAfter', () => {
  it('backs off from fallbackDelayMs, doubling, when the vendor names no wait', async () => {
    const { fetch, waits } = stubbed([refused(429), refused(429), refused(429)], { maxRetries: 3, fallbackDelayMs: 100 });
    expect((await fetch(new Request('http://x/a'))).status).toBe(200);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('without fallbackDelayMs, returns an answer that names no wait as it is', async () => {
    const { fetch, waits, sent } = stubbed([refused(429)]);
    expect((await fetch(new Request('http://x/a'))).status).toBe(429);
    expect(waits).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('waits up to maxWaitSeconds (60 by default), not beyond', async () => {
    const atLimit = stubbed([refused(429, '60')]);
    expect((await atLimit.fetch(new Request('http://x/a'))).status).toBe(200);
    expect(atLimit.waits).toEqual([60_000]);
    const over = stubbed([refused(429, '61')]);
    expect((await over.fetch(new Request('http://x/a'))).status).toBe(429);
    expect(over.waits).toEqual([]);
  });

  it('resends the same body, and copes with a refusal that has no body', async () => {
    const { fetch, sent } = stubbed([refused(503, '0', null)], { on: [503] });
    const response = await fetch(new Request('http://x/a', { method: 'PUT', body: 'payload' }));
    expect(response.status).toBe(200);
    expect(sent).toEqual(['PUT payload', 'PUT payload']);
  });

  it('says what it waits for and why', async () => {
    const lines: string[] = [];
    const { fetch } = stubbed([refused(429, '2'), refused(429)], { maxRetries: 3, fallbackDelayMs: 500, log: (line) => lines.push(line) });
    await fetch(new Request('http://x/v4/rewards?page=2'));
    expect(lines).toEqual(['429 from /v4/rewards: waiting 2s as Retry-After asks (retry 1/3)', '429 from /v4/rewards: waiting 1s (retry 2/3)']);
  });
});

describe('sleep without a signal', () => {
  it('just waits', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});

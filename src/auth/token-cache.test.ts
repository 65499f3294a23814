import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../errors.js';
import { createTokenCache } from './token-cache.js';

function issuer(expiresIn?: number) {
  let calls = 0;
  const issue = async () => {
    calls += 1;
    await new Promise((r) => setTimeout(r, 5));
    return { accessToken: `token-${calls}`, expiresIn };
  };
  return { issue, calls: () => calls };
}

describe('createTokenCache', () => {
  // With a 30 s skew: a token is refreshed 30 s before it expires, or at half its life when it
  // lives less than twice that (Perx user tokens live as long as userTokenSeconds asks, 1 s and up).
  it.each([
    ['issues once and serves the cached token until 30 s before it expires', 120, 89_000, 90_000],
    ['serves a token that lives less than the skew for half its life, instead of asking again on every call', 20, 9_999, 10_000],
  ])('%s', async (_, expiresIn, lastServedAt, refreshedAt) => {
    let now = 0;
    const { issue, calls } = issuer(expiresIn);
    const cache = createTokenCache(issue, { now: () => now, skewSeconds: 30 });
    expect(await cache.get()).toBe('token-1');
    now = lastServedAt;
    expect(await cache.get()).toBe('token-1');
    now = refreshedAt;
    expect(await cache.get()).toBe('token-2');
    expect(calls()).toBe(2);
  });

  it('shares one token request between concurrent callers', async () => {
    const { issue, calls } = issuer(3600);
    const cache = createTokenCache(issue);
    const tokens = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(calls()).toBe(1);
  });

  it('refreshes a rejected token once for all callers that saw it rejected', async () => {
    const { issue, calls } = issuer(3600);
    const cache = createTokenCache(issue);
    await cache.get();
    const refreshed = await Promise.all([cache.refresh('token-1'), cache.refresh('token-1')]);
    expect(refreshed).toEqual(['token-2', 'token-2']);
    // A caller that was refused with the old token after the refresh gets the new one, no new request.
    expect(await cache.refresh('token-1')).toBe('token-2');
    expect(calls()).toBe(2);
  });

  it('keeps a token without expires_in until it is refused', async () => {
    let now = 0;
    const { issue, calls } = issuer(undefined);
    const cache = createTokenCache(issue, { now: () => now });
    await cache.get();
    now = 10 ** 12;
    expect(await cache.get()).toBe('token-1');
    expect(calls()).toBe(1);
  });

  it('does not cache a failed token request', async () => {
    let fail = true;
    const cache = createTokenCache(async () => {
      if (fail) throw new Error('token endpoint down');
      return { accessToken: 'ok' };
    });
    await expect(cache.get()).rejects.toThrow('token endpoint down');
    fail = false;
    expect(await cache.get()).toBe('ok');
  });
});

/** A token endpoint that answers only when told to, and shows whether its request was aborted. */
function heldIssuer() {
  const requests: { signal: AbortSignal; answer: (token: string) => void }[] = [];
  const issue = (signal: AbortSignal) =>
    new Promise<{ accessToken: string; expiresIn: number }>((resolve, reject) => {
      requests.push({ signal, answer: (token) => resolve({ accessToken: token, expiresIn: 3600 }) });
      signal.addEventListener('abort', () => reject(signal.reason));
    });
  return { issue, requests };
}

describe('createTokenCache: callers that give up', () => {
  it('one waiter aborting leaves the shared request running for the others', async () => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    const quitter = new AbortController();
    const stayer = new AbortController();
    const gaveUp = cache.get(quitter.signal);
    const waited = cache.get(stayer.signal);
    quitter.abort(new Error('caller left'));
    await expect(gaveUp).rejects.toThrow('caller left');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.signal.aborted).toBe(false);
    requests[0]!.answer('t1');
    expect(await waited).toBe('t1');
  });

  it('the last waiter to abort aborts the token request, and the next call starts a new one', async () => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    const a = new AbortController();
    const b = new AbortController();
    const first = cache.get(a.signal);
    const second = cache.get(b.signal);
    a.abort(new Error('a left'));
    b.abort(new Error('b left'));
    await expect(first).rejects.toThrow('a left');
    await expect(second).rejects.toThrow('b left');
    expect(requests[0]!.signal.aborted).toBe(true);
    expect(requests[0]!.signal.reason).toEqual(new Error('b left'));
    const next = cache.get();
    expect(requests).toHaveLength(2);
    requests[1]!.answer('t2');
    expect(await next).toBe('t2');
  });

  it.each([
    ['its own deadline', new TimeoutError('perx', 'GET /v4/rewards', 300)],
    ["the caller's AbortSignal.timeout()", new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
  ])('a waiter timed out by %s leaves the request to those already waiting, and the next call starts its own', async (_, reason) => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    const timedOut = new AbortController();
    const first = cache.get(timedOut.signal);
    const waited = cache.get(new AbortController().signal);
    timedOut.abort(reason);
    await expect(first).rejects.toBe(reason);
    const next = cache.get(new AbortController().signal);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.signal.aborted).toBe(false);
    requests[1]!.answer('t2');
    expect(await next).toBe('t2');
    requests[0]!.answer('t1');
    expect(await waited).toBe('t1');
  });

  it('holds at most two token requests open against an endpoint that never answers, whatever the mix of deadlines', async () => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    const open = () => requests.filter((r) => !r.signal.aborted).length;
    const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    // Steady traffic: calls of a long deadline, each followed by one whose caller times out first.
    const patient: AbortController[] = [];
    const waits: Promise<string>[] = [];
    let most = 0;
    for (let i = 0; i < 20; i += 1) {
      patient.push(new AbortController());
      waits.push(cache.get(patient.at(-1)!.signal));
      const hasty = new AbortController();
      const gaveUp = cache.get(hasty.signal);
      hasty.abort(timeout());
      await expect(gaveUp).rejects.toThrow('timeout');
      most = Math.max(most, open());
    }
    expect(most).toBe(2);
    // Once the calls holding the older requests time out, a call starts one again, and gets its token.
    for (const controller of patient) controller.abort(timeout());
    await Promise.allSettled(waits);
    expect(open()).toBe(0);
    const next = cache.get(new AbortController().signal);
    requests.at(-1)!.answer('t');
    expect(await next).toBe('t');
  });

  it('a waiter without a signal keeps the request alive when the others abort', async () => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    const patient = cache.get();
    const quitter = new AbortController();
    const gaveUp = cache.get(quitter.signal);
    quitter.abort(new Error('left'));
    await expect(gaveUp).rejects.toThrow('left');
    expect(requests[0]!.signal.aborted).toBe(false);
    requests[0]!.answer('t1');
    expect(await patient).toBe('t1');
  });

  it('a call whose signal has already aborted gets its reason and starts no request', async () => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    await expect(cache.get(AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late');
    expect(requests).toHaveLength(0);
  });

  it('an abandoned request settling late does not cut short the request that replaced it', async () => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    const a = new AbortController();
    const first = cache.get(a.signal);
    a.abort(new Error('left'));
    await expect(first).rejects.toThrow('left');
    const second = cache.get(new AbortController().signal);
    const third = cache.get(new AbortController().signal);
    expect(requests).toHaveLength(2); // the second and third calls share one new request
    requests[1]!.answer('t2');
    expect(await Promise.all([second, third])).toEqual(['t2', 't2']);
  });

  it('a waiter that aborts after its token arrived changes nothing for a later refresh', async () => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    const early = new AbortController();
    const got = cache.get(early.signal);
    requests[0]!.answer('t1');
    expect(await got).toBe('t1');
    const refreshing = cache.refresh('t1', new AbortController().signal);
    early.abort(new Error('late abort'));
    expect(requests[1]!.signal.aborted).toBe(false);
    requests[1]!.answer('t2');
    expect(await refreshing).toBe('t2');
  });
});

describe('createTokenCache: issued', () => {
  it('remembers the tokens issued most recently, a replaced or expired one too, newest first, up to four', async () => {
    let now = 0;
    let calls = 0;
    const cache = createTokenCache(async () => ({ accessToken: `t${++calls}`, expiresIn: 60 }), { now: () => now, skewSeconds: 0 });
    expect(cache.issued()).toEqual([]);
    await cache.get();
    await cache.refresh('t1');
    expect(cache.issued()).toEqual(['t2', 't1']);
    now = 60_000;
    await cache.get();
    for (let i = 0; i < 3; i += 1) await cache.refresh(`t${calls}`);
    expect(cache.issued()).toEqual(['t6', 't5', 't4', 't3']);
  });

  // CLIENT-185: with tokens replaced faster than a call lasts, a refusal quoting the token of a call that outlived four was shown in clear.
  it('remembers a replaced token while a call may still carry it (carriedForMs), beyond four, up to twenty', async () => {
    let now = 0;
    let calls = 0;
    const cache = createTokenCache(async () => ({ accessToken: `t${++calls}`, expiresIn: 0 }), { now: () => now, carriedForMs: 30_000 });
    for (let i = 0; i < 10; i += 1) (await cache.get(), (now += 1000));
    expect(cache.issued()).toEqual(['t10', 't9', 't8', 't7', 't6', 't5', 't4', 't3', 't2', 't1']);
    // t1 was replaced at 1 s: past 31 s no call can carry it.
    now = 31_000;
    await cache.get();
    expect(cache.issued()).toHaveLength(10);
    expect(cache.issued()).not.toContain('t1');
    for (let i = 0; i < 200; i += 1) await cache.get();
    expect(cache.issued()).toHaveLength(20);
    expect(cache.issued()[0]).toBe('t211');
  });
});

describe('createTokenCache: refresh', () => {
  it('joins a token request already in flight instead of starting another', async () => {
    const { issue, requests } = heldIssuer();
    const cache = createTokenCache(issue);
    const getting = cache.get();
    const refreshing = cache.refresh('anything');
    expect(requests).toHaveLength(1);
    requests[0]!.answer('t1');
    expect(await Promise.all([getting, refreshing])).toEqual(['t1', 't1']);
  });

  it('asks again when the other cached token has just expired', async () => {
    let now = 0;
    let calls = 0;
    const cache = createTokenCache(async () => ({ accessToken: `t${++calls}`, expiresIn: 60 }), { now: () => now, skewSeconds: 0 });
    expect(await cache.get()).toBe('t1');
    expect(await cache.refresh('t0')).toBe('t1'); // refused with an older token: the cached one still serves
    now = 60_000; // exactly at expiry
    expect(await cache.refresh('t0')).toBe('t2');
    expect(calls).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
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
  it('issues once and serves the cached token until it expires', async () => {
    let now = 0;
    const { issue, calls } = issuer(120);
    const cache = createTokenCache(issue, { now: () => now, skewSeconds: 30 });
    expect(await cache.get()).toBe('token-1');
    now = 89_000;
    expect(await cache.get()).toBe('token-1');
    now = 90_000; // 120 s minus the 30 s skew
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

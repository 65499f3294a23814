export interface IssuedToken {
  accessToken: string;
  /** Seconds until expiry, as the token endpoint reports it; absent means "until refused". */
  expiresIn?: number;
}

export interface TokenCache {
  /** A valid token: the cached one, or a fresh one when none is cached or it has expired. */
  get(): Promise<string>;
  /**
   * A token other than `rejected`. Calls that were refused with the same token share one
   * request to the token endpoint; a call refused with an already replaced token gets the new one.
   */
  refresh(rejected: string): Promise<string>;
}

export interface TokenCacheOptions {
  now?: () => number;
  /** Refresh this many seconds before the reported expiry, so a token does not expire in flight. */
  skewSeconds?: number;
}

export function createTokenCache(issue: () => Promise<IssuedToken>, options: TokenCacheOptions = {}): TokenCache {
  const now = options.now ?? Date.now;
  const skewMs = (options.skewSeconds ?? 30) * 1000;
  let current: { value: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  function fetchNew(): Promise<string> {
    pending ??= issue()
      .then(({ accessToken, expiresIn }) => {
        const expiresAt = expiresIn === undefined ? Infinity : now() + expiresIn * 1000 - skewMs;
        current = { value: accessToken, expiresAt };
        return accessToken;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }

  return {
    get() {
      if (current && now() < current.expiresAt) return Promise.resolve(current.value);
      return fetchNew();
    },
    refresh(rejected) {
      if (pending) return pending;
      if (current && current.value !== rejected && now() < current.expiresAt) return Promise.resolve(current.value);
      current = undefined;
      return fetchNew();
    },
  };
}

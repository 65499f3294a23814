type Fetch = (request: Request) => Promise<Response>;

export interface RetryAfterOptions {
  /** Retries after the first 429, at most. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the 429 is returned and reported. */
  maxWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
}

/** Seconds to wait from a Retry-After value: delta-seconds or an HTTP date; undefined if unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Sandboxes rate-limit; a contract run must back off as the vendor asks rather than report
 * its 429s as drift. A 429 without a usable Retry-After is returned as is.
 */
export function honourRetryAfter(fetch: Fetch, options: RetryAfterOptions = {}): Fetch {
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxWaitSeconds ?? 60;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (request) => {
    const template = request.clone();
    let response = await fetch(request);
    for (let retry = 1; retry <= maxRetries && response.status === 429; retry++) {
      const wait = retryAfterSeconds(response.headers.get('retry-after'));
      if (wait === undefined || wait > maxWait) break;
      options.log?.(`429 from ${new URL(request.url).pathname}: waiting ${wait}s as Retry-After asks (retry ${retry}/${maxRetries})`);
      await sleep(wait * 1000);
      response = await fetch(template.clone());
    }
    return response;
  };
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds until expiry, as the token endpoint reports it; absent means "until refused". */
  expiresIn?: number;
}

/**
 * Asks the token endpoint for a token. `signal` is the shared request's own: it aborts only when
 * every call waiting for this token has given up.
 */
export type IssueToken = (signal: AbortSignal) => Promise<IssuedToken>;

export interface TokenCache {
  /**
   * A valid token: the cached one, or a fresh one when none is cached or it has expired. The
   * caller's `signal` ends its own wait, not the shared token request.
   */
  get(signal?: AbortSignal): Promise<string>;
  /** The cached token while it is valid, else undefined: a call that finds one needs no signal to wait with. */
  cached(): string | undefined;
  /**
   * A token other than `rejected`. Calls that were refused with the same token share one
   * request to the token endpoint; a call refused with an already replaced token gets the new one.
   */
  refresh(rejected: string, signal?: AbortSignal): Promise<string>;
  /**
   * The tokens issued most recently (newest first; expired and replaced ones too), for masking
   * them where a vendor echoes one: a call still in flight carries the one a refresh replaced.
   */
  issued(): string[];
}

export interface TokenCacheOptions {
  now?: () => number;
  /**
   * Refresh this many seconds before the reported expiry, so a token does not expire in flight.
   * A token that lives less than twice this is refreshed at half its life instead: one that is
   * born "expired" would be asked for again on every call.
   */
  skewSeconds?: number;
  /**
   * How long a call may still carry a token once another has replaced it: the client's `timeoutMs`.
   * A replaced token is remembered for masking (`issued()`) that long, not only while among the newest.
   */
  carriedForMs?: number;
}

/**
 * The `timeoutMs` of the clients that send token requests for the cache. A token request lives
 * as long as some call waits for it (the last to give up, at its own deadline or signal, aborts
 * it): a deadline of its own would end first and fail the calls that joined it later with a
 * TokenError, where each call's own TimeoutError is due.
 */
export const TOKEN_REQUEST_TIMEOUT_MS = 2_147_483_647;

/** Tokens remembered for masking however old: more than the calls a refresh can overtake, few enough to mask fast. */
const RECENT_TOKENS = 4;
/**
 * Tokens remembered for masking at most, those a call may still carry (`carriedForMs`) included:
 * short-lived tokens (a Perx user token of `userTokenSeconds: 1`, one reporting 0 s) are replaced
 * many times within one call's life, and a refusal quoting one of a call that outlived four was
 * shown in clear. Few, as the clients' mask is made again each time they change and its cost grows
 * faster than their number: about 1 ms with 4 or 10 tokens, 3 ms with 20, 40–50 ms with 100.
 */
const MAX_REMEMBERED = 20;

/** Whether a wait ended at a deadline: the clients' TimeoutError, or the DOMException of AbortSignal.timeout(), are both named so. */
const timedOut = (reason: unknown) => typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';

/**
 * Token requests in flight at once, at most: a request a call timed out on is not joined again,
 * and under steady traffic whose deadlines differ (a caller's short AbortSignal.timeout() among
 * calls of 30 s) each short timeout started another, each kept by a long waiter, against an
 * endpoint that never answered: 20 requests held open for 20 short timeouts. Past this, calls join
 * the newest; one starts again once an older request has no call left waiting.
 */
const MAX_FLIGHTS = 2;

/** One token request in flight and the calls waiting for it. */
interface Flight {
  promise: Promise<string>;
  controller: AbortController;
  waiters: number;
  /** A waiter timed out on it: later calls start another while MAX_FLIGHTS allows. */
  stale: boolean;
  /** Counted among the flights held open. */
  held: boolean;
}

export function createTokenCache(issue: IssueToken, options: TokenCacheOptions = {}): TokenCache {
  const now = options.now ?? Date.now;
  const skewMs = (options.skewSeconds ?? 30) * 1000;
  const carriedForMs = options.carriedForMs ?? 0;
  let current: { value: string; expiresAt: number } | undefined;
  // Tokens a refresh or an expiry replaced, newest first: a call still in flight may carry one, and its answer echo it.
  const recent: { value: string; replacedAt: number }[] = [];
  let pending: Flight | undefined;
  let held = 0;
  const letGo = (flight: Flight) => {
    if (flight.held) (flight.held = false), (held -= 1);
  };

  function start(): Flight {
    const controller = new AbortController();
    const flight: Flight = { controller, waiters: 0, stale: false, held: true, promise: undefined as never };
    held += 1;
    flight.promise = issue(controller.signal)
      .then(({ accessToken, expiresIn }) => {
        const lifeMs = expiresIn === undefined ? Infinity : expiresIn * 1000;
        const expiresAt = now() + lifeMs - Math.min(skewMs, lifeMs / 2);
        current = { value: accessToken, expiresAt };
        if (recent[0]?.value !== accessToken) {
          if (recent[0]) recent[0].replacedAt = now();
          recent.unshift({ value: accessToken, replacedAt: Infinity });
        }
        const at = now();
        for (let i = recent.length - 1; i >= RECENT_TOKENS; i -= 1) if (i >= MAX_REMEMBERED || recent[i]!.replacedAt + carriedForMs <= at) recent.splice(i, 1);
        return accessToken;
      })
      .finally(() => {
        letGo(flight);
        if (pending === flight) pending = undefined;
      });
    // Waiters each see the outcome; this keeps an abandoned flight's failure from being unhandled.
    flight.promise.catch(() => undefined);
    return flight;
  }

  /**
   * Waits for the flight until the caller's signal aborts. The last waiter to give up aborts the
   * token request itself; while another call still waits, the request goes on for it, but once one
   * has given up at its deadline, later calls start a request of their own.
   */
  function wait(flight: Flight, signal?: AbortSignal): Promise<string> {
    if (!signal) return flight.promise;
    flight.waiters += 1;
    return new Promise<string>((resolve, reject) => {
      const leave = () => {
        signal.removeEventListener('abort', onAbort);
        flight.waiters -= 1;
      };
      const onAbort = () => {
        leave();
        // A call that waited out its deadline on it (its own TimeoutError, or a caller's
        // AbortSignal.timeout): the request may never answer (a connection dropped without a
        // word), and joined by every call that came while one waited, it timed out all calls for
        // as long as they kept coming. Calls after this one ask again, up to MAX_FLIGHTS.
        if (timedOut(signal.reason)) flight.stale = true;
        if (flight.waiters === 0) {
          if (pending === flight) pending = undefined;
          letGo(flight);
          flight.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (token) => (leave(), resolve(token)),
        (error) => (leave(), reject(error)),
      );
    });
  }

  const cached = () => (current && now() < current.expiresAt ? current.value : undefined);

  function join(signal?: AbortSignal): Promise<string> {
    // A call that has already given up starts nothing.
    if (signal?.aborted) return Promise.reject(signal.reason);
    // A call without a signal keeps the flight alive for as long as it takes.
    if (!pending || (pending.stale && held < MAX_FLIGHTS)) pending = start();
    const flight = pending;
    if (!signal) flight.waiters = Infinity;
    return wait(flight, signal);
  }

  return {
    get(signal) {
      const token = cached();
      return token === undefined ? join(signal) : Promise.resolve(token);
    },
    cached,
    refresh(rejected, signal) {
      if (pending) return join(signal);
      const token = cached();
      if (token !== undefined && token !== rejected) return Promise.resolve(token);
      current = undefined;
      return join(signal);
    },
    issued: () => recent.map((token) => token.value),
  };
}

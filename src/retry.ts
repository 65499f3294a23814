import type { Fetch } from './call-request.js';
import { letGo } from './let-go.js';
import { operationTest, type SpecOperation } from './spec-operations.js';
import type { VendorInfo } from './vendors.js';

export interface RetryAfterOptions {
  /** Retries after the first refused answer, at most. */
  maxRetries?: number;
  /** Statuses that are retried (default: 429 only, as the contract suite backs off; the clients pass [429, 503]). */
  on?: readonly number[];
  /** A Retry-After longer than this is not waited for: the answer is returned as it is. */
  maxWaitSeconds?: number;
  /**
   * Wait when the answer has no usable Retry-After: `fallbackDelayMs × 2^(retry-1)`. Undefined
   * returns such an answer as it is (what the contract suite wants: only the vendor says when).
   */
  fallbackDelayMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  log?: (line: string) => void;
  /**
   * Operations whose method says idempotent but that act each time they are sent (the spec's
   * `x-idempotent: false`, listed in generated/vendors.json): never resent without an Idempotency-Key.
   */
  notIdempotent?: readonly SpecOperation[];
  /**
   * Operations resent whatever their method: the spec's token operations (`x-issues-token`). Asked
   * again, a token endpoint issues another token and nothing else; a 429 from it failed every call
   * made for it, the idempotent ones included, with a TokenError (CLIENT-218).
   */
  issuesToken?: readonly SpecOperation[];
}

/** A vendor's operations the rule treats apart, from its spec (generated/vendors.json): the clients' and the contract suite's retries alike. */
export const retryRulesOf = (vendor: VendorInfo | undefined): Pick<RetryAfterOptions, 'notIdempotent' | 'issuesToken'> => ({
  notIdempotent: vendor?.notIdempotent,
  issuesToken: vendor?.tokenOperations,
});

/** The call a request is sent for, as far as retrying it goes. */
export interface RetriedCall {
  /** When the call must be over (`performance.now()` time): a wait that would outlast it is not made. */
  deadlineAt?: number;
  /**
   * The call's own signal, when the request may not follow it (a caller's middleware rebuilt it
   * without): the wait ends, and nothing more is sent, once it aborts.
   */
  signal?: AbortSignal;
  /**
   * Makes each copy sent again into the request the call sends: a copy follows the first
   * request's signal through a WeakRef only, and does not keep what undici keeps out of reach
   * (a caller's per-call `dispatcher`).
   */
  resent?: (copy: Request) => Request;
}

/**
 * RFC 9110's three HTTP-date forms, whole (IMF-fixdate, RFC 850's, asctime's), and the near misses
 * servers send: a one-digit day, a weekday left out or written out, milliseconds, UTC or an offset
 * (`+0000`, `+00:00`) for GMT, a zone after asctime's year, a trailing comma, and what Java's and
 * JavaScript's Date.toString() write (`Tue Dec 01 21:07:32 GMT 2026`, `… 2026 21:07:32 GMT+0000
 * (Coordinated Universal Time)`). Nothing else is read as a date: V8's Date.parse reads "wait 10",
 * "May 5" or "Dec 2 18:00:00" as dates in 2001, and ignores a zone written only as a comment
 * ("(GMT)"), taking local time.
 */
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{1,2}:\\d\\d:\\d\\d(?:\\.\\d+)?';
const ZONE = '(?:GMT|UTC|UT|Z|[ECMP][SD]T|(?:GMT)?[+-]\\d\\d:?\\d\\d)';
// A comment after a zone (`+0000 (UTC)`, JavaScript's `(Coordinated Universal Time)`), which
// Date.parse skips: after any whole form, never in place of the zone (a date whose zone is only a
// comment would be read as GMT, which it may not be).
const COMMENT = '(?:\\s+\\([^()]*\\))?';
const HTTP_DATE = new RegExp(
  [
    `^(?:[A-Za-z]+,\\s*)?\\d{1,2}\\s+${MONTH}\\s+\\d{4}\\s+${TIME}(?:\\s+(${ZONE})${COMMENT})?,?$`,
    `^[A-Za-z]+,\\s*\\d{1,2}-${MONTH}-\\d{2}(?:\\d{2})?\\s+${TIME}(?:\\s+(${ZONE})${COMMENT})?,?$`,
    `^(?:[A-Za-z]{3}\\s+)?${MONTH}\\s+\\d{1,2}\\s+${TIME}\\s+\\d{4}(?:\\s+(${ZONE})${COMMENT})?$`,
    `^[A-Za-z]{3}\\s+${MONTH}\\s+\\d{1,2}\\s+${TIME}\\s+(${ZONE})\\s+\\d{4}${COMMENT}$`,
    `^[A-Za-z]{3}\\s+${MONTH}\\s+\\d{1,2}\\s+\\d{4}\\s+${TIME}\\s+(${ZONE})${COMMENT}$`,
  ].join('|'),
  'i',
);

/**
 * Seconds to wait from a Retry-After value: delta-seconds or an HTTP date; undefined if unreadable.
 * A number outside the grammar (`2.5`, `-1`) is still a number of seconds, rounded up and never
 * below 0. Only text with a month, a time of day and a year is read as a date (RFC 9110's three
 * forms, and the near misses servers send: a one-digit day, UTC, +0000): V8's Date.parse reads
 * "2.5", "wait 10" or "May 5" as a date in 2001, which made every retry fire at once (HTTP_DATE).
 */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) return Math.max(0, Math.ceil(Number(text)));
  const form = HTTP_DATE.exec(text);
  if (!form) return undefined;
  // Without a zone (asctime's form, or a server that left it out) a date is GMT, as RFC 9110 says: Date.parse took local time.
  const zoned = form.slice(1).some(Boolean);
  const date = Date.parse(zoned ? text.replace(/,$/, '') : `${text.replace(/,$/, '')} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** A timer that an abort ends early (with the signal's reason), so a retry wait never outlives its call. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The copy a retry sends: as the call makes it (`resent`), else following the call's own signal. A
 * bare clone follows the first request's signal through a WeakRef (undici), so once nothing held
 * that request a garbage collection left the retry's exchange open past the call's abort.
 */
function resent(copy: Request, call: RetriedCall | undefined): Request {
  if (call?.resent) return call.resent(copy);
  // Copied with Request itself (a caller's own class may take only a URL); another library's is sent as it is.
  return call?.signal && copy instanceof Request ? new Request(copy, { signal: call.signal }) : copy;
}

/** RFC 9110 §9.2.2's idempotent methods (TRACE aside): sent twice, they do what sending once does. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Whether a refused request may be sent again. A 429 or 503 does not promise the server did
 * nothing, so a POST or PATCH resent may act twice, and so may a PUT that a vendor made act on
 * each send (Perx plays a game with one: `notActingOnce`, CLIENT-217), unless it carries an
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header), which the server answers once for,
 * or asks for a token (`asksForToken`), which only issues another.
 * An empty or blank one (`key ?? ''`; Headers trims it to '') names no key to answer once for (CLIENT-215).
 */
const mayResend = (request: Request, notActingOnce: OperationTest, asksForToken: OperationTest): boolean =>
  IDEMPOTENT.has(request.method) ? !notActingOnce(request.method, request.url) || !!request.headers.get('idempotency-key') : !!request.headers.get('idempotency-key') || asksForToken(request.method, request.url);

type OperationTest = (method: string, url: string) => boolean;

/**
 * Resends a request the vendor refused for now (429, 503) after the wait its Retry-After asks
 * for, when `mayResend` allows it. Used by the clients' `retry` option and by the contract suite
 * against sandboxes, which must back off as the vendor asks rather than report its 429s as drift:
 * both follow one rule on what may be sent twice.
 */
export function honourRetryAfter(fetch: Fetch, options: RetryAfterOptions = {}): (request: Request, call?: RetriedCall) => Promise<Response> {
  const maxRetries = options.maxRetries ?? 3;
  const on = options.on ?? [429];
  const maxWait = options.maxWaitSeconds ?? 60;
  const wait = options.sleep ?? sleep;
  const notActingOnce = operationTest(options.notIdempotent);
  const asksForToken = operationTest(options.issuesToken);
  return async (request, call) => {
    if (!mayResend(request, notActingOnce, asksForToken)) return fetch(request);
    const template = request.clone();
    let response = await fetch(request);
    for (let retry = 1; retry <= maxRetries && on.includes(response.status); retry++) {
      const seconds = retryAfterSeconds(response.headers.get('retry-after'));
      const ms =
        seconds !== undefined ? seconds * 1000 : options.fallbackDelayMs !== undefined ? options.fallbackDelayMs * 2 ** (retry - 1) : undefined;
      if (ms === undefined || ms > maxWait * 1000) break;
      // A wait the call's deadline would cut short only turns the vendor's answer into a timeout.
      if (call?.deadlineAt !== undefined && performance.now() + ms >= call.deadlineAt) break;
      options.log?.(
        `${response.status} from ${new URL(request.url).pathname}: waiting ${ms / 1000}s${seconds !== undefined ? ' as Retry-After asks' : ''} (retry ${retry}/${maxRetries})`,
      );
      // The refused answer's body is not needed; release its connection before waiting.
      await letGo(response);
      const signal = call?.signal ?? request.signal;
      await wait(ms, signal);
      if (signal.aborted) throw signal.reason;
      response = await fetch(resent(template.clone(), call));
    }
    return response;
  };
}

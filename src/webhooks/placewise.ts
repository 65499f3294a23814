/**
 * Placewise MPC member-change webhooks: what a receiver needs to trust and read one.
 *
 * MPC signs nothing: each request carries the subscription's secret token in `X-Secret-Token`
 * (spec: webhooks memberChangesV2 / memberChangesV1). The payload is checked with the validators
 * the build generated from the spec (generated/placewise/webhooks.validate.js), so nothing is
 * compiled at run time and the package needs no validator library.
 */
import type { webhooks } from '../../generated/placewise/schema.js';
import { examples, MAX_ERRORS, validators, type WebhookValidator } from '../../generated/placewise/webhooks.validate.js';
import { ConfigError } from '../errors.js';
import { ruleText, schemaProblem } from '../guard/schema-problem.js';
import { measureJson } from '../json-shape.js';
import { asSentInHeader, HEADER_RULE, kindOf, unsendableInHeader } from '../options.js';
import { WebhookError, type WebhookProblem } from './errors.js';

type RequestBodyOf<W extends keyof webhooks> = NonNullable<webhooks[W]['post']>['requestBody'] extends { content: { 'application/json': infer B } } ? B : never;

/** A v2 member-changes notification (the current format). */
export type PlacewiseMemberChangesV2 = RequestBodyOf<'memberChangesV2'>;
/** A v1 member-changes notification (deprecated by the vendor, still sent to v1 subscriptions). */
export type PlacewiseMemberChangesV1 = RequestBodyOf<'memberChangesV1'>;
/** What verifyPlacewiseWebhook returns: tell the two apart by `version`. */
export type PlacewiseWebhookPayload = PlacewiseMemberChangesV2 | PlacewiseMemberChangesV1;

export const PLACEWISE_TOKEN_HEADER = 'X-Secret-Token';

/** The spec's webhook for each notification format (`event_schema_version` of the subscription). */
export const PLACEWISE_WEBHOOKS = { 2: 'memberChangesV2', 1: 'memberChangesV1' } as const;
export type PlacewiseSchemaVersion = keyof typeof PLACEWISE_WEBHOOKS;

/** The documented examples by webhook and name (validated by the build). */
export const placewiseWebhookExamples = examples as Record<(typeof PLACEWISE_WEBHOOKS)[PlacewiseSchemaVersion], Record<string, unknown>>;

/**
 * The largest streamed body kept by default, once the token matched: 64 MiB, some 55,000 events
 * (one is 1–3 kB). MPC sets no limit on a notification's events and drops a delivery refused with
 * a 4xx for good, so the limit only bounds what a sender holding the secret can make a receiver hold.
 */
export const PLACEWISE_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Headers read by name, case-insensitively: Fetch's `Headers`, or another fetch library's. */
export interface HeadersLike {
  get(name: string): string | null | undefined;
}

/** Headers as Fetch has them, as another fetch library has them, or as Node's http module / most frameworks hand them over. */
export type WebhookHeaders = Headers | HeadersLike | Map<string, string | string[] | undefined> | Record<string, string | string[] | undefined>;

export interface RawWebhook {
  headers: WebhookHeaders;
  /** The raw body, exactly as received (do not run a JSON body parser first). */
  body: string | Uint8Array;
}

/**
 * A Request from another fetch library (node-fetch, a framework's own): headers with `get()` and
 * a body that is a web stream, a Node stream, bytes or null. Only as much of it is read as the limit allows.
 */
export interface RequestLike {
  headers: HeadersLike;
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string> | Uint8Array | string | null;
  bodyUsed?: boolean;
  text(): Promise<string>;
}

export interface VerifyOptions {
  /**
   * Refuse a streamed body (a Request's) larger than this many bytes as `too-large` (413), read to
   * its end and dropped; default PLACEWISE_MAX_BODY_BYTES (64 MiB). A raw body given as text or
   * bytes is in memory already and is not limited. MPC does not retry a 4xx: set it above your
   * largest bulk change. What comes past the limit is read and dropped up to 16 MiB more, then
   * no more is read: a body that never ends is refused too.
   */
  maxBodyBytes?: number | undefined;
  /**
   * Ends the wait for the body: a sender that trickles bytes, or stops sending without closing,
   * holds a read no size limit ends. Aborted, the verification rejects with the signal's reason;
   * aborted already, it does so whatever the body, as fetch does.
   * For example `AbortSignal.timeout(30_000)`.
   */
  signal?: AbortSignal | undefined;
}

/**
 * Checks a member-change notification and returns its payload, typed.
 *
 * Takes a Fetch `Request` (or one from another fetch library) or the raw headers and body from
 * any framework. The token is checked from the headers alone, before any of a Request's body is
 * read, and at most `maxBodyBytes` of it are read then. Refuses with a WebhookError whose `reason`
 * is `missing-token`, `wrong-token` (compared in constant time), `too-large`, `not-json` or
 * `schema` (naming the JSON pointer and rule); answer the sender with the error's `status`. A
 * missing, blank or unsendable `secret` is a ConfigError: check it when your receiver starts.
 */
export async function verifyPlacewiseWebhook(input: Request | RequestLike | RawWebhook, secret: string, options: VerifyOptions = {}): Promise<PlacewiseWebhookPayload> {
  // A receiver's configuration, not a sender's fault: unset, it fails every delivery (a 500, which
  // MPC retries for 20 days), so the error says what to set. Blank is unset: a blank token would match it.
  if (typeof secret !== 'string' || asSentInHeader(secret) === '') {
    throw new ConfigError('placewise webhook', 'secret', `must be the subscription's secret token, a non-empty string (got ${typeof secret === 'string' ? 'a blank string' : kindOf(secret)}): set PLACEWISE_WEBHOOK_SECRET, or whichever variable your receiver reads it from`);
  }
  // No sender can put such a secret in a header, so every delivery would be refused 401, which MPC drops for good.
  if (unsendableInHeader(secret)) throw new ConfigError('placewise webhook', 'secret', `${HEADER_RULE}; no sender can send it as ${PLACEWISE_TOKEN_HEADER}`);
  const limit = options.maxBodyBytes ?? PLACEWISE_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ConfigError('placewise webhook', 'maxBodyBytes', `must be a whole number of bytes, 1 or more (got ${typeof limit === 'number' ? limit : kindOf(limit)})`);
  const { headers, body } = received(input);

  // From the headers alone: an unauthenticated request's body is never read.
  const token = headerValue(headers, PLACEWISE_TOKEN_HEADER);
  if (token === undefined || token === '') throw new WebhookError('placewise', 'missing-token', `the ${PLACEWISE_TOKEN_HEADER} header is missing`);
  // Compared as a header carries it: whitespace at the ends is not sent (a secret read from a
  // file ends with a newline, which fetch trims from the header the sender sends).
  if (!(await sameSecret(asSentInHeader(token), asSentInHeader(secret)))) {
    throw new WebhookError('placewise', 'wrong-token', `the ${PLACEWISE_TOKEN_HEADER} header does not match the secret`);
  }

  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new ConfigError('placewise webhook', 'signal', `must be an AbortSignal (got ${kindOf(options.signal)})`);
  // Whatever the body, as fetch does: a body in memory is never waited for, but an aborted signal still says stop.
  options.signal?.throwIfAborted();
  const payload = parseJson(await readBody(body, limit, options.signal));
  return validatePlacewisePayload(payload);
}

/**
 * Validates a notification payload against the spec (v1 when `version` is 1, else v2) and returns
 * it typed; throws a WebhookError with reason `schema` otherwise.
 */
export function validatePlacewisePayload(payload: unknown): PlacewiseWebhookPayload {
  const webhook = PLACEWISE_WEBHOOKS[versionOf(payload)];
  const problems = problemsOf(webhook, payload);
  if (problems.length === 0) return payload as PlacewiseWebhookPayload;
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more${problems.length >= MAX_ERRORS ? ', counting stopped there' : ''})` : '';
  throw new WebhookError('placewise', 'schema', `payload breaks the ${webhook} schema at ${first.pointer || '(root)'}: ${first.message} (rule ${first.rule})${more}`, { problems });
}

/**
 * A payload's problems, at most MAX_ERRORS of them: the generated validators stop there, inside one
 * event too. Collecting every error, a million broken events made four million (1 GB, 22 s), and
 * one event of 5 million bad fields made 5 million (1 GB, 10 s).
 */
function problemsOf(webhook: (typeof PLACEWISE_WEBHOOKS)[PlacewiseSchemaVersion], payload: unknown): WebhookProblem[] {
  const validate: WebhookValidator = validators[webhook];
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => ({ pointer: schemaProblem(e).path, rule: e.keyword, message: ruleText(e) }));
}

function versionOf(payload: unknown): PlacewiseSchemaVersion {
  return typeof payload === 'object' && payload !== null && (payload as { version?: unknown }).version === 1 ? 1 : 2;
}

type Body = RequestLike['body'] | undefined;

/** The headers and the body, not yet read. */
function received(input: Request | RequestLike | RawWebhook): { headers: unknown; body: Body } {
  if (typeof input !== 'object' || input === null || !('headers' in input)) throw new TypeError('placewise webhook: pass a Request or { headers, body }');
  // Any fetch library's Request has text(); its body may be a stream.
  if (typeof (input as Partial<RequestLike>).text === 'function') {
    if ((input as Partial<RequestLike>).bodyUsed === true) {
      throw new TypeError('placewise webhook: the Request body was already read; verify the Request before reading its body (or pass { headers, body } with the raw body)');
    }
    // A stream another reader holds (a middleware's getReader()): reading it threw a bare "Invalid state: ReadableStream is locked".
    if ((input as { body?: { locked?: unknown } }).body?.locked === true) {
      throw new TypeError('placewise webhook: the Request body is locked to another reader (something called getReader() on it); verify the Request before anything reads its body (or pass { headers, body } with the raw body)');
    }
    return { headers: input.headers, body: (input as RequestLike).body };
  }
  if (!('body' in input)) {
    // node:http's request (Express's without a body parser) is a stream with headers and no `body`:
    // the plain "pass a Request" left a Node receiver's author guessing what to pass instead.
    if (Symbol.asyncIterator in input) {
      throw new TypeError('placewise webhook: a Node request (IncomingMessage) is not a fetch Request: pass { headers: req.headers, body } with its raw body read to the end (a Buffer)');
    }
    throw new TypeError('placewise webhook: pass a Request or { headers, body }');
  }
  const { headers, body } = input as { headers: unknown; body: unknown };
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError(`placewise webhook: body must be the raw body (string, Buffer or Uint8Array), got ${body === null ? 'null' : typeof body}; read it before any JSON body parser`);
  }
  return { headers, body };
}

/** A header's value (a token sent twice is two values joined, not one token), or undefined. */
function headerValue(headers: unknown, name: string): string | undefined {
  // A list (Node's req.rawHeaders, Fetch's [name, value] pairs) read as an object has no header named X-Secret-Token:
  // every delivery was refused as missing-token, a 401 MPC drops for good, though the token was there.
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    const hint = Array.isArray(headers) ? '; pass req.headers, not req.rawHeaders, or new Headers(pairs)' : '';
    throw new TypeError(`placewise webhook: headers must be a Headers, a Map or an object of header names to values (got ${kindOf(headers)}${hint})`);
  }
  const wanted = name.toLowerCase();
  let entries: Iterable<[unknown, unknown]>;
  // A Map's get() is case-sensitive; a Headers' (any library's) is not.
  if (headers instanceof Map) entries = headers;
  else if (typeof (headers as HeadersLike).get === 'function') return headerText((headers as HeadersLike).get(name), name);
  else entries = Object.entries(headers);
  // Every spelling of the name: `x-secret-token` and `X-Secret-Token` in one object are the header sent twice, not one token.
  const values: string[] = [];
  for (const [key, value] of entries) {
    if (String(key).toLowerCase() !== wanted || value === undefined || value === null) continue;
    const text = headerText(value, name);
    if (text !== undefined) values.push(text);
  }
  return values.length ? values.join(', ') : undefined;
}

function headerText(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  // Node joins repeated headers into an array; a token sent twice is not one token.
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.length === 1 ? value[0] : value.join(', ');
  throw new TypeError(`placewise webhook: header ${name} must be a string or a list of strings (got ${kindOf(value)})`);
}

const tooLarge = (limit: number) => new WebhookError('placewise', 'too-large', `the body is larger than ${limit} bytes`);
/** How much past the limit is read and dropped, so the sender gets the 413 and not a reset; then reading stops. */
const DRAINED_PAST_LIMIT = 16 * 1024 * 1024;
/** Deeper JSON than this is refused: a receiver's next JSON.stringify or structuredClone of it throws a RangeError (the mock's bound too). */
const MAX_DEPTH = 64;

/**
 * The body, read to its end; past `limit` bytes, what comes is dropped and the body refused.
 * Read to the end even then: a stream cancelled under a request (undici's from Node's, as
 * @hono/node-server makes it) threw an uncaught "Controller is already closed" on the next chunk,
 * and a Node stream ended early took the connection with it, so the sender got a reset, not the 413.
 */
async function readBody(body: Body, limit: number, signal?: AbortSignal): Promise<string | Uint8Array> {
  if (body === undefined || body === null) return '';
  // In memory already: refusing it would bound nothing.
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  // Copied into one buffer that doubles as it fills: a body in one-byte chunks kept a chunk object per byte (240 bytes each).
  let kept = new Uint8Array(0);
  let size = 0;
  /** Takes a chunk; false once enough past the limit was dropped: reading stops there. */
  const take = (chunk: unknown): boolean => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`placewise webhook: the Request body must give bytes or text, got ${kindOf(bytes)}`);
    const at = size;
    size += bytes.byteLength;
    if (size > limit) {
      kept = new Uint8Array(0);
    } else {
      if (size > kept.length) {
        const grown = new Uint8Array(Math.min(limit, Math.max(size, kept.length * 2, 64 * 1024)));
        grown.set(kept.subarray(0, at));
        kept = grown;
      }
      kept.set(bytes, at);
    }
    return size <= limit + DRAINED_PAST_LIMIT;
  };
  await racingSignal(signal, async (next) => {
    if ('getReader' in body && typeof body.getReader === 'function') {
      const reader = body.getReader();
      // Not cancelled when reading stops: a stream cancelled under a request (@hono/node-server's) threw on its next chunk.
      for (let chunk = await next(reader.read()); !chunk.done && take(chunk.value); chunk = await next(reader.read()));
    } else if (Symbol.asyncIterator in body) {
      const pieces = body[Symbol.asyncIterator]();
      try {
        for (let piece = await next(pieces.next()); !piece.done && take(piece.value); piece = await next(pieces.next()));
      } finally {
        // Stopped early (past the drain, or aborted): a Node stream is let go, as a for-await's break would.
        void pieces.return?.()?.catch?.(() => undefined);
      }
    } else {
      throw new TypeError(`placewise webhook: the Request body must be a stream, bytes, text or null, got ${kindOf(body)}`);
    }
  });
  if (size > limit) throw tooLarge(limit);
  return kept.subarray(0, size);
}

/**
 * Runs `read` with each of its reads raced against `signal` (`next`): aborted, it rejects with the
 * signal's reason. The caller refused a signal aborted already.
 */
async function racingSignal<T>(signal: AbortSignal | undefined, read: (next: <R>(pending: Promise<R>) => Promise<R>) => Promise<T>): Promise<T> {
  if (!signal) return read((pending) => pending);
  // The current read's reject, not a race with one promise that never settles: each race left a
  // reaction on it holding that read's chunk until the body ended (1.2 GB for a drained body).
  let rejectRead: ((reason: unknown) => void) | undefined;
  const stopWaiting = waitForAbort(signal, (reason) => rejectRead?.(reason));
  try {
    return await read(<R>(pending: Promise<R>) =>
      new Promise<R>((resolve, reject) => {
        // Aborted in a microtask after the last read settled, the listener found no read to reject
        // and fired once: the next read would have waited for ever on a body that stalled.
        if (signal.aborted) return reject(signal.reason);
        rejectRead = reject;
        pending.then(resolve, reject);
      }),
    );
  } finally {
    rejectRead = undefined;
    stopWaiting();
  }
}

/** The verifications reading with each signal, and the one listener that tells them all of its abort. */
const reading = new WeakMap<AbortSignal, { onAbort: () => void; aborted: Set<(reason: unknown) => void> }>();

/**
 * Calls `aborted` when `signal` aborts, until the returned function is called. One listener per
 * signal, however many verifications use it at once: a listener each made Node warn of a leak
 * past 10 at once (MaxListenersExceededWarning), and raising the signal's limit would silence
 * that warning for the receiver's own listeners too. The listener goes with the last of them:
 * one signal may serve a receiver's every verification, and a listener left per call made each
 * slower than the last.
 */
function waitForAbort(signal: AbortSignal, aborted: (reason: unknown) => void): () => void {
  let waiting = reading.get(signal);
  if (!waiting) {
    const calls = new Set<(reason: unknown) => void>();
    waiting = { onAbort: () => calls.forEach((call) => call(signal.reason)), aborted: calls };
    reading.set(signal, waiting);
    signal.addEventListener('abort', waiting.onAbort, { once: true });
  }
  const { onAbort, aborted: calls } = waiting;
  calls.add(aborted);
  return () => {
    if (!calls.delete(aborted) || calls.size > 0) return;
    signal.removeEventListener('abort', onAbort);
    reading.delete(signal);
  };
}

/**
 * Constant-time comparison: both sides are hashed first, so the compared digests always have the
 * same length and the time taken says nothing about the secret (not even its length). Web Crypto,
 * which Node, browsers and edge runtimes all have: a bundler follows even a deferred
 * `import('node:crypto')`, and a browser build of the Placewise entry failed on it.
 */
async function sameSecret(received: string, secret: string): Promise<boolean> {
  const digest = async (value: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
  const [a, b] = await Promise.all([digest(received), digest(secret)]);
  let differ = 0;
  for (let i = 0; i < a.length; i++) differ |= a[i]! ^ b[i]!;
  return differ === 0;
}

function parseJson(body: string | Uint8Array): unknown {
  let text: string;
  try {
    // The decoder drops a byte order mark; a string that starts with one is read the same way.
    text = typeof body === 'string' ? body.replace(/^\uFEFF/, '') : new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (cause) {
    throw new WebhookError('placewise', 'not-json', 'the body is not UTF-8 text', { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new WebhookError('placewise', 'not-json', `the body is not JSON (${(cause as Error).message}): ${JSON.stringify(shown)}`, { cause });
  }
  // Measured on the text, which JSON.parse has just read whole: walking the parsed value again cost
  // as much as the parse (a million consents: 2 s of 6, and most of the garbage). A key given twice
  // counts as sent, though the parse keeps only the last.
  const { depth } = measureJson(text);
  if (depth > MAX_DEPTH) throw new WebhookError('placewise', 'too-large', `the body nests ${depth} levels deep; at most ${MAX_DEPTH} are read (JSON.stringify of it would throw)`);
  return parsed;
}

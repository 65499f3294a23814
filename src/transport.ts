/**
 * The fetch under a vendor's clients: the caller's fetch held to answering with a Response, the
 * recording and the retries, each only when its option is set, and the Requests kept reachable
 * while their answers are read.
 */
import { asRequest, CallRequest, type Fetch } from './call-request.js';
import type { CommonOptions } from './client.js';
import { ConfigError, RequestError } from './errors.js';
import { maskedError } from './masked-error.js';
import { kindOf } from './options.js';
import { afterScheme, createCredentialMask, isCredentialName, recordBodyLimit, type RecordEntry } from './record/har.js';
import { honourRetryAfter, retryRulesOf } from './retry.js';
import type { SpecOperation } from './spec-operations.js';
import { findVendor } from './vendors.js';

/** What the transport needs to know of the call an exchange belongs to (see `transport`). */
export interface CallContext {
  /** When the call must be over (performance.now() time): retries skip a wait it would cut short. */
  deadlineAt: number;
  /** The call's own signal: a retry is not sent once it aborts, whatever the Request follows. */
  signal: AbortSignal;
  /** Makes a retry's copy into the request the call sends (its signal, the caller's per-call `dispatcher`): see `RetriedCall.resent`. */
  resent?: (copy: Request) => Request;
  /** Told of each answer the transport hands on, for a recording call to settle their entries as it ends. */
  answered?: (response: Response) => void;
}

/** The fetch under a vendor's clients, told which call an exchange belongs to when it matters (retries, a streamed recording). */
export type Transport = (request: Request, call?: CallContext) => Promise<Response>;

/** The default fetch: a CallRequest goes as fetch(url, init), so only one Request is built per call. */
export const send: Fetch = (request) => {
  const call = CallRequest.of(request);
  return call ? globalThis.fetch(call.url, call.init()) : globalThis.fetch(request);
};

/**
 * The fetch under a vendor's clients (its token requests included): the caller's fetch, with
 * each exchange recorded when `record` is set, and refused calls that may be sent again
 * (`mayResend`) retried when `retry` is set. Without any of them it is the plain fetch: nothing
 * is paid for what is not used.
 */
export function transport(vendor: string, options: CommonOptions, secrets: string[] = []): Transport {
  if (!options.fetch && !options.record && !options.retry) return send;
  // A recording reads a copy of each answer: a test double's must be able to make one.
  const base = holding(options.fetch ? answering(vendor, options.fetch, secrets, options.record ? 'record' : undefined) : send);
  // What the caller's fetch, the recording and the retries see is a real Request.
  const info = findVendor(vendor);
  const sender: Fetch = options.record ? recordingOnFirstUse(base, options.record, secrets, info?.tokenOperations) : base;
  const { retry } = options;
  const retryingWith = (send: Fetch) =>
    honourRetryAfter(send, { maxRetries: retry!.retries, on: retry!.on ?? [429, 503], maxWaitSeconds: retry!.maxWaitSeconds ?? 60, fallbackDelayMs: 250, ...retryRulesOf(info) });
  const retrying = retry && retryingWith(sender);
  return (request, call) => {
    const sent = asRequest(request);
    const told = call?.answered;
    // A call that is told of its answers sends through a fetch of its own that tells it.
    const send: Fetch = told ? async (r) => { const response = await sender(r); told(response); return response; } : sender;
    if (!retry) return send(sent);
    return (told ? retryingWith(send) : retrying!)(sent, { deadlineAt: call?.deadlineAt, signal: call?.signal, resent: call?.resent });
  };
}

/**
 * The recording fetch, loaded on the first exchange (as the guard's validators are on the first
 * guarded call): a client that records nothing does not ship it (CLIENT-231). Its body limit is
 * checked as the client is made, as it was when the recording fetch was made with the client.
 */
function recordingOnFirstUse(fetch: Fetch, record: RecordEntry, secrets: string[], tokenOperations?: readonly SpecOperation[]): Fetch {
  const limit = recordBodyLimit(record);
  let loading: Promise<Fetch> | undefined;
  let loaded: Fetch | undefined;
  return (request) =>
    loaded
      ? loaded(request)
      : (loading ??= import('./record/recording-fetch.js').then(({ recordingFetch }) => (loaded = recordingFetch(fetch, record, secrets, limit, undefined, tokenOperations)))).then((recording) => recording(request));
}

/** Each Request sent, kept while its Response is read: see `holding`. */
const sentFor = new WeakMap<Response, Request>();
/** The call is over and its body read: its Request (and the body it holds) may go (CLIENT-54). */
export const release = (response: Response | undefined) => response && sentFor.delete(response);

/**
 * The fetch, with each Request it is given kept reachable while its Response is read (until the
 * call releases it). undici follows a Request's signal through a WeakRef only: once nothing else
 * held the Request, a garbage collection cut the call's abort off from the body still being read
 * (CLIENT-53).
 */
function holding(fetch: Fetch): Fetch {
  return async (request) => {
    // A Response: the caller's fetch is held to answering one (`answering`) before this sees it.
    const response = await fetch(request);
    sentFor.set(response, request);
    return response;
  };
}

/**
 * The caller's fetch, held to answering with a Response: a test double that resolves to nothing,
 * or to a plain object, fails here with the option named, not as "Cannot read properties of
 * undefined" from inside openapi-fetch. Any Response-like object passes (node-fetch's, a polyfill's).
 * What it throws is passed on as it is, with the credentials it quotes masked: node-fetch's errors
 * quote the URL, and Footprints' token with it.
 */
export function answering(vendor: string, fetch: Fetch, secrets: string[], copiedFor?: string): Fetch {
  return async (request) => {
    let response: unknown;
    try {
      response = await fetch(request);
    } catch (error) {
      // openapi-fetch takes a rejection with nothing (a wrapper's bare `reject()`), '' or 0 for no
      // failure, and went on to read the headers of an answer that never came: a TypeError naming
      // no vendor or call. Named here, as any failure of the fetch option is.
      if (!error) throw new RequestError(vendor, `${request.method} ${new URL(request.url).pathname}`, `failed in the fetch option, which rejected with ${error === '' ? "''" : String(error)}, not an error`);
      // The request's own credentials too: a Perx or Footprints token, issued after the client was made, is quoted where the request is.
      const mask = createCredentialMask([...secrets, ...carried(request)]);
      throw maskedError(error, mask.text, (message) => new RequestError(vendor, `${request.method} ${new URL(request.url).pathname}`, `failed in the fetch option: ${message}`));
    }
    if (!isResponseLike(response)) throw new ConfigError(vendor, 'fetch', `must resolve to a Response (got ${kindOf(response)}${typeof response === 'object' && response !== null ? ` without ${lacking(response as Response)}` : ''})`);
    const missing = copiedFor ? copyingNeeds(response as Response) : undefined;
    if (missing) throw new ConfigError(vendor, 'fetch', `must resolve to a Response with clone(), arrayBuffer() and iterable headers, which ${copiedFor} needs (got an object without ${missing})`);
    return response as Response;
  };
}

/** What a recording reads of an answer that this one lacks, if anything: it copies the answer and lists its headers. */
function copyingNeeds(response: Response): string | undefined {
  if (typeof response.clone !== 'function') return 'clone()';
  if (typeof response.arrayBuffer !== 'function') return 'arrayBuffer()';
  if (typeof (response.headers as unknown as Iterable<unknown>)[Symbol.iterator] !== 'function') return 'iterable headers';
  return undefined;
}

/** The credentials a request carries in its headers: each value, and the token after its scheme ("Bearer <token>"). */
function carried(request: Request): string[] {
  const values: string[] = [];
  request.headers.forEach((value, name) => {
    if (!isCredentialName(name)) return;
    values.push(value);
    const token = afterScheme(value);
    if (token) values.push(token);
  });
  return values;
}

/** What of isResponseLike's parts an object lacks, named: a double with a status and headers but no text() was told it had none of them. */
function lacking(response: Response): string {
  const missing = [
    typeof response.status === 'number' ? '' : 'a numeric status',
    typeof response.headers?.get === 'function' ? '' : 'headers.get',
    typeof response.text === 'function' ? '' : 'text()',
  ].filter(Boolean);
  return missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : missing[0]!;
}

// openapi-fetch reads a body with text(), json(), blob(), arrayBuffer() or body, by parseAs: text() stands for them.
const isResponseLike = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Response).status === 'number' &&
  typeof (value as Response).headers?.get === 'function' &&
  typeof (value as Response).text === 'function';

import createClient, { defaultBodySerializer, type Middleware } from 'openapi-fetch';
import { untilAborted } from './abortable.js';
import { bracketQuery, plainQuery } from './bracket-query.js';
import { checkCall } from './call-options.js';
import { CallAbort } from './call-abort.js';
import { CallRequest, asRequest, type Fetch } from './call-request.js';
import { startDeadline } from './deadline.js';
import { ConfigError, ContractViolationError, RequestError, TimeoutError } from './errors.js';
import { FormFieldError, toFormBody } from './form.js';
import type { OperationTable, ValidatorModule } from './guard/table.js';
import { judgeResponse, mediaTypeOf, schemaProblem, statusKeys, type ContractViolation } from './guard/violation.js';
import { letGo } from './let-go.js';
import { maskedError } from './masked-error.js';
import { notify } from './observer.js';
import { DEFAULT_TIMEOUT_MS, isHttpToken, kindOf } from './options.js';
import { fillPath } from './path-template.js';
import { createCredentialMask, isCredentialName, recorded, recordingFetch, TOO_DEEP_TO_SHOW, type HarEntry } from './record/har.js';
import { honourRetryAfter } from './retry.js';
import { streamedBody } from './streamed-body.js';
import { findVendor } from './vendors.js';

import type { VendorClient } from './typed-client.js';

export type { Middleware, VendorClient };
/** The client type of every vendor (see typed-client.ts for why it is not openapi-fetch's `Client`). */
export type Client<Paths extends {}> = VendorClient<Paths>;
export type { Fetch };

export interface RetryOptions {
  /** Retries after the first refused answer (0–10). */
  retries: number;
  /** Statuses to retry (default [429, 503]). */
  on?: number[];
  /** A Retry-After longer than this (seconds, default 60) is not waited for: the answer is returned. */
  maxWaitSeconds?: number;
}

export interface CommonOptions {
  /** The vendor's base URL; defaults to the first server of the vendor's spec. */
  baseUrl?: string;
  /** A fetch implementation (tests, proxies); defaults to globalThis.fetch. */
  fetch?: Fetch;
  /**
   * Longest a call may take, in ms, including the token request made for it, its retries and
   * reading its body (default 30000). A call that takes longer throws a TimeoutError.
   */
  timeoutMs?: number;
  /** Retry idempotent calls (GET, HEAD, OPTIONS, PUT, DELETE) on these statuses, honouring Retry-After. */
  retry?: RetryOptions;
  /**
   * The contract guard: check each response against the operation's documented statuses,
   * content types and response schema. 'report' hands violations to `onViolation`; 'throw' also
   * throws a ContractViolationError. Default 'off'.
   */
  validate?: 'off' | 'report' | 'throw';
  /** Receives each violation. If it throws (or rejects), that is reported on the console and the call goes on. */
  onViolation?: (violation: ContractViolation) => void;
  /** Fraction of calls the guard checks (0–1, default 1). */
  sample?: number;
  /**
   * Receives every HTTP exchange (token requests too) as a HAR entry, credentials redacted. If it
   * throws (or rejects), that is reported on the console and the call goes on.
   */
  record?: (entry: HarEntry) => void;
}

/** The spec's first server URL with its variables filled (given values first, then defaults). */
export function defaultBaseUrl(vendor: string, values: Record<string, string> = {}): string {
  const server = findVendor(vendor)?.servers[0];
  if (!server) throw new Error(`${vendor}: the bundled spec declares no server; pass baseUrl`);
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? server.variables?.[name]?.default ?? '');
}

export interface VendorClientSetup {
  vendor: string;
  options: CommonOptions;
  /**
   * Headers on every request: credentials and headers the vendor requires. A call's own headers
   * override them. Fixed headers go here rather than into a middleware, which costs every call.
   */
  headers?: Record<string, string>;
  middleware?: Middleware[];
  /** Form-encoded APIs: bodies are sent as bracketed form fields with the form content type. */
  form?: boolean;
  /** Query objects may hold lists, written with brackets (`properties[gender][]=man`, see bracket-query.ts). */
  bracketLists?: boolean;
  baseUrl?: string;
  /** Loads the vendor's generated response validators; only called once the guard is on. */
  validators?: () => Promise<ValidatorModule>;
  /** Credential values to mask in recordings (the redactor also masks tokens it sees issued) and in errors. */
  secrets?: string[];
  /** The tokens calls carry or carried lately (Perx, Footprints): masked where a vendor echoes one into an error. */
  issued?: () => string[];
  /** The fetch every exchange goes through (see `transport`); built from the options when absent. */
  transport?: Transport;
}

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

// openapi-fetch labels every body as JSON, even the URLSearchParams a form serializer returns.
// (A FormData body keeps the multipart type fetch gives it: a Request has it already, a CallRequest
// gets it when sent.)
const formContentType: Middleware = {
  onRequest({ request }) {
    const call = CallRequest.of(request);
    const multipart = call ? call.body instanceof FormData : request.headers.get('Content-Type')?.startsWith('multipart/form-data');
    if (request.body && !multipart) request.headers.set('Content-Type', 'application/x-www-form-urlencoded');
    return request;
  },
};

/**
 * The body serializer, its failures (a BigInt, a circular object, an invalid Date) a ConfigError
 * naming `body`: they were TypeErrors from JSON.stringify, naming nothing. A form field that
 * cannot be sent is named as the form names it (`body.customDetails[birthday]`).
 */
type Serializer = (body: unknown, headers?: unknown) => any;
function checkedSerializer(vendor: string, serialize: Serializer, as: string): Serializer {
  return (body, headers) => {
    try {
      return serialize(body, headers);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      if (error instanceof FormFieldError) throw new ConfigError(vendor, error.field ? `body.${error.field}` : 'body', error.rule);
      throw new ConfigError(vendor, 'body', `must be serialisable as ${as}: ${String((error as Error).message).split('\n')[0]}`);
    }
  };
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** The default fetch: a CallRequest goes as fetch(url, init), so only one Request is built per call. */
const send: Fetch = (request) => {
  const call = CallRequest.of(request);
  return call ? globalThis.fetch(call.url, call.init()) : globalThis.fetch(request);
};

/**
 * The fetch under a vendor's clients (its token requests included): the caller's fetch, with
 * each exchange recorded when `record` is set, and refused idempotent calls retried when
 * `retry` is set. Without any of them it is the plain fetch: nothing is paid for what is not used.
 */
export function transport(vendor: string, options: CommonOptions, secrets: string[] = []): Transport {
  if (!options.fetch && !options.record && !options.retry) return send;
  // A recording reads a copy of each answer: a test double's must be able to make one.
  const base = holding(options.fetch ? answering(vendor, options.fetch, secrets, options.record ? 'record' : undefined) : send);
  // What the caller's fetch, the recording and the retries see is a real Request.
  const sender: Fetch = options.record ? recordingFetch(base, options.record, secrets) : base;
  const { retry } = options;
  const retryingWith = (send: Fetch) =>
    honourRetryAfter(send, { maxRetries: retry!.retries, on: retry!.on ?? [429, 503], maxWaitSeconds: retry!.maxWaitSeconds ?? 60, fallbackDelayMs: 250 });
  const retrying = retry && retryingWith(sender);
  return (request, call) => {
    const sent = asRequest(request);
    const told = call?.answered;
    // A call that is told of its answers sends through a fetch of its own that tells it.
    const send: Fetch = told ? async (r) => { const response = await sender(r); told(response); return response; } : sender;
    if (!retry || !IDEMPOTENT.has(request.method)) return send(sent);
    return (told ? retryingWith(send) : retrying!)(sent, { deadlineAt: call?.deadlineAt, signal: call?.signal, resent: call?.resent });
  };
}

/** Each Request sent, kept while its Response is read: see `holding`. */
const sentFor = new WeakMap<Response, Request>();
/** The call is over and its body read: its Request (and the body it holds) may go (CLIENT-54). */
const release = (response: Response | undefined) => response && sentFor.delete(response);

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
function answering(vendor: string, fetch: Fetch, secrets: string[], copiedFor?: string): Fetch {
  return async (request) => {
    let response: unknown;
    try {
      response = await fetch(request);
    } catch (error) {
      // The request's own credentials too: a Perx or Footprints token, issued after the client was made, is quoted where the request is.
      const mask = createCredentialMask([...secrets, ...carried(request)]);
      throw maskedError(error, mask.text, (message) => new RequestError(vendor, `${request.method} ${new URL(request.url).pathname}`, `failed in the fetch option: ${message}`));
    }
    if (!isResponseLike(response)) throw new ConfigError(vendor, 'fetch', `must resolve to a Response (got ${kindOf(response)}${typeof response === 'object' && response !== null ? ' without status, headers.get and text()' : ''})`);
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
    const token = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(value)?.[1];
    if (token) values.push(token);
  });
  return values;
}

// openapi-fetch reads a body with text(), json(), blob(), arrayBuffer() or body, by parseAs: text() stands for them.
const isResponseLike = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Response).status === 'number' &&
  typeof (value as Response).headers?.get === 'function' &&
  typeof (value as Response).text === 'function';

/**
 * An error body's text, from what openapi-fetch made of it: it reads the text and hands back
 * JSON.parse's result where that works, else the text. So a string that parses as JSON can only
 * have come from a JSON string around it (`"{\"error\":…}"`); any other string is taken as the
 * text, which for a JSON string like `"Unauthorized"` is still judged a violation of an object
 * schema, only by another rule. Reading a copy of the body instead held a 401's body open while
 * the token middleware cancelled it to resend.
 */
function errorText(error: unknown): string | null {
  if (error === undefined) return '';
  if (typeof error !== 'string') {
    try {
      return JSON.stringify(error);
    } catch {
      // Nested deeper than JSON.stringify goes (JSON.parse read it): judged by status and type only.
      return null;
    }
  }
  try {
    JSON.parse(error);
    return JSON.stringify(error);
  } catch {
    return error;
  }
}

/**
 * A call's failure as the caller sees it: when the call's own deadline aborted it (and not the
 * caller), a TimeoutError, whatever fetch or the body stream made of the abort.
 */
function asTimeout(error: unknown, abort: CallAbort, caller: AbortSignal | undefined): unknown {
  const reason: unknown = abort.reason;
  if (!abort.aborted || !(reason instanceof TimeoutError) || caller?.aborted) return error;
  return error === reason ? error : new TimeoutError(reason.vendor, reason.operation, reason.timeoutMs, { cause: error });
}

// Node's events module, where there is one (the clients also run in browsers, which have no such limit).
const events = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:events') as typeof import('node:events') | undefined;

/**
 * One signal for all the calls a request makes (a request-scoped signal) is common, and Node
 * warns of a leak past 10 listeners on it. A raw fetch lifts the limit as undici does; so do calls.
 */
function roomForListeners(signal: AbortSignal): void {
  // A signal that only looks like one (a polyfill's, jsdom's) has no limit of Node's to lift.
  if (events && signal instanceof AbortSignal && events.getMaxListeners(signal) === events.defaultMaxListeners) events.setMaxListeners(1500, signal);
}

// openapi-fetch's own messages, whole: a caller's error that only starts like one is the caller's.
const MIDDLEWARE_REFUSAL = /^(onRequest|onResponse|onError): (must return new Request\(\) or Response\(\) when modifying the request|must return new Response\(\) when modifying the response|must return new Response\(\) or instance of Error)$/;

/**
 * The errors fetch and openapi-fetch throw when no usable answer came, as a RequestError naming
 * the call: undici's "fetch failed" (refused, reset, not HTTP) and "terminated" (cut mid-body),
 * and the SyntaxError of a success body that is not JSON. Anything else (a caller's middleware
 * failing, an abort) is passed on as it is. What undici's error holds (a redirect's URL, with
 * Footprints' token in its query) reaches the RequestError masked.
 */
function asRequestError(error: unknown, vendor: string, operation: string, mask: (text: string) => string): unknown {
  // openapi-fetch refuses what a caller's middleware returned with a plain Error: it is the
  // caller's mistake, a ConfigError naming the hook, as a bad `fetch` option's is.
  const refused = error instanceof Error && error.constructor === Error ? MIDDLEWARE_REFUSAL.exec(error.message) : null;
  if (refused) return new ConfigError(vendor, `middleware ${refused[1]}`, refused[2]!, { cause: error });
  if (error instanceof SyntaxError) {
    // Said of any vendor's operation: which one documents what is not known here.
    const hint = "an operation documented to answer another type (an image, a file, plain text) is read with parseAs: 'blob', 'arrayBuffer', 'text' or 'stream'";
    // V8 quotes the body around the fault, the whole of a short one: a token a vendor echoed with it.
    const masked = maskedError(error, mask, (message) => new SyntaxError(message));
    return new RequestError(vendor, operation, `answered with a body that is not JSON: ${mask(error.message)} (${hint})`, { cause: masked });
  }
  if (!(error instanceof TypeError) || !(error.message === 'fetch failed' || error.message === 'terminated')) return error;
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const why = mask(cause?.message ? `${cause.message}${cause.code && !cause.message.includes(cause.code) ? ` (${cause.code})` : ''}` : error.message);
  const masked = maskedError(error, mask, (message) => new TypeError(message));
  return new RequestError(vendor, operation, error.message === 'terminated' ? `was cut off while its answer arrived: ${why}` : `got no answer: ${why}`, { cause: masked });
}

/**
 * A recording call's answers, their entries written: the final answer and any whose body was read
 * (a middleware that rewrapped it) are waited for; one the call dropped unread (a middleware put
 * another in its place) is let go. Left, its copy read on, and undici, which cancels the body of
 * an answer collected unread, keeps an answer whose exchange follows a signal until it ends: the
 * connection stayed open for as long as the vendor kept it.
 */
async function settled(answers: Response[], final: Response | undefined): Promise<void> {
  await Promise.all(answers.map((response) => (response !== final && !response.bodyUsed && !response.body?.locked ? letGo(response) : undefined)));
  await Promise.all(answers.map(recorded));
}

interface Seen {
  response: Response;
  /** null: a streamed body, not read by the guard. */
  text: string | null;
}

/** An openapi-fetch client for one vendor with its auth middleware, timeouts and the opt-in guard. */
export function createVendorClient<Paths extends {}>(setup: VendorClientSetup): Client<Paths> {
  const { vendor, options } = setup;
  const baseUrl = options.baseUrl ?? setup.baseUrl ?? defaultBaseUrl(vendor);
  const fetch = setup.transport ?? transport(vendor, options, setup.secrets);
  const inner = createClient<Paths>({
    // Paths are appended to the text: a space an environment file left at its end would be sent as "%20".
    baseUrl: baseUrl.trim().replace(/\/+$/, ''),
    fetch,
    // No vendor documents a redirect, and fetch would take credentials it cannot tell are
    // credentials (a custom header, a secret in a body) to wherever one points (CLIENT-11). A
    // call may still ask for `redirect: 'follow'`.
    redirect: 'manual',
    ...(setup.headers ? { headers: setup.headers } : {}),
    querySerializer: setup.bracketLists ? bracketQuery : plainQuery,
    pathSerializer: fillPath,
    // openapi-fetch hands its serializer the call's headers too (typed as taking the body only).
    bodySerializer: checkedSerializer(vendor, setup.form ? toFormBody : (defaultBodySerializer as Serializer), setup.form ? 'form fields' : 'JSON'),
  });
  if (setup.form) inner.use(formContentType);
  inner.use(...(setup.middleware ?? []));
  // Middleware added with use() is the caller's, written for real Requests (see call-request.ts).
  const added: Middleware[] = [];

  // Made on the first failure or violation that needs it (calls that go well pay nothing), and
  // again once the client carries another token.
  let mask: ReturnType<typeof createCredentialMask> | undefined;
  let maskedTokens = '';
  const masking = () => {
    const tokens = setup.issued?.() ?? [];
    if (!mask || tokens.join('\n') !== maskedTokens) [mask, maskedTokens] = [createCredentialMask([...(setup.secrets ?? []), ...tokens]), tokens.join('\n')];
    return mask;
  };
  /** A body as an error shows it: credential fields, known secrets, and credential parameters of URLs in its text. */
  const maskedBody = (body: unknown, contentType: string): unknown => {
    if (body === undefined || body === null) return body;
    const shown = masking();
    if (typeof body === 'string') return shown.text(shown.body(body, contentType));
    try {
      return maskedJson(body, shown);
    } catch (error) {
      // JSON.parse took nesting that JSON.stringify, and the walk below, cannot go back through.
      if (error instanceof RangeError) return TOO_DEEP_TO_SHOW;
      throw error;
    }
  };
  const maskedJson = (body: unknown, shown: ReturnType<typeof masking>): unknown => {
    const masked = JSON.parse(shown.body(JSON.stringify(body), 'application/json'));
    // Every text at once: one at a time, each URL's new token rebuilt the mask (21 s for 100,000 URLs).
    const texts: string[] = [];
    const collect = (node: unknown): void => {
      if (typeof node === 'string') texts.push(node);
      else if (node !== null && typeof node === 'object') for (const value of Object.values(node)) collect(value);
    };
    collect(masked);
    const shownTexts = shown.texts(texts);
    let next = 0;
    const refill = (node: unknown): unknown =>
      typeof node === 'string' ? shownTexts[next++] : Array.isArray(node) ? node.map(refill) : node !== null && typeof node === 'object' ? Object.fromEntries(Object.entries(node).map(([key, value]) => [key, refill(value)])) : node;
    return refill(masked);
  };

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mode = options.validate ?? 'off';
  const sample = options.sample ?? 1;
  let loading: Promise<OperationTable> | undefined;
  let loaded: OperationTable | undefined;
  const operations = () =>
    (loading ??= (setup.validators ?? (() => Promise.resolve({ operations: {} as OperationTable })))().then((m) => (loaded = m.operations)));

  /**
   * The guard on one response: hands each violation to onViolation, throws them in 'throw' mode
   * (the error carries `answered`, the response the caller would have got), and gives back the
   * body as it read it. Synchronous once the validators are loaded: no extra awaits per call.
   */
  function guard(table: OperationTable, method: string, path: string, seen: Seen, answered: Response): unknown {
    const entry = table[`${method} ${path}`];
    if (!entry) return undefined;
    const [operationId, responses] = entry;
    const { status } = seen.response;
    const judged = judgeResponse(
      (code) => responses[statusKeys(code).find((k) => k in responses) ?? ''],
      { status, contentType: mediaTypeOf(seen.response.headers.get('content-type')), text: seen.text },
      (validate, value) => (validate(value) ? [] : (validate.errors ?? []).map(schemaProblem)),
      (text) => masking().text(text),
    );
    if (judged.findings.length === 0) return judged.body;
    // A vendor may echo a credential (a 401 page quoting the token): what is reported and thrown is masked, as a TokenError's body is.
    const violations = judged.findings.map((f) => ({ vendor, operationId, method, path, status, ...f, pointer: f.pointer === null ? null : masking().text(f.pointer), message: masking().text(f.message) }));
    for (const violation of violations) notify('onViolation', options.onViolation, violation);
    if (mode === 'throw') throw new ContractViolationError(violations, maskedBody(judged.body, seen.response.headers.get('content-type') ?? ''), answered);
    return judged.body;
  }

  async function call(method: string, path: string, given: unknown): Promise<any> {
    // What was checked, as a plain object: the call sends it, with the client's fields set on it below.
    const init = checkCall(vendor, method, path, given, setup.bracketLists);
    const caller: AbortSignal | undefined = init.signal ?? undefined;
    const abort = new CallAbort();
    const expire = () => abort.abort(new TimeoutError(vendor, `${method} ${path}`, timeoutMs));
    const streamed = init.parseAs === 'stream';
    const stopDeadline = startDeadline(timeoutMs, expire);
    // When the call must be over, for the two that read it later; other calls skip the clock read.
    const deadlineAt = streamed || options.retry ? performance.now() + timeoutMs : 0;
    const onAbort = caller && (() => abort.abort(caller.reason));
    if (caller?.aborted) onAbort!();
    else if (onAbort) {
      roomForListeners(caller!);
      caller!.addEventListener('abort', onAbort, { once: true });
    }

    /** The call's failure as the caller sees it: its TimeoutError, or a RequestError naming it. */
    const failure = (error: unknown) => {
      const timedOut = asTimeout(error, abort, caller);
      return timedOut === error ? asRequestError(error, vendor, `${method} ${path}`, masking().text) : timedOut;
    };
    let held = false;
    let answered: Response | undefined;
    const checked = mode !== 'off' && (sample >= 1 || Math.random() < sample);
    // The guard judges the final response's text. For JSON calls (the usual case), openapi-fetch
    // is asked for a success body as text, which the guard parses once; other parseAs modes get
    // the bytes of a copy through a per-call fetch, and the caller the response itself (its url,
    // its type, an empty body still a stream).
    const asJson = (init.parseAs ?? 'json') === 'json';
    let seen: Seen | undefined;
    // A call's own fetch replaces the client's, as in openapi-fetch (a test double for one call).
    const own = typeof init.fetch === 'function' ? answering(vendor, init.fetch as Fetch, setup.secrets ?? []) : undefined;
    // A Request that middleware rebuilt (Footprints' token in the query, Perx's resend after a
    // 401, a caller's `new Request(url, request)`) or a retry copied follows the one before it
    // through a WeakRef (undici): once a garbage collection took that one, the call's abort no
    // longer reached the exchange, which stayed open. And a dispatcher the caller gave this call
    // (a ProxyAgent, a MockAgent) is not carried over: undici keeps it where no code can read it.
    // Such a Request is sent as one following the call's own signal, on that dispatcher, and kept
    // reachable until the call ends. (A CallRequest carries both.)
    const routed = init.dispatcher !== undefined && !own ? init.dispatcher : undefined;
    const resent: Request[] = [];
    const routedOn = (request: Request) => {
      // A Request of another library (undici's from npm) is sent as it is: it is raced all the same.
      if (CallRequest.of(request) || !(request instanceof Request)) return request;
      // A signal a caller's middleware put on it still ends the call, with its own reason.
      if (request.signal.aborted) abort.abort(request.signal.reason);
      else request.signal.addEventListener('abort', () => abort.abort(request.signal.reason), { once: true });
      // Copied with Request itself: a caller's own class may take only (url, init), and rebuild
      // its headers from the init (CLIENT-58).
      const sent = new Request(request, { signal: abort.signal, ...(routed === undefined ? {} : { dispatcher: routed }) } as RequestInit);
      resent.push(sent);
      return sent;
    };
    // The transport is told of the call through a fetch of the call's own, which openapi-fetch calls
    // with the Request as the middleware left it, whatever they made of it; other calls pay nothing.
    // Each answer of a recording call, so the call ends with their entries written (`settled`).
    const answers: Response[] = [];
    const told: Fetch | undefined =
      !own && (options.retry || options.record) ? (request) => fetch(request, { deadlineAt, signal: abort.signal, resent: routedOn, ...(options.record ? { answered: (r: Response) => answers.push(r) } : {}) }) : undefined;
    const plain = added.length === 0 && !init.middleware?.length && !own;
    // A caller's middleware may outlast the call (a signing step that stalls) and hand on a Request
    // that no longer follows its signal: once the call has failed, nothing of it is sent.
    // A call given its own `Request` class sends real Requests, which middleware may rebuild too.
    const sending: Fetch | undefined = plain && init.Request === undefined
      ? told
      : (request) => (abort.aborted ? Promise.reject(abort.reason) : (own ?? told ?? fetch)(routedOn(request)));
    const replaying: Fetch | undefined =
      checked && !asJson
        ? async (request) => {
            const response = await (sending ?? fetch)(request);
            if (typeof response.clone !== 'function') throw new ConfigError(vendor, 'fetch', "must resolve to a Response with clone(), which validate needs for a body not read as JSON (got an object without it)");
            // The caller gets the bytes as sent (an image is not UTF-8); the guard judges their text.
            // A streamed body is the caller's to read as it comes: the call returns at the headers,
            // judged by status and content type (reading it first held the call to the body's end).
            seen = { response, text: streamed ? null : new TextDecoder().decode(await response.clone().arrayBuffer()) };
            return response;
          }
        : undefined;
    if (typeof init.baseUrl === 'string') init.baseUrl = init.baseUrl.trim();
    // Where nothing but the exchange itself needs the call's signal, undici is not asked to follow one (see call-abort.ts).
    // Only a CallRequest passes the dispatcher on to what middleware resends, and makes the signal a token request waits with.
    const dispatcher = plain && !caller && !streamed && fetch === send && init.dispatcher === undefined && init.Request === undefined ? abort.dispatcher() : undefined;
    if (dispatcher) init.dispatcher = dispatcher;
    else init.signal = abort.signal;
    init.fetch = replaying ?? sending;
    if (checked && asJson) init.parseAs = 'text';
    init.Request ??= plain ? CallRequest : undefined;
    // The first guarded call loads the validators (tens of ms for Perx's): within the call's deadline too.
    const validators = () => untilAborted(operations(), abort.signal);
    try {
      const sent = inner.request(method as never, path as never, init as never);
      // A caller's fetch may drop the signal (a wrapper that rebuilds the request), a caller's
      // middleware may wait on something that never ends (a signing service), and undici follows
      // a signal from one Request to the next through a WeakRef only, so a Request that
      // middleware replaced (a token put in the query, a resend after a 401) and a collection
      // cut the signal off (CLIENT-53, CLIENT-54): the deadline and the caller's abort still end
      // the call. A call on its CallAbort's dispatcher holds the exchange's own abort.
      const result = dispatcher ? await abort.bound(sent) : await untilAborted(sent, abort.signal);
      answered = result.response;
      // Recorded once its body is in, which openapi-fetch has read by now: the entry is there when the call returns.
      if (options.record && !streamed) await untilAborted(settled(answers, answered), abort.signal);
      if (checked && asJson) {
        const { response } = result;
        // openapi-fetch read a success body as text; an error body it has read (and parsed when it could).
        const text = response.ok ? (result.data ?? '') : errorText(result.error);
        seen = { response, text };
        const body = guard(loaded ?? (await validators()), method, path, seen, response);
        // What openapi-fetch would have returned for the success body (a SyntaxError when it is
        // not JSON); the guard has parsed it already when it is.
        if (response.ok) return { data: !text ? undefined : body === undefined || typeof body === 'string' ? JSON.parse(text) : body, response };
        return result;
      }
      if (seen) guard(loaded ?? (await validators()), method, path, seen, result.response);
      const data: unknown = result.data;
      if (streamed && data instanceof ReadableStream) {
        // The caller reads the body after the call returns: the rest of the deadline and the
        // caller's signal go on covering it, on a timer that does not hold the process open (an
        // unread body the vendor has finished sending must not keep a script alive).
        stopDeadline();
        const end = () => {
          release(answered);
          resent.length = 0;
          clearTimeout(rest);
          if (onAbort) caller!.removeEventListener('abort', onAbort);
        };
        const rest = setTimeout(() => (end(), expire()), Math.max(0, deadlineAt - performance.now()));
        (rest as { unref?: () => void }).unref?.();
        held = true;
        return {
          ...result,
          data: streamedBody(data, {
            signal: abort.signal,
            end,
            failure,
            abort: (reason) => abort.abort(reason),
          }),
        };
      }
      return result;
    } catch (error) {
      const failed = failure(error);
      // An answer already in is recorded whole: its copy is given a turn to be read.
      if (answers.length) await new Promise((next) => setTimeout(next, 0));
      // A call can fail with an exchange still open (a refusal whose body is still coming, under
      // a caller's middleware that throws on it, or a guarded stream): it is ended with the call.
      abort.abort(failed);
      // Each exchange is recorded by the time the call fails (one cut off, with why).
      await Promise.all(answers.map(recorded));
      throw failed;
    } finally {
      if (!held) {
        release(answered);
        resent.length = 0;
        stopDeadline();
        if (onAbort) caller!.removeEventListener('abort', onAbort);
      }
    }
  }

  const client: Record<string, unknown> = {
    request: (method: string, path: string, init?: Record<string, unknown>) =>
      typeof method === 'string' && isHttpToken(method)
        ? call(method.toUpperCase(), path, init)
        : Promise.reject(new ConfigError(vendor, 'method', `must be an HTTP method such as 'GET' (got ${typeof method === 'string' ? `"${method}"` : kindOf(method)})`)),
    // Mirrors openapi-fetch's own list (it refuses what is not a middleware, and ejects one copy).
    use: (...middleware: Middleware[]) => {
      inner.use(...middleware);
      added.push(...middleware.filter(Boolean));
    },
    eject: (...middleware: Middleware[]) => {
      for (const m of middleware) if (added.includes(m)) added.splice(added.indexOf(m), 1);
      inner.eject(...middleware);
    },
  };
  for (const method of ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']) {
    client[method] = (path: string, init?: Record<string, unknown>) => call(method, path, init);
  }
  return client as unknown as Client<Paths>;
}

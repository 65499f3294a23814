import createClient, { type Middleware } from 'openapi-fetch';
import { untilAborted } from './abortable.js';
import { bracketQuery, plainQuery } from './bracket-query.js';
import { checkCall } from './call-options.js';
import { CallAbort } from './call-abort.js';
import { CallRequest, type Fetch } from './call-request.js';
import { asRequestError, asTimeout, isTooLongForText } from './call-failure.js';
import { startDeadline } from './deadline.js';
import { ConfigError, ContractViolationError, RequestError, TimeoutError } from './errors.js';
import { BodyFieldError, toFormBody } from './form.js';
import { toJsonBody } from './json-body.js';
import type { judgeAnswer } from './guard/answer-judgement.js';
import type { OperationTable, ValidatorModule } from './guard/table.js';
import { isJson, mediaMatches, mediaTypeOf, statusKeys } from './guard/documented.js';
import type { ContractViolation } from './guard/violation.js';
import { letGo } from './let-go.js';
import { optionalBuiltin } from './node-builtin.js';
import { notify } from './observer.js';
import { DEFAULT_TIMEOUT_MS, isHttpToken, kindOf } from './options.js';
import { fillPath } from './path-template.js';
import { maskTokenLike, tokenLikeMasked, type HarEntry } from './record/har.js';
import { recorded } from './record/recordings.js';
import { clientMasks } from './client-masks.js';
import { streamedBody } from './streamed-body.js';
import { answering, release, send, transport, type Transport } from './transport.js';
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
  on?: number[] | undefined;
  /** A Retry-After longer than this (seconds, default 60) is not waited for: the answer is returned. */
  maxWaitSeconds?: number | undefined;
}

export interface CommonOptions {
  /** The vendor's base URL; defaults to the first server of the vendor's spec. */
  baseUrl?: string | undefined;
  /** A fetch implementation (tests, proxies); defaults to globalThis.fetch. */
  fetch?: Fetch | undefined;
  /**
   * Longest a call may take, in ms, including the token request made for it, its retries and
   * reading its body (default 30000). A call that takes longer throws a TimeoutError.
   */
  timeoutMs?: number | undefined;
  /** Retry idempotent calls (GET, HEAD, OPTIONS, PUT, DELETE, or any sending a non-empty Idempotency-Key) on these statuses, honouring Retry-After. */
  retry?: RetryOptions | undefined;
  /**
   * The contract guard: check each response against the operation's documented statuses,
   * content types and response schema. 'report' hands violations to `onViolation`; 'throw' also
   * throws a ContractViolationError. Default 'off'.
   */
  validate?: 'off' | 'report' | 'throw' | undefined;
  /** Receives each violation. If it throws (or rejects), that is reported on the console and the call goes on. */
  onViolation?: ((violation: ContractViolation) => void) | undefined;
  /** Fraction of calls the guard checks (0–1, default 1). */
  sample?: number | undefined;
  /**
   * Receives every HTTP exchange (token requests too) as a HAR entry, credentials redacted. If it
   * throws (or rejects), that is reported on the console and the call goes on.
   */
  record?: ((entry: HarEntry) => void) | undefined;
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
  /**
   * A token client's: the `timeoutMs` of the calls it asks for tokens for. Its own calls have no
   * deadline (they live while a call waits: tokenClientOptions), but a retry wait longer than those
   * calls may take is not made, and the 429 is their TokenError rather than a TimeoutError later.
   */
  retryWithinMs?: number;
  /**
   * A token client's: what the guard shows of an answer (a violation's message, a thrown error's
   * body) has every value that could be a token masked too, as a TokenError's body has: a token
   * answer may hold its token where no name says so. In 'throw' mode a call's result carries the
   * ContractViolationError as `violation` (see requestToken).
   */
  issuesTokens?: boolean;
}

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
      // `body[0]` and `body["a.b"]`, not `body.[0]`.
      if (error instanceof BodyFieldError) throw new ConfigError(vendor, error.field ? `body${error.field.startsWith('[') ? '' : '.'}${error.field}` : 'body', error.rule);
      throw new ConfigError(vendor, 'body', `must be serialisable as ${as}: ${String((error as Error).message).split('\n')[0]}`);
    }
  };
}

/**
 * Keeps the text of `response` once it is read. Reading a copy of the body instead held a 401's
 * body open while the token middleware cancelled it to resend.
 */
function keepText(response: Response, texts: WeakMap<Response, string>): void {
  const read = response.text;
  if (typeof read !== 'function') return;
  try {
    response.text = () => read.call(response).then((text: string) => (texts.set(response, text), text));
  } catch {
    // An answer that cannot take a property (a frozen test double): judged by what openapi-fetch parsed.
  }
}

/**
 * An error body's text, from what openapi-fetch made of it, where the text it read was not kept
 * (a caller's middleware answered with a Response of its own): it reads the text and hands back
 * JSON.parse's result where that works, else the text. So a string that parses as JSON can only
 * have come from a JSON string around it (`"{\"error\":…}"`); any other string is taken as the
 * text, which for a JSON string like `"Unauthorized"` is still judged a violation of an object
 * schema, only by another rule.
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

// Node's events module, where there is one (the clients also run in browsers, which have no such limit).
const events = optionalBuiltin<typeof import('node:events')>('node:events');

/**
 * One signal for all the calls a request makes (a request-scoped signal) is common, and Node
 * warns of a leak past 10 listeners on it. A raw fetch lifts the limit as undici does; so do calls.
 */
function roomForListeners(signal: AbortSignal): void {
  // A signal that only looks like one (a polyfill's, jsdom's) has no limit of Node's to lift.
  if (events && signal instanceof AbortSignal && events.getMaxListeners(signal) === events.defaultMaxListeners) events.setMaxListeners(1500, signal);
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

/**
 * A body's text for the guard, from a copy of its bytes; null (judged by status and content type
 * only, as a streamed one is) when it is longer than a string can be: the caller's bytes are held
 * to no such limit, and the guard, 'report' mode too, failed the call with the runtime's error.
 */
async function guardedText(response: Response): Promise<string | null> {
  const bytes = await response.clone().arrayBuffer();
  try {
    return new TextDecoder().decode(bytes);
  } catch (error) {
    if (isTooLongForText(error)) return null;
    throw error;
  }
}

/** What the guard judges with, loaded on its first call: the vendor's operation table and the judging. */
interface GuardParts {
  table: OperationTable;
  judge: typeof judgeAnswer;
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
    bodySerializer: checkedSerializer(vendor, setup.form ? toFormBody : toJsonBody, setup.form ? 'form fields' : 'JSON'),
  });
  if (setup.form) inner.use(formContentType);
  inner.use(...(setup.middleware ?? []));
  // Middleware added with use() is the caller's, written for real Requests (see call-request.ts).
  const added: Middleware[] = [];

  const { masking, maskedBody, maskedRefusal } = clientMasks(setup.secrets ?? [], setup.issued);
  const shownText = setup.issuesTokens ? (text: string) => maskTokenLike(masking().text(text)) : (text: string) => masking().text(text);

  /**
   * A refusal as the caller gets it: a vendor may echo a credential into its error body (a 401
   * quoting the token), and `error` is what a caller logs, so it is masked as the HAR and a
   * TokenError's body are. openapi-fetch parsed it from JSON where it could: each string in it is
   * masked, and the shape stays as it was. Only refusals with a body pay for it. A refusal sent
   * with `Content-Length: 0` (a gateway's 401, a redirect) is given `error: undefined` by
   * openapi-fetch, as a success is, so the README's `error !== undefined` read it as one and went
   * on to `data`, undefined: its error is '', as an empty refusal sent chunked already gets.
   */
  const withMaskedError = <R extends { error?: unknown; response: Response }>(result: R): R => {
    if (result.error === undefined) result.error = '';
    else if (result.error !== '') result.error = maskedRefusal(result.error);
    return result;
  };

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mode = options.validate ?? 'off';
  const sample = options.sample ?? 1;
  let loading: Promise<OperationTable> | undefined;
  let table: OperationTable | undefined;
  const operations = () =>
    (loading ??= (setup.validators ?? (() => Promise.resolve({ operations: {} as OperationTable })))().then((m) => (table = m.operations)));
  // The judging is loaded with the validators, within the same wait: a client whose guard is off ships neither (CLIENT-230).
  let judging: Promise<GuardParts> | undefined;
  let loaded: GuardParts | undefined;
  const guardParts = () =>
    (judging ??= Promise.all([operations(), import('./guard/answer-judgement.js')]).then(([operations, { judgeAnswer }]) => (loaded = { table: operations, judge: judgeAnswer })));

  /**
   * The guard on one response: hands each violation to onViolation, throws them in 'throw' mode
   * (the error carries `answered`, the response the caller would have got), and gives back the
   * body as it read it. Synchronous once the validators are loaded: no extra awaits per call.
   */
  function guard(parts: GuardParts, method: string, path: string, seen: Seen, answered: Response): unknown {
    const entry = parts.table[`${method} ${path}`];
    if (!entry) return undefined;
    const [operationId, responses] = entry;
    const { status } = seen.response;
    const judged = parts.judge(responses, { status, contentType: mediaTypeOf(seen.response.headers.get('content-type')), text: seen.text }, shownText);
    if (judged.findings.length === 0) return judged.body;
    // A vendor may echo a credential (a 401 page quoting the token): what is reported and thrown is masked, as a TokenError's body is.
    const violations = judged.findings.map((f) => ({ vendor, operationId, method, path, status, ...f, pointer: f.pointer === null ? null : shownText(f.pointer), message: shownText(f.message) }));
    for (const violation of violations) notify('onViolation', options.onViolation, violation);
    if (mode === 'throw') {
      const body = maskedBody(judged.body, seen.response.headers.get('content-type') ?? '', seen.text?.length ?? 0);
      throw new ContractViolationError(violations, setup.issuesTokens ? tokenLikeMasked(body) : body, answered);
    }
    return judged.body;
  }

  /**
   * A success answer with no body, where the operation documents JSON for its status: openapi-fetch
   * hands back `data: undefined` for any empty body (a 204, `Content-Length: 0`, no text at all),
   * typed as the documented data, and the caller's code broke on it later. Empty answers the spec
   * documents (XONVO's addLead, a 200 with no content) pass, as do a 204 or 205 and a HEAD's. Only
   * called for an empty body, so the table is loaded (its validators too) only then.
   */
  function emptyWhereJson(table: OperationTable, method: string, path: string, response: Response): RequestError | undefined {
    if (emptyByDefinition(method, response.status)) return undefined;
    const responses = table[`${method} ${path}`]?.[1];
    const content = responses?.[statusKeys(response.status).find((k) => k in responses) ?? ''];
    if (!content) return undefined;
    const types = Object.keys(content);
    const given = mediaTypeOf(response.headers.get('content-type'));
    // An empty body of another documented type (plain text) is that type's empty text.
    if (given && types.some((m) => !isJson(m) && mediaMatches(m, given))) return undefined;
    const json = types.find(isJson);
    return json === undefined ? undefined : new RequestError(vendor, `${method} ${path}`, `answered ${response.status} with an empty body, where ${json} is documented`);
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
    const deadlineAt = streamed || options.retry ? performance.now() + (setup.retryWithinMs ?? timeoutMs) : 0;
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
    // Read as text by openapi-fetch (JSON, asked for as text, or text asked for): the guard judges
    // the text it read, with no copy of its own (a copy was read past a token client's bound).
    const asText = asJson || init.parseAs === 'text';
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
      checked && !asText
        ? async (request) => {
            const response = await (sending ?? fetch)(request);
            if (typeof response.clone !== 'function') throw new ConfigError(vendor, 'fetch', "must resolve to a Response with clone(), which validate needs for a body not read as JSON (got an object without it)");
            // The caller gets the bytes as sent (an image is not UTF-8); the guard judges their text.
            // A streamed body is the caller's to read as it comes: the call returns at the headers,
            // judged by status and content type (reading it first held the call to the body's end).
            seen = { response, text: streamed ? null : await guardedText(response) };
            return response;
          }
        : undefined;
    if (typeof init.baseUrl === 'string') init.baseUrl = init.baseUrl.trim();
    // Where nothing but the exchange itself needs the call's signal, undici is not asked to follow one (see call-abort.ts).
    // Only a CallRequest passes the dispatcher on to what middleware resends, and makes the signal a token request waits with.
    const dispatcher = plain && !caller && !streamed && fetch === send && init.dispatcher === undefined && init.Request === undefined ? abort.dispatcher() : undefined;
    if (dispatcher) init.dispatcher = dispatcher;
    else init.signal = abort.signal;
    // The text openapi-fetch reads of a refused answer, as it came: what it hands back is parsed
    // where it parses, so a JSON string (`"not found"`) could not be told from that text.
    const errorTexts = checked && asText ? new WeakMap<Response, string>() : undefined;
    const keepingErrorText: Fetch | undefined = errorTexts
      ? async (request) => {
          const response = await (sending ?? fetch)(request);
          if (!response.ok) keepText(response, errorTexts);
          return response;
        }
      : undefined;
    init.fetch = replaying ?? keepingErrorText ?? sending;
    if (checked && asJson) init.parseAs = 'text';
    init.Request ??= plain ? CallRequest : undefined;
    // The first guarded call loads the validators (tens of ms for Perx's) and the judging: within the call's deadline too.
    const guarding = () => untilAborted(guardParts(), abort.signal);
    const operationTable = () => untilAborted(operations(), abort.signal);
    try {
      // openapi-fetch copies the init as `{ ...init, method }`: with `method` already a field, V8
      // (Node 20) rewrites it quickly; adding it made a new hidden class per call (about 3 µs, and garbage).
      init.method = method;
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
      if (checked && asText) {
        const { response } = result;
        // openapi-fetch read a success body as text; an error body it has read (and parsed when it could).
        const text = response.ok ? (result.data ?? '') : (errorTexts!.get(response) ?? errorText(result.error));
        seen = { response, text };
        const parts = loaded ?? (await guarding());
        if (!asJson) {
          const answer = response.ok ? result : withMaskedError(result);
          if (!setup.issuesTokens) return guard(parts, method, path, seen, response), answer;
          // A token answer's break is handed back, not thrown: the token request throws it once it
          // has read a token, and a TokenError where it has none (every token failure is one).
          try {
            guard(parts, method, path, seen, response);
            return answer;
          } catch (error) {
            if (error instanceof ContractViolationError) return { ...answer, violation: error };
            throw error;
          }
        }
        const body = guard(parts, method, path, seen, response);
        const empty = response.ok && !text ? emptyWhereJson(table!, method, path, response) : undefined;
        if (empty) throw empty;
        // What openapi-fetch would have returned for the success body (a SyntaxError when it is
        // not JSON); the guard has parsed it already when it is.
        if (response.ok) return { data: !text ? undefined : body === undefined || typeof body === 'string' ? JSON.parse(text) : body, response };
        return withMaskedError(result);
      }
      if (seen) guard(loaded ?? (await guarding()), method, path, seen, result.response);
      const data: unknown = result.data;
      // openapi-fetch gives a refusal no `data`, so a success with a body is past this at one test.
      if (data === undefined) {
        if (!result.response.ok) return withMaskedError(result);
        // The operation table is not loaded for an answer empty by definition.
        const empty = !asJson || emptyByDefinition(method, result.response.status) ? undefined : emptyWhereJson(table ?? (await operationTable()), method, path, result.response);
        if (empty) throw empty;
      }
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
    // Mirrors openapi-fetch's own list (it skips what is falsy, and ejects one copy).
    use: (...middleware: Middleware[]) => {
      // openapi-fetch adds those before the first it refuses, then throws: checked first, a call of
      // use() adds all or none (a Perx app client and its user clients stay alike).
      const refused = middleware.findIndex((m) => m && !isMiddleware(m));
      if (refused !== -1) throw new ConfigError(vendor, 'use(middleware)', `must be an object with onRequest, onResponse or onError (argument ${refused + 1} is ${described(middleware[refused])})`);
      inner.use(...middleware);
      added.push(...middleware.filter(Boolean));
    },
    eject: (...middleware: Middleware[]) => {
      for (const m of middleware) if (added.includes(m)) added.splice(added.indexOf(m), 1);
      inner.eject(...middleware);
    },
  };
  for (const method of CALL_METHODS) {
    client[method] = (path: string, init?: Record<string, unknown>) => call(method, path, init);
  }
  return client as unknown as Client<Paths>;
}

const described = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? 'an object with none of them' : kindOf(value));

/** A client's methods that make a call, besides `request`. */
export const CALL_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/** What openapi-fetch's use() takes as a middleware. */
function isMiddleware(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('onRequest' in value || 'onResponse' in value || 'onError' in value);
}

/** A 204, a 205 or a HEAD's answer: empty whatever the operation documents. */
const emptyByDefinition = (method: string, status: number) => status === 204 || status === 205 || method === 'HEAD';

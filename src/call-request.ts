import { CallAbort } from './call-abort.js';

/** The fetch under the clients: one request in, its response out. */
export type Fetch = (input: Request) => Promise<Response>;

/**
 * The request openapi-fetch builds for a call, kept as the arguments of fetch(url, init) until
 * it is sent (openapi-fetch's `Request` option).
 *
 * A WHATWG Request is costly to build (URL and header validation, and following the call's
 * signal with a signal of its own), and fetch() builds a second one from it, following the
 * first one's signal again. Sent as (url, init), a call builds one, as a raw fetch does. Only
 * the client's own middleware sees a CallRequest: calls that run middleware added with `use()`
 * get real Requests, and the transport turns a CallRequest into a real Request before any
 * caller-supplied fetch, recording or retry sees it (decision CLIENT-1).
 */
export class CallRequest {
  readonly url: string;
  readonly method: string;
  /** The body as serialized (string, URLSearchParams, FormData, …, or a stream the caller passed: see `clone`). */
  body: NonNullable<RequestInit['body']> | null;
  readonly #init: RequestInit;
  #headers: Headers | undefined;

  constructor(url: string | URL, init: RequestInit = {}) {
    this.url = String(url);
    this.method = (init.method ?? 'GET').toUpperCase();
    this.body = init.body ?? null;
    this.#init = init;
  }

  /** The value as a CallRequest, or undefined when it is something else (a real Request). */
  static of(value: unknown): CallRequest | undefined {
    return typeof value === 'object' && value !== null && #init in value ? (value as CallRequest) : undefined;
  }

  /**
   * Made on first use: most calls never read or change their headers before sending. The
   * Headers openapi-fetch merged for this request is its own, made per call: it is taken as it is.
   */
  get headers(): Headers {
    const given = this.#init.headers;
    return (this.#headers ??= given instanceof Headers ? given : new Headers(given));
  }

  /**
   * The call's signal (its timeout, the caller's abort): as given, or, for a call that goes out
   * through its CallAbort's dispatcher, made on first use (call-abort.ts). Nothing follows it
   * until it is sent.
   */
  get signal(): AbortSignal | undefined {
    const { signal, dispatcher } = this.#init as RequestInit & { dispatcher?: unknown };
    return signal ?? (dispatcher instanceof CallAbort ? dispatcher.signal : undefined);
  }

  /** The same request (headers copied), to another URL. */
  withUrl(url: string | URL): CallRequest {
    return new CallRequest(url, { ...this.#init, body: this.body, headers: new Headers(this.#headers ?? this.#init.headers) });
  }

  /**
   * A copy to send again. A stream is read once: each takes a branch of it, or the copy a 401
   * resends went out with a body fetch had read ("Response body object should not be disturbed or locked").
   */
  clone(): CallRequest {
    if (typeof ReadableStream === 'function' && this.body instanceof ReadableStream) {
      const [own, copy] = this.body.tee();
      this.body = own;
      return new CallRequest(this.url, { ...this.#init, body: copy, headers: new Headers(this.#headers ?? this.#init.headers) });
    }
    return this.withUrl(this.url);
  }

  /** The second argument of fetch(url, init). */
  init(): RequestInit {
    return { ...this.#init, method: this.method, headers: this.#headers ?? this.#init.headers, body: this.body };
  }

  toRequest(): Request {
    return new Request(this.url, this.init());
  }
}

/** A real Request for code that expects one (a caller's fetch, recording, retries). */
export const asRequest = (request: Request): Request => CallRequest.of(request)?.toRequest() ?? request;

import type { Middleware } from 'openapi-fetch';
import { CallRequest } from '../call-request.js';
import { letGo } from '../let-go.js';
import type { TokenCache } from './token-cache.js';

/** Puts a token on a request: as a bearer header, a query parameter, … */
export type TokenPlacement = (request: Request, token: string) => Request | Promise<Request>;

export const asBearer: TokenPlacement = (request, token) => {
  request.headers.set('Authorization', `Bearer ${token}`);
  return request;
};

/**
 * The class a rebuilt request is made with: the one the call's requests are (a call's own
 * `Request` option, undici's from npm too), as openapi-fetch refuses a middleware's answer of any other.
 */
const sameClass = (request: Request): typeof Request => (typeof request.constructor === 'function' ? (request.constructor as typeof Request) : Request);

export function asQueryParameter(name: string): TokenPlacement {
  return async (request, token) => {
    const url = new URL(request.url);
    url.searchParams.set(name, token);
    const call = CallRequest.of(request);
    if (call) return call.withUrl(url) as unknown as Request;
    // A Request's URL is read-only: rebuild it, carrying the body over as bytes, and the signal.
    const body = request.body ? await request.arrayBuffer() : undefined;
    return new (sameClass(request))(url, { method: request.method, headers: request.headers, body, signal: request.signal, redirect: request.redirect });
  };
}

/**
 * The request to send again: as the middleware after this one left it (their headers, their
 * URL: a request id, a signature), with the body as it was first sent, since fetch has read the
 * final request's. A CallRequest is only ever seen by the client's own middleware: a copy does.
 */
async function resendable(sent: Request, original: Request): Promise<Request> {
  const call = CallRequest.of(original);
  if (call) return call.clone() as unknown as Request;
  const body = original.body ? await original.arrayBuffer() : undefined;
  return new (sameClass(sent))(sent.url, { method: sent.method, headers: sent.headers, body, signal: sent.signal, redirect: sent.redirect });
}

/**
 * Adds a cached token to every request. A 401 answer is retried once with a refreshed token;
 * concurrent 401s share the refresh (see TokenCache.refresh).
 */
export function tokenAuth(cache: TokenCache, place: TokenPlacement): Middleware {
  // What each call sent, to resend it on a 401. Keyed by the options object openapi-fetch makes
  // for each call (and checked by the call's id), so it goes when the call does: a call that a
  // later middleware answers itself gets no onResponse, and a map by id would keep it forever.
  // `first` is the request as this middleware met it, kept for its signal (see onResponse).
  const sent = new WeakMap<object, { id: string; original: Request; token: string; first: Request }>();
  // Not async where they need not wait: a call with a valid token, and an answer that is not a
  // 401, go through without a promise of their own (openapi-fetch awaits either).
  return {
    onRequest({ request, id, options }) {
      const put = (token: string) => {
        // Only a Request with a body needs an unread copy (cloning costs a stream tee): a bodiless
        // one, or a CallRequest, is copied when it is resent, unless its body is a stream, which
        // fetch reads once.
        const once = request.body && (!CallRequest.of(request) || request.body instanceof ReadableStream);
        sent.set(options, { id, original: once ? request.clone() : request, token, first: request });
        return place(request, token);
      };
      const token = cache.cached();
      // The call's signal (its timeout, the caller's abort) bounds the wait for a token. It is read
      // only when there is a wait: a call's signal may be made on first use (call-abort.ts).
      return token === undefined ? cache.get(request.signal).then(put) : put(token);
    },
    onResponse({ request, response, id, options }) {
      const attempt = sent.get(options);
      // Nothing, not the response itself, when it stands: openapi-fetch refuses a Response of another
      // class (undici's from npm, given through a call's own fetch) handed back from a hook.
      if (attempt?.id !== id) return undefined;
      sent.delete(options);
      if (response.status !== 401) return undefined;
      return (async () => {
        // The refusal's body is not read: its connection is released first, so a refresh that
        // fails does not leave it open.
        await letGo(response);
        // The signal of the request as this middleware met it (the call's own, or one openapi-fetch
        // made following it), held here: a copy's, or a Request a later middleware rebuilt, follows
        // it through a WeakRef, and a garbage collection left a refresh that never answered waited
        // on for good.
        const token = await cache.refresh(attempt.token, attempt.first.signal);
        return await ownResponse(await options.fetch(await place(await resendable(request, attempt.original), token)));
      })();
    },
    onError({ id, options }) {
      if (sent.get(options)?.id === id) sent.delete(options);
    },
  };
}

/**
 * openapi-fetch takes back from a hook only a Response of the global class: an answer of another
 * (node-fetch's, through a `fetch` option) is carried over into one, its body unread, with the
 * headers it can list (a double's that only answer `get()` keep their content type) and its url.
 */
async function ownResponse(resent: Response): Promise<Response> {
  if (resent instanceof Response) return resent;
  // Typed as a Response, it is one only in shape.
  const answer = resent as Pick<Response, 'status' | 'statusText' | 'headers' | 'body' | 'url' | 'redirected' | 'text'>;
  const bodiless = answer.status === 204 || answer.status === 205 || answer.status === 304;
  const headers: [string, string][] = [];
  const listed = answer.headers as Partial<Headers>;
  if (typeof listed.forEach === 'function') listed.forEach((value, name) => headers.push([name, value]));
  else if (typeof listed.get === 'function') {
    const type = listed.get('content-type');
    if (type !== null && type !== undefined) headers.push(['content-type', type]);
  }
  // A double may hold its body in text() alone.
  const body = bodiless ? null : (answer.body as BodyInit | null) ?? (await answer.text());
  const carried = new Response(body, { status: answer.status, statusText: answer.statusText ?? '', headers });
  // What a Response reads off its exchange, kept: a caller that logs the url sees the same whether or not a refresh happened.
  return Object.defineProperties(carried, { url: { value: answer.url ?? '' }, redirected: { value: answer.redirected === true } });
}

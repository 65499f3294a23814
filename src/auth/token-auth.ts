import type { Middleware } from 'openapi-fetch';
import { CallRequest } from '../call-request.js';
import type { TokenCache } from './token-cache.js';

/** Puts a token on a request: as a bearer header, a query parameter, … */
export type TokenPlacement = (request: Request, token: string) => Request | Promise<Request>;

export const asBearer: TokenPlacement = (request, token) => {
  request.headers.set('Authorization', `Bearer ${token}`);
  return request;
};

export function asQueryParameter(name: string): TokenPlacement {
  return async (request, token) => {
    const url = new URL(request.url);
    url.searchParams.set(name, token);
    const call = CallRequest.of(request);
    if (call) return call.withUrl(url) as unknown as Request;
    // A Request's URL is read-only: rebuild it, carrying the body over as bytes, and the signal.
    const body = request.body ? await request.arrayBuffer() : undefined;
    return new Request(url, { method: request.method, headers: request.headers, body, signal: request.signal });
  };
}

const copy = (request: Request): Request => (CallRequest.of(request)?.clone() as unknown as Request | undefined) ?? new Request(request);

/**
 * Adds a cached token to every request. A 401 answer is retried once with a refreshed token;
 * concurrent 401s share the refresh (see TokenCache.refresh).
 */
export function tokenAuth(cache: TokenCache, place: TokenPlacement): Middleware {
  const sent = new Map<string, { original: Request; token: string }>();
  return {
    async onRequest({ request, id }) {
      // The call's signal (its timeout, the caller's abort) also bounds the wait for a token.
      const token = await cache.get(request.signal);
      // Kept to resend on a 401. Only a Request with a body needs an unread copy (cloning costs a
      // stream tee): a bodiless one, or a CallRequest, is copied when it is resent.
      sent.set(id, { original: request.body && !CallRequest.of(request) ? request.clone() : request, token });
      return place(request, token);
    },
    async onResponse({ response, id, options }) {
      const attempt = sent.get(id);
      sent.delete(id);
      if (!attempt || response.status !== 401) return response;
      const token = await cache.refresh(attempt.token, attempt.original.signal);
      return options.fetch(await place(copy(attempt.original), token));
    },
    onError({ id }) {
      sent.delete(id);
    },
  };
}

import type { Middleware } from 'openapi-fetch';
import { signalOf } from '../call-signal.js';
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
    // A Request's URL is read-only: rebuild it, carrying the body over as bytes. (The call's
    // signal is not on the request; fetch gets it beside the request, see call-signal.ts.)
    const body = request.body ? await request.arrayBuffer() : undefined;
    return new Request(url, { method: request.method, headers: request.headers, body });
  };
}

/**
 * Adds a cached token to every request. A 401 answer is retried once with a refreshed token;
 * concurrent 401s share the refresh (see TokenCache.refresh).
 */
export function tokenAuth(cache: TokenCache, place: TokenPlacement): Middleware {
  const sent = new Map<string, { original: Request; token: string }>();
  return {
    async onRequest({ request, id, options }) {
      // The call's signal (its timeout, the caller's abort) also bounds the wait for a token.
      const token = await cache.get(signalOf(options.fetch) ?? request.signal);
      // Kept to resend on a 401. Only a body needs an unread copy (cloning costs a stream tee):
      // a bodiless request is rebuilt from itself when it is resent.
      sent.set(id, { original: request.body ? request.clone() : request, token });
      return place(request, token);
    },
    async onResponse({ response, id, options }) {
      const attempt = sent.get(id);
      sent.delete(id);
      if (!attempt || response.status !== 401) return response;
      const token = await cache.refresh(attempt.token, signalOf(options.fetch) ?? attempt.original.signal);
      return options.fetch(await place(new Request(attempt.original), token));
    },
    onError({ id }) {
      sent.delete(id);
    },
  };
}

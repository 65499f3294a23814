import type { Middleware } from 'openapi-fetch';

/** A fixed bearer token the caller already holds (e.g. a JWT from a login the caller made). */
export function bearerToken(token: string): Middleware {
  const value = `Bearer ${token}`;
  return {
    onRequest({ request }) {
      request.headers.set('Authorization', value);
      return request;
    },
  };
}

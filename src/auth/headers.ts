import type { Middleware } from 'openapi-fetch';

/** Fixed headers on every request: API keys sent as headers, and headers a vendor requires. */
export function staticHeaders(headers: Record<string, string>): Middleware {
  return {
    onRequest({ request }) {
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      return request;
    },
  };
}

import type { Middleware } from 'openapi-fetch';
import { staticHeaders } from './headers.js';

/** A fixed bearer token the caller already holds (e.g. a JWT from a login the caller made). */
export function bearerToken(token: string): Middleware {
  return staticHeaders({ Authorization: `Bearer ${token}` });
}

import type { Middleware } from 'openapi-fetch';
import { base64 } from './base64.js';
import { staticHeaders } from './headers.js';

export interface BasicCredentials {
  username: string;
  password: string;
}

export function basicAuthorization({ username, password }: BasicCredentials): string {
  return `Basic ${base64(`${username}:${password}`)}`;
}

/** HTTP Basic on every request. */
export function basicAuth(credentials: BasicCredentials): Middleware {
  return staticHeaders({ Authorization: basicAuthorization(credentials) });
}

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

/**
 * What a Basic credential looks like on the wire, padded and not: masked as a whole wherever a
 * vendor echoes it, whatever the length of its parts (a 3-letter user name is not masked alone).
 */
export function basicSecrets({ username, password }: BasicCredentials): string[] {
  const encoded = base64(`${username}:${password}`);
  return [encoded, encoded.replace(/=+$/, '')];
}

/** HTTP Basic on every request. */
export function basicAuth(credentials: BasicCredentials): Middleware {
  return staticHeaders({ Authorization: basicAuthorization(credentials) });
}

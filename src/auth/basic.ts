import type { Middleware } from 'openapi-fetch';
import { base64, stringBytes } from './base64.js';
import { staticHeaders } from './headers.js';

export interface BasicCredentials {
  username: string;
  password: string;
}

export function basicAuthorization({ username, password }: BasicCredentials): string {
  return `Basic ${base64(`${username}:${password}`)}`;
}

/**
 * The user name and password an `Authorization: Basic …` value carries, split at the first ':' (RFC
 * 7617 lets a password hold more), or undefined for another scheme or text that is not base64 of
 * `user:password`. The mock, which checks what callers send, and the recording, which masks a
 * password a vendor may quote, read it this one way.
 */
export function readBasicAuthorization(value: string | undefined): BasicCredentials | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value ?? '')?.[1];
  if (!encoded) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(stringBytes(atob(encoded)));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
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

import { TokenError } from '../errors.js';
import type { IssuedToken } from './token-cache.js';

interface TokenAnswer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Reads a token endpoint's answer: the `access_token` and its lifetime, or a TokenError carrying
 * the vendor's status and body.
 */
export function readToken(vendor: string, answer: TokenAnswer): IssuedToken {
  const { data, error, response } = answer;
  if (error !== undefined || !response.ok) throw new TokenError(vendor, response.status, error);
  const body = (data ?? {}) as Record<string, unknown>;
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TokenError(vendor, response.status, data, 'token response has no access_token');
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined;
  return { accessToken, expiresIn };
}

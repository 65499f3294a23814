import { TokenError } from '../errors.js';
import type { IssuedToken } from './token-cache.js';

interface TokenAnswer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Reads a token endpoint's answer: the token and its lifetime, or a TokenError carrying the
 * vendor's status and body. `field` names where the token is (`access_token`, `bearer_token`, …).
 */
export function readToken(vendor: string, answer: TokenAnswer, fields: string[] = ['access_token']): IssuedToken {
  const { data, error, response } = answer;
  if (error !== undefined || !response.ok) throw new TokenError(vendor, response.status, error);
  const body = (data ?? {}) as Record<string, unknown>;
  const accessToken = fields.map((f) => body[f]).find((v): v is string => typeof v === 'string' && v !== '');
  if (!accessToken) {
    throw new TokenError(vendor, response.status, data, `token response has no ${fields.join(' or ')}`);
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined;
  return { accessToken, expiresIn };
}

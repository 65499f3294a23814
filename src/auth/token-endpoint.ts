import { TokenError } from '../errors.js';
import type { IssuedToken } from './token-cache.js';

/** What an openapi-fetch call with `parseAs: 'text'` returns. */
interface TokenAnswer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export interface TokenRequest {
  vendor: string;
  /** Sends the token request; it must use `parseAs: 'text'` so a garbage body is read, not thrown. */
  send: () => Promise<TokenAnswer>;
  /** The shared token request's signal: an abort is passed on as it is, never as a TokenError. */
  signal: AbortSignal;
  /** Fields that may carry the token, first present wins (Perx merchant-user tokens use `bearer_token`). */
  fields?: readonly string[];
}

/**
 * Asks a token endpoint for a token and reads its answer. Every way this fails is a TokenError
 * with the vendor's status and body where there is one and the original error as `cause`:
 * a refusal (non-2xx), a body that is not JSON, JSON without the token, a network error.
 */
export async function requestToken({ vendor, send, signal, fields = ['access_token'] }: TokenRequest): Promise<IssuedToken> {
  let answer: TokenAnswer;
  try {
    answer = await send();
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new TokenError(vendor, 0, undefined, `token request failed: ${(error as Error).message}`, { cause: error });
  }
  const { data, error, response } = answer;
  if (!response.ok || error !== undefined) throw new TokenError(vendor, response.status, error);
  const text = typeof data === 'string' ? data : '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (parseError) {
    throw new TokenError(vendor, response.status, text.slice(0, 500), 'token response is not JSON', { cause: parseError });
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const field = fields.find((f) => typeof record[f] === 'string' && record[f] !== '');
  if (!field) throw new TokenError(vendor, response.status, body, `token response has no ${fields.join(' or ')}`);
  const expiresIn = typeof record.expires_in === 'number' ? record.expires_in : undefined;
  return { accessToken: record[field] as string, expiresIn };
}

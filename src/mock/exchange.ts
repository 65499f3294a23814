/**
 * The engine's input and output: plain objects, no sockets. A transport (node:http here; an MSW
 * handler or a test later) turns its own request into a MockRequest and writes the MockResponse.
 */
export interface MockRequest {
  method: string;
  /** Path as received, percent-escapes intact, without the query string. */
  path: string;
  /** The raw query string without the leading '?'. */
  query: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body bytes, or undefined when the request had none. */
  body?: Uint8Array;
}

export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  /** Text, or bytes for an answer that is not text (an image). */
  body: string | Uint8Array;
}

/**
 * Where the `type` of every problem document the mock writes starts: what tells its own refusals
 * (a route it does not serve) from a vendor's answers, in a recording too (`npm run traffic`).
 */
export const MOCK_PROBLEMS = 'https://martech-contracts.dev/mock/problems/';

/** An RFC 9457 problem document: every refusal the mock makes on its own behalf looks like this. */
export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): MockResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ type: `${MOCK_PROBLEMS}${status}`, title, status, detail, ...extra }),
  };
}

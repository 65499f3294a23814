import { MOCK_PROBLEMS, type MockResponse } from './exchange.js';

const MAX_REASON = 200;

/**
 * A reason as one line a terminal shows as it is: a violation quotes the request's own field names
 * and values, so a newline in one forged a log line of its own, an escape sequence drove the
 * developer's terminal (or a CI log's viewer), and a 7,000-character name was a 7 kB line on each
 * request. Control characters are written as JSON escapes, and a long reason is cut with its length.
 */
export function printable(reason: string): string {
  const cut = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}… (${reason.length} characters)` : reason;
  return cut.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * Why the mock refused a request on its own behalf (its problem documents: a route it does not
 * serve, a body too large, an unreadable Content-Type), for the log line: `→ 415` alone left a
 * developer reading the answer's body to learn which header was wrong (MOCK-152). A vendor's
 * documented answer, even one written as a problem document, is not the mock's reason.
 */
export function ownReason(response: MockResponse): string {
  if (response.status < 400 || typeof response.body !== 'string' || !response.headers['content-type']?.startsWith('application/problem+json')) return '';
  try {
    const { type, detail } = JSON.parse(response.body) as { type?: unknown; detail?: unknown };
    return typeof type === 'string' && type.startsWith(MOCK_PROBLEMS) && typeof detail === 'string' ? `: ${printable(detail)}` : '';
  } catch {
    return '';
  }
}

import { maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem, type MockResponse } from './exchange.js';
import { printable } from './log-line.js';

/**
 * What can still be known of a request node refused before the mock saw it (a 431, a 400, a 408),
 * from node's own per-socket state (its fields are not exported): which request failed, what is
 * still to be answered before it, and its Origin, so the refusal names it and a credentialed browser
 * call reads the status rather than a CORS error (MOCK-156).
 */

/** A serialized origin (RFC 6454 6.2): a scheme and an authority (RFC 3986's characters, no comma), or `null`. Anything else is not echoed. */
export const serializedOrigin = (value: unknown) => (typeof value === 'string' && value.length <= 1024 && /^(?:null|[a-z][a-z0-9+.-]*:\/\/[\w\-.~%!$&'()*+;=:@[\]]+)$/i.test(value) ? value : undefined);

/**
 * The request whose bytes node was reading when it failed, once it had its headers (a body that
 * timed out, or a broken chunk): undefined when they never came, or the failure is a new request's.
 */
export function failingRequest(socket: Duplex): IncomingMessage | undefined {
  // Node leaves its last request there once it is complete.
  const incoming = (socket as Duplex & { parser?: { incoming?: IncomingMessage | null } | null }).parser?.incoming;
  return incoming && !incoming.complete ? incoming : undefined;
}

/** The answer at the head of the socket's queue, not yet out (pipelined requests are answered in order). */
const answerUnderway = (socket: Duplex) => (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;

/**
 * Calls `then` once the answers to the requests before `failing` on this socket are out, with
 * `failing`'s own answer if it is the one underway. A refusal written at once went out ahead of
 * them: a client that pipelined a good request and then a broken one got the refusal as the good
 * one's answer, and never the answer itself (found 2026-12-03).
 */
export function afterEarlierAnswers(socket: Duplex, failing: IncomingMessage | undefined, then: (own: ServerResponse | undefined) => void): void {
  const underway = answerUnderway(socket);
  if (!underway || underway.req === failing) return then(underway);
  // Node hands the socket to the next answer in its own 'finish' listener, which runs first.
  underway.once('finish', () => afterEarlierAnswers(socket, failing, then));
}

/**
 * The Origin in the bytes of the read node failed on (`rawPacket`): there when the request's head came
 * in one read, as a browser's does on one machine. Headers that never finished, or an Origin in an
 * earlier read, are kept nowhere this can reach.
 */
export function originInRaw(rawPacket: unknown): string | undefined {
  if (!Buffer.isBuffer(rawPacket)) return undefined;
  // latin1, as node reads header bytes; the head only, without the request line.
  const text = rawPacket.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const lines = (end < 0 ? text : text.slice(0, end)).split('\r\n').slice(1);
  const found = new Set(lines.filter((line) => /^origin[ \t]*:/i.test(line)).map((line) => line.slice(line.indexOf(':') + 1).trim()));
  // Two different ones name no single origin.
  return found.size === 1 ? serializedOrigin([...found][0]) : undefined;
}

/**
 * The problem a request node refused gets. A 400 says what node's parser found (its reason is one
 * of its own fixed texts, never the request's bytes): "not HTTP/1.1 the mock can read" alone left a
 * client sending both Transfer-Encoding and Content-Length, or a bare LF, guessing which.
 */
export function nodeRefusal(error: NodeJS.ErrnoException & { reason?: unknown; rawPacket?: unknown }, server: Server): MockResponse {
  if (error.code === 'HPE_HEADER_OVERFLOW') return problem(431, 'Headers too large', `the request's headers (with its URL) are over node's limit of ${maxHeaderSize} bytes`);
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return problem(408, 'Request timeout', `the request did not arrive in full within ${server.requestTimeout / 1000} s (its headers within ${server.headersTimeout / 1000} s)`);
  if (error.code === 'HPE_INVALID_METHOD' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/1\.[01]\r?\n/.test(String(error.rawPacket ?? ''))) {
    return problem(501, 'Not implemented', 'the request method is not one the mock knows (RFC 9110 9.1: 501); the vendors take GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS');
  }
  // `PRI * HTTP/2.0`: a client speaking HTTP/2 without asking first (prior knowledge).
  if (error.code === 'HPE_PAUSED_H2_UPGRADE') return problem(505, 'HTTP version not supported', 'the mock speaks HTTP/1.1 only, and this connection began with the HTTP/2 preface: call it over HTTP/1.1');
  const found = typeof error.reason === 'string' ? `: node's parser says "${printable(error.reason)}" (${printable(String(error.code))})` : '';
  return problem(400, 'Bad request', `the request is not HTTP/1.1 the mock can read${found}`);
}

import type { IncomingMessage } from 'node:http';
import { problem, type MockResponse } from './exchange.js';

/** The methods the vendors' operations take, as an Allow header: what a request to no resource in particular is told. */
export const ALLOW_ANY = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/**
 * The transport's own answer to a request whose form settles it before any route is looked at, or
 * undefined: the engine sees only requests it can route, with a body it can read. Found 2026-12-03
 * over raw sockets, each answered as something else: a body gzipped by its Transfer-Encoding was
 * read as the JSON it encodes ("its bytes are not UTF-8"), `OPTIONS *` was a 404 ("documents no
 * operation at *"), and a second Host header was dropped by node without a word.
 */
export function formAnswer(req: IncomingMessage): MockResponse | undefined {
  const hosts = req.rawHeaders.filter((_, i) => i % 2 === 0 && /^host$/i.test(req.rawHeaders[i]!)).length;
  if (hosts === 0 && req.httpVersion === '1.1') return problem(400, 'Bad request', 'an HTTP/1.1 request must carry a Host header (RFC 9112 3.2)', { header: 'host' });
  if (hosts > 1) return problem(400, 'Bad request', `the request carries ${hosts} Host headers; it must carry one (RFC 9112 3.2)`, { header: 'host' });
  // Node reads chunked itself and refuses a Transfer-Encoding that does not end with it; any coding before it is left to the reader.
  const codings = (req.headers['transfer-encoding'] ?? '').split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding && coding !== 'chunked');
  if (codings.length) {
    return problem(501, 'Not implemented', `the mock decodes no transfer coding but chunked (got Transfer-Encoding: ${codings.join(', ').slice(0, 100)}, RFC 9112 6.1): send the body as it is, chunked or with a Content-Length`, { header: 'transfer-encoding' });
  }
  // The asterisk form asks about the server as a whole, and only OPTIONS may use it (RFC 9112 3.2.4).
  if (req.url === '*') {
    return req.method === 'OPTIONS'
      ? { status: 204, headers: { allow: ALLOW_ANY, 'content-length': '0' }, body: '' }
      : problem(400, 'Bad request', `a request target of * is for OPTIONS only (RFC 9112 3.2.4), not ${req.method ?? ''}`);
  }
  return undefined;
}

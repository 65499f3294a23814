/**
 * A pass-through in front of a sandbox for a tool that follows every redirect (respect: its fetch
 * has no setting for it). Fetch drops `Authorization` on the way to another origin but keeps a
 * custom header (Placewise's X-Client-Authorization) and the query (Footprints' access_token), so a
 * sandbox that redirected elsewhere handed the credentials to that host. A redirect to another
 * origin reaches the tool without its Location, which it then cannot follow: the step fails on its
 * 3xx. Bytes pass as they came otherwise; the tool's own timeouts bound each exchange.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface SameOriginProxy {
  /** Where the tool is pointed: a request for `/a?b` goes to `<target>/a?b`. */
  url: string;
  stop(): Promise<void>;
}

// What belongs to one hop, not to the message: each side's own connection sets these.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer'];
const withoutHop = (headers: IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name)));

/**
 * `refused` hears of each redirect not passed on, by method, path and the origin it pointed to (the
 * rest of the Location is not repeated: it may carry what was sent in the query).
 */
export async function startSameOriginProxy(target: string, refused: (line: string) => void): Promise<SameOriginProxy> {
  const base = new URL(target);
  const prefix = base.pathname.replace(/\/+$/, '');
  const server = createServer((req, res) => {
    const url = new URL(`${prefix}${req.url ?? '/'}`, base);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(url, { method: req.method, headers: { ...withoutHop(req.headers), host: url.host } }, (answer) => {
      const headers = withoutHop(answer.headers);
      const status = answer.statusCode ?? 502;
      const location = answer.headers.location;
      if (location !== undefined && status >= 300 && status < 400) {
        const to = URL.canParse(location, url) ? new URL(location, url).origin : 'an unreadable Location';
        if (to !== base.origin) {
          delete headers.location;
          refused(`${req.method} ${url.pathname} answered ${status}, a redirect to ${to}: not followed, so the credentials sent with it stay with the vendor`);
        }
      }
      res.writeHead(status, answer.statusMessage, headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => (res.headersSent ? res.destroy() : res.writeHead(502, { 'content-type': 'text/plain' }).end(`${base.origin} could not be reached: ${error.message}`)));
    // The tool gave up (its timeout) or went away: so does the exchange with the vendor.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

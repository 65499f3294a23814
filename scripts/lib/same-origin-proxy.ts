/**
 * A pass-through in front of a sandbox for the tools that talk to it themselves (respect, dredd).
 * Respect follows every redirect (its fetch has no setting for it). Fetch drops `Authorization` on
 * the way to another origin but keeps a custom header (Placewise's X-Client-Authorization) and the
 * query (Footprints' access_token), so a sandbox that redirected elsewhere handed the credentials to
 * that host. A redirect reaches the tool without its Location, which it then cannot follow: the
 * step fails on its 3xx. Bytes pass as they came otherwise.
 * With `deadlineMs`, each exchange ends then, from the request's arrival to the answer's last byte:
 * dredd's own timeout (the request library's) restarts at every byte, so a vendor trickling one a
 * second was never bounded, and setting it meant reaching into dredd's internals.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { StallBreaker } from '../../contract-tests/lib/stalls.js';

export interface SameOriginProxy {
  /** Where the tool is pointed: a request for `/a?b` goes to `<target>/a?b`. */
  url: string;
  stop(): Promise<void>;
}

// What belongs to one hop, not to the message: each side's own connection sets these.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer'];
const withoutHop = (headers: IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name)));

export interface ProxyOptions {
  /**
   * Hears of each redirect not passed on, by method, path and where it pointed (another origin by
   * its origin alone, the vendor's own by the path: the query is never repeated, it may carry what
   * was sent in it), and of each exchange
   * the deadline ended.
   */
  log: (line: string) => void;
  /** The longest an exchange may take, first byte to last; unset, the tool's own timeouts bound it. */
  deadlineMs?: number;
  /** With `deadlineMs`, counts the exchanges it ended, and stops the vendor's calls (stalls.ts). */
  stalls?: StallBreaker;
  /** How a line names a call, by method and path below the target (default: the path as sent, never the query). */
  callName?: (method: string, path: string) => string;
}

export async function startSameOriginProxy(target: string, options: ProxyOptions): Promise<SameOriginProxy> {
  const { log, deadlineMs, stalls } = options;
  const base = new URL(target);
  const prefix = base.pathname.replace(/\/+$/, '');
  const callName = options.callName ?? ((method, path) => `${method} ${prefix}${path}`);
  const server = createServer((req, res) => {
    const url = new URL(`${prefix}${req.url ?? '/'}`, base);
    const call = callName(req.method ?? 'GET', url.pathname.slice(prefix.length) || '/');
    const stopped = stalls?.stopped();
    if (stopped) return void res.writeHead(504, { 'content-type': 'text/plain' }).end(stopped);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(url, { method: req.method, headers: { ...withoutHop(req.headers), host: url.host } }, (answer) => {
      const headers = withoutHop(answer.headers);
      const status = answer.statusCode ?? 502;
      const location = answer.headers.location;
      if (location !== undefined && status >= 300 && status < 400) {
        // Not even within the vendor's origin: its clients (CLIENT-11), dredd and the contract suite
        // follow no redirect, and no spec documents one, so a journey that passed through one
        // checked what no client of the package meets.
        delete headers.location;
        const to = URL.canParse(location, url) ? new URL(location, url) : undefined;
        if (to?.origin === base.origin) {
          log(`${req.method} ${url.pathname} answered ${status}, a redirect to ${to.pathname} on the vendor's own origin: not followed, as the clients, dredd and the contract suite follow none (no spec documents one)`);
        } else {
          log(`${req.method} ${url.pathname} answered ${status}, a redirect to ${to?.origin ?? 'an unreadable Location'}: not followed, so the credentials sent with it stay with the vendor`);
        }
      }
      answer.on('end', () => stalls?.answered());
      res.writeHead(status, answer.statusMessage, headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => (res.headersSent ? res.destroy() : res.writeHead(502, { 'content-type': 'text/plain' }).end(`${base.origin} could not be reached: ${error.message}`)));
    if (deadlineMs !== undefined) {
      const late = `${call} got no answer within ${deadlineMs / 1000} s, first byte to last`;
      const timer = setTimeout(() => {
        // Begun, the answer can only be cut off; not begun, the tool gets a 504 saying why.
        log(`${late}: ${res.headersSent ? 'its answer was cut off there' : 'answered 504 in its place'}, and the run goes on`);
        const line = stalls?.timedOut(call);
        if (line) log(line);
        if (res.headersSent) res.destroy();
        else res.writeHead(504, { 'content-type': 'text/plain' }).end(`${late}: the run stopped waiting for the vendor`);
        upstream.destroy();
      }, deadlineMs);
      res.on('close', () => clearTimeout(timer));
    }
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

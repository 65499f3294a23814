import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { LIMITS, tooLarge } from './guard.js';
import { problem, type MockRequest, type MockResponse } from './exchange.js';
import { ownReason, printable } from './log-line.js';
import { ALLOW_ANY, formAnswer } from './request-form.js';
import { afterEarlierAnswers, failingRequest, nodeRefusal, originInRaw, serializedOrigin } from './node-refusal.js';
import { admit, dropAfter, pipelineRefusal, stopParsing } from './pipeline-cap.js';
import type { Engine } from './engine.js';

/**
 * The node:http transport: turns sockets into MockRequests and back. Everything about the API
 * lives in the engine; this file knows CORS, body limits and the admin routes.
 */
export const ADMIN = '/__mock';

export interface Admin {
  /**
   * Whether `/<prefix>/__mock/…` is an admin route here ('' for the root's `/__mock/…`): a vendor's
   * port has its own name, the gateway each vendor's. Any other path is the API's, as a vendor's
   * own `/members/__mock/reset` would be.
   */
  serves(prefix: string): boolean;
  /** The admin routes served here, as a hint in the API's 404 for another prefix (`/__mock/… and /perx/__mock/…`). */
  routes: string;
  /**
   * Forgets the changes of one session (every session when none is named) of the vendors a prefix
   * it serves names: the gateway's `/perx/__mock/reset` resets Perx, its root every vendor, a
   * vendor's own port that vendor.
   */
  reset(session: string | undefined, prefix: string): void;
  /** The vendors whose specs are still loading, for a health probe that comes meanwhile. */
  loading?(): string[];
}

const EMPTY = new Uint8Array(0);

/** The 413 a body gets from its Content-Length alone, before any of it is read. */
function declaredTooLarge(req: IncomingMessage): MockResponse | undefined {
  const declared = Number(req.headers['content-length']);
  return declared > LIMITS.bodyBytes ? tooLarge(declared) : undefined;
}

function readBody(req: IncomingMessage): Promise<Uint8Array | MockResponse> {
  // No length and no chunks: HTTP/1.1 says there is no body (most GETs).
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(EMPTY);
  const refused = declaredTooLarge(req);
  if (refused) return Promise.resolve(refused);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LIMITS.bodyBytes) {
        // Paused here: the rest is read and dropped by `linger`, within its limits (see the handler).
        req.removeAllListeners('data');
        req.pause();
        resolve(tooLarge(size));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(problem(400, 'Broken request', 'the request body could not be read')));
  });
}

/** A request target in the absolute form, as the origin form: what follows the authority. */
function absoluteForm(target: string): string {
  if (!/^https?:\/\//i.test(target)) return target;
  const at = target.indexOf('/', target.indexOf('//') + 2);
  return at < 0 ? '/' : target.slice(at);
}

/** How much of a refused body is still read, and for how long, before its connection is closed. */
export const LINGER = { bytes: 16 * 1024 * 1024, ms: 2000 } as const;

/**
 * After a refusal while the client may still be sending its body (a 413): the rest is read and
 * dropped, and the connection serves on once it has all come, as with any request. A body that
 * goes on past LINGER (a chunked body need not end), or declares it will, has its connection
 * half-closed once the answer is out (the client reads the 413, then the end of the stream) and
 * dropped LINGER.ms later, what comes meanwhile still read. Closed at once, with the body unread,
 * the connection would be reset, and the client would lose the answer. Called before the answer
 * is sent: node drops a body nobody reads by then, and would read all of it.
 */
function linger(req: IncomingMessage, res: ServerResponse): void {
  const { socket } = req;
  answeredEarly.add(req);
  let left: number = LINGER.bytes;
  let ending = false;
  const end = () => {
    if (ending) return;
    ending = true;
    const close = () => {
      socket.end();
      setTimeout(() => socket.destroy(), LINGER.ms).unref();
    };
    if (res.writableFinished) close();
    else res.once('finish', close);
  };
  const timer = setTimeout(end, LINGER.ms);
  timer.unref();
  const done = () => {
    clearTimeout(timer);
    socket.off('close', done);
  };
  socket.once('close', done);
  req.once('end', done);
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) end();
  });
  if (Number(req.headers['content-length']) > LINGER.bytes) end();
  req.resume();
}

/** CORS headers for every answer (what Prism's server sends), as one object: written with the answer. */
function cors(req: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': '*',
  };
}

/**
 * Requests answered before their body had all come (a 413): a client that stops sending and closes
 * its side makes node report the body unfinished, which is no second request to answer.
 */
const answeredEarly = new WeakSet<IncomingMessage>();

/** Connections node's refusal answered: the request's own handler, finishing later, has nothing left to send or say. */
const refused = new WeakSet<Duplex>();

function send(res: ServerResponse, response: MockResponse, extra: Record<string, string> = {}) {
  if (res.headersSent) return void res.end();
  // A credentialed browser call reads `*` as a header named "*": the answer's own names are listed too.
  const own = Object.keys(response.headers).filter((name) => !/^(access-control-|content-length$|vary$)/.test(name));
  const exposed = own.length ? { 'access-control-expose-headers': ['*', ...own].join(', ') } : {};
  res.writeHead(response.status, { ...extra, ...exposed, ...response.headers });
  res.end(response.body);
}

const isHealth = (path: string, method: string) => path === `${ADMIN}/health` && (method === 'GET' || method === 'HEAD');

/**
 * A health probe while the specs load: a 503 saying which, at once. It waited for them, so a probe
 * with a timeout (Kubernetes' 1 s, a compose healthcheck's) saw only a timeout, not why.
 */
const stillLoading = (loading: string[]): MockResponse => ({ status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: false, loading }) });

function adminRoute(path: string, prefix: string, method: string, query: URLSearchParams, session: string | undefined, admin: Admin): MockResponse {
  if (path === `${ADMIN}/reset` && method === 'POST') {
    // The session a test sends on every request (`x-mock-session`) is the one its reset means.
    // An empty `?session=` names no session, as a missing one does.
    admin.reset(query.get('session') || session || undefined, prefix);
    return { status: 204, headers: {}, body: '' };
  }
  // HEAD too, as for any GET (RFC 9110 9.1): readiness probes send it. The transport leaves its body out.
  if (isHealth(path, method)) return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
  // A route that is one, asked with another method, is a 405 saying which, as the API's paths are.
  const allowed = path === `${ADMIN}/reset` ? 'POST' : path === `${ADMIN}/health` ? 'GET, HEAD' : undefined;
  if (allowed) return problem(405, 'Method not allowed', `${path} takes ${allowed}, not ${method}`, {}, { allow: allowed });
  return problem(404, 'No such admin route', `the mock's admin routes are POST ${ADMIN}/reset[?session=name] and GET ${ADMIN}/health`);
}

/**
 * The mock's own 404 for a path shaped like an admin route under a prefix this port does not
 * serve (another vendor's `/perx/__mock/reset` on Placewise's port), with a hint naming the ones
 * it does. A vendor's documented 404 (not a problem document of the mock's) stays as the spec has it.
 */
function withAdminHint(answer: MockResponse, routes: string): MockResponse {
  if (answer.status !== 404 || answer.headers['content-type'] !== 'application/problem+json' || typeof answer.body !== 'string') return answer;
  return { ...answer, body: JSON.stringify({ ...(JSON.parse(answer.body) as object), hint: `this port's admin routes are ${routes}` }) };
}

/** Where the transport writes a line for each answer it gives itself: the engine logs its own. */
export interface TransportLog {
  /** What the line starts with, in brackets: the vendor a port serves, or `gateway`. */
  name: string;
  log(line: string): void;
}

/**
 * One listener; `pick` chooses the engine for a path (a vendor port: always the same one). Given
 * `ready`, a request waits for it before it reaches an engine or the reset, so a port can listen
 * while its engines are built (a health probe is told they are loading); false (they never will
 * be) drops the connection.
 */
export function createMockServer(pick: (path: string) => { engine: Engine; path: string } | MockResponse, admin: Admin, logTo?: TransportLog, ready?: Promise<boolean>): Server {
  // A 413, the gateway's "no such vendor", a reset: answered here, they printed no line (MOCK-151).
  // Without the query, which may carry a credential (Footprints' access_token); the engine masks it by the spec, which this layer does not read.
  const said = (what: string, response: MockResponse, started: number) =>
    logTo?.log(`[${logTo.name}] ${what} → ${response.status}${started >= 0 ? ` (${(performance.now() - started).toFixed(1)} ms)` : ''}${ownReason(response)}`);
  const request = (req: IncomingMessage) => `${req.method ?? 'GET'} ${printable(absoluteForm(req.url ?? '/').split('?', 1)[0]!)}`;
  // Settled once the engines are built (true) or will never be (false).
  let serving: boolean | undefined;
  void ready?.then((outcome) => (serving = outcome));
  // Node looks for requests past headersTimeout and requestTimeout only this often (30 s by
  // default), so a 10 s limit ended a stalled request after 10 to 40 s.
  // Node's own refusal of an HTTP/1.1 request without a Host is a bare 400 a browser cannot read: the mock answers it.
  const server = createServer({ connectionsCheckingInterval: 1_000, requireHostHeader: false }, async (req, res) => {
    const started = performance.now();
    const admitted = admit(req, res);
    if (admitted === 'ignore') return;
    if (admitted === 'refuse') return refusePipelined(req);
    const headers = cors(req);
    const answered = (response: MockResponse) => {
      if (refused.has(req.socket)) return;
      send(res, response, headers);
      said(request(req), response, started);
    };
    // Answered before its body is read: node would then read and drop all of it, however long it
    // goes on (an endless chunked body to /__mock/reset was read at 15.9 GB in 30 s). It is dropped
    // within LINGER's bounds instead, as a refused body's rest is.
    // A preflight, and a health probe that finds the mock up, are not lines: a browser sends one before each call, a probe polls.
    const early = (response: MockResponse, quiet = false) => {
      if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) linger(req, res);
      if (quiet) send(res, response, headers);
      else answered(response);
    };
    try {
      const method = req.method ?? 'GET';
      const settled = formAnswer(req);
      if (settled) return early(settled);
      if (method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
        return early({ status: 204, headers: { 'access-control-allow-methods': req.headers['access-control-request-method'], vary: 'origin', 'content-length': '0' }, body: '' }, true);
      }
      // The absolute form (`GET http://host/path`), which a client using the mock as its proxy sends, names the same path (RFC 9112 3.2.2).
      const url = absoluteForm(req.url ?? '/');
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const query = q < 0 ? '' : url.slice(q + 1);
      // Under a vendor's prefix too (`/perx/__mock/reset`): an app whose base URL is the prefix appends to it.
      const adminAt = path.indexOf(`${ADMIN}/`);
      const prefix = adminAt === 0 ? '' : adminAt > 1 ? path.slice(1, adminAt) : undefined;
      const adminHere = prefix !== undefined && !prefix.includes('/') && admin.serves(prefix);
      if (adminHere && serving === undefined && ready && isHealth(path.slice(adminAt), method)) return early(stillLoading(admin.loading?.() ?? []), true);
      if (ready && !(await ready)) return void req.socket.destroy();
      if (adminHere) {
        const session = req.headers['x-mock-session'];
        const response = adminRoute(path.slice(adminAt), prefix, method, new URLSearchParams(query), typeof session === 'string' ? session : undefined, admin);
        return early(response, path.endsWith(`${ADMIN}/health`) && response.status === 200);
      }
      const hinted = (answer: MockResponse) => (prefix !== undefined && !prefix.includes('/') ? withAdminHint(answer, admin.routes) : answer);
      const body = await readBody(req);
      if (!(body instanceof Uint8Array)) {
        linger(req, res);
        return answered(body);
      }
      const target = pick(path);
      if (!('engine' in target)) return answered(hinted(target));
      const request: MockRequest = { method, path: target.path, query, headers: req.headers as Record<string, string>, body: body.byteLength ? body : undefined };
      send(res, hinted(await target.engine.handle(request)), headers);
    } catch (error) {
      logTo?.log(`[${logTo.name}] MOCK BUG: ${request(req)}: ${(error as Error).stack ?? error}`);
      answered(problem(500, 'Mock failure', `the mock's transport failed (a mock bug): ${(error as Error).message}`));
    }
  });
  // Past the cap, after the answers before it, once; the connection then closes (pipeline-cap.ts).
  const refusePipelined = (req: IncomingMessage) => {
    const { socket } = req;
    stopParsing(socket, LINGER.bytes);
    afterEarlierAnswers(socket, req, () => {
      if (!socket.writable) return void socket.destroy();
      const answer = pipelineRefusal();
      closeWith(socket, answer, [], serializedOrigin(req.headers.origin));
      dropAfter(socket, LINGER.ms);
      said(request(req), answer, -1);
    });
  };
  // A request node cannot parse never reaches the engine: headers over node's limit get a 431, garbage
  // instead of HTTP a 400. Either is answered with the CORS headers a browser needs to show the status.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Node reports a parser that failed again on each later read: the first report is answered.
    if (refused.has(socket)) return;
    if (!socket.writable) return void socket.destroy();
    refused.add(socket);
    const answer = nodeRefusal(error, server);
    // A request whose body failed came with its headers: its method, path and Origin are known.
    const failing = failingRequest(socket);
    // It had its answer (a 413) and the client gave up sending the rest: a 400 after it was a second answer to one request, and a second log line.
    if (failing && answeredEarly.has(failing)) return void socket.end();
    const origin = failing ? serializedOrigin(failing.headers.origin) : originInRaw((error as { rawPacket?: unknown }).rawPacket);
    afterEarlierAnswers(socket, failing, (own) => {
      if (!socket.writable) return void socket.destroy();
      // Answered already (a 413 before its body): no second answer; the connection ends after it.
      if (own?.headersSent) return void (own.writableFinished ? socket.end() : own.once('finish', () => socket.end()));
      closeWith(socket, answer, [], origin);
      said(failing ? request(failing) : '(a request node could not read)', answer, -1);
    });
  });
  // An Expect other than 100-continue: node answered a bare 417 itself.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const answer = problem(417, 'Expectation failed', `the mock meets no expectation but 100-continue (got Expect: ${String(req.headers.expect).slice(0, 100)})`, { header: 'expect' }, { connection: 'close' });
    send(res, answer, cors(req));
    said(request(req), answer, -1);
  });
  // RFC 9110 10.1.1: a body the mock will refuse by its declared length gets the final status in
  // place of the 100, or the client would upload all of it for the 413.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredTooLarge(req)) readOnAfter(res);
    else res.writeContinue();
    server.emit('request', req, res);
  });
  // Node hands CONNECT to this event and, without a listener, drops the connection unanswered.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const answer = problem(405, 'Method not allowed', `the mock is not a proxy: ${req.url ?? ''} cannot be reached with CONNECT`);
    closeWith(socket, answer, [`allow: ${ALLOW_ANY}`], serializedOrigin(req.headers.origin));
    said(`CONNECT ${printable(req.url ?? '')}`, answer, -1);
  });
  // A request whose headers or body never finish holds its socket until these end it (node's own are
  // 60 s and 300 s). A local client sends a whole request, at most 1 MiB, well within them.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // Node kept the first 1,000 header fields and dropped the rest unsaid: an Authorization after them
  // was a bare 401 (found 2026-12-03). The byte limit (maxHeaderSize) bounds how many can come.
  server.maxHeadersCount = 0;
  return server;
}

/**
 * Node closes a connection whose request was answered without its 100 as soon as the answer is
 * written, since the client may or may not send the body: one sending it without waiting (RFC
 * 9110 10.1.1 lets it) was reset and lost the 413. Unflagged (node's own flag, not exported), the
 * body is read on as any refused body's rest is (linger): if it comes the connection serves on,
 * if not it is closed LINGER.ms later.
 */
function readOnAfter(res: ServerResponse): void {
  (res as ServerResponse & { _expect_continue?: boolean })._expect_continue = false;
}

/**
 * An answer written straight to a socket node gave up on, or took from its HTTP handling, and the
 * connection closed. A credentialed browser call reads `*` as a CORS error, not the status: its
 * Origin is named where it is known (MOCK-156).
 */
function closeWith(socket: Duplex, answer: MockResponse, extra: string[] = [], origin?: string) {
  const body = Buffer.from(answer.body);
  const allowed = origin ? [`access-control-allow-origin: ${origin}`, 'access-control-allow-credentials: true', 'vary: origin'] : ['access-control-allow-origin: *'];
  const head = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`, 'connection: close', ...allowed, ...extra, `content-type: ${answer.headers['content-type']}`, `content-length: ${body.length}`];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
}

export function listen(server: Server, port: number, host: string, owner: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // Its caller names the option that chose a port in use (startMocks, the CLI): the errno goes with it.
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} (${owner}) is in use`, { cause: error })
          : new Error(`${owner}: cannot listen on ${host}:${port}: ${error.message}`, { cause: error }),
      ),
    );
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

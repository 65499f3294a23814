/**
 * A recording proxy: an HTTP server that passes each request on to a vendor (or its mock) and
 * records the exchange as a HAR entry, with the same recorder and credential mask as a client's
 * `record` option. It records traffic the typed clients do not make: another service's, another
 * language's. Point that code's base URL at the proxy. (It adds no CORS headers: a browser
 * page calling it directly is refused unless the vendor's own headers allow its origin.)
 */
import { createServer, maxHeaderSize, type IncomingMessage, type ServerResponse } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { httpUrlProblem } from '../options.js';
import { callerPace } from './caller-pace.js';
import { echoRefusal, unreadMethodRefusal } from './echo-methods.js';
import { relayablePhrase } from './reason-phrase.js';
import { vendorDeadline } from './vendor-deadline.js';
import { createForwarder, UndecodableBody, type AsSent } from './forward.js';
import { bodyLimitProblem, createCredentialMask, DECODED_CODINGS, DEFAULT_MAX_BODY_BYTES, surelyDecoded, type HarEntry } from './har.js';
import { recordingFetch } from './recording-fetch.js';
import { recorded } from './recordings.js';
import type { SpecOperation } from '../spec-operations.js';

export interface RecordingProxyOptions {
  /** The base URL requests are passed on to; a request for `/a?b` goes to `<target>/a?b`. */
  target: string;
  /** Receives each exchange, credentials masked. */
  record: (entry: HarEntry) => void;
  /** Values to mask wherever they appear, besides the credentials the mask knows by name. */
  secrets?: string[];
  /** The vendor's token operations (generated/vendors.json's `tokenOperations`): their 2xx answers are recorded with every token-shaped string masked. */
  tokenOperations?: readonly SpecOperation[];
  /** The largest request or answer body recorded, in bytes (default 8 MiB); a larger one is passed on whole and recorded as its size, marked `_notRecorded`. */
  maxBodyBytes?: number;
  /** 0 (the default) for any free port. */
  port?: number;
  host?: string;
  /** How long the vendor may take to answer one request (default 30000 ms); then the caller gets a 504. */
  timeoutMs?: number;
  /** One line per exchange ("GET /path → 200"). */
  log?: (line: string) => void;
}

export interface RecordingProxy {
  url: string;
  stop(): Promise<void>;
}

// Headers that describe one hop, not the message: Node's server and client set their own.
// `expect` too: node has answered the 100-continue itself, and the body is passed on whole.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length', 'expect']);

/** The codings of one Accept-Encoding line the proxy decodes (and `identity`), as the caller wrote them. */
function decodableEncodings(accepted: string): string {
  return accepted
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => {
      const name = coding.split(';')[0]!.trim().toLowerCase();
      return DECODED_CODINGS.has(name) || name === 'identity';
    })
    .join(', ');
}

/**
 * The caller's header lines as the vendor gets them, in its case and order, repeats on lines of
 * their own: all but those of this hop, the fixed ones and those its Connection header names. An
 * Accept-Encoding is cut to the codings the proxy decodes; one that names none of them offers all
 * it decodes (a caller that sent none gets none sent for it: fetch offered `gzip, deflate`).
 */
function linesOf(req: IncomingMessage): [string, string][] {
  const named = new Set(
    (req.headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const lines: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (!HOP_BY_HOP.has(name.toLowerCase()) && !named.has(name.toLowerCase())) lines.push([name, req.rawHeaders[i + 1]!]);
  }
  const accepting = lines.filter(([name]) => name.toLowerCase() === 'accept-encoding');
  for (const line of accepting) line[1] = decodableEncodings(line[1]);
  if (accepting.length > 0 && accepting.every(([, value]) => value === '')) accepting[0]![1] = 'gzip, deflate, br';
  return lines.filter((line) => !accepting.includes(line) || line[1] !== '');
}

/**
 * The Request the recording reads, and what it was sent as where a Request cannot hold it, for
 * forward.ts to send: its header lines as the caller wrote them, and whether it framed a body (one
 * that framed none goes without framing: Node added `Content-Length: 0` to a bodiless POST, PUT or PATCH).
 */
function requestOf(req: IncomingMessage, url: string, body: Buffer, signal: AbortSignal): { request: Request; asWritten: Omit<AsSent, 'pace' | 'heard'> } {
  const method = req.method ?? 'GET';
  const lines = linesOf(req);
  const request = new Request(url, {
    method,
    headers: new Headers(lines),
    body: method === 'GET' || method === 'HEAD' || body.length === 0 ? undefined : new Uint8Array(body),
    redirect: 'manual',
    signal,
  });
  return { request, asWritten: { lines, framed: req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined } };
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * What was wrong with an answer that came but could not be read, said with what to do: such a
 * vendor was reached, and "could not be reached" sent the reader to check the network.
 */
function unusableAnswer(error: unknown, target: string): ((cause: string) => string) | undefined {
  const code = ((error as Error)?.cause as { code?: string } | undefined)?.code;
  if (code === 'HPE_HEADER_OVERFLOW') return (cause) => `${target} answered with headers over Node's limit of ${maxHeaderSize} bytes (${cause}): start the proxy with NODE_OPTIONS=--max-http-header-size=<bytes> to take them`;
  if (code?.startsWith('HPE_')) return (cause) => `${target} answered with something that is not HTTP/1.1 (${cause}): check that --target names the right port, and https: for a TLS one`;
  return undefined;
}

/** answerError where Node's server hands over the bare connection (CONNECT, a request it could not parse), which is closed after. */
function answerOnSocket(socket: Socket, status: number, statusText: string, message: string): void {
  const body = JSON.stringify({ error: message });
  // The caller may hang up first: a socket's error with no listener ended the process.
  socket.on('error', () => undefined).end(`HTTP/1.1 ${status} ${statusText}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** How much of an answer is held until it is whole, so that a failure within it can be said in a 502 (or 504); past it, the answer goes on as it comes. */
const HELD_BYTES = 1024 * 1024;

/** What the caller is told of an answer that failed: `broken` is said with the cause after it, or takes it where a remedy follows. */
interface Failure {
  stopped: string;
  late: string;
  broken: string | ((cause: string) => string);
}

function answerError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: message }));
}

export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const problem = httpUrlProblem(options.target);
  if (problem) throw new TypeError(`recording proxy: target ${problem}`);
  // Named as the proxy's option: recordingFetch's own check says "record:", the client option.
  const limitProblem = options.maxBodyBytes === undefined ? undefined : bodyLimitProblem(options.maxBodyBytes);
  if (limitProblem) throw new TypeError(`recording proxy: maxBodyBytes ${limitProblem}`);
  const target = new URL(options.target).href.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const recordedUpTo = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Not fetch: it adds headers the caller never sent (CLIENT-139).
  // A Request's Headers holds its lines lower-cased, sorted and a repeated name joined: both the
  // vendor and the recording get them as the caller sent them.
  const asSent = new WeakMap<Request, AsSent>();
  // The forwarder adds the answer's header lines as the vendor wrote them, for the caller and the recording alike.
  const forward = createForwarder((request) => asSent.get(request));
  const send = recordingFetch(forward, options.record, options.secrets, options.maxBodyBytes, (request) => asSent.get(request), options.tokenOperations);
  // What the console shows is masked as the recording is: Footprints sends its token in the query.
  const shown = createCredentialMask(options.secrets ?? []).text;
  // Stopping ends the exchanges still waiting on the vendor (recorded as failed), or Ctrl-C would wait out --timeout.
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();

  async function pass(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    // A path is appended to the target. What an HTTP proxy is sent (`GET http://host/path`, from an
    // HTTP_PROXY setting) went to `<target>http://host/path`, and `OPTIONS *` to `<target>*`.
    if (!req.url?.startsWith('/')) return notAProxy(req, res, `${method} ${req.url}`);
    const echo = echoRefusal(method);
    // Refused rather than passed on and masked (echo-methods.ts says why): it was a 500, as fetch's Request refuses it.
    if (echo) return refuseMethod(req, res, echo);
    const body = await bodyOf(req);
    const deadline = vendorDeadline(timeoutMs);
    // Cleared however the exchange ends: once its entry is recorded, or once it fails.
    try {
      const caller = callerPace(res, deadline);
      const { request, asWritten } = requestOf(req, `${target}${req.url}`, body, AbortSignal.any([deadline.signal, stopping.signal]));
      asSent.set(request, { ...asWritten, pace: caller.pace });
      const reasonFor = (error: unknown, what: Failure) => {
        const cause = (error as Error & { cause?: Error })?.cause?.message ?? (error as Error)?.message ?? String(error);
        return stopping.signal.aborted ? what.stopped : (error as Error)?.name === 'TimeoutError' ? what.late : typeof what.broken === 'function' ? what.broken(cause) : `${what.broken}: ${cause}`;
      };
      /** A 504 when the vendor took longer than `--timeout`, else a 502, each naming the target and what went wrong. */
      const refuse = (error: unknown, what: Failure) => {
        const timedOut = (error as Error)?.name === 'TimeoutError';
        const reason = reasonFor(error, what);
        options.log?.(shown(`${method} ${req.url} → ${timedOut ? 504 : 502} (${reason})`));
        answerError(res, timedOut ? 504 : 502, shown(`recording proxy: ${reason}`));
      };
      let response: Response;
      try {
        response = await send(request);
      } catch (error) {
        return refuse(error, {
          stopped: `the recording stopped before ${target} answered`,
          late: `no answer from ${target} within ${timeoutMs} ms`,
          broken: unusableAnswer(error, target) ?? `${target} could not be reached`,
        });
      }
      // The caller gets the headers it is sent on with, less those of this hop. The codings fetch
      // decodes are decoded (forward.ts), so the caller gets those without the encoding header; any
      // other (one the caller did not offer) is handed on as it came, header and all.
      const undecoded = !surelyDecoded(response.headers.get('content-encoding'));
      // A phrase a status line cannot carry (a control character) is Node's own for the caller.
      const phrase = relayablePhrase(response.statusText);
      // As the vendor wrote them: a Response's Headers lower-cases names and joins a repeated one's lines (CLIENT-154 left it).
      const headers = (asSent.get(request)?.heard ?? [...response.headers]).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()) && (name.toLowerCase() !== 'content-encoding' || undecoded));
      // An answer within HELD_BYTES is held until it is whole, so a body cut off or stalled gets the
      // caller a 502 or 504 saying why; a larger one goes on as it comes, at the caller's pace.
      const held: Uint8Array[] = [];
      let heldBytes = 0;
      let sent = 0;
      let read = 0;
      // Set when the caller hung up on an answer over the recording's limit: the rest was not read.
      let leftUnread = false;
      const reader = response.body?.getReader();
      try {
        for (let next = await reader?.read(); next && !next.done; next = await reader!.read()) {
          read += next.value.length;
          // Hung up: the rest is read for the recording alone, as it would be the whole answer.
          // Cancelled, the answer (paced to this read, CLIENT-151) ended its recording there. Only
          // while the recording keeps what it reads: past its limit it keeps a size, and a vendor
          // streaming on was read at full speed until --timeout (151 MiB in 3 s), for nobody.
          if (res.destroyed) {
            while (read <= recordedUpTo) {
              const rest = await reader!.read();
              if (rest.done) break;
              read += rest.value.length;
            }
            if ((leftUnread = read > recordedUpTo)) void reader!.cancel().catch(() => undefined);
            break;
          }
          if (!res.headersSent && (heldBytes += next.value.length) <= HELD_BYTES) {
            held.push(next.value);
            continue;
          }
          if (!res.headersSent) res.writeHead(response.status, phrase, headers);
          for (const chunk of [...held.splice(0), next.value]) (sent += chunk.length), caller.write(chunk);
        }
      } catch (error) {
        // The answer's headers came, its body did not all; the recording keeps what arrived with `_error`.
        await recorded(response);
        const what = {
          stopped: `the recording stopped before ${target} finished answering`,
          late: `${target} did not finish its answer within ${timeoutMs} ms (status ${response.status}; its body stalled)`,
          // Bytes that do not decode came, cut off or not: "cut off" sent the reader to the network.
          broken: error instanceof UndecodableBody ? `${target} answered (status ${response.status}) with a body that is not ${error.coding}, as its Content-Encoding says` : `${target} cut its answer off (status ${response.status}) mid-body`,
        };
        if (!res.headersSent) return refuse(error, what);
        // Its headers and a part of it have gone: the caller sees its answer cut off, as the vendor cut it.
        options.log?.(shown(`${method} ${req.url} → ${response.status}, cut off after ${sent} bytes (${reasonFor(error, what)})`));
        return void res.destroy();
      }
      // Its entry is written before the exchange counts as done (stopping waits for those in flight).
      await recorded(response);
      if (!res.headersSent) res.writeHead(response.status, phrase, headers);
      res.end(held.length > 0 ? Buffer.concat(held) : undefined);
      // The vendor's answer is recorded whatever became of the caller; the line says whether it got it.
      const unread = leftUnread ? `, and the rest, past the recording's limit of ${recordedUpTo} bytes, was not read` : '';
      const gone = !res.destroyed ? '' : sent === 0 ? ` (recorded; the caller had hung up, so never got it${unread})` : ` (recorded; the caller hung up after ${sent} bytes were sent on${unread})`;
      options.log?.(shown(`${method} ${req.url} → ${response.status}${gone}`));
    } finally {
      deadline.clear();
    }
  }

  /**
   * Refuses what an HTTP(S) proxy is sent, saying how to use this one: nothing is passed on, and
   * sent on, traffic for every host a proxy setting covers would have gone to the one target.
   */
  function notAProxy(req: IncomingMessage, res: ServerResponse | Socket, what: string): void {
    const why = `recording proxy: got ${what} (its target is not a path): it passes paths on to ${target}, and is no HTTP proxy; set your code's base URL to this address instead of a proxy setting (HTTP_PROXY)`;
    options.log?.(shown(`${what} → 501 (not a path: set the base URL to this address instead of a proxy setting)`));
    if (res instanceof Socket) answerOnSocket(res, 501, 'Not Implemented', shown(why));
    else {
      req.resume();
      answerError(res, 501, shown(why));
    }
  }

  /** A request whose method is not passed on: 501, nothing sent to the vendor or recorded. */
  function refuseMethod(req: IncomingMessage, res: ServerResponse, why: string): void {
    options.log?.(shown(`${req.method} ${req.url} → 501 (${why})`));
    req.resume();
    answerError(res, 501, shown(`recording proxy: ${why}`));
  }

  const server = createServer((req, res) => {
    const exchange = pass(req, res).catch((error: unknown) => {
      // A caller that hung up mid-body gets no answer: the line said "→ 500 (aborted)".
      if (req.destroyed && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return options.log?.(shown(`${req.method} ${req.url} → not passed on: the caller hung up before its body was in`));
      // One bad request (an unparsable URL) ends that request only.
      options.log?.(shown(`${req.method} ${req.url} → 500 (${(error as Error).message})`));
      if (!res.headersSent) answerError(res, 500, shown(`recording proxy: ${(error as Error).message}`));
      else res.destroy();
    });
    inFlight.add(exchange);
    void exchange.finally(() => inFlight.delete(exchange));
  });
  // Every line the caller sent is passed on: past Node's count (2,000) the rest were dropped without
  // a word, a credential line with them. Their size is still bounded (--max-http-header-size).
  server.maxHeadersCount = 0;
  // Node answered a request it could not read with a bare status: headers over its limit got a
  // 431 saying nothing of the flag that raises it, and nothing was logged.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // Hung up, mid-body too (the request's own handler says so): no one is left to answer.
    if (!socket.writable || error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE') return void socket.destroy();
    // A method Node does not read (TRACK, or one outside its list) is named, not called bytes that are not HTTP.
    const unreadMethod = error.code === 'HPE_INVALID_METHOD' ? unreadMethodRefusal((error as { rawPacket?: Buffer }).rawPacket) : undefined;
    if (unreadMethod) {
      options.log?.(`(a request it could not read) → 501 (${unreadMethod})`);
      return answerOnSocket(socket, 501, 'Not Implemented', `recording proxy: ${unreadMethod}`);
    }
    const [status, statusText, why] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', `the request's headers are over Node's limit of ${maxHeaderSize} bytes: start the proxy with NODE_OPTIONS=--max-http-header-size=<bytes> to take them`]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', `the request did not arrive in full within ${server.requestTimeout / 1000} s, Node's requestTimeout`]
          : [400, 'Bad Request', `the request is not HTTP/1.1 it can read (${error.code ?? error.message})`];
    options.log?.(`(a request it could not read) → ${status} (${why})`);
    answerOnSocket(socket, status, statusText, `recording proxy: ${why}`);
  });
  // HTTPS through a proxy setting: without a listener, node closed the connection without a word.
  server.on('connect', (req: IncomingMessage, socket: Socket) => notAProxy(req, socket, `CONNECT ${req.url}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    /** Ends what is in flight (each recorded as failed), closes every connection, and resolves once all are recorded. */
    stop: async () => {
      stopping.abort(new Error('the recording stopped'));
      server.closeAllConnections();
      await Promise.allSettled([...inFlight]);
      forward.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

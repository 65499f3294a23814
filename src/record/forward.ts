/**
 * How the recording proxy passes a request on: with node:http(s), sending the request's own
 * headers and only what HTTP/1.1 needs besides (Host, the body's length). Node's fetch added
 * `accept`, `accept-language`, `sec-fetch-mode` and `user-agent` to a request that had none, and
 * cannot be told not to: the vendor saw headers the recorded client never sent (CLIENT-139).
 * What fetch did besides is done as it did it, so the proxy and the recording see the same
 * Response: the content codings it decodes are decoded (the header kept), redirects are handed
 * back, not followed, and an abort ends the exchange with the signal's reason, before the answer
 * or mid-body.
 */
import { ClientRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Transform, type Readable } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { withStatusText } from './reason-phrase.js';

export interface Forwarder {
  (request: Request): Promise<Response>;
  /** Closes the connections kept open for the next request. */
  close(): void;
}

/** Statuses whose answer has no body, whatever its headers say (fetch's null body statuses). */
const NO_BODY = new Set([101, 204, 205, 304]);

/** Codings past this many are refused, as fetch refuses them: each is another decompression to run. */
const MOST_CODINGS = 5;

// Lenient, as fetch and curl are: a compressed body missing its last flush still decodes.
const ZLIB_LENIENT = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
const BROTLI_LENIENT = { flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH };

/** The decoders, one per coding of DECODED_CODINGS (har.ts): the codings fetch decodes. */
const DECODERS: Record<string, () => Transform> = {
  gzip: () => createGunzip(ZLIB_LENIENT),
  'x-gzip': () => createGunzip(ZLIB_LENIENT),
  deflate: () => inflate(),
  br: () => createBrotliDecompress(BROTLI_LENIENT),
};

/**
 * Deflate as servers send it: zlib-wrapped, as the RFC says, or raw, as some send it; fetch reads
 * both, telling them apart by the first byte (a zlib header's low bits name deflate, 8).
 */
function inflate(): Transform {
  let inner: Transform | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!inner) {
        if (chunk.length === 0) return done();
        inner = (chunk[0]! & 0x0f) === 0x08 ? createInflate(ZLIB_LENIENT) : createInflateRaw(ZLIB_LENIENT);
        inner.on('data', (data: Buffer) => this.push(data)).on('error', (error) => this.destroy(error));
      }
      // A failed write is the inner stream's error, which destroys this one.
      inner.write(chunk, (error) => void (error || done()));
    },
    flush(done) {
      if (!inner) return done();
      inner.once('end', () => done()).end();
    },
  });
}

/**
 * The decoders for an answer's Content-Encoding, each with its coding, last coding first; none for
 * `identity`. Undefined when a coding is one fetch does not decode: the body is handed on as it
 * came, header and all.
 */
function decodersFor(contentEncoding: string | null): { coding: string; decoder: Transform }[] | undefined {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length > MOST_CODINGS) throw new Error(`the answer names ${codings.length} content codings; at most ${MOST_CODINGS} are decoded`);
  if (!codings.every((coding) => Object.hasOwn(DECODERS, coding))) return undefined;
  return codings.reverse().map((coding) => ({ coding, decoder: DECODERS[coding]!() }));
}

/** A body whose bytes are not in a coding its Content-Encoding names: it may have come whole, and cannot be read. */
export class UndecodableBody extends TypeError {
  constructor(
    readonly coding: string,
    cause: unknown,
  ) {
    super(`the answer's body is not ${coding} as its Content-Encoding says`, { cause });
  }
}

/** Node's error for a connection that closed mid-body says only "aborted". */
const cutOff = (error: NodeJS.ErrnoException) =>
  new TypeError("the answer's body did not arrive whole", {
    cause: error.code === 'ECONNRESET' && error.message === 'aborted' ? Object.assign(new Error('the connection closed before the end of the body'), { code: error.code }) : error,
  });

/**
 * An answer's body as a web stream, decoded, read as it is read (a paused answer holds the vendor
 * back). Each stream's errors are its own (no pipeline passes one on to the next), so a connection
 * cut off and bytes that do not decode are told apart; `fail` ends it with the error given, once.
 * Cancelling it destroys every stream, the connection with them.
 */
function decodedBody(answer: IncomingMessage, decoders: { coding: string; decoder: Transform }[], pace: Pace | undefined) {
  const streams: Readable[] = [answer, ...decoders.map(({ decoder }) => decoder)];
  for (let i = 1; i < streams.length; i++) streams[i - 1]!.pipe(streams[i] as Transform);
  const source = streams.at(-1)!;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let ended = false;
  const end = () => {
    ended = true;
    for (const stream of streams) stream.destroy();
  };
  const fail = (error: unknown) => {
    if (ended) return;
    end();
    controller.error(error);
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      source.pause();
      source.on('data', (chunk: Buffer) => {
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.once('end', () => ((ended = true), controller.close()));
    },
    pull() {
      const held = pace?.();
      if (!held) return void source.resume();
      // A flowing source goes on until a chunk waits unread, which a copy read at once never does.
      source.pause();
      return held.then(() => void source.resume());
    },
    cancel: end,
  });
  return { stream, fail, decoders };
}

/**
 * What a request was sent as where a Request cannot hold it: a Headers object lower-cases names,
 * sorts them and joins a repeated one (two Cookie lines became one), and cannot tell a body framed
 * as empty from none.
 */
export interface AsSent {
  /** Its header lines, less those of the hop: names in the sender's case and order, repeats on lines of their own. */
  lines: [string, string][];
  /** Whether it framed a body (Content-Length or Transfer-Encoding). One that did not, and has none, is sent without either. */
  framed: boolean;
  pace?: Pace;
  /** The answer's header lines as the vendor wrote them (its case, order and repeats), which a Response's Headers cannot hold: set once they are in. */
  heard?: [string, string][];
}

/**
 * A request sent with only the framing it is given. Node frames a bodiless request of any method
 * but GET, HEAD, DELETE, OPTIONS, TRACE and CONNECT itself: `Content-Length: 0` (fetch sent it for
 * POST and PUT only), or, its headers given as a list, `Transfer-Encoding: chunked` and an empty
 * chunk; a sender may have sent neither. Node reads `useChunkedEncodingByDefault` (a field in its
 * typings) as it writes the head, in its constructor for a list, so the answer is given here.
 */
class UnframedRequest extends ClientRequest {}
Object.defineProperty(UnframedRequest.prototype, 'useChunkedEncodingByDefault', { get: () => false, set: () => undefined });

/**
 * The request's head for node:http, as a list, which it sends as it is: Host first (as RFC 9110
 * asks), the sender's lines, then the body's length where it framed one.
 */
function headOf(host: string, sent: AsSent, body: Buffer | undefined): string[] {
  const lines: [string, string][] = [['Host', host], ...sent.lines];
  // The body is whole in hand: its length frames it, as fetch framed one it was given whole.
  if (body || sent.framed) lines.push(['Content-Length', String(body?.length ?? 0)]);
  return lines.flat();
}

function rawLines(answer: IncomingMessage): [string, string][] {
  const lines: [string, string][] = [];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push([answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!]);
  return lines;
}

/**
 * A Response of the vendor's answer. Response takes statuses 200 to 599 only; a vendor's 600 to
 * 999 (which Node reads, and fetch handed on) is given as made, on that one object, so the caller
 * still gets what the vendor sent; so is a reason phrase it refuses (the caller got a 502 reading
 * "could not be reached: Invalid statusText").
 */
function responseOf(answer: IncomingMessage, body: ReadableStream<Uint8Array> | null, headers: Headers): Response {
  const status = answer.statusCode ?? 0;
  const inRange = status >= 200 && status <= 599;
  const response = withStatusText(answer.statusMessage ?? '', (statusText) => new Response(body, { status: inRange ? status : 200, statusText, headers }));
  return inRange ? response : Object.defineProperty(response, 'status', { value: status });
}

/**
 * What holds an answer's body back for one request: a promise while the one the body goes to has
 * more than it takes (the proxy's caller, reading slowly), undefined when it may come on. A copy
 * of the body (the recording's, `Response.clone()`) reads as fast as it can and the other copy
 * keeps every chunk it has not read, so without it a slow caller's answer was held whole.
 */
export type Pace = () => Promise<void> | undefined;

/**
 * A forwarder with its own kept-alive connections, so `close()` ends only its own; `asSent` gives
 * what a request was sent as, if known (else its Headers are sent, and no framing for no body).
 */
export function createForwarder(asSent: (request: Request) => AsSent | undefined = () => undefined): Forwarder {
  // Its own, so closing the proxy leaves no idle connection to the vendor. An idle one is let go
  // after 4 s, as fetch's pool does (Node's global agents wait 5 s): a server that closes idle
  // connections at 5 s (Node's, Apache's) without saying so could close one as it was reused.
  const idle = { keepAlive: true, timeout: 4000 };
  const agents = { http: new HttpAgent(idle), https: new HttpsAgent(idle) };

  const forward = async (request: Request): Promise<Response> => {
    const { signal } = request;
    signal.throwIfAborted();
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    signal.throwIfAborted();
    const url = new URL(request.url);
    const sent = asSent(request) ?? { lines: [...request.headers], framed: false };
    return new Promise<Response>((resolve, reject) => {
      let answered: IncomingMessage | undefined;
      let answerBody: ReturnType<typeof decodedBody> | undefined;
      const onAbort = () => {
        if (answerBody) answerBody.fail(signal.reason);
        else reject(signal.reason);
        outbound.destroy();
      };
      const done = () => signal.removeEventListener('abort', onAbort);
      const outbound = new UnframedRequest({ ...urlToHttpOptions(url), method: request.method, headers: headOf(url.host, sent, body), agent: url.protocol === 'https:' ? agents.https : agents.http }, (answer) => {
        answered = answer;
        answer.once('close', done);
        try {
          // Raw, so each Set-Cookie stays on its own (Node's parsed headers join some and drop repeats of others).
          const lines = rawLines(answer);
          const headers = new Headers(lines);
          sent.heard = lines;
          const status = answer.statusCode ?? 0;
          if (request.method === 'HEAD' || NO_BODY.has(status)) {
            answer.resume();
            return resolve(responseOf(answer, null, headers));
          }
          answerBody = decodedBody(answer, decodersFor(headers.get('content-encoding')) ?? [], sent.pace);
          const { fail } = answerBody;
          answer.on('error', (error) => fail(signal.aborted ? signal.reason : cutOff(error)));
          for (const { coding, decoder } of answerBody.decoders) decoder.on('error', (error) => fail(signal.aborted ? signal.reason : new UndecodableBody(coding, error)));
          resolve(responseOf(answer, answerBody.stream, headers));
        } catch (error) {
          answer.destroy();
          done();
          reject(new TypeError('passing the request on failed', { cause: error }));
        }
      });
      outbound.on('error', (error) => {
        done();
        // Once answered, a failure is the body's, said there.
        if (!answered) reject(signal.aborted ? signal.reason : new TypeError('passing the request on failed', { cause: error }));
      });
      signal.addEventListener('abort', onAbort, { once: true });
      outbound.end(body);
    });
  };
  return Object.assign(forward, {
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

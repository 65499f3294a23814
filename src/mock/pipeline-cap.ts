import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem, type MockResponse } from './exchange.js';

/**
 * A bound on the requests one connection may have waiting for their answers. Node parses every
 * request a read holds before any is answered, and nothing of its own bounds that: 30,000 GETs
 * pipelined in one write to Perx were all handled, in 14–22 s and 89–186 MB (MOCK-159). No real
 * client pipelines this deep (browsers and node's agent do not pipeline; a load tool's `-p 10` is
 * deep), so past it the connection is answered up to the cap, refused once, and closed.
 */
export const PIPELINE = { queued: 100 } as const;

const queued = new WeakMap<Duplex, number>();
const flooded = new WeakSet<Duplex>();

/**
 * Whether a request is served (`serve`), is the one past the cap (`refuse`: it alone gets the
 * refusal), or comes after that on a refused connection (`ignore`: never answered, as the
 * connection closes after the refusal).
 */
export function admit(req: IncomingMessage, res: ServerResponse): 'serve' | 'refuse' | 'ignore' {
  const { socket } = req;
  if (flooded.has(socket)) return 'ignore';
  const count = (queued.get(socket) ?? 0) + 1;
  if (count > PIPELINE.queued) {
    flooded.add(socket);
    return 'refuse';
  }
  queued.set(socket, count);
  res.once('close', () => queued.set(socket, (queued.get(socket) ?? 1) - 1));
  return 'serve';
}

export const pipelineRefusal = (): MockResponse =>
  problem(503, 'Too many pipelined requests', `this connection sent more than ${PIPELINE.queued} requests before reading their answers: the first ${PIPELINE.queued} are answered, then this refusal, and the connection closes; send the rest once answers come, or over more connections`, { limit: PIPELINE.queued });

/**
 * What a refused connection sends from now on is read and dropped, not parsed: node's parser is
 * taken off the socket (adding a 'data' listener makes node hand the socket's bytes to listeners
 * rather than to the parser, and node's own listener is removed). Closed unread, the connection
 * would be reset and the client lose the answers still on their way, the refusal too; so it is
 * read within `bytes`, and destroyed once the refusal has been out `ms` (see `dropAfter`).
 */
export function stopParsing(socket: Duplex, bytes: number): void {
  socket.removeAllListeners('data');
  let left = bytes;
  socket.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) socket.destroy();
  });
  socket.resume();
}

/** Destroys a connection `ms` after its last answer went out and its side was ended. */
export function dropAfter(socket: Duplex, ms: number): void {
  setTimeout(() => socket.destroy(), ms).unref();
}

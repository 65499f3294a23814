import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LIMITS, tooLarge } from './guard.js';
import { problem, type MockRequest, type MockResponse } from './exchange.js';
import type { Engine } from './engine.js';

/**
 * The node:http transport: turns sockets into MockRequests and back. Everything about the API
 * lives in the engine; this file knows CORS, body limits and the admin routes.
 */
export const ADMIN = '/__mock';

export interface Admin {
  reset(session?: string): void;
}

function readBody(req: IncomingMessage): Promise<Uint8Array | MockResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LIMITS.bodyBytes) {
        req.removeAllListeners('data');
        req.resume();
        resolve(tooLarge(size));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(problem(400, 'Broken request', 'the request body could not be read')));
  });
}

function cors(req: IncomingMessage, res: ServerResponse) {
  res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
  res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-expose-headers', '*');
}

function send(res: ServerResponse, response: MockResponse) {
  if (res.headersSent) return void res.end();
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.writeHead(response.status);
  res.end(response.body);
}

function adminRoute(path: string, method: string, query: URLSearchParams, admin: Admin): MockResponse {
  if (path === `${ADMIN}/reset` && method === 'POST') {
    admin.reset(query.get('session') ?? undefined);
    return { status: 204, headers: {}, body: '' };
  }
  if (path === `${ADMIN}/health` && method === 'GET') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
  return problem(404, 'No such admin route', `the mock's admin routes are POST ${ADMIN}/reset[?session=name] and GET ${ADMIN}/health`);
}

/** One listener; `pick` chooses the engine for a path (a vendor port: always the same one). */
export function createMockServer(pick: (path: string) => { engine: Engine; path: string } | MockResponse, admin: Admin): Server {
  const server = createServer(async (req, res) => {
    try {
      cors(req, res);
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
        res.setHeader('access-control-allow-methods', req.headers['access-control-request-method']);
        res.setHeader('vary', 'origin');
        return send(res, { status: 204, headers: { 'content-length': '0' }, body: '' });
      }
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const query = q < 0 ? '' : url.slice(q + 1);
      if (path.startsWith(`${ADMIN}/`)) return send(res, adminRoute(path, method, new URLSearchParams(query), admin));
      const body = await readBody(req);
      if (!(body instanceof Uint8Array)) return send(res, body);
      const target = pick(path);
      if (!('engine' in target)) return send(res, target);
      const request: MockRequest = { method, path: target.path, query, headers: req.headers as Record<string, string>, body: body.byteLength ? body : undefined };
      send(res, await target.engine.handle(request));
    } catch (error) {
      send(res, problem(500, 'Mock failure', `the mock's transport failed (a mock bug): ${(error as Error).message}`));
    }
  });
  // A client that sends garbage instead of HTTP gets a 400 from node; nothing reaches the engine.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

export function listen(server: Server, port: number, host: string, owner: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} (${owner}) is in use: stop what holds it, or pick other ports with --port-base`)
          : new Error(`${owner}: cannot listen on ${host}:${port}: ${error.message}`),
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

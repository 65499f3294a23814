/**
 * A stand-in vendor for tests and the benchmark: a real HTTP server on a free port that answers
 * each documented operation with its first documented success and that response's first
 * example (what the mock serves by default). Unknown paths get 404; token endpoints get a token.
 */
import { createServer } from 'node:http';
import { matchOperation } from '../../contract-tests/lib/match.js';
import { deref, escapePointer, loadSpec, resolve, type LoadedSpec } from '../../contract-tests/lib/spec.js';
import { findVendor } from '../../src/vendors.js';

export interface ExampleAnswer {
  status: number;
  contentType: string;
  body: string | Uint8Array;
}

/** The first 2xx response of an operation and its first example, serialised. */
export function exampleAnswer(spec: LoadedSpec, operationId: string): ExampleAnswer {
  const op = spec.operations.find((o) => o.operation.operationId === operationId);
  if (!op) throw new Error(`${spec.vendor.name} has no operation ${operationId}`);
  const [status = '200'] = Object.keys(op.operation.responses).filter((s) => s.startsWith('2'));
  const response = resolve(spec.doc, `#/paths/${escapePointer(op.path)}/${op.method}/responses/${status}`).value;
  const [contentType, media] = Object.entries<any>(response.content ?? {})[0] ?? ['', {}];
  const example = media.example ?? deref(spec.doc, Object.values<any>(media.examples ?? {})[0])?.value;
  // Binary media (Imprzd's PNG) get a few bytes of the real signature; JSON gets the example.
  const body = contentType.startsWith('image/png') ? new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]) : example === undefined ? '' : JSON.stringify(example);
  return { status: Number(status), contentType, body };
}

export async function startExampleServer(vendor: string, options: { prefix?: string } = {}) {
  const spec = loadSpec(findVendor(vendor)!);
  const requests: { method: string; url: string }[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url! });
      const path = new URL(req.url!, 'http://x').pathname.slice(options.prefix?.length ?? 0);
      const op = matchOperation(spec, req.method!, path);
      if (!op) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"error":"not found"}');
      }
      const answer = exampleAnswer(spec, op.operation.operationId);
      res.writeHead(answer.status, answer.contentType && answer.body.length ? { 'content-type': answer.contentType } : {});
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}${options.prefix ?? ''}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

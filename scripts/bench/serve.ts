/**
 * A server process for the benchmark, so the load generator never shares its event loop:
 *   serve.ts mock       every vendor's mock (startMocks), prints {"ready": ms, "urls": …, "gatewayUrl": …}
 *   serve.ts floor      a bare node:http server answering the bytes given on stdin, prints {"url": …}
 * Then answers "rss" on stdin with its resident set size in bytes.
 */
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { startMocks } from '../../src/mock/index.js';

const mode = process.argv[2];
const lines = createInterface({ input: process.stdin });
const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

if (mode === 'mock') {
  const started = performance.now();
  const mocks = await startMocks({ portBase: 0 });
  reply({ ready: performance.now() - started, urls: mocks.urls, gatewayUrl: mocks.gatewayUrl });
} else {
  let body = '';
  let headers: Record<string, string> = {};
  const server = createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => reply({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }));
  lines.once('line', () => {}); // first line below sets the answer
  lines.on('line', (line) => {
    if (line === 'rss') return;
    ({ body, headers } = JSON.parse(line) as { body: string; headers: Record<string, string> });
    reply({ ok: true });
  });
}
lines.on('line', (line) => line === 'rss' && reply({ rss: process.memoryUsage().rss }));

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { close, listen } from './http.js';
import { startMocks } from './index.js';
import { DELIVERY_LIMITS } from './webhooks.js';

/**
 * stop() ends the webhook deliveries too (MOCK-49): it resolved while they were under way, a
 * delivery waiting its turn went out after it, and a receiver that never answered kept the
 * process that called it alive for each delivery's 5 s timeout.
 */
const headers = { 'x-client-authorization': 't', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json' };
const changeMember = (base: string, name: string) => fetch(`${base}/members/42`, { method: 'PUT', headers, body: JSON.stringify({ properties: { last_name: name } }) });

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('stop()', () => {
  it('sends nothing after it resolves: a delivery under way is aborted, and one waiting its turn never goes out', async () => {
    // More receivers than deliveries may be under way at once: the rest wait for a turn.
    const receivers = DELIVERY_LIMITS.inFlight + 8;
    const held: ServerResponse[] = [];
    const arrived: { afterStop: boolean }[] = [];
    let stopped = false;
    const receiver = createServer((_req: IncomingMessage, res) => {
      arrived.push({ afterStop: stopped });
      held.push(res); // never answered until the mock has stopped
    });
    const port = await listen(receiver, 0, '127.0.0.1', 'receiver');
    cleanup.push(() => close(receiver));
    const url = `http://127.0.0.1:${port}/hook`;
    const lines: string[] = [];
    const mocks = await startMocks({ vendors: ['placewise'], portBase: 0, log: (line) => lines.push(line), subscribers: { placewise: Array.from({ length: receivers }, () => ({ url, secret: 's' })) } });
    cleanup.push(() => mocks.stop());

    expect((await changeMember(mocks.urls.placewise!, 'Held')).status).toBe(200);
    await until(() => arrived.length === DELIVERY_LIMITS.inFlight, `${DELIVERY_LIMITS.inFlight} deliveries arriving`);
    await mocks.stop();
    stopped = true;
    // Each delivery under way was ended by the stop, not by its timeout or an answer.
    expect(lines.filter((line) => line.includes('webhook') && line.endsWith('not answered: the mock stopped first'))).toHaveLength(DELIVERY_LIMITS.inFlight);
    // Answered now, the held deliveries would free their turns for the waiting ones, if any were left.
    for (const res of held) if (!res.destroyed) res.writeHead(200).end();
    await new Promise((r) => setTimeout(r, 500));
    expect({ arrived: arrived.length, afterStop: arrived.filter((a) => a.afterStop).length }).toEqual({ arrived: DELIVERY_LIMITS.inFlight, afterStop: 0 });
  });

  it('leaves nothing that keeps the process alive when a receiver never answers', async () => {
    // A receiver that takes connections and never answers (a paused debugger), outside the process that stops the mock.
    const sockets = new Set<Socket>();
    const sink = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const { port } = sink.address() as { port: number };
    cleanup.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => sink.close(resolve));
    });
    // Enough deliveries that, each waiting out its 5 s timeout in turn, the child would outlive the test's timeout.
    const script = `
      import { startMocks } from ${JSON.stringify(fileURLToPath(new URL('./index.ts', import.meta.url)))};
      const url = 'http://127.0.0.1:${port}/hook';
      const mocks = await startMocks({ vendors: ['placewise'], portBase: 0, subscribers: { placewise: Array.from({ length: ${DELIVERY_LIMITS.inFlight + DELIVERY_LIMITS.waiting} }, () => ({ url, secret: 's' })) } });
      const answer = await fetch(mocks.urls.placewise + '/members/42', { method: 'PUT', headers: ${JSON.stringify(headers)}, body: JSON.stringify({ properties: { last_name: 'Held' } }) });
      console.log('changed', answer.status);
      await new Promise((resolve) => process.stdin.once('data', resolve));
      process.stdin.pause();
      await mocks.stop();
      console.log('stopped');
    `;
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    cleanup.push(() => child.exitCode === null && child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => out.includes('changed') && sockets.size > 0, 'a delivery reaching the receiver');
    child.stdin!.write('stop\n');
    // Without the fix the child outlives the test's own timeout (every delivery waits out its 5 s in turn).
    expect(await exited).toBe(0);
    expect({ out: out.trim().split('\n'), err }).toEqual({ out: ['changed 200', 'stopped'], err: '' });
  });
});

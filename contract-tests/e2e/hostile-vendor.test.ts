/**
 * The sandbox run's parts against a vendor that misbehaves on purpose: a real local HTTP server
 * standing in for the sandbox, configured as a user configures one (the environment).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ANSWER_TIMEOUT_MS } from '../lib/target.js';
import { fakeSecrets, runWithSandboxEnv } from './sandbox-run.js';

/** A stand-in vendor on a free port; every request it gets is kept, headers and all. */
async function standIn(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    answer(req, res);
  });
  server.on('connection', (socket) => (sockets.add(socket), socket.on('close', () => sockets.delete(socket))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const close = () => {
    sockets.forEach((socket) => socket.destroy());
    return new Promise((resolve) => server.close(resolve));
  };
  opened.push(close);
  return { url, seen };
}
const opened: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});

describe('a sandbox that misbehaves', () => {
  // Found 2026-12-03: dredd waits for an answer for ever, so test:sandbox hung in its dredd part
  // until it was killed (respect had --max-fetch-timeout, the contract suite vitest's timeout).
  it('that never answers: dredd gives up on the request after the answer timeout, names the operation, and fails the vendor', { timeout: ANSWER_TIMEOUT_MS * 4 }, async () => {
    const vendor = await standIn(() => undefined);
    const run = await runWithSandboxEnv('scripts/dredd.ts', { imprzd: vendor.url }, { CONTRACT_TARGET: 'sandbox' }, ['imprzd']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`error: GET /BroadcastImpression/api/file/displayImageV2/{fileId} got no answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
    expect(JSON.parse(run.files['dredd.json']!).imprzd).toMatchObject({ passing: 0, failing: 1 });
    expect(run.output).not.toContain(fakeSecrets.IMPRZD_TOKEN);
  });

});

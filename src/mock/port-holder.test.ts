import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { portHolder } from './port-holder.js';

const listenOn = (server: ReturnType<typeof createServer>, host: string) =>
  new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));

// /proc is Linux's: elsewhere there is nothing to name, and the message goes without it.
describe.runIf(process.platform === 'linux')('portHolder (Linux, from /proc)', () => {
  it('names another process listening on the port by its short name and pid', async () => {
    const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })"], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve) => child.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim()))));
      expect(portHolder(port)).toBe(`node (pid ${child.pid})`);
    } finally {
      child.kill();
    }
  });

  it('says "this process" when the caller holds it itself, on IPv6 too', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const server = createServer();
      const port = await listenOn(server, host);
      try {
        expect(portHolder(port)).toBe(`this process (pid ${process.pid})`);
      } finally {
        server.close();
      }
    }
  });

  it('names nobody for a port nothing listens on', async () => {
    const server = createServer();
    const port = await listenOn(server, '127.0.0.1');
    await new Promise((resolve) => server.close(resolve));
    expect(portHolder(port)).toBeUndefined();
  });
});

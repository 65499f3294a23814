import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface PrismOptions {
  spec: string;
  port: number;
  host?: string;
  /** Generate responses from the schemas instead of returning the examples. */
  dynamic?: boolean;
  /** Makes dynamic responses repeatable. */
  seed?: string;
  /** Prism's log level; 'error' roughly doubles throughput. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
  /** Receives Prism's log lines. */
  onLog?: (line: string) => void;
  /** Called when Prism exits after it was serving without being asked to stop (a crash). */
  onCrash?: (code: number | null, signal: string | null) => void;
}

export interface PrismProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Prism ships as an optional peer dependency: only the mock needs it. */
function prismEntry(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('@stoplight/prism-cli/package.json');
  } catch {
    throw new Error('the mock needs @stoplight/prism-cli: run npm install --save-dev @stoplight/prism-cli@5.14.2');
  }
  return join(dirname(manifest), 'dist/index.js');
}

export function assertPortFree(port: number, host: string, owner: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} (${owner}) is in use: stop what holds it, or pick other ports with --port-base`)
          : error,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A port the OS says is free right now (for tests, which must not collide with a running mock). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A TCP connect, not an HTTP request: a probe request would show up in Prism's log as an error. */
function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilServing(port: number, host: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Prism exited with code ${child.exitCode}:\n${output()}`);
    if (await accepts(port, host)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Prism did not listen on ${host}:${port} within ${timeoutMs / 1000}s:\n${output()}`);
}

export async function startPrism(options: PrismOptions): Promise<PrismProcess> {
  const host = options.host ?? '127.0.0.1';
  if (!existsSync(options.spec)) throw new Error(`spec ${options.spec} not found: run npm run build`);
  const args = [prismEntry(), 'mock', options.spec, '--port', String(options.port), '--host', host];
  args.push('--verboseLevel', options.logLevel ?? 'info');
  // Dynamic responses (--dynamic, or `Prefer: dynamic=true`) carry only the documented properties.
  args.push('--json-schema-faker-fillProperties=false');
  if (options.dynamic) args.push('--dynamic');
  if (options.seed) args.push('--seed', options.seed);

  // Own process group: a terminal's Ctrl-C reaches the launcher, which stops Prism itself, and
  // not Prism directly (which would look like a crash).
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let recent = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    recent = (recent + text).slice(-4000);
    if (options.onLog) for (const line of text.split('\n')) if (line.trim()) options.onLog(line);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  const url = `http://${host}:${options.port}`;
  let stopping = false;
  const stop = () =>
    new Promise<void>((resolve) => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  try {
    await waitUntilServing(options.port, host, child, () => recent, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  child.once('exit', (code, signal) => {
    if (!stopping) options.onCrash?.(code, signal);
  });
  return { url, port: options.port, child, stop };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, parseMockArgs } from './cli/commands.js';
import { UsageError } from './cli/usage.js';
import { ConfigError } from './errors.js';
import { startMocks } from './mock/index.js';
import { vendors } from './vendors.js';
import { createXonvoClient } from './xonvo.js';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const running: ChildProcess[] = [];
afterEach(() => {
  // Own process group (detached): a failing test still takes tsx and the mock down with it.
  for (const child of running.splice(0)) if (child.exitCode === null) try { process.kill(-child.pid!, 'SIGKILL'); } catch {}
});

function start(args: string[], { shell = false, preload = '' } = {}) {
  const command = [process.execPath, '--import', 'tsx', ...(preload ? ['--import', `data:text/javascript,${encodeURIComponent(preload)}`] : []), cli, 'mock', '--port-base', '0', '--gateway-port', '0', '--quiet', ...args];
  // `npm start` runs its script under `sh -c`, which is what the shell case stands for.
  const child = shell
    ? spawn('sh', ['-c', command.map((part) => `'${part}'`).join(' ')], { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.push(child);
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (c) => ((output += c), (stdout += c)));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = async () => {
    const deadline = Date.now() + 30_000;
    while (!output.includes('Ctrl-C stops')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`never became ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const urls = Object.fromEntries([...output.matchAll(/^(\w+)\s+(http:\/\/127\.0\.0\.1:\d+)\s/gm)].map((m) => [m[1]!, m[2]!]));
    const gateway = /gateway: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!;
    return { urls, gateway };
  };
  return { child, exited, ready, output: () => output, stdout: () => stdout };
}

const listening = async (url: string) => fetch(`${url}/__mock/health`).then(() => true, () => false);

describe('martech-contracts mock (a real process)', () => {
  it('serves every vendor with operations from one process, on its own port and under the gateway', async () => {
    const mock = start([]);
    const { urls, gateway } = await mock.ready();
    expect(Object.keys(urls).sort()).toEqual(vendors.filter((v) => v.operationCount > 0).map((v) => v.name).sort());
    const xonvo = createXonvoClient({ baseUrl: urls.xonvo!, username: 'u', password: 'p' });
    const { response } = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 } } });
    expect(response.status).toBe(200);
    const viaGateway = await fetch(`${gateway}/xonvo/accounts/21/statistics`, { headers: { authorization: 'Basic dTpw' } });
    expect(viaGateway.status).toBe(200);
    mock.child.kill('SIGINT');
    expect((await mock.exited).code).toBe(0);
    expect(mock.output()).toContain('Mocks stopped.');
  });

  // Start-up was silent for 2–13 s between its first line and the table (TEST-19).
  it('says on stderr as it loads each vendor, before its table of URLs; stdout holds only the table and its lines', async () => {
    const mock = start(['xonvo', 'imprzd']);
    await mock.ready();
    const output = mock.output();
    expect(output.match(/^\[\w+\] .* loaded$/gm)?.sort()).toEqual(['[imprzd] 1 operation loaded', `[xonvo] ${vendors.find((v) => v.name === 'xonvo')!.operationCount} operations loaded`]);
    expect(output.indexOf('[xonvo]')).toBeLessThan(output.indexOf('\nvendor'));
    expect(mock.stdout()).not.toContain('loaded');
    mock.child.kill('SIGINT');
    await mock.exited;
  });

  // It was ended by the signal's default action, without a word (TEST-20).
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('stopped by %s while it starts, says so and exits with the code a shell gives that signal (%i)', async (signal, code) => {
    const mock = start([]);
    // Loading the specs takes seconds of work after this line: the signal comes long before the table.
    while (!mock.output().includes('Starting mocks')) {
      if (mock.child.exitCode !== null) throw new Error(`ended before it started:\n${mock.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    mock.child.kill(signal);
    expect(await mock.exited).toEqual({ code, signal: null });
    expect(mock.output()).toContain(`${signal}: stopped before the mocks were ready.`);
    expect(mock.output()).not.toContain('Ctrl-C stops');
  });

  // Building the engines gives the event loop no turn: a stop during it was read after the table,
  // and ended "Mocks stopped." with 0 (found 2026-12-02). The signal is raised from inside start-up,
  // as the first vendor's line is written, so where it lands does not depend on timing.
  it('stopped while it builds the engines, says so before any table and exits 130', async () => {
    const raise = "const write = console.error; let sent = false; console.error = (...a) => { write(...a); if (!sent && / loaded$/.test(String(a[0]))) { sent = true; process.kill(process.pid, 'SIGINT'); } };";
    const mock = start(['imprzd'], { preload: raise });
    expect(await mock.exited).toEqual({ code: 130, signal: null });
    expect(mock.output()).toContain('[imprzd] 1 operation loaded\n');
    expect(mock.output()).toContain('SIGINT: stopped before the mocks were ready.');
    expect(mock.output()).not.toContain('Ctrl-C stops');
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)('stops cleanly on %s and frees every port', async (signal) => {
    const mock = start(['xonvo', 'perx']);
    const { urls, gateway } = await mock.ready();
    mock.child.kill(signal);
    expect((await mock.exited).code).toBe(0);
    for (const url of [...Object.values(urls), gateway]) expect(await listening(url)).toBe(false);
  });

  it('stops when the shell npm runs it under is ended (SIGTERM to npm ends npm and the shell only)', async () => {
    const mock = start(['xonvo'], { shell: true });
    const { urls, gateway } = await mock.ready();
    mock.child.kill('SIGTERM');
    await mock.exited;
    const deadline = Date.now() + 10_000;
    while (!mock.output().includes('Mocks stopped.') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(mock.output()).toContain('parent process ended: stopping…');
    for (const url of [...Object.values(urls), gateway]) expect(await listening(url)).toBe(false);
  });

  // Its parent was read only once the specs were loaded: one that ended meanwhile (a script's
  // `kill` during the seconds of loading) was never seen, and the mock served on (MOCK-164).
  // Loading takes 2–13 s on a slow machine and 0.6 s on a fast one, inside the watch's 1 s poll: the
  // first spec read is held 5 s, so the shell ends while the specs load on any machine.
  it('stops when the shell it runs under is ended while it loads the specs, saying so', async () => {
    const hold =
      'import fsp from "node:fs/promises"; import { syncBuiltinESMExports } from "node:module"; const read = fsp.readFile; let held = false;' +
      ' fsp.readFile = async (file, ...rest) => { if (!held && String(file).endsWith("openapi.json")) { held = true; await new Promise((r) => setTimeout(r, 5000)); } return read(file, ...rest); }; syncBuiltinESMExports();';
    const mock = start([], { shell: true, preload: hold });
    while (!mock.output().includes('Starting mocks')) {
      if (mock.child.exitCode !== null) throw new Error(`ended before it started:\n${mock.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    mock.child.kill('SIGTERM');
    await mock.exited;
    // The mock holds the pipes the shell handed it: they close when it exits.
    const closed = new Promise<boolean>((resolve) => (mock.child.stdout!.closed ? resolve(true) : mock.child.stdout!.on('close', () => resolve(true))));
    expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r(false), 20_000))]), mock.output()).toBe(true);
    expect(mock.output()).toContain('parent process ended: stopped before the mocks were ready.');
    expect(mock.output()).not.toContain('Ctrl-C stops');
  }, 30_000);

  // The README's way of starting it from a script (found 2026-12-01: it had promised more than the parent watch does).
  it('a script that starts `npm start` with & and traps EXIT to kill it leaves nothing serving when it ends', async () => {
    const script = `npm start -- xonvo --port-base 0 --gateway-port 0 --quiet > "$LOG" 2>&1 & trap 'kill $!' EXIT
      until grep -q 'Ctrl-C stops' "$LOG"; do sleep 0.2; done`;
    const log = join(tmpdir(), `martech-cli-script-${process.pid}.log`);
    const run = spawn('bash', ['-c', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, LOG: log }, stdio: 'ignore', detached: true });
    running.push(run);
    expect(await new Promise((resolve) => run.on('exit', resolve))).toBe(0);
    const url = /^xonvo\s+(http:\/\/127\.0\.0\.1:\d+)\s/m.exec(readFileSync(log, 'utf8'))?.[1];
    expect(url, readFileSync(log, 'utf8')).toBeDefined();
    const deadline = Date.now() + 15_000;
    while ((await listening(url!)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await listening(url!)).toBe(false);
    rmSync(log, { force: true });
  });

  it('stops when npm itself is killed with SIGKILL, which does not reach the shell npm runs it under', async () => {
    const script = `npm start -- xonvo --port-base 0 --gateway-port 0 --quiet > "$LOG" 2>&1 & echo $! > "$LOG.pid"; until grep -q 'Ctrl-C stops' "$LOG"; do sleep 0.2; done`;
    const log = join(tmpdir(), `martech-cli-npm-kill-${process.pid}.log`);
    // Its own process group, which npm's shell and the mock join: whatever the outcome, the group is ended after.
    const run = spawn('bash', ['-c', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, LOG: log }, stdio: 'ignore', detached: true });
    try {
      expect(await new Promise((resolve) => run.on('exit', resolve))).toBe(0);
      const url = /^xonvo\s+(http:\/\/127\.0\.0\.1:\d+)\s/m.exec(readFileSync(log, 'utf8'))?.[1];
      expect(url, readFileSync(log, 'utf8')).toBeDefined();
      process.kill(Number(readFileSync(`${log}.pid`, 'utf8')), 'SIGKILL');
      const deadline = Date.now() + 15_000;
      while ((await listening(url!)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await listening(url!)).toBe(false);
    } finally {
      try {
        process.kill(-run.pid!, 'SIGKILL');
      } catch {
        // The group has ended.
      }
      rmSync(log, { force: true });
      rmSync(`${log}.pid`, { force: true });
    }
  });

  it('keeps serving when an npm script started it under nohup and ended: only npm itself is watched above its shell (found 2026-12-01)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'martech-cli-nohup-'));
    const log = join(dir, 'mock.log');
    const root = fileURLToPath(new URL('..', import.meta.url));
    const script = `nohup sh -c 'cd "$ROOT" && node --import tsx src/cli.ts mock xonvo --port-base 0 --gateway-port 0 --quiet; echo ended' > "$LOG" 2>&1 & until grep -q 'Ctrl-C stops' "$LOG"; do sleep 0.2; done`;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nohup-starter', private: true, scripts: { start: script } }));
    const run = spawn('npm', ['start', '--silent'], { cwd: dir, env: { ...process.env, LOG: log, ROOT: root }, stdio: 'ignore', detached: true });
    try {
      expect(await new Promise((resolve) => run.on('exit', resolve))).toBe(0);
      const url = /^xonvo\s+(http:\/\/127\.0\.0\.1:\d+)\s/m.exec(readFileSync(log, 'utf8'))?.[1];
      expect(url, readFileSync(log, 'utf8')).toBeDefined();
      // Past the parent watch's one-second round, twice.
      await new Promise((r) => setTimeout(r, 2500));
      expect(await listening(url!), readFileSync(log, 'utf8')).toBe(true);
    } finally {
      try {
        process.kill(-run.pid!, 'SIGTERM');
      } catch {
        // The group has ended.
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves no listener behind when killed with SIGKILL (no child processes to orphan)', async () => {
    const mock = start([]);
    const { urls, gateway } = await mock.ready();
    mock.child.kill('SIGKILL');
    expect((await mock.exited).signal).toBe('SIGKILL');
    for (const url of [...Object.values(urls), gateway]) expect(await listening(url)).toBe(false);
  });

  it('keeps serving after requests that used to crash Prism', async () => {
    const mock = start(['perx']);
    const { urls } = await mock.ready();
    expect((await fetch(`${urls.perx}/v4/rewards/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${urls.perx}/v4/oauth/token`, { method: 'POST', headers: { 'content-type': 'garbage;;;===' }, body: '{}' })).status).toBe(415);
    expect(await listening(urls.perx!)).toBe(true);
    expect(mock.output()).not.toMatch(/at .*\.js:\d+/); // no stack trace in the log
  });

  it('refuses a port that is taken, naming it', async () => {
    const first = start(['xonvo']);
    const { urls } = await first.ready();
    const port = new URL(urls.xonvo!).port;
    const second = spawn(process.execPath, ['--import', 'tsx', cli, 'mock', 'xonvo', '--port-base', port, '--gateway-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.push(second);
    let output = '';
    second.stderr!.on('data', (c) => (output += c));
    const code = await new Promise((resolve) => second.on('exit', resolve));
    expect(code).toBe(1);
    // Named as the command line set it, not as startMocks() calls it (portBase).
    // The holder is named where /proc tells it (Linux): here the first mock.
    const holder = process.platform === 'linux' ? ` by node (pid ${first.child.pid})` : '';
    expect(output).toContain(`martech-contracts: --port-base is ${port}, and port ${port} (xonvo) is in use${holder}: stop what holds it, or pass another (0: any free ports)`);
    // Told before any spec was loaded (TEST-24 left it to listen time, seconds later).
    expect(output).not.toContain('operations loaded');
  });
});

describe('mock arguments (in process)', () => {
  it.each([
    [['--port-base', 'x'], '--port-base must be a whole number'],
    [['--port-base', '70000'], '--port-base must be a whole number'],
    [['--gateway-port=-1'], '--gateway-port must be a whole number'],
    // parseArgs called these ambiguous, or advised on passing a positional that starts with '-'.
    [['--port-base', '-1'], /^--port-base must be a whole number from 0 \(any free port\) to 65531 \(got "-1"\)$/],
    [['--bogus'], /^Unknown option '--bogus'$/],
    [['perx', 'perx'], /^vendor "perx" is named twice$/],
    [['Perx', 'xonvo', 'perx'], /^vendor "perx" is named twice$/],
    [['--webhook-to', 'http://127.0.0.1:9/hooks'], '--webhook-to and --webhook-secret go together (or set PLACEWISE_WEBHOOK_SECRET for the secret)'],
    [['--webhook-secret', 's'], '--webhook-to and --webhook-secret go together'],
    [['--webhook-to', 'not a url', '--webhook-secret', 's'], '--webhook-to must be an absolute URL with http: or https: (got "not a url")'],
    [['--webhook-to', 'http://ops:pw@127.0.0.1:3000/hooks', '--webhook-secret', 's'], '--webhook-to must not contain a user name or password (got "http://…@127.0.0.1:3000/hooks")'],
    [['perx', 'nobody'], 'unknown vendor "nobody"; the vendors are xonvo, footprints, perx, placewise, imprzd'],
    [['--port-base', ''], '--port-base must be a whole number'],
    [['--webhook-to', 'http://127.0.0.1:9/h', '--webhook-secret', ''], '--webhook-secret must be a non-empty string'],
    [['--webhook-to', 'http://127.0.0.1:9/h', '--webhook-secret', 'dev\nsecret'], '--webhook-secret must be usable in a header: no control characters other than tab, and none above U+00FF'],
  ])('%j → %s', (argv, message) => {
    // No PLACEWISE_WEBHOOK_SECRET from the shell running the tests.
    expect(() => parseMockArgs(argv, {})).toThrow(UsageError);
    expect(() => parseMockArgs(argv, {})).toThrow(message);
  });

  // Found 2026-12-03: the secret could only be typed on the command line, where every user's `ps` and the shell's history see it.
  it('takes the --webhook-to secret from PLACEWISE_WEBHOOK_SECRET, names the variable when it is unusable, and prefers --webhook-secret', () => {
    expect(parseMockArgs(['--webhook-to', 'http://127.0.0.1:9/h'], { PLACEWISE_WEBHOOK_SECRET: 'from-env' }).subscribers).toEqual({ placewise: [{ url: 'http://127.0.0.1:9/h', secret: 'from-env' }] });
    expect(parseMockArgs(['--webhook-to', 'http://127.0.0.1:9/h', '--webhook-secret', 's'], { PLACEWISE_WEBHOOK_SECRET: 'from-env' }).subscribers).toEqual({ placewise: [{ url: 'http://127.0.0.1:9/h', secret: 's' }] });
    // Without --webhook-to the variable sends nothing anywhere: a receiver's own setting is no reason to deliver.
    expect(parseMockArgs([], { PLACEWISE_WEBHOOK_SECRET: 'from-env' }).subscribers).toBeUndefined();
    expect(() => parseMockArgs(['--webhook-to', 'http://127.0.0.1:9/h'], { PLACEWISE_WEBHOOK_SECRET: 'dev\nSECRETVALUE' })).toThrow(/^PLACEWISE_WEBHOOK_SECRET must be usable in a header: no control characters other than tab, and none above U\+00FF$/);
    expect(() => parseMockArgs(['--webhook-to', 'http://127.0.0.1:9/h'], { PLACEWISE_WEBHOOK_SECRET: '' })).toThrow(/^PLACEWISE_WEBHOOK_SECRET must be a non-empty string$/);
  });

  it('a vendor named twice is a usage error: exit 2, the usage shown', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    try {
      await main(['mock', 'perx', 'perx']);
      expect(process.exitCode).toBe(2);
      expect(errors.join('\n')).toMatch(/^martech-contracts: vendor "perx" is named twice\n\nusage: martech-contracts mock/);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
  });

  it('--version prints the version of the package it runs from, exit 0 (it was an unknown command, exit 2)', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await main(['--version']);
      expect(process.exitCode ?? 0).toBe(0);
      expect(lines).toEqual([JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version]);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
  });

  it('says a port rule in the words startMocks() uses, each naming the option as its caller wrote it', async () => {
    expect(() => parseMockArgs(['--gateway-port', '99999'])).toThrow('--gateway-port must be a whole number from 0 (any free port) to 65535 (got "99999")');
    await expect(startMocks({ gatewayPort: -1 })).rejects.toThrow('mock: option "gatewayPort" must be a whole number from 0 (any free port) to 65535 (got -1)');
    expect(() => parseMockArgs(['--port-base', '65532'])).toThrow('--port-base must be a whole number from 0 (any free port) to 65531 (got "65532")');
    await expect(startMocks({ portBase: 65532 })).rejects.toThrow('mock: option "portBase" must be a whole number from 0 (any free port) to 65531 (got 65532)');
  });

  it('startMocks() names the option that chose a port in use as code passes it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const refused = await startMocks({ vendors: ['xonvo'], portBase: port, gatewayPort: 0 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConfigError);
      // Held by the very process that starts the mocks (a test setup that started them twice), it says so.
      const holder = process.platform === 'linux' ? ` by this process (pid ${process.pid})` : '';
      expect(refused).toMatchObject({ option: 'portBase', message: `mock: option "portBase" is ${port}, and port ${port} (xonvo) is in use${holder}: stop what holds it, or pass another (0: any free ports)` });
      await expect(startMocks({ vendors: ['xonvo'], portBase: 0, gatewayPort: port })).rejects.toThrow(`mock: option "gatewayPort" is ${port}, and port ${port} (gateway) is in use${holder}: stop what holds it, or pass another (0: any free port)`);
    } finally {
      taken.close();
    }
  });

  it('answers --help whatever else the line holds (a wrong vendor, a wrong port)', () => {
    for (const argv of [['--help', 'acme'], ['--help', '--port-base', '70000'], ['-h', '--webhook-to', 'x'], ['--help', '--bogus']]) expect(parseMockArgs(argv)).toMatchObject({ help: true });
  });

  it("refuses the mock's flags npm took as its own settings (given before --), naming them and the way to pass them", () => {
    // `npm start --port-base 4920 --stateless`: npm keeps the flags, and hands on "4920" alone.
    const npm = { npm_lifecycle_event: 'start', npm_config_port_base: 'true', npm_config_stateless: 'true' };
    // npm started with none of them: they were typed on its line.
    const typed = () => ({ PATH: '/usr/bin' });
    expect(() => parseMockArgs(['4920'], npm, undefined, { started: typed })).toThrow(new UsageError('npm took --stateless, --port-base as its own settings, so the mock did not get them: put the mock\'s flags after --, as in npm start -- --stateless'));
    expect(() => parseMockArgs([], { npm_lifecycle_event: 'mock', npm_config_gateway_port: '4929' }, undefined, { started: typed })).toThrow(new UsageError('npm took --gateway-port as its own setting, so the mock did not get it: put the mock\'s flags after --, as in npm run mock -- --gateway-port <value>'));
    // After --, the flags are the mock's; and a setting of npm's own (its log level) is none of the mock's.
    expect(parseMockArgs(['--stateless', '--port-base', '0'], { npm_lifecycle_event: 'start', npm_config_loglevel: 'warn' })).toMatchObject({ stateless: true, portBase: 0 });
    // Not run by npm: whatever the environment holds is no npm setting of this run.
    expect(parseMockArgs(['--port-base', '0'], { npm_config_stateless: 'true' })).toMatchObject({ stateless: false, portBase: 0 });
  });

  it("starts under a consumer's npm script whatever npm settings it runs with: those are the consumer's (MOCK-143)", () => {
    // `npm run dev --host=0.0.0.0 --seed=42`, its dev script starting the consumer's server (which reads
    // npm_config_host, a common way to pass it) and `martech-contracts mock`: the mock refused to start.
    const consumer = mkdtempSync(join(tmpdir(), 'martech-consumer-'));
    try {
      for (const script of ['dev', 'start', 'mock']) {
        const env = { npm_lifecycle_event: script, npm_config_host: '0.0.0.0', npm_config_seed: '42', npm_config_dynamic: 'true' };
        const parsed = parseMockArgs(['--port-base', '0'], env, consumer);
        expect([parsed.host, parsed.seed, parsed.dynamic, parsed.portBase]).toEqual(['127.0.0.1', undefined, false, 0]);
      }
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
    // In this package, a flag the mock got after -- was not taken by npm, whatever the environment also holds.
    expect(parseMockArgs(['--host', '0.0.0.0', '--seed=7', '--port-base', '0'], { npm_lifecycle_event: 'start', npm_config_host: 'x', npm_config_seed: 'y' })).toMatchObject({ host: '0.0.0.0', seed: '7' });
  });

  it('reads vendors and flags', () => {
    expect(parseMockArgs(['perx', '--stateless', '--port-base', '0'])).toMatchObject({ vendors: ['perx'], stateless: true, portBase: 0 });
    expect(parseMockArgs(['--webhook-to', 'http://127.0.0.1:9/h', '--webhook-secret', 's']).subscribers).toEqual({ placewise: [{ url: 'http://127.0.0.1:9/h', secret: 's' }] });
  });
});

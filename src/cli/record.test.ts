/**
 * `martech-contracts record` as a real process: a typed client's calls go through it to the
 * Imprzd example server, and the HAR on disk is complete after each exchange and after a stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startExampleServer } from '../../scripts/traffic/example-server.js';
import { readHar } from '../../scripts/traffic/har.js';
import { createImprzdClient } from '../imprzd.js';
import { processStart } from '../process-start.js';
import { claimFile, ownLock, removeDead } from './record.js';

const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const running: ChildProcess[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** `fileKiB`: the largest file the process may write (the shell's ulimit -f), as a full disk stops it. */
function record(args: string[], fileKiB?: number) {
  const command = [process.execPath, '--import', 'tsx', cli, 'record', ...args];
  const child =
    fileKiB === undefined
      ? spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('bash', ['-c', `ulimit -f ${fileKiB}; exec "$@"`, 'bash', ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 30_000;
    while (!output.includes(text)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`never printed "${text}":\n${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

/** The HAR on disk once it holds `count` entries (each exchange is written to it just after it is logged). */
async function entriesOnDisk(file: string, count: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const entries = (() => {
      try {
        return readHar(file);
      } catch {
        return []; // still the empty recording written at the start
      }
    })();
    if (entries.length >= count || Date.now() > deadline) return entries;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('martech-contracts record (a real process)', () => {
  it('records the calls made through it into a HAR that is complete after each exchange and after Ctrl-C', async () => {
    const server = await startExampleServer('imprzd');
    stops.push(server.close);
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'imprzd.har');
    const proxy = record(['imprzd', '--target', server.url, '--out', out, '--port', '0']);
    await proxy.waitFor('Ctrl-C stops');
    const url = /Recording imprzd: (http:\/\/127\.0\.0\.1:\d+) → /.exec(proxy.output())![1]!;

    const imprzd = createImprzdClient({ baseUrl: url, token: 'eyJhbGciOi.secret.jwt' });
    const { response } = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'L2hvbWUv' } }, parseAs: 'arrayBuffer' });
    expect(response.status).toBe(200);
    await proxy.waitFor('(1 recorded)');
    expect((await entriesOnDisk(out, 1)).map((e) => e.url.pathname)).toEqual(['/BroadcastImpression/api/file/displayImageV2/L2hvbWUv']);

    await imprzd.request('get' as never, '/BroadcastImpression/api/customers/{id}/segments' as never, { params: { path: { id: 7 } } } as never);
    await proxy.waitFor('(2 recorded)');
    proxy.child.kill('SIGINT');
    expect(await proxy.exited).toBe(0);
    expect(proxy.output()).toContain(`Recorded 2 exchanges into ${out}. Check them in a clone of martech-contracts: npm run traffic -- imprzd ${out} --server ${server.url}`);
    expect(readHar(out)).toHaveLength(2);
    expect(readFileSync(out, 'utf8')).not.toContain('secret.jwt');
  });

  // `npm run record`'s shell ended by a SIGTERM to npm left the proxy serving, orphaned, its port
  // and its --out's lock held (CLIENT-182).
  it('stops when the shell it runs under is ended, as npm runs it, leaving a complete file and no lock', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har');
    const command = [process.execPath, '--import', 'tsx', cli, 'record', 'imprzd', '--target', 'http://127.0.0.1:9', '--out', out, '--port', '0'];
    // `; true` keeps the shell from handing its place to the command: the proxy is its child, as under npm.
    const shell = spawn('sh', ['-c', '"$@"; true', 'sh', ...command], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    shell.stdout!.on('data', (c) => (output += c));
    shell.stderr!.on('data', (c) => (output += c));
    const closed = new Promise<boolean>((resolve) => shell.stdout!.on('close', () => resolve(true)));
    try {
      const deadline = Date.now() + 30_000;
      while (!output.includes('Ctrl-C stops') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const url = /Recording imprzd: (http:\/\/127\.0\.0\.1:\d+) → /.exec(output)?.[1];
      expect(url, output).toBeDefined();
      shell.kill('SIGTERM');
      // The proxy holds the pipes the shell handed it: they close when it exits.
      expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r(false), 15_000))]), output).toBe(true);
      expect(output).toContain('parent process ended: stopping…');
      expect(output).toContain(`Recorded 0 exchanges into ${out}.`);
      expect((JSON.parse(readFileSync(out, 'utf8')) as { log: { entries: unknown[] } }).log.entries).toEqual([]);
      expect(existsSync(`${out}.lock`)).toBe(false);
      expect(await fetch(url!).then(() => 'answered', () => 'closed')).toBe('closed');
    } finally {
      try { process.kill(-shell.pid!, 'SIGKILL'); } catch {}
    }
  }, 45_000);

  it.each([
    [['imprzd'], '--out <file.har> is required'],
    [['nope', '--out', 'x.har'], 'unknown vendor "nope"; the vendors are'],
    [['imprzd', '--out', 'x.har', '--target', 'ftp://x'], '--target must be an absolute URL with http: or https: (got "ftp://x")'],
    [['imprzd', '--out', 'x.har', '--target', 'https://ops:pw@mock.example'], '--target must not contain a user name or password (got "https://…@mock.example")'],
    [['imprzd', '--out', 'x.har', '--timeout', '0'], '--timeout must be a whole number of ms from 1 to 2147483647 (got "0")'],
    [['imprzd', '--out', 'x.har', '--timeout', '3000000000'], '--timeout must be a whole number of ms from 1 to 2147483647 (got "3000000000")'],
    [['imprzd', '--out', 'x.har', '--target', 'http://127.0.0.1:1/api?x=1'], '--target must not have a query or fragment'],
    [['imprzd', '--out', 'x.har', '--port', '99999'], '--port must be a whole number from 0 (any free port) to 65535 (got "99999")'],
    // parseArgs called a negative value ambiguous.
    [['imprzd', '--out', 'x.har', '--timeout', '-5'], '--timeout must be a whole number of ms from 1 to 2147483647 (got "-5")'],
  ])('refuses %j with exit 2, saying what is wrong', async (args, message) => {
    const run = record(args);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain(`record: ${message}`);
    expect(run.output()).toContain('usage: martech-contracts record <vendor> --out <file.har>');
  });

  it('adds each exchange to the file on disk in place: what is there is not written again, and a body over --max-body is its size only', async () => {
    const server = await startExampleServer('imprzd');
    stops.push(server.close);
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'imprzd.har');
    const proxy = record(['imprzd', '--target', server.url, '--out', out, '--port', '0', '--max-body', '1KiB']);
    await proxy.waitFor('Ctrl-C stops');
    const url = /Recording imprzd: (http:\/\/127\.0\.0\.1:\d+) → /.exec(proxy.output())![1]!;
    const segments = (id: number) => fetch(`${url}/BroadcastImpression/api/customers/${id}/segments`).then((r) => r.text());
    await segments(1);
    await proxy.waitFor('(1 recorded)');
    expect(await entriesOnDisk(out, 1)).toHaveLength(1);
    const inode = statSync(out).ino;
    // Changed on disk, same length: a writer that rewrites the file from memory puts it back.
    writeFileSync(out, readFileSync(out, 'utf8').replace('/customers/1/', '/customers/X/'));
    await segments(2);
    await proxy.waitFor('(2 recorded)');
    const upload = await fetch(`${url}/BroadcastImpression/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(4096) });
    await upload.arrayBuffer();
    await proxy.waitFor('(3 recorded)');
    proxy.child.kill('SIGINT');
    expect(await proxy.exited).toBe(0);
    expect(statSync(out).ino).toBe(inode);
    const entries = readHar(out);
    expect(entries.map((e) => e.url.pathname)).toEqual(['/BroadcastImpression/api/customers/X/segments', '/BroadcastImpression/api/customers/2/segments', '/BroadcastImpression/api/upload']);
    const postData = JSON.parse(readFileSync(out, 'utf8')).log.entries[2].request.postData;
    expect(postData).toEqual({ mimeType: 'application/octet-stream', text: '', _notRecorded: "the body, 4096 bytes, is over the recording's limit of 1024 bytes (maxBodyBytes): only its size is recorded" });
  });

  it('refuses a --max-body that is no size, naming the rule', async () => {
    const run = record(['imprzd', '--out', join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har'), '--max-body', '8MB']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('record: --max-body must be a whole number of bytes, or of KiB or MiB, from 0 to 256MiB (got "8MB")');
    // Past about 400 MB one body is no string V8 holds: 1024MiB was taken before.
    const huge = record(['imprzd', '--out', join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har'), '--max-body', '257MiB']);
    expect(await huge.exited).toBe(2);
    expect(huge.output()).toContain('record: --max-body must be a whole number of bytes, or of KiB or MiB, from 0 to 256MiB (got "257MiB")');
  });

  it('refuses an --out that exists, unless --force, and a --target that is its own address', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'kept.har');
    writeFileSync(out, 'a recording made before');
    const refused = record(['imprzd', '--out', out]);
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toContain(`record: --out ${out} exists: pass another file, or --force to replace it`);
    expect(readFileSync(out, 'utf8')).toBe('a recording made before');
    const looped = record(['imprzd', '--out', `${out}.2`, '--port', '45123', '--target', 'http://localhost:45123']);
    expect(await looped.exited).toBe(2);
    expect(looped.output()).toContain("record: --target http://localhost:45123 is this proxy's own address (--port 45123): point it at the vendor or the mock");
    // Listening on every address, this machine's own address is the proxy too.
    const machine = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.1';
    const wildcard = record(['imprzd', '--out', `${out}.3`, '--host', '0.0.0.0', '--port', '45124', '--target', `http://${machine}:45124`]);
    expect(await wildcard.exited).toBe(2);
    expect(wildcard.output()).toContain("is this proxy's own address");
    // Spelt another way (IPv4-mapped IPv6, an IPv6 wildcard), the same address.
    for (const [host, target] of [
      ['127.0.0.1', 'http://[::ffff:127.0.0.1]:45125'],
      ['0:0:0:0:0:0:0:0', 'http://127.0.0.1:45125'],
      ['::0', 'http://[::1]:45125'],
      // A wildcard target reaches a loopback listener.
      ['127.0.0.1', 'http://0.0.0.0:45125'],
      ['::1', 'http://[::]:45125'],
    ]) {
      const spelt = record(['imprzd', '--out', `${out}.4`, '--host', host!, '--port', '45125', '--target', target!]);
      expect(await spelt.exited).toBe(2);
      expect(spelt.output()).toContain("is this proxy's own address");
    }
    const forced = record(['imprzd', '--out', out, '--force', '--port', '0']);
    await forced.waitFor('Ctrl-C stops');
    forced.child.kill('SIGINT');
    expect(await forced.exited).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).log.entries).toEqual([]);
  });

  it('refuses an --out that is a folder, --force or not, naming a file to pass instead, and writes nothing', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'try');
    mkdirSync(folder);
    for (const args of [['imprzd', '--out', folder], ['imprzd', '--out', folder, '--force']]) {
      const run = record(args);
      expect(await run.exited).toBe(2);
      expect(run.output()).toContain(`record: --out ${folder} is a folder: pass a file path such as ${folder}/x.har\n`);
    }
    expect(existsSync(`${folder}.tmp`)).toBe(false);
  });

  it('leaves no file when it cannot start, so the retry its message asks for is not refused (found 2026-12-01)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'busy.har');
    try {
      const run = record(['imprzd', '--out', out, '--port', String(port)]);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`port ${port} is taken; pass another --port, or --port 0 for any free one`);
      expect(existsSync(out)).toBe(false);
      const host = record(['imprzd', '--out', out, '--host', 'not a host']);
      expect(await host.exited).toBe(1);
      expect(host.output()).toContain('cannot listen on --host not a host:');
      expect(existsSync(out)).toBe(false);
      // A recording --force was to replace is kept when nothing was recorded (a second round found it lost).
      writeFileSync(out, 'the first recording');
      const forced = record(['imprzd', '--out', out, '--force', '--port', String(port)]);
      expect(await forced.exited).toBe(1);
      expect(readFileSync(out, 'utf8')).toBe('the first recording');
      expect(existsSync(`${out}.tmp`)).toBe(false);
      expect(existsSync(`${out}.lock`)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('refuses an --out another record is writing, --force or not, and takes over the lock of one that was killed (found 2026-12-02)', async () => {
    // Two recordings into one file took each other's .tmp ("ENOENT: rename") and each rewrote the
    // file without the other's exchanges, both saying they had recorded theirs into it.
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'shared.har');
    const first = record(['imprzd', '--out', out, '--port', '0']);
    await first.waitFor('Ctrl-C stops');
    const second = record(['imprzd', '--out', out, '--force', '--port', '0']);
    expect(await Promise.race([second.exited, second.waitFor('Ctrl-C stops').then(() => 'started as well')])).toBe(1);
    expect(second.output()).toContain(`martech-contracts record: another record (pid ${first.child.pid}) is writing ${out}: pass another --out, or stop that one first (if none runs, delete ${out}.lock)`);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(existsSync(`${out}.lock`)).toBe(false);
    // A lock left by a process that is gone does not hold the file.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(`${out}.lock`, String(gone.pid));
    const after = record(['imprzd', '--out', out, '--force', '--port', '0']);
    await after.waitFor('Ctrl-C stops');
    expect(readFileSync(`${out}.lock`, 'utf8')).toMatch(new RegExp(`^${after.child.pid}( \\d+)?$`));
    after.child.kill('SIGINT');
    expect(await after.exited).toBe(0);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('leaves a lock that names no pid to its process: an empty one is one being written (found 2026-12-02)', async () => {
    // Created and then written, a lock read in between was taken over as a dead process's, and
    // both records wrote the one file.
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har');
    writeFileSync(`${out}.lock`, '');
    const run = record(['imprzd', '--out', out, '--port', '0']);
    expect(await Promise.race([run.exited, run.waitFor('Ctrl-C stops').then(() => 'started')])).toBe(1);
    expect(run.output()).toContain(`martech-contracts record: another record (${out}.lock names no pid: one starting, or not a record's lock) is writing ${out}: pass another --out, or stop that one first (if none runs, delete ${out}.lock)`);
    expect(readFileSync(`${out}.lock`, 'utf8')).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('says at the end how many exchanges it could not write, and exits 1 (found 2026-12-02)', async () => {
    // A write that failed was retried with the next and on close, and a second failure there was
    // dropped without a word: the last line said "Recorded 1 exchange" and the exit code was 0.
    const server = await startExampleServer('imprzd');
    stops.push(server.close);
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'imprzd.har');
    const proxy = record(['imprzd', '--target', server.url, '--out', out, '--port', '0'], 8);
    await proxy.waitFor('Ctrl-C stops');
    const url = /Recording imprzd: (http:\/\/127\.0\.0\.1:\d+) → /.exec(proxy.output())![1]!;
    await fetch(`${url}/BroadcastImpression/api/customers/1/segments`).then((r) => r.text());
    await proxy.waitFor('(1 recorded)');
    // Its entry is past the 8 KiB the file may grow to.
    await fetch(`${url}/BroadcastImpression/api/upload`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(16_384) }).then((r) => r.text());
    await proxy.waitFor('(2 recorded)');
    await proxy.waitFor('cannot write');
    proxy.child.kill('SIGINT');
    expect(await proxy.exited).toBe(1);
    expect(proxy.output()).toContain(`martech-contracts record: 1 of 2 exchanges could not be written into ${out} (`);
    expect(proxy.output()).toContain('the file holds the first 1, whole');
    expect(readHar(out).map((e) => e.url.pathname)).toEqual(['/BroadcastImpression/api/customers/1/segments']);
  });

  it('gives one file to one of several claims made at once in one process, the others told its pid, a dead one\'s lock there or not', async () => {
    // Each claim wrote its pid to <lock>.<pid> and deleted it after linking: one deleted it before another linked it (ENOENT).
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har');
    // Left by a record that is gone: each claim takes it over, one after another.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(`${out}.lock`, String(gone.pid));
    const claims = await Promise.all([claimFile(out), claimFile(out), claimFile(out)]);
    expect(claims.filter((claim) => 'release' in claim)).toHaveLength(1);
    expect(claims.filter((claim) => 'heldBy' in claim && claim.heldBy === process.pid)).toHaveLength(2);
    for (const claim of claims) if ('release' in claim) claim.release();
    expect(readdirSync(dirname(out))).toEqual([]);
    const again = await Promise.all([claimFile(out), claimFile(out)]);
    expect(again.filter((claim) => 'release' in claim)).toHaveLength(1);
    for (const claim of again) if ('release' in claim) claim.release();
  });

  it("a takeover of a dead run's lock that comes late leaves alone the lock another claim made in its place (CLIENT-126 left it)", async () => {
    // Two takeovers read the same dead pid; the first deleted the lock and made its own, the second deleted that one by name: both recorded.
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har');
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(`${out}.lock`, String(gone.pid));
    const first = await claimFile(out);
    expect('release' in first).toBe(true);
    // The second takeover, late: it read the dead pid before the first made its lock.
    await removeDead(`${out}.lock`, String(gone.pid));
    expect(readFileSync(`${out}.lock`, 'utf8')).toBe(ownLock());
    expect(await claimFile(out)).toEqual({ heldBy: process.pid });
    if ('release' in first) first.release();
    expect(readdirSync(dirname(out))).toEqual([]);
    // The dead lock itself goes, and nothing is left beside it.
    writeFileSync(`${out}.lock`, String(gone.pid));
    await removeDead(`${out}.lock`, String(gone.pid));
    expect(readdirSync(dirname(out))).toEqual([]);
  });

  it.skipIf(processStart(process.pid) === undefined)('reads /proc for its own start only when it takes a lock: importing the module reads nothing there (CLIENT-177 read it at load)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har');
    // Every /proc path the process reads through node:fs, by whichever name the code reached it.
    const script = `
      import fs from 'node:fs';
      import { syncBuiltinESMExports } from 'node:module';
      const read = fs.readFileSync;
      const seen = [];
      fs.readFileSync = function (path, ...rest) {
        if (String(path).startsWith('/proc/')) seen.push(String(path));
        return read.call(this, path, ...rest);
      };
      syncBuiltinESMExports();
      const record = await import(${JSON.stringify(new URL('./record.ts', import.meta.url).href)});
      const atImport = seen.splice(0);
      const claim = await record.claimFile(${JSON.stringify(out)});
      const lock = read(${JSON.stringify(`${out}.lock`)}, 'utf8');
      claim.release();
      console.log(JSON.stringify({ atImport, atClaim: seen, lock, pid: process.pid }));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    expect(await new Promise((resolve) => child.on('exit', resolve)), output).toBe(0);
    const { atImport, atClaim, lock, pid } = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(atImport).toEqual([]);
    expect(atClaim).toContain(`/proc/${pid}/stat`);
    expect(lock).toMatch(new RegExp(`^${pid} \\d+$`));
  });

  it("takes over a lock naming this process's pid that no claim of this process made: a dead run's that had the same pid (a container's record is pid 1 again)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har');
    writeFileSync(`${out}.lock`, String(process.pid));
    const claim = await claimFile(out);
    expect('release' in claim).toBe(true);
    // Held by this claim now: another claim of this process is told so.
    expect(await claimFile(out)).toEqual({ heldBy: process.pid });
    if ('release' in claim) claim.release();
    expect(readdirSync(dirname(out))).toEqual([]);
  });

  it.skipIf(processStart(process.pid) === undefined)("takes over a killed run's lock whose pid a process that is no record got since, told apart by its start time (CLIENT-126 left it)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har');
    // An unrelated process, alive: the pid a dead run's lock names, given to it since.
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    running.push(other);
    await new Promise((resolve) => other.once('spawn', resolve));
    const started = processStart(other.pid!)!;
    writeFileSync(`${out}.lock`, `${other.pid} ${BigInt(started) + 1n}`);
    const claim = await claimFile(out);
    expect(claim).toHaveProperty('release');
    expect(readFileSync(`${out}.lock`, 'utf8')).toBe(ownLock());
    if ('release' in claim) claim.release();
    expect(readdirSync(dirname(out))).toEqual([]);
    // Named with its own start, it is that process's; named without one (written where /proc is not, or
    // by a version before), the pid alone says, as before.
    for (const text of [`${other.pid} ${started}`, String(other.pid)]) {
      writeFileSync(`${out}.lock`, text);
      expect(await claimFile(out)).toEqual({ heldBy: other.pid });
      expect(readFileSync(`${out}.lock`, 'utf8')).toBe(text);
    }
    other.kill('SIGKILL');
  });

  it.skipIf(processStart(process.pid) === undefined)("deletes a killed run's copy whose pid a process that is no record got since, told apart by its start time as the lock is (CLIENT-178 left it)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'martech-record-cli-'));
    const out = join(dir, 'x.har');
    // An unrelated process, alive: the pid a killed run's copy is named by, given to it since.
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    running.push(other);
    await new Promise((resolve) => other.once('spawn', resolve));
    const started = processStart(other.pid!)!;
    const dead = `x.har.${other.pid}-${BigInt(started) + 1n}.1.tmp`;
    // Named with its own start, it is that process's; named without one (where /proc is not, or by a
    // version before), the pid alone says, as before.
    const kept = [`x.har.${other.pid}-${started}.1.tmp`, `x.har.${other.pid}.1.tmp`];
    for (const name of [dead, ...kept]) writeFileSync(join(dir, name), '{}');
    const run = record(['imprzd', '--out', out, '--port', '0']);
    await run.waitFor('Ctrl-C stops');
    // Its own copy is named by its pid and start, so a run that finds it after this one was killed can tell.
    const own = new RegExp(`^x\\.har\\.${run.child.pid}-${processStart(run.child.pid!)}\\.\\d+\\.tmp$`);
    expect(readdirSync(dir).filter((name) => own.test(name))).toHaveLength(1);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['x.har', ...kept].sort());
    other.kill('SIGKILL');
  });

  it('leaves a whole HAR however often it is SIGKILLed mid-recording, and the next run deletes the copy a killed one left beside it', async () => {
    // Killed mid-write, a run left its last entry unclosed (CLIENT-124); it now writes a second copy and renames it over the file.
    const answer = JSON.stringify({ data: 'z'.repeat(1024 * 1024) });
    const server = createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'martech-record-cli-'));
    const out = join(dir, 'x.har');
    const parsed: (number | string)[] = [];
    for (let round = 0; round < 6; round++) {
      const run = record(['imprzd', '--target', target, '--out', out, '--force', '--port', '0']);
      await run.waitFor('Ctrl-C stops');
      const url = /Recording imprzd: (http:\/\/127\.0\.0\.1:\d+) → /.exec(run.output())![1]!;
      let calling = true;
      const callers = Array.from({ length: 4 }, async () => {
        while (calling) await fetch(`${url}/a`).then((r) => r.arrayBuffer(), () => undefined);
      });
      await run.waitFor('(1 recorded)');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
      run.child.kill('SIGKILL');
      calling = false;
      await Promise.all([run.exited, ...callers]);
      try {
        parsed.push(JSON.parse(readFileSync(out, 'utf8')).log.entries.length);
      } catch (error) {
        parsed.push(`round ${round}: ${(error as Error).message}`);
      }
    }
    expect(parsed.filter((result) => typeof result === 'string')).toEqual([]);
    // The last run killed left its lock and its copy; the next takes both away.
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp')).length).toBeGreaterThan(0);
    const after = record(['imprzd', '--target', target, '--out', out, '--force', '--port', '0']);
    await after.waitFor('Ctrl-C stops');
    after.child.kill('SIGINT');
    expect(await after.exited).toBe(0);
    expect(readdirSync(dir)).toEqual(['x.har']);
  }, 120_000);

  it("leaves alone a file of the user's named <out>.tmp", async () => {
    // Whether the folder could be written was tried by writing <out>.tmp and deleting it.
    const out = join(mkdtempSync(join(tmpdir(), 'martech-record-cli-')), 'x.har');
    writeFileSync(`${out}.tmp`, 'notes of mine');
    const run = record(['imprzd', '--out', out, '--port', '0']);
    await run.waitFor('Ctrl-C stops');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(readFileSync(`${out}.tmp`, 'utf8')).toBe('notes of mine');
  });

  it('says what to do when the file cannot be written', async () => {
    const run = record(['imprzd', '--out', join(tmpdir(), 'no-such-folder-martech', 'x.har')]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/cannot write .*x\.har \(ENOENT.*\); pass --out a path in a folder you can write to/);
  });
});

/**
 * martech-contracts record <vendor> --out <file.har> — the recording proxy (src/record/proxy.ts)
 * as a command: arguments in, a HAR file and lines out, stopped by a signal.
 */
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { defaultBaseUrl } from '../client.js';
import { url } from '../options.js';
import { createHarFile, type HarFile } from '../record/har-file.js';
import { DEFAULT_MAX_BODY_BYTES, MAX_BODY_LIMIT } from '../record/har.js';
import { startRecordingProxy } from '../record/proxy.js';
import { findVendor, vendors } from '../vendors.js';
import { npmTookProblem } from './npm-taken.js';
import { watchParent } from './parent-watch.js';
import { ownProcessStart, processStart } from '../process-start.js';
import { byteSize, parseCommandLine, port, timeoutMs, UsageError } from './usage.js';

const RECORD_USAGE = `usage: martech-contracts record <vendor> --out <file.har> [options]

Passes every request it gets on to the vendor and records each exchange into <file.har>,
credentials masked, adding each one to the file as it ends. Point the base URL of the code whose
traffic you want at the address it prints. Check the recording in a clone of
martech-contracts (where the specs are): npm run traffic -- <vendor> <file.har>,
with --server <url> when it was recorded against another --target.

  --out <file>      the HAR file to write (required)
  --target <url>    where requests go (default: the first server of the vendor's spec);
                    the mock: http://127.0.0.1:4010 and up (see martech-contracts mock)
  --port <n>        the port to listen on (default 0: any free port)
  --host <addr>     listen address (default 127.0.0.1)
  --timeout <ms>    how long the vendor may take to answer a request (default 30000)
  --max-body <size> the largest body recorded, in bytes, or with KiB or MiB (default
                    ${DEFAULT_MAX_BODY_BYTES / 1024 / 1024}MiB); a larger one is passed on whole and recorded as its size,
                    which npm run traffic reports as not checked
  --force           replace <file.har> if it exists (otherwise that is refused)
  -h, --help        this text
`;

const RECORD_FLAGS = {
  out: { type: 'string' },
  target: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  timeout: { type: 'string' },
  'max-body': { type: 'string' },
  force: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseRecordArgs(argv: string[]) {
  // `npm run record xonvo --out x.har` gave npm the flag, and "name one vendor to record" misled.
  const taken = npmTookProblem('record', ['record'], RECORD_FLAGS, argv);
  if (taken) throw new UsageError(taken);
  const parsed = parseCommandLine(argv, RECORD_FLAGS);
  const { values, positionals } = parsed;
  if (values.help) return 'help' as const;
  const names = vendors.map((v) => v.name).join(', ');
  if (positionals.length !== 1) throw new UsageError(`name one vendor to record (one of ${names})`);
  const vendor = findVendor(positionals[0]!);
  if (!vendor) throw new UsageError(`unknown vendor "${positionals[0]}"; the vendors are ${names}`);
  if (!values.out) throw new UsageError('--out <file.har> is required: the file the recording is written to');
  const target = values.target ?? defaultBaseUrl(vendor.name);
  // The base URL rule: each request's path is appended to the target, so a query would swallow it.
  const problem = url().check(target);
  if (problem) throw new UsageError(`--target ${problem}`);
  // Refused whatever --force says: the file would be written beside it and never take its place.
  if (existsSync(values.out) && statSync(values.out).isDirectory()) throw new UsageError(`--out ${values.out} is a folder: pass a file path such as ${join(values.out, 'x.har')}`);
  // A recording made before is not lost to a command run again.
  if (existsSync(values.out) && !values.force) throw new UsageError(`--out ${values.out} exists: pass another file, or --force to replace it`);
  const listenOn = port('port', values.port);
  // The proxy would send each request on to itself, for ever.
  if (listenOn !== undefined && listenOn !== 0 && isOwnAddress(new URL(target), listenOn, values.host)) throw new UsageError(`--target ${target} is this proxy's own address (--port ${listenOn}): point it at the vendor or the mock`);
  return { vendor: vendor.name, out: values.out, target, host: values.host, port: listenOn, timeoutMs: timeoutMs('timeout', values.timeout), maxBodyBytes: byteSize('max-body', values['max-body'], MAX_BODY_LIMIT) };
}

/**
 * An address as compared: lower case, without brackets; IPv6 written out in full (`::0` and
 * `0:0:0:0:0:0:0:0` alike), and an IPv4-mapped one (`::ffff:7f00:1`, as a URL writes
 * `[::ffff:127.0.0.1]`) as its IPv4 address.
 */
function normalAddress(address: string): string {
  const bare = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (!bare.includes(':')) return bare === '0' ? '0.0.0.0' : bare;
  const [head, tail = ''] = bare.split('::');
  const dotted = /(\d{1,3}(\.\d{1,3}){3})$/.exec(bare)?.[1];
  const part = (text: string | undefined) => (text ? text.split(':') : []).filter((group) => !group.includes('.'));
  const front = part(head);
  const back = [...part(bare.includes('::') ? tail : undefined)];
  const ipv4 = dotted ? dotted.split('.').map(Number) : undefined;
  if (ipv4) back.push(((ipv4[0]! << 8) | ipv4[1]!).toString(16), ((ipv4[2]! << 8) | ipv4[3]!).toString(16));
  const groups = bare.includes('::') ? [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back] : [...front, ...back];
  const numbers = groups.map((group) => parseInt(group, 16));
  if (numbers.length !== 8 || numbers.some((n) => Number.isNaN(n))) return bare;
  if (numbers.slice(0, 5).every((n) => n === 0) && numbers[5] === 0xffff) return [numbers[6]! >> 8, numbers[6]! & 255, numbers[7]! >> 8, numbers[7]! & 255].join('.');
  return numbers.map((n) => n.toString(16)).join(':');
}

const LOOPBACK_NAMES = new Set(['localhost', '0:0:0:0:0:0:0:1']);
const isLoopback = (name: string) => LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name);
// Connecting to a wildcard address reaches this machine: a loopback listener among others.
const isWildcard = (name: string) => name === '0.0.0.0' || name === '0:0:0:0:0:0:0:0';

/**
 * Whether a URL names the address the proxy listens on: its port, and the host it listens on; on
 * a wildcard host (0.0.0.0, ::), any address of this machine. A wildcard target reaches a loopback
 * listener, and `localhost` names the loopback addresses.
 */
function isOwnAddress(target: URL, listenOn: number, host: string): boolean {
  const targetPort = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  if (targetPort !== listenOn) return false;
  const name = normalAddress(target.hostname);
  const own = normalAddress(host);
  if (isWildcard(own)) return isLoopback(name) || isWildcard(name) || machineAddresses().has(name);
  if (isLoopback(own)) return name === own || name === 'localhost' || isWildcard(name) || (own === 'localhost' && isLoopback(name));
  return name === own;
}

/** This machine's interface addresses. */
function machineAddresses(): Set<string> {
  return new Set(Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map((a) => normalAddress(a.address))));
}

/** Whether a process of this id runs (one of another user's too). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a lock of this process holds: its pid, and where /proc tells it, when it started (`<pid>
 * <start>`). A pid is given again once its process has ended: a killed run's lock naming a pid an
 * unrelated process got since counted as held, and blocked every later `record` on the file.
 */
export function ownLock(): string {
  const start = ownProcessStart();
  return start === undefined ? String(process.pid) : `${process.pid} ${start}`;
}

/** The pid a lock names, and its start where it was written with one; undefined for a lock that names no pid. */
function lockHolder(text: string): { pid: number; start: string | undefined } | undefined {
  const [, pid, start] = /^\s*([1-9]\d*)(?:[ \t]+(\d+))?\s*$/.exec(text) ?? [];
  return pid === undefined ? undefined : { pid: Number(pid), start };
}

/**
 * Whether the process a lock names runs: its pid, started when the lock says. A lock without a
 * start (written where /proc is not, or by a version before it), or a process whose start cannot
 * be read, counts as that pid's alone, as before.
 */
function holds(holder: { pid: number; start: string | undefined }): boolean {
  if (!running(holder.pid)) return false;
  const start = holder.start === undefined ? undefined : processStart(holder.pid);
  return start === undefined || start === holder.start;
}

/**
 * Creates `lock` holding this process's pid, or returns false if it exists. The pid is written
 * beside it and linked into place, so the lock is never seen empty: created and then written
 * (`writeFile` with `wx`), another record that read it in between took it over as a dead one's,
 * and both recorded into the file. A file system without hard links gets `wx`, window and all.
 */
let locks = 0;
async function createLock(lock: string): Promise<boolean> {
  // The call's own: two claims in one process shared `<lock>.<pid>`, one deleting it before the other linked it.
  const own = `${lock}.${process.pid}.${++locks}`;
  await writeFile(own, ownLock());
  try {
    await link(own, lock);
    return true;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    return writeFile(lock, ownLock(), { flag: 'wx' }).then(
      () => true,
      (failure: NodeJS.ErrnoException) => (failure.code === 'EEXIST' ? false : Promise.reject(failure)),
    );
  } finally {
    await unlink(own).catch(() => undefined);
  }
}

/**
 * How many claims of this process are being made or held, by lock path. A lock that names this
 * process's pid is theirs only if one is: else a dead run's that had the same pid, as a record
 * restarted in a container is pid 1 again (its own pid is alive, and the lock was refused for good).
 */
const ownClaims = new Map<string, number>();

/**
 * Claims `file` for this process through `<file>.lock`, which holds its pid. Two recordings into
 * one file took each other's `.tmp` (`ENOENT: rename`), each rewrote the file without the other's
 * exchanges, and both said at the end they had recorded theirs into it. A lock whose process is
 * gone (a run that was killed) is taken over; one that names no pid is held (`heldBy` undefined),
 * as one being written would be. `release` removes it if it is still this process's.
 */
export const claimFile = (file: string) => claim(`${file}.lock`);

/** Claims `lock` (a file's, or a takeover's: removeDead), counted in ownClaims while it is being made or held. */
async function claim(lock: string): Promise<{ release: () => void } | { heldBy: number | undefined }> {
  const key = resolve(lock);
  ownClaims.set(key, (ownClaims.get(key) ?? 0) + 1);
  let counted = true;
  const uncount = () => {
    if (counted) ownClaims.set(key, ownClaims.get(key)! - 1);
    counted = false;
  };
  try {
    return await claimLock(lock, key, uncount);
  } catch (error) {
    uncount();
    throw error;
  }
}

async function claimLock(lock: string, key: string, uncount: () => void): Promise<{ release: () => void } | { heldBy: number | undefined }> {
  for (;;) {
    if (await createLock(lock)) {
      const release = () => {
        uncount();
        process.off('exit', release);
        try {
          if (readFileSync(lock, 'utf8') === ownLock()) unlinkSync(lock);
        } catch {
          // Gone already: nothing of ours is left.
        }
      };
      // An exit this command did not see coming (an uncaught error) leaves no lock either.
      process.on('exit', release);
      return { release };
    }
    const text = await readFile(lock, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : ''));
    // Gone since it was found: tried again.
    if (text === undefined) continue;
    const holder = lockHolder(text);
    // This pid, with no other claim of this process on it: a dead run's that had the same pid.
    const live = holder?.pid === process.pid ? ownClaims.get(key)! > 1 && text === ownLock() : holder !== undefined && holds(holder);
    if (holder === undefined || live) return uncount(), { heldBy: holder?.pid };
    const takeover = await removeDead(lock, text);
    // Another claim is taking it over: it will hold the file, or find the claim that does.
    if (takeover) return uncount(), takeover;
  }
}

/**
 * Removes a dead run's lock, one that still names the dead pid read from it (`dead`), holding a
 * lock of its own for that: `<lock>.takeover-<pid>`, claimed as any lock is (a dead one of it
 * taken over the same way). Only a claim holding it removes a lock naming that pid, so the lock
 * read under it is still the one removed. Before, a takeover moved the lock aside and linked back
 * another claim's it found there; a third claim could take the empty place meanwhile, and two
 * held the file (CLIENT-132, CLIENT-138). A live lock is now never moved. Returns who holds the
 * takeover when another claim does.
 */
export async function removeDead(lock: string, dead: string): Promise<{ heldBy: number | undefined } | undefined> {
  // By pid alone: the lock read under it is compared whole.
  const takeover = await claim(`${lock}.takeover-${dead.trim().split(/\s+/)[0]}`);
  if ('heldBy' in takeover) return takeover;
  try {
    if ((await readFile(lock, 'utf8').catch(() => undefined)) === dead) await unlink(lock).catch(() => undefined);
  } finally {
    takeover.release();
  }
  return undefined;
}

/**
 * Deletes the copies of `file` that runs killed while recording into it left beside it
 * (`<file>.<pid>-<start>.<n>.tmp`, a run's second copy: createHarFile), each as large as the
 * recording. Called holding the file's lock, so no live record writes them; a live process's are
 * left, told by its pid and start as a lock's holder is: by pid alone, a dead run's copy whose pid
 * another process got since was kept for good.
 */
function removeLeftCopies(file: string): void {
  const name = basename(file);
  for (const left of readdirSync(dirname(file))) {
    if (!left.startsWith(`${name}.`)) continue;
    const [, pid, start] = /^(\d+)(?:-(\d+))?\.\d+\.tmp$/.exec(left.slice(name.length + 1)) ?? [];
    if (pid === undefined || holds({ pid: Number(pid), start })) continue;
    try {
      unlinkSync(join(dirname(file), left));
    } catch {
      // Gone already, or not ours to delete: left as it is.
    }
  }
}

export async function runRecordCommand(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseRecordArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`record: ${error.message}\n\n${RECORD_USAGE}`);
    return 2;
  }
  if (args === 'help') return void console.log(RECORD_USAGE), 0;
  // Under npm, a SIGTERM to npm ended npm and its shell but not the proxy, which served on, its
  // port and its --out held (CLIENT-182): its parent ending stops it as a signal does.
  let parentEnded: () => void = () => {};
  const parentGone = new Promise<string>((resolve) => (parentEnded = () => resolve('parent process ended')));
  const unwatch = watchParent(() => parentEnded());
  try {
    return await claimAndRecord(args, parentGone);
  } finally {
    unwatch();
  }
}

type RecordArgs = Exclude<ReturnType<typeof parseRecordArgs>, 'help'>;

async function claimAndRecord(args: RecordArgs, parentGone: Promise<string>): Promise<number> {
  let claim;
  // The lock, written beside the file, tries whether the folder takes it: the file itself (a
  // recording --force is to replace) is replaced only once the proxy listens. Replaced first, a run
  // that could not start lost it, and left an empty one the retry was refused for.
  try {
    claim = await claimFile(args.out);
  } catch (error) {
    console.error(`martech-contracts record: cannot write ${args.out} (${(error as Error).message}); pass --out a path in a folder you can write to`);
    return 1;
  }
  // Whatever --force says: that replaces a recording made before, not one being made.
  if ('heldBy' in claim) {
    const who = claim.heldBy === undefined ? `another record (${args.out}.lock names no pid: one starting, or not a record's lock)` : `another record (pid ${claim.heldBy})`;
    console.error(`martech-contracts record: ${who} is writing ${args.out}: pass another --out, or stop that one first (if none runs, delete ${args.out}.lock)`);
    return 1;
  }
  removeLeftCopies(args.out);
  try {
    return await recordInto(args, parentGone);
  } finally {
    claim.release();
  }
}

async function recordInto(args: RecordArgs, parentGone: Promise<string>): Promise<number> {
  // Set once the proxy listens, before any exchange it takes can end.
  let opened!: Promise<HarFile>;
  let count = 0;
  /** Why the last write failed: its entries are tried again with the next, and once more on close. */
  let failure: string | undefined;
  let proxy;
  try {
    proxy = await startRecordingProxy({
      ...args,
      tokenOperations: findVendor(args.vendor)?.tokenOperations,
      record: (entry) => {
        count += 1;
        // A failed write is undone and its entries tried again with the next (createHarFile).
        opened.then((har) => har.append(entry)).then(
          () => (failure = undefined),
          (error: Error) => console.error(`martech-contracts record: cannot write ${args.out} (${(failure = error.message)}); tried again with the next exchange and on stopping`),
        );
      },
      log: (line) => console.log(`${line}   (${count} recorded)`),
    });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why =
      code === 'EADDRINUSE'
        ? `port ${args.port} is taken; pass another --port, or --port 0 for any free one`
        : code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN'
          ? `cannot listen on --host ${args.host}: ${message}; pass an address of this machine, such as 127.0.0.1`
          : message;
    console.error(`martech-contracts record: ${why}`);
    return 1;
  }
  let file: HarFile;
  try {
    file = await (opened = createHarFile(args.out));
  } catch (error) {
    await proxy.stop();
    console.error(`martech-contracts record: cannot write ${args.out} (${(error as Error).message}); pass --out a path in a folder you can write to`);
    return 1;
  }
  // Listened for before "Ctrl-C stops" is printed: a signal the kernel delivers while no listener is
  // installed takes its default action, so a test (or a person) acting on the line at once could
  // kill the process, the file unfinished (seen once in CI under load: exit by SIGINT, not 0).
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const stopped = Promise.race([
    parentGone,
    new Promise<string>((resolve) => {
      for (const name of signals) process.once(name, () => resolve(name));
    }),
  ]);
  console.log(`Recording ${args.vendor}: ${proxy.url} → ${args.target}, into ${args.out}.`);
  console.log(`Point your code's ${args.vendor} base URL at ${proxy.url}. Ctrl-C stops.`);
  const signal = await stopped;
  // A second signal ends the process at once, through process.exit: left to the signal's default
  // action, it could cut off an entry being written in place (createHarFile); an exit lets it finish.
  for (const name of signals) process.once(name, () => process.exit(130));
  console.log(`\n${signal}: stopping…`);
  await proxy.stop();
  await file.close();
  const n = file.count;
  // Entries are written in order: those a failed write holds back are the last ones.
  if (n < count) {
    console.error(`martech-contracts record: ${count - n} of ${count} exchanges could not be written into ${args.out} (${failure ?? 'the file was closed'}); the file holds the first ${n}, whole`);
    return 1;
  }
  // The checker finds the operations by the spec's servers; a recording made against another target needs it named.
  const server = args.target === defaultBaseUrl(args.vendor) ? '' : ` --server ${args.target}`;
  console.log(`Recorded ${n} exchange${n === 1 ? '' : 's'} into ${args.out}.${n ? ` Check them in a clone of martech-contracts: npm run traffic -- ${args.vendor} ${args.out}${server}` : ''}`);
  return 0;
}

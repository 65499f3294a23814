/**
 * A HAR file written entry by entry (Node only). Rebuilt as one string after every exchange, a
 * recording stopped reaching disk past V8's largest string (about 512 MiB: "Invalid string
 * length"), and each exchange rewrote all the ones before it.
 */
import type { FileHandle } from 'node:fs/promises';
import { nodeBuiltin } from '../node-builtin.js';
import { ownProcessTag } from '../process-start.js';
import { ENTRY_INDENT, harLog, type HarEntry } from './har.js';

/** Node's file system, looked up when a file is written: a browser bundle of a client holds this module too. */
const fs = () =>
  nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises', 'writing a HAR file', "instead of recorder.write(file), write JSON.stringify(recorder.har(), null, 2) to the file with your runtime's own file API");

/** The file as JSON.stringify(log, null, 2) writes it, cut where the entries go. */
const parts = (comment?: string) => `${JSON.stringify(harLog([], comment), null, 2)}\n`.split(/(?<="entries": \[)/) as [string, string];
const [HEAD, EMPTY_TAIL] = parts();
/** What closes the file once it holds an entry. */
const TAIL = `\n    ${EMPTY_TAIL}`;
/** At most this much text goes in one write: entries that queued while a write ran are written together, without one string of them all. */
const BATCH_CHARS = 16 * 1024 * 1024;

/** An entry's text as it stands in the file. Its own line breaks are structure only: JSON escapes those of its strings. */
const entryText = (entry: HarEntry) => `${ENTRY_INDENT}${JSON.stringify(entry, null, 2).replaceAll('\n', ENTRY_INDENT)}`;

/**
 * Where a HAR this module wrote, cut off mid-write (SIGKILL, a power cut: the one stop that can
 * leave it unclosed), may be closed again: after its last whole entry, on `line` (1-based), which
 * leaves `entries` of them (none, line 0: cut in its first). Undefined for a file it did not write.
 */
export function lastWholeEntry(text: string): { line: number; entries: number } | undefined {
  if (!text.startsWith(HEAD.slice(0, HEAD.indexOf('"entries"')))) return undefined;
  // An entry ends on a line of its own indented 6; JSON escapes the line breaks of its strings.
  const end = text.lastIndexOf('\n      }');
  if (end < 0) return { line: 0, entries: 0 };
  const kept = text.slice(0, end + '\n      }'.length);
  try {
    const entries = (JSON.parse(`${kept}${TAIL}`) as { log: { entries: unknown[] } }).log.entries.length;
    return { line: kept.split('\n').length, entries };
  } catch {
    return undefined;
  }
}

export interface HarFile {
  /** Writes the entry after those before it; resolves once the file on disk holds it, closed again. */
  append(entry: HarEntry): Promise<void>;
  /** How many entries the file holds. */
  readonly count: number;
  close(): Promise<void>;
}

/** Tells apart the temporary files of one process's writes. */
let writes = 0;
/**
 * A name beside `file` of this write's own: two writes of one file at once shared `<file>.tmp`, and
 * the second one's rename found it gone (ENOENT). The process is named by its pid and start, so a
 * copy a killed run left is known as its own once another process has the pid (`record` deletes it).
 */
const temporaryName = (file: string) => `${file}.${ownProcessTag()}.${++writes}.tmp`;

/**
 * Writes `file` whole through `<file>.<pid>-<start>.<n>.tmp` and a rename, so a stop at any moment leaves a
 * complete file. A write that fails takes its temporary file with it, or the folder would keep one
 * for good.
 */
export async function replaceFile(file: string, write: (path: string) => Promise<void>): Promise<void> {
  // First: where there is no file system, there is no `process` to name the file by either.
  const { rename, unlink } = fs();
  const temporary = temporaryName(file);
  try {
    await write(temporary);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Writes all of `bytes` at `position`: a write may take fewer bytes than given. */
async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
}

/** A HAR file open for entries: `add` writes entries' text (`body`) where its closing brackets start, `end`, holding `count` entries. */
interface Entries {
  add(body: Buffer, end: number, count: number): Promise<void>;
  close(): Promise<void>;
}

/** Cuts a file of `count` entries back to `end`, where its closing brackets start, and closes it again. */
async function cutBack(handle: FileHandle, end: number, count: number): Promise<void> {
  await handle.truncate(end).catch(() => undefined);
  await writeAt(handle, Buffer.from(count === 0 ? EMPTY_TAIL : TAIL), end).catch(() => undefined);
}

/** Writes `bytes` (entries and the closing after them) at `end`; a write that fails part-way (a full disk) is undone. */
async function writeOrUndo(handle: FileHandle, bytes: Buffer, end: number, count: number): Promise<void> {
  try {
    await writeAt(handle, bytes, end);
  } catch (error) {
    await cutBack(handle, end, count);
    throw error;
  }
}

/** Entries written where the file is: it is unclosed while a write runs (a file no one reads yet, or no hard links to do better). */
const inPlace = (handle: FileHandle): Entries => ({
  add: (body, end, count) => writeOrUndo(handle, Buffer.concat([body, Buffer.from(TAIL)]), end, count),
  close: () => handle.close(),
});

/** Errors of a file system that has no hard links (FAT, some network shares): entries are written in place there. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Entries written so that `file` is whole at every instant, a SIGKILL mid-write too: a second copy
 * of it (`hidden`, a temporary name beside it) takes each write, and is then renamed over the file,
 * which is kept, linked under the next temporary name, as the copy for the next write. That copy
 * lacks the entries just written (`lag`), which go in before the next ones: each entry is written
 * twice, once to each copy, and no write is of the whole file. Falls back to `inPlace` where hard
 * links are refused. The copy goes on close, and on an exit (`process.exit`) that comes first.
 */
function swapped(file: string, shown: FileHandle, hidden: { handle: FileHandle; name: string }): Entries {
  const { link, rename, unlink } = fs();
  const { unlinkSync } = nodeBuiltin<typeof import('node:fs')>('node:fs', 'writing a HAR file');
  let lag: Buffer = Buffer.alloc(0);
  let lagCount = 0;
  let fallback: Entries | undefined;
  const removeCopy = () => {
    try {
      unlinkSync(hidden.name);
    } catch {
      // Gone already.
    }
  };
  process.on('exit', removeCopy);
  const dropCopy = async () => {
    process.off('exit', removeCopy);
    await hidden.handle.close().catch(() => undefined);
    await unlink(hidden.name).catch(() => undefined);
  };
  /** Links the file under `name`, one a killed run with this pid may have left (a container's pid 1 again). */
  const linkAs = (name: string) =>
    link(file, name).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      await unlink(name);
      await link(file, name);
    });
  return {
    async add(body, end, count) {
      if (fallback) return fallback.add(body, end, count);
      const at = end - lag.length;
      const held = count - lagCount;
      await writeOrUndo(hidden.handle, Buffer.concat([lag, body, Buffer.from(TAIL)]), at, held);
      const next = temporaryName(file);
      try {
        await linkAs(next);
      } catch (error) {
        await cutBack(hidden.handle, at, held);
        if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        // The file holds every entry but these: written there, in place from now on.
        await dropCopy();
        fallback = inPlace(shown);
        return fallback.add(body, end, count);
      }
      try {
        await rename(hidden.name, file);
      } catch (error) {
        await unlink(next).catch(() => undefined);
        await cutBack(hidden.handle, at, held);
        throw error;
      }
      // The file shown is the copy just written; the one it replaced is the next write's copy.
      process.off('exit', removeCopy);
      [shown, hidden] = [hidden.handle, { handle: shown, name: next }];
      process.on('exit', removeCopy);
      lag = body;
      lagCount = count;
    },
    async close() {
      if (fallback) return fallback.close();
      await dropCopy();
      await shown.close();
    },
  };
}

/**
 * Creates `file` as an empty HAR (through a temporary file and a rename: a recording it replaces stays
 * whole until then), and adds each entry in place of the closing brackets, which it writes again
 * after the entry in the same write. Each exchange costs the bytes of its own entry, twice: the
 * file is whole at every instant, a SIGKILL or an exit mid-write too, as entries are written to a
 * second copy that is then renamed over it (`swapped`). Where hard links are refused they are
 * written in place, and a SIGKILL mid-write can leave the last one unclosed there.
 *
 * A write that fails (a full disk) is undone: the file is as it was, and its entries are written
 * with the next.
 */
export async function createHarFile(file: string, comment?: string): Promise<HarFile> {
  // A comment goes before the entries, where the head's start, which lastWholeEntry reads, still holds.
  const [head] = parts(comment);
  const empty = Buffer.from(head + EMPTY_TAIL);
  const opened: FileHandle[] = [];
  const open = async (path: string) => {
    const handle = await fs().open(path, 'w');
    opened.push(handle);
    await writeAt(handle, empty, 0);
    return handle;
  };
  let copy: string | undefined;
  try {
    await replaceFile(file, async (path) => {
      await open(path);
      await open((copy = temporaryName(file)));
    });
    return appender(swapped(file, opened[0]!, { handle: opened[1]!, name: copy! }), head);
  } catch (error) {
    // Also when the rename fails: the handles were left to the garbage collector.
    for (const handle of opened) await handle.close();
    if (copy) await fs().unlink(copy).catch(() => undefined);
    throw error;
  }
}

/** Adds entries to an open, empty HAR file (createHarFile) that starts with `head`. */
function appender(entries: Entries, head: string): HarFile {
  /** Where the closing brackets start: the length of what is written for good. */
  let end = Buffer.byteLength(head);
  let count = 0;
  const pending: string[] = [];

  /** One write of the entries queued, up to BATCH_CHARS of them (at least one). */
  async function writeQueued(): Promise<void> {
    let chars = 0;
    let taken = 0;
    while (taken < pending.length && (taken === 0 || chars + pending[taken]!.length <= BATCH_CHARS)) chars += pending[taken++]!.length;
    const texts = pending.slice(0, taken);
    const body = Buffer.from(texts.map((text, i) => (count + i === 0 ? text : `,${text}`)).join(''));
    await entries.add(body, end, count);
    pending.splice(0, taken);
    end += body.length;
    count += taken;
  }

  // One write at a time; each call waits for the run that writes what it queued.
  let running: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> =>
    (running = running
      .catch(() => undefined)
      .then(async () => {
        while (pending.length > 0) await writeQueued();
      }));

  return {
    append(entry) {
      pending.push(entryText(entry));
      return flush();
    },
    get count() {
      return count;
    },
    async close() {
      // Entries a failed write left are tried once more.
      await flush().catch(() => undefined);
      await entries.close();
    },
  };
}

/**
 * Writes `entries` as a HAR file, each entry in its own write, `comment` as the log's: all of them
 * to a temporary file, renamed over `file` once whole.
 */
export async function writeHarFile(file: string, entries: readonly HarEntry[], comment?: string): Promise<void> {
  const [head] = parts(comment);
  await replaceFile(file, async (path) => {
    const handle = await fs().open(path, 'w');
    const har = appender(inPlace(handle), head);
    try {
      await writeAt(handle, Buffer.from(head + EMPTY_TAIL), 0);
      for (const entry of entries) await har.append(entry);
    } finally {
      await har.close();
    }
  });
}

/**
 * A HAR file written entry by entry (Node only). Rebuilt as one string after every exchange, a
 * recording stopped reaching disk past V8's largest string (about 512 MiB: "Invalid string
 * length"), and each exchange rewrote all the ones before it.
 */
import type { FileHandle } from 'node:fs/promises';
import { nodeBuiltin } from '../node-builtin.js';
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
 * Writes `file` whole through `<file>.<pid>.<n>.tmp` and a rename, so a stop at any moment leaves a
 * complete file. The name is the write's own: two writes of one file at once shared `<file>.tmp`,
 * and the second one's rename found it gone (ENOENT). A write that fails takes its temporary file
 * with it, or the folder would keep one for good.
 */
export async function replaceFile(file: string, write: (path: string) => Promise<void>): Promise<void> {
  // First: where there is no file system, there is no `process` to name the file by either.
  const { rename, unlink } = fs();
  const temporary = `${file}.${process.pid}.${++writes}.tmp`;
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

/**
 * Creates `file` as an empty HAR (through a temporary file and a rename: a recording it replaces stays
 * whole until then), and appends each entry in place of the closing brackets, which it writes
 * again after the entry in the same write. Each exchange costs the bytes of its own entry.
 *
 * The file is valid HAR whenever no write runs. One that fails (a full disk) is undone: the file
 * is cut back and closed again, and its entries are written with the next. process.exit lets a
 * write under way finish (libuv joins its thread pool), so an exit leaves the file whole; a
 * signal's default action (SIGKILL) or a power cut in the middle of a write can leave the last
 * entry unclosed.
 */
export async function createHarFile(file: string, comment?: string): Promise<HarFile> {
  // A comment goes before the entries, where the head's start, which lastWholeEntry reads, still holds.
  const [head] = parts(comment);
  let handle: FileHandle | undefined;
  try {
    await replaceFile(file, async (path) => {
      handle = await fs().open(path, 'w');
      await writeAt(handle, Buffer.from(head + EMPTY_TAIL), 0);
    });
  } catch (error) {
    // Also when the rename fails: the handle was left to the garbage collector.
    await handle?.close();
    throw error;
  }
  return appender(handle!, head);
}

/** Appends entries to an open, empty HAR file (createHarFile) that starts with `head`. */
function appender(handle: FileHandle, head: string): HarFile {
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
    const bytes = Buffer.concat([body, Buffer.from(TAIL)]);
    try {
      await writeAt(handle, bytes, end);
    } catch (error) {
      await handle.truncate(end).catch(() => undefined);
      await writeAt(handle, Buffer.from(count === 0 ? EMPTY_TAIL : TAIL), end).catch(() => undefined);
      throw error;
    }
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
      await handle.close();
    },
  };
}

/** Writes `entries` as a HAR file, each entry in its own write; `comment` as the log's. */
export async function writeHarFile(file: string, entries: readonly HarEntry[], comment?: string): Promise<void> {
  const har = await createHarFile(file, comment);
  try {
    for (const entry of entries) await har.append(entry);
  } finally {
    await har.close();
  }
}

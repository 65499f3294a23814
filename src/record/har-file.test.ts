import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readHar } from '../../scripts/traffic/har.js';
import { harLog, type HarEntry } from './har.js';
import { createHarFile, replaceFile, writeHarFile } from './har-file.js';

const folder = () => mkdtempSync(join(tmpdir(), 'martech-har-file-'));
const entry = (path: string, text = ''): HarEntry => ({
  startedDateTime: '2026-12-02T08:00:00.000Z',
  time: 1,
  request: { method: 'GET', url: `https://api.example.com${path}`, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
  response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: text.length, mimeType: 'text/plain', text }, redirectURL: '', headersSize: -1, bodySize: text.length },
  cache: {},
  timings: { send: 0, wait: 1, receive: 0 },
});
const whole = (entries: HarEntry[]) => `${JSON.stringify(harLog(entries), null, 2)}\n`;

describe('createHarFile', () => {
  it('is the file JSON.stringify writes at every stop, and grows by its new entry alone: what is on disk before it is not written again', async () => {
    const file = join(folder(), 'x.har');
    const har = await createHarFile(file);
    expect(readFileSync(file, 'utf8')).toBe(whole([]));
    const entries = [entry('/a', 'line one\nline two'), entry('/b'), entry('/c', '"quoted"')];
    for (const [i, next] of entries.entries()) {
      const before = readFileSync(file, 'utf8');
      await har.append(next);
      const after = readFileSync(file, 'utf8');
      expect(after).toBe(whole(entries.slice(0, i + 1)));
      expect(har.count).toBe(i + 1);
      // Only the closing brackets after the last entry are written over.
      const kept = before.length - (i === 0 ? ']\n  }\n}\n' : '\n    ]\n  }\n}\n').length;
      expect(after.slice(0, kept)).toBe(before.slice(0, kept));
    }
    await har.close();
  });

  it('appends in place: an earlier entry is not rewritten from memory, and the file is not replaced', async () => {
    const file = join(folder(), 'x.har');
    const har = await createHarFile(file);
    await har.append(entry('/first'));
    const inode = statSync(file).ino;
    writeFileSync(file, readFileSync(file, 'utf8').replace('/first', '/FIRST'));
    await har.append(entry('/second'));
    await har.close();
    expect(statSync(file).ino).toBe(inode);
    expect(readHar(file).map((e) => e.url.pathname)).toEqual(['/FIRST', '/second']);
  });

  it('writes entries appended together in order, each once', async () => {
    const file = join(folder(), 'x.har');
    const har = await createHarFile(file);
    const entries = Array.from({ length: 50 }, (_, i) => entry(`/${i}`));
    await Promise.all(entries.map((e) => har.append(e)));
    await har.close();
    expect(readFileSync(file, 'utf8')).toBe(whole(entries));
  });

  it('undoes a write that fails part-way (the file may grow no more: EFBIG, as a full disk), leaving the entries before it whole', () => {
    const dir = folder();
    const script = join(dir, 'fill.mts');
    writeFileSync(
      script,
      `import { createHarFile } from ${JSON.stringify(fileURLToPath(new URL('./har-file.ts', import.meta.url)))};
      const har = await createHarFile(${JSON.stringify(join(dir, 'x.har'))});
      await har.append(${JSON.stringify(entry('/fits'))});
      // Past the 2 KiB the shell allows: the write stops part-way.
      const why = await har.append(${JSON.stringify(entry('/too-big', 'y'.repeat(4000)))}).then(() => 'written', (e) => e.code);
      console.log(why, har.count);`,
    );
    const run = spawnSync('bash', ['-c', `ulimit -f 2; exec "${process.execPath}" --import tsx "${script}"`], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('EFBIG 1');
    expect(readHar(join(dir, 'x.har')).map((e) => e.url.pathname)).toEqual(['/fits']);
  });

  it('replaces a file there through a temporary file, leaving none', async () => {
    const dir = folder();
    const file = join(dir, 'x.har');
    writeFileSync(file, 'a recording made before');
    const har = await createHarFile(file);
    await har.close();
    expect(readFileSync(file, 'utf8')).toBe(whole([]));
    expect(readdirSync(dir)).toEqual(['x.har']);
  });
});

describe('writeHarFile', () => {
  it('two writes of one file at once both succeed, the file whole and holding one of them, no temporary file left', async () => {
    const dir = folder();
    const file = join(dir, 'x.har');
    const first = [entry('/a', 'ü😀'), entry('/b')];
    const second = [entry('/c')];
    // One shared <file>.tmp: the second write's rename found it gone (ENOENT), its handle never closed.
    for (let round = 0; round < 10; round++) {
      const results = await Promise.allSettled([writeHarFile(file, first), writeHarFile(file, second)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect([whole(first), whole(second)]).toContain(readFileSync(file, 'utf8'));
      expect(readdirSync(dir)).toEqual(['x.har']);
    }
  });

  it('writes what JSON.stringify would, entry by entry', async () => {
    const file = join(folder(), 'x.har');
    await writeHarFile(file, [entry('/a'), entry('/b')]);
    expect(readFileSync(file, 'utf8')).toBe(whole([entry('/a'), entry('/b')]));
  });
});

describe('replaceFile', () => {
  it('writes through a temporary file beside it and a rename', async () => {
    const dir = folder();
    const file = join(dir, 'x.har');
    let temporary = '';
    await replaceFile(file, async (path) => writeFileSync((temporary = path), 'whole'));
    expect(temporary.startsWith(`${file}.`) && temporary.endsWith('.tmp')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('whole');
    expect(readdirSync(dir)).toEqual(['x.har']);
  });

  it('takes its temporary file with it when the write fails', async () => {
    const parent = folder();
    const dir = join(parent, 'x');
    mkdirSync(dir);
    // Written, then not renamed: a folder stands where the file goes.
    await expect(replaceFile(dir, async (path) => writeFileSync(path, 'whole'))).rejects.toThrow(/EISDIR|EEXIST|ENOTEMPTY|EPERM/);
    expect(readdirSync(parent)).toEqual(['x']);
    // Not written at all: nothing of its own to take, and the write's error is the one thrown.
    await expect(replaceFile(join(dir, 'x.har'), async () => { throw new Error('disk full'); })).rejects.toThrow('disk full');
  });
});

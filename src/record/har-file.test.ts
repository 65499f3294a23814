import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it.skipIf(!existsSync('/proc/self/io'))('writes each entry twice, once to each copy, not the file again: the bytes written grow with the entries, not their square', () => {
    const dir = folder();
    const script = join(dir, 'grow.mts');
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
      import { createHarFile } from ${JSON.stringify(fileURLToPath(new URL('./har-file.ts', import.meta.url)))};
      const written = () => Number(/wchar: (\\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))[1]);
      const har = await createHarFile(${JSON.stringify(join(dir, 'x.har'))});
      const before = written();
      for (let i = 0; i < 200; i++) await har.append(${JSON.stringify(entry('/n', 'y'.repeat(20_000)))});
      console.log(written() - before);
      await har.close();`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const size = readFileSync(join(dir, 'x.har')).length;
    // Rewritten whole per entry, it would be about 100 times the file.
    expect(Number(run.stdout.trim())).toBeLessThan(2.1 * size);
    expect(readHar(join(dir, 'x.har'))).toHaveLength(200);
    expect(readdirSync(dir).sort()).toEqual(['grow.mts', 'x.har']);
  });

  it('is whole on disk when its process is SIGKILLed mid-write: 60 kills of a process appending 4 MiB entries as fast as it can, each file parsed (CLIENT-124 left it unclosed)', async () => {
    const dir = folder();
    const script = join(dir, 'append.mts');
    writeFileSync(
      script,
      `import { createHarFile } from ${JSON.stringify(fileURLToPath(new URL('./har-file.ts', import.meta.url)))};
      const har = await createHarFile(process.argv[2]);
      const entry = ${JSON.stringify(entry('/big'))};
      entry.response.content.text = 'y'.repeat(4 * 1024 * 1024);
      console.log('writing');
      // Four entries queued at once are one write of 16 MiB: most of this process's time is in a write.
      for (;;) await Promise.all([har.append(entry), har.append(entry), har.append(entry), har.append(entry)]);`,
    );
    // Bundled, so each run starts in a tenth of the time tsx takes.
    const bundle = join(dir, 'append.mjs');
    await (await import('esbuild')).build({ entryPoints: [script], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
    const killedMidway = async (out: string) => {
      const child = spawn(process.execPath, [bundle, out], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise((resolve) => child.stdout.once('data', resolve));
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
      child.kill('SIGKILL');
      await exited;
      try {
        return JSON.parse(readFileSync(out, 'utf8')).log.entries.length as number;
      } catch (error) {
        return `${out}: ${(error as Error).message}`;
      }
    };
    const results: (number | string)[] = [];
    // Four at a time, as the machine's cores allow.
    for (let round = 0; round < 15; round++) {
      results.push(...(await Promise.all([0, 1, 2, 3].map((i) => killedMidway(join(dir, `x${round}-${i}.har`))))));
      // Each round's files (and the temporary files the kills left) go once read: kept, they took 2.4 GB.
      for (const name of readdirSync(dir)) if (name.startsWith(`x${round}-`)) rmSync(join(dir, name));
    }
    expect(results.filter((result) => typeof result === 'string')).toEqual([]);
  }, 180_000);

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

/**
 * Where `npm run docs -- --out` may write: folders with files of their own are refused before
 * anything is written, and a folder that cannot be made or written is one line naming it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from '../lib/vendors.js';
import { makeFolders, outDirProblem } from './out-dir.js';
import { REDOC_ASSET } from './reference-page.js';
import { SITE_TITLE } from './layout.js';

const scratch = mkdtempSync(join(tmpdir(), 'martech-docs-out-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let made = 0;
/** A fresh folder holding `files` (name → text). */
function folder(files: Record<string, string>): string {
  const dir = join(scratch, `f${made++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}
const ourIndex = `<!doctype html><title>${SITE_TITLE}</title>`;

describe('docs --out', () => {
  it('writes into a new or empty folder, one holding only dot files, or a site it wrote before (finished or not)', () => {
    expect(outDirProblem(join(scratch, 'new'), 'new')).toBeUndefined();
    expect(outDirProblem(folder({}), 'x')).toBeUndefined();
    expect(outDirProblem(folder({ '.nojekyll': '', '.git/HEAD': 'ref' }), 'x')).toBeUndefined();
    expect(outDirProblem(folder({ [REDOC_ASSET]: 'redoc', 'index.html': ourIndex, 'gone-vendor.html': '' }), 'x')).toBeUndefined();
    expect(outDirProblem(folder({ [REDOC_ASSET]: 'redoc', 'xonvo.html': '' }), 'x'), 'a build stopped before its index').toBeUndefined();
  });

  // Found 2026-12-03 (TEST-38): the site was written over a folder's own index.html without a word.
  it('refuses a folder holding files the site did not write, naming some', () => {
    expect(outDirProblem(folder({ 'index.html': '<h1>mine</h1>', 'notes.txt': 'keep' }), 'site')).toBe(
      '--out site holds files the site did not write (index.html, notes.txt), which it would write over or mix with; name a new or empty folder, or one npm run docs wrote before',
    );
    // Another Redoc site has Redoc where this one keeps it, but not this index page.
    expect(outDirProblem(folder({ [REDOC_ASSET]: 'redoc', 'index.html': '<title>Their API</title>' }), 'site')).toMatch(/did not write \(assets, index\.html\)/);
    expect(outDirProblem(folder({ a: '', b: '', c: '', d: '' }), 's')).toContain('(a, b, c, … (4 in all))');
  });

  // Found 2026-12-03 (TEST-37): Node 20's recursive mkdir never returned for --out /proc/x (ten minutes at full CPU).
  // In a child process: the recursive mkdir spun synchronously, which no test timeout interrupts.
  it.runIf(process.platform === 'linux')('makes folders one level at a time, so a place no folder can be made fails at once, in a child process so that a regression fails at its timeout', () => {
    const module = JSON.stringify(fileURLToPath(new URL('./out-dir.ts', import.meta.url)));
    const script = `import { makeFolders } from ${module}; try { makeFolders('/proc/martech-docs-${process.pid}/site/assets'); console.log('made'); } catch (error) { console.log(error.code); }`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toBe('ENOENT');
    const deep = join(scratch, 'a', 'b', 'c');
    makeFolders(deep);
    expect(outDirProblem(deep, 'c')).toBeUndefined();
  });

  // Found 2026-12-03 (TEST-37): a folder that could not be made or written ended in a stack trace.
  it('a folder that cannot be made is one line naming it and --out, exit 1', () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/docs.ts', '--out', join(file, 'site')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toBe(
      `docs: the site was not finished in ${join(file, 'site')}: it cannot be written (ENOTDIR: not a directory, mkdir '${join(file, 'site')}'); name a folder you can write to with --out <folder>\n`,
    );
  });
});

import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { callerDir } from './caller-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const typedIn = mkdtempSync(join(tmpdir(), 'caller-dir-test-'));
afterAll(() => rmSync(typedIn, { recursive: true, force: true }));

describe('callerDir: where a command was typed, for this package own npm scripts only', () => {
  const env = (event: string) => ({ INIT_CWD: typedIn, npm_lifecycle_event: event });

  it('is the folder npm was run in, for a script it names, run in the package root', () => {
    expect(callerDir(['traffic'], root, env('traffic'), root)).toBe(typedIn);
    expect(callerDir(['start', 'record'], root, env('record'), root)).toBe(typedIn);
  });

  it('is the folder it runs in otherwise: another script, another folder, no INIT_CWD', () => {
    // `npm run test:contract` typed in a subfolder: the tests spawn the script in the root, paths from there.
    expect(callerDir(['traffic'], root, env('test:contract'), root)).toBe(root);
    // A consumer's npm script calling the command line runs in the consumer's root, as npm does.
    expect(callerDir(['record'], root, env('record'), typedIn)).toBe(typedIn);
    expect(callerDir(['record'], root, { ...env('record'), INIT_CWD: '/elsewhere' }, '/project')).toBe('/project');
    expect(callerDir(['traffic'], root, { npm_lifecycle_event: 'traffic' }, root)).toBe(root);
    expect(callerDir(['traffic'], root, { INIT_CWD: '', npm_lifecycle_event: 'traffic' }, root)).toBe(root);
    expect(callerDir(['traffic'], root, { INIT_CWD: typedIn }, root)).toBe(root);
  });
});

/** A command as `npm run <script>` typed in `typedIn` runs it: in the package root, INIT_CWD naming the folder. */
function asNpmScript(script: string, command: string[], initCwd = typedIn): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ...command], { cwd: root, env: { ...process.env, INIT_CWD: initCwd, npm_lifecycle_event: script } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('npm scripts read relative paths from the folder they were typed in', () => {
  it('npm run traffic -- xonvo x.har, typed in the folder holding x.har, checks it', async () => {
    copyFileSync(join(root, 'contract-tests/fixtures/traffic/xonvo.har'), join(typedIn, 'x.har'));
    const run = await asNpmScript('traffic', ['scripts/traffic.ts', 'xonvo', 'x.har', '--json']);
    expect(run.stderr).not.toContain('does not exist');
    expect(JSON.parse(run.stdout)).toMatchObject({ vendor: 'xonvo', har: 'x.har' });
    // Missing, the file is named where it was looked for.
    const missing = await asNpmScript('traffic', ['scripts/traffic.ts', 'xonvo', 'y.har']);
    expect([missing.code, missing.stderr.trim()]).toEqual([2, `traffic: ${join(typedIn, 'y.har')} does not exist; pass the path of a recorded HAR file`]);
  });

  it('npm run webhook -- … --payload p.json, typed in the folder holding p.json, reads it', async () => {
    // Not JSON: refused once read, before anything is sent (no receiver needed).
    writeFileSync(join(typedIn, 'p.json'), 'not json');
    const run = await asNpmScript('webhook', ['src/cli.ts', 'webhook', 'placewise', 'update', '--to', 'http://127.0.0.1:9/h', '--secret', 's', '--payload', 'p.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('ENOENT');
    expect(run.stderr).toMatch(/p\.json.*JSON/);
  });

  it('a folder typed in that is gone since is named, not a crash; the mock, reading no path, starts (TEST-16)', async () => {
    const gone = join(typedIn, 'gone');
    // process.chdir threw ENOENT before the command line was read: a stack trace, exit 1, for `npm start --help` too.
    const mock = await asNpmScript('start', ['src/cli.ts', 'mock', '--help'], gone);
    expect([mock.code, mock.stderr]).toEqual([0, '']);
    expect(mock.stdout).toContain('usage: martech-contracts mock');
    const record = await asNpmScript('record', ['src/cli.ts', 'record', 'xonvo', '--out', 'x.har'], gone);
    expect([record.code, record.stderr.trim()]).toEqual([2, `martech-contracts: the folder this command was typed in (INIT_CWD ${gone}) cannot be entered (ENOENT): its relative paths mean nothing; type it in a folder that exists`]);
  });
});

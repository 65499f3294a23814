/**
 * Every npm script that takes arguments, given a bad one, as a user would run it: the script's
 * name, what is wrong and its usage, exit 2, no stack trace (test:sandbox is covered with its
 * sandbox runs in contract-tests/e2e/sandbox.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('npm scripts refuse bad arguments', () => {
  it.each([
    ['breaking', 'scripts/breaking.ts', ['--bogus'], "breaking: Unknown option '--bogus'"],
    ['build', 'scripts/build.ts', ['nosuch'], 'build: unknown vendor "nosuch"; known: xonvo'],
    ['docs', 'scripts/docs.ts', ['--bogus'], "docs: Unknown option '--bogus'"],
    ['test:dredd', 'scripts/dredd.ts', ['nosuch'], 'test:dredd: unknown vendor "nosuch"'],
    ['test:workflows', 'scripts/workflows.ts', ['--bogus'], "test:workflows: Unknown option '--bogus'\n"],
    // The scripts that take vendors too: parseArgs's advice on passing a positional is not shown.
    ['build', 'scripts/build.ts', ['--bogus'], "build: Unknown option '--bogus'\n"],
    ['test:dredd', 'scripts/dredd.ts', ['xonvo', '--bogus=1'], "test:dredd: Unknown option '--bogus'\n"],
    ['traffic', 'scripts/traffic.ts', ['imprzd', 'x.har', '--bogus'], "traffic: Unknown option '--bogus'\n"],
    ['bench', 'scripts/bench.ts', ['clients'], 'bench: it takes no arguments (got "clients"); choose a part with BENCH_ONLY'],
    ['test', 'scripts/test.ts', ['dred'], 'test: unknown step dred'],
    // An empty --out resolved to the repository itself, and the site was written over it.
    ['docs', 'scripts/docs.ts', ['--out='], 'docs: --out must name a folder (got nothing)'],
    ['docs', 'scripts/docs.ts', ['--out', 'package.json'], 'docs: --out package.json is a file; name a folder'],
    // Found 2026-12-03 (TEST-38): a folder with files of its own was written over (docs/, the repository itself).
    ['docs', 'scripts/docs.ts', ['--out', 'docs'], 'docs: --out docs holds files the site did not write (decisions.md, mock-behaviour.md, spec-style.md), which it would write over'],
    ['docs', 'scripts/docs.ts', ['--out', '.'], 'docs: --out . holds files the site did not write (CHANGELOG.md, LICENSE, README.md, … ('],
    // An empty --baseline resolved to the working directory, which --update-baseline then deleted.
    ['breaking', 'scripts/breaking.ts', ['--update-baseline', '--baseline='], 'breaking: --baseline must name a folder (got nothing)'],
  ])('%s', (script, file, args, message) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(new RegExp(`usage: .*npm (run )?${script}`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('To specify');
  });
});

describe('npm scripts answer --help with their usage', () => {
  it.each([
    ['breaking', 'scripts/breaking.ts'],
    ['build', 'scripts/build.ts'],
    ['docs', 'scripts/docs.ts'],
    ['test:dredd', 'scripts/dredd.ts'],
    ['test:workflows', 'scripts/workflows.ts'],
    ['test:sandbox', 'scripts/sandbox.ts'],
    ['test', 'scripts/test.ts'],
    ['bench', 'scripts/bench.ts'],
  ])('%s', (script, file) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', file, '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: .*npm (run )?${script}`));
  });
});

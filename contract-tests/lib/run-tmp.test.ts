import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import setup, { RUN_PREFIX } from './run-tmp.js';

describe('the test run’s temporary folder', () => {
  it('is what os.tmpdir() names in a test, and in a process a test starts', () => {
    expect(basename(tmpdir())).toMatch(new RegExp(`^${RUN_PREFIX}`));
    const child = spawnSync(process.execPath, ['-e', "process.stdout.write(require('node:os').tmpdir())"], { encoding: 'utf8' });
    expect(child.stdout).toBe(tmpdir());
  });

  it('goes at the end with whatever tests left in it, and the variables are as they were', () => {
    const before = { TMPDIR: process.env.TMPDIR, TEMP: process.env.TEMP, TMP: process.env.TMP };
    const teardown = setup();
    const folder = tmpdir();
    try {
      expect(dirname(folder)).toBe(before.TMPDIR ?? dirname(folder));
      expect([process.env.TEMP, process.env.TMP]).toEqual([folder, folder]);
      mkdirSync(join(folder, 'left-by-a-test'));
      writeFileSync(join(folder, 'left-by-a-test', 'x.har'), '{}');
    } finally {
      teardown();
    }
    expect(existsSync(folder)).toBe(false);
    expect({ TMPDIR: process.env.TMPDIR, TEMP: process.env.TEMP, TMP: process.env.TMP }).toEqual(before);
  });
});

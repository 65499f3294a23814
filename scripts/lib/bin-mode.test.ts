import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { markBinsExecutable } from './bin-mode.js';

it("makes the bins package.json names executable, as tsc does not: npx in the clone ran them, and after a second build:lib was refused ('Permission denied')", () => {
  const root = mkdtempSync(join(tmpdir(), 'martech-bin-mode-'));
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', bin: { x: './dist/cli.js' } }));
  // As tsc writes it: readable, not executable.
  writeFileSync(join(root, 'dist/cli.js'), '#!/usr/bin/env node\nconsole.log("ran");\n', { mode: 0o644 });
  expect(spawnSync(join(root, 'dist/cli.js')).error).toMatchObject({ code: 'EACCES' });

  expect(markBinsExecutable(root)).toEqual(['./dist/cli.js']);
  expect(statSync(join(root, 'dist/cli.js')).mode & 0o777).toBe(0o755);
  expect(spawnSync(join(root, 'dist/cli.js'), { encoding: 'utf8' }).stdout).toBe('ran\n');
});

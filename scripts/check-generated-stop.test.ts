/**
 * `npm run check:generated` stopped (Ctrl-C, a cancelled job, a closed terminal) ended without a
 * word, and a SIGHUP left its scratch copy of generated/ in the temporary folder (TEST-20).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

it.each([
  ['SIGINT', 130],
  ['SIGHUP', 129],
] as const)('check:generated stopped by %s says so, exits %i and leaves no scratch folder', async (signal, code) => {
  // A temporary folder of its own, so what it leaves there is its own.
  const tmp = mkdtempSync(join(tmpdir(), 'martech-check-stop-'));
  const scratch = () => readdirSync(tmp).filter((name) => name.startsWith('martech-generated-'));
  // Its own process group, signalled as a terminal signals the job in front.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--check'], { cwd: root, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    // The first step's line: the scratch folder is made before it, and the five vendors' steps take seconds after it.
    while (!output.includes('] lint ')) {
      if (child.exitCode !== null) throw new Error(`ended before its first step:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(scratch()).toHaveLength(1);
    process.kill(-child.pid!, signal);
    expect(await exited).toEqual({ code, signal: null });
    expect(output).toContain(`check:generated stopped (${signal}) before it finished: nothing in generated/ was written, and its scratch copy is removed.`);
    expect(scratch()).toEqual([]);
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group has ended.
    }
    rmSync(tmp, { recursive: true, force: true });
  }
});

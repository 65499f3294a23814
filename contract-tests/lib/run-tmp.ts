/**
 * vitest's global setup for every project: the run gets a temporary folder of its own, which
 * os.tmpdir() names in every worker and every process a test starts, and which goes when the run
 * ends. Tests make folders there (HAR files, packed packages, recording proxies' logs, Chromium's
 * profiles); those that forgot to remove theirs left them in the user's temporary folder, run
 * after run: 2 GB and more a run, most of it the SIGKILL test's HAR files (TEST-100).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The variables os.tmpdir() reads: TMPDIR on Linux and macOS, TEMP and TMP on Windows. */
const NAMES = ['TMPDIR', 'TEMP', 'TMP'] as const;

/** Where a run's folders are made: what `setup` below sets. */
export const RUN_PREFIX = 'martech-test-run-';

export default function setup(): () => void {
  const before = NAMES.map((name) => [name, process.env[name]] as const);
  const folder = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  for (const name of NAMES) process.env[name] = folder;
  return () => {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
  };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { root } from './vendors.js';

/** Where runs write their reports: reports/, or MARTECH_REPORTS_DIR (tests keep theirs apart). */
export function reportsDir(): string {
  return resolve(root, process.env.MARTECH_REPORTS_DIR ?? 'reports');
}

export async function writeReport(name: string, value: unknown): Promise<string> {
  const dir = reportsDir();
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** Writes a report to an explicit path (a step's own report file), creating its folder. */
export async function writeJson(file: string, value: unknown): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

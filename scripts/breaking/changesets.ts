/**
 * Pending change files (changesets): which bump each one asks for, and what it says. A breaking
 * change is covered when a pending file bumps the package `major` and names the vendor it
 * breaks, so the changelog entry tells that vendor's users.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Bump = 'major' | 'minor' | 'patch' | 'none';

export interface ChangeFile {
  file: string;
  bump: Bump;
  summary: string;
}

const order: Bump[] = ['none', 'patch', 'minor', 'major'];

/** A change file the gate cannot read: said with the file named and what to fix, not a stack trace. */
export class ChangeFileError extends Error {}

/** Reads `<dir>/*.md` (README.md aside) and the bump each gives `packageName`. */
export function pendingChangeFiles(dir: string, packageName: string): ChangeFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name.toLowerCase() !== 'readme.md')
    .sort()
    .map((name) => parseChangeFile(join(dir, name), readFileSync(join(dir, name), 'utf8'), packageName));
}

export function parseChangeFile(file: string, text: string, packageName: string): ChangeFile {
  // `changeset add --empty` writes an empty block: "---" on two lines with nothing between.
  const match = /^---\r?\n(?:([\s\S]*?)\r?\n)?---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new ChangeFileError(`${file}: a change file starts with a front matter block (--- "${packageName}": major|minor|patch ---)`);
  let bump: Bump = 'none';
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const entry = /^\s*["']?([^"':]+)["']?\s*:\s*(\w+)\s*$/.exec(line);
    if (!entry || !order.includes(entry[2] as Bump) || entry[2] === 'none') {
      throw new ChangeFileError(`${file}: front matter line "${line}" must read "<package>": major|minor|patch`);
    }
    if (entry[1]!.trim() === packageName && order.indexOf(entry[2] as Bump) > order.indexOf(bump)) bump = entry[2] as Bump;
  }
  return { file, bump, summary: match[2]!.trim() };
}

/** The vendors (or entry points) a set of breaking changes touches that no major change file names. */
export function uncoveredVendors(vendors: string[], files: ChangeFile[]): string[] {
  const majors = files.filter((file) => file.bump === 'major').map((file) => file.summary.toLowerCase());
  return vendors.filter((vendor) => !majors.some((summary) => new RegExp(`\\b${vendor.toLowerCase()}\\b`).test(summary)));
}

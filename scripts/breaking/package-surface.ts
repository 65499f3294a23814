/**
 * What package.json promises besides its exports: the commands it installs (`bin`; the README's
 * `npx martech-contracts mock|record|webhook`) and the Node versions it runs on (`engines.node`).
 * A release that drops a command, or needs a newer Node, breaks the scripts and CI of whoever
 * relied on them; the gate compared neither, and called such a release a patch.
 */
import type { Change, Json } from './types.js';
import { isObject } from './types.js';

/** What a baseline records of package.json (manifest.json `bin` and `engines`). */
export interface PackagePromises {
  bin?: Json;
  engines?: Json;
}

/** package.json's `bin` as command → file: a string names one command, the package's own name without its scope. */
export function commands(packageName: string, bin: Json | undefined): Map<string, string> {
  if (typeof bin === 'string') return new Map([[packageName.replace(/^@[^/]+\//, ''), bin]]);
  return new Map(isObject(bin) ? Object.entries(bin).filter((entry): entry is [string, string] => typeof entry[1] === 'string') : []);
}

/** Why a recorded `bin` or `engines` cannot be read, or undefined when it can. */
export function promisesProblem(promises: PackagePromises): string | undefined {
  const { bin, engines } = promises;
  if (bin !== undefined && typeof bin !== 'string' && !(isObject(bin) && Object.values(bin).every((file) => typeof file === 'string'))) return '"bin" must be a file or an object of command names to files, as in package.json';
  if (engines !== undefined && !(isObject(engines) && Object.values(engines).every((range) => typeof range === 'string'))) return '"engines" must be an object of version ranges, as in package.json';
  return undefined;
}

type Version = [number, number, number];

/**
 * The oldest version a range admits, for the forms engines fields are written in (`>=20.19`,
 * `^20.19.0 || >=22.12`, `20.x`, `>18`); undefined for a range it cannot read, which is left to a
 * person.
 */
export function lowest(range: string): Version | undefined {
  const ends = range.split('||').map((alternative) => {
    const first = alternative.trim().split(/\s+/)[0] ?? '';
    if (first === '' || first === '*' || first === 'x') return [0, 0, 0] as Version;
    const match = /^(>=|>|\^|~|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(first);
    if (!match) return undefined;
    const part = (text: string | undefined) => (text === undefined || text === 'x' || text === '*' ? 0 : Number(text));
    const version: Version = [Number(match[2]), part(match[3]), part(match[4])];
    // `>20` admits 21.0.0 first; `>20.19` 20.20.0; `>20.19.1` 20.19.2.
    if (match[1] === '>') {
      if (match[3] === undefined) return [version[0] + 1, 0, 0] as Version;
      if (match[4] === undefined) return [version[0], version[1] + 1, 0] as Version;
      return [version[0], version[1], version[2] + 1] as Version;
    }
    return version;
  });
  if (ends.some((end) => end === undefined)) return undefined;
  return (ends as Version[]).reduce((low, end) => (compare(end, low) < 0 ? end : low));
}

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The release's `bin` and `engines.node` against package.json's now. */
export function comparePackage(packageName: string, before: PackagePromises, after: PackagePromises): Change[] {
  const changes: Change[] = [];
  const [was, is] = [commands(packageName, before.bin), commands(packageName, after.bin)];
  for (const name of was.keys()) {
    if (!is.has(name)) changes.push({ vendor: 'commands', operation: 'the whole API', where: `command \`${name}\``, rule: 'command-removed', severity: 'breaking', message: `is no longer installed (package.json \`bin\`): \`npx ${name}\` and scripts that run it fail` });
  }
  for (const name of is.keys()) if (!was.has(name)) changes.push({ vendor: 'commands', operation: 'the whole API', where: `command \`${name}\``, rule: 'command-removed', severity: 'info', message: 'is new' });
  const node = (promises: PackagePromises) => (isObject(promises.engines) && typeof promises.engines.node === 'string' ? promises.engines.node : undefined);
  const [from, to] = [node(before), node(after)];
  if (from === to) return changes;
  // Its heading (`**node**`) is what a change file needs: the range is this section's one subject.
  const at = { vendor: 'node', operation: 'the whole API', where: 'package.json engines.node', rule: 'engines-changed' };
  const [low, high] = [from === undefined ? ([0, 0, 0] as Version) : lowest(from), to === undefined ? ([0, 0, 0] as Version) : lowest(to)];
  const words = `${from ?? 'any'} → ${to ?? 'any'}`;
  if (low === undefined || high === undefined) changes.push({ ...at, severity: 'warning', message: `changed (${words}), in a form the check cannot read: see whether a Node version the release ran on is dropped` });
  else if (compare(high, low) > 0) changes.push({ ...at, severity: 'breaking', message: `raised (${words}): projects on Node ${low.join('.')} up to, not including, ${high.join('.')} can no longer install or run the package` });
  // The oldest Node kept, but the range written otherwise (an upper end, a gap): for a person to read.
  else changes.push({ ...at, severity: compare(high, low) < 0 ? 'info' : 'warning', message: compare(high, low) < 0 ? `lowered (${words})` : `changed (${words}), keeping its oldest version: see whether a later one is dropped` });
  return changes;
}

/**
 * What package.json promises besides its exports: the commands it installs (`bin`; the README's
 * `npx martech-contracts mock|record|webhook`) and the Node versions it runs on (`engines.node`).
 * A release that drops a command, or needs a newer Node, breaks the scripts and CI of whoever
 * relied on them; the gate compared neither, and called such a release a patch.
 */
import semver from 'semver';
import type { Change, Json } from './types.js';
import { isObject } from './types.js';

/** What a baseline records of package.json (manifest.json `bin`, `engines` and the peer dependencies). */
export interface PackagePromises {
  bin?: Json;
  engines?: Json;
  peerDependencies?: Json;
  peerDependenciesMeta?: Json;
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
  const { peerDependencies: peers, peerDependenciesMeta: meta } = promises;
  if (peers !== undefined && !(isObject(peers) && Object.values(peers).every((range) => typeof range === 'string'))) return '"peerDependencies" must be an object of package names to version ranges, as in package.json';
  if (meta !== undefined && !(isObject(meta) && Object.values(meta).every(isObject))) return '"peerDependenciesMeta" must be an object of package names to objects, as in package.json';
  return undefined;
}

/**
 * The release versions at which either range can change its answer: 0.0.0, each version a
 * comparator names, and the next patch, minor and major after it (`<21.0.0-0`, `^20`'s end, turns
 * at 21.0.0 for releases). Between two of them neither range changes its answer, so testing them
 * tells every release version one range allows and the other refuses.
 */
function turns(...ranges: string[]): string[] {
  const named = ranges.flatMap((range) => new semver.Range(range).set.flat().map((comparator) => comparator.semver)).filter((version) => version instanceof semver.SemVer);
  const near = named.flatMap((version) => [version.version, ...(['patch', 'minor', 'major'] as const).map((step) => semver.inc(version, step))]);
  // semver.valid: the step after a major of 2^53 - 1 is one semver cannot read, and sorting it threw.
  return semver.sort([...new Set(['0.0.0', ...near].filter((version): version is string => version !== null && semver.valid(version) !== null && semver.prerelease(version) === null))]);
}

/** The first span of release versions `from` allows and `to` refuses, in words; undefined where there is none. */
function refusedSpan(from: string, to: string): string | undefined {
  const versions = turns(from, to);
  const refused = (version: string) => semver.satisfies(version, from) && !semver.satisfies(version, to);
  const start = versions.find(refused);
  const end = start && versions.find((version) => semver.gt(version, start) && !refused(version));
  return start && (end ? `${start} up to, not including, ${end}` : `${start} and later`);
}

/** The release's `bin` and `engines.node` against package.json's now. */
export function comparePackage(packageName: string, before: PackagePromises, after: PackagePromises): Change[] {
  const changes: Change[] = [];
  const [was, is] = [commands(packageName, before.bin), commands(packageName, after.bin)];
  for (const name of was.keys()) {
    if (!is.has(name)) changes.push({ vendor: 'commands', operation: 'the whole API', where: `command \`${name}\``, rule: 'command-removed', severity: 'breaking', message: `is no longer installed (package.json \`bin\`): \`npx ${name}\` and scripts that run it fail` });
  }
  for (const name of is.keys()) if (!was.has(name)) changes.push({ vendor: 'commands', operation: 'the whole API', where: `command \`${name}\``, rule: 'command-removed', severity: 'info', message: 'is new' });
  const node = (promises: PackagePromises) => (isObject(promises.engines) && typeof promises.engines.node === 'string' ? promises.engines.node : undefined);
  return [...changes, ...compareNode(node(before), node(after)), ...comparePeers(before, after)];
}

/** package.json's peer dependencies: name → range, and whether npm may leave it out. */
function peers(promises: PackagePromises): Map<string, { range: string; optional: boolean }> {
  const meta = isObject(promises.peerDependenciesMeta) ? promises.peerDependenciesMeta : {};
  const ranges = isObject(promises.peerDependencies) ? Object.entries(promises.peerDependencies) : [];
  return new Map(ranges.filter((entry): entry is [string, string] => typeof entry[1] === 'string').map(([name, range]) => [name, { range, optional: isObject(meta[name]) && meta[name].optional === true }]));
}

/**
 * The peer dependencies (the Prism packages the mock runs on, Ajv for the clients' guard) are
 * installed by the consumer beside the package, and npm refuses an install whose installed peer
 * is outside the range, optional or not: a version the release took and this one refuses breaks
 * that project's install, as a required peer added does. A baseline that did not record them
 * (undefined) is said by the caller; nothing is compared.
 */
function comparePeers(before: PackagePromises, after: PackagePromises): Change[] {
  if (before.peerDependencies === undefined) return [];
  const [was, is] = [peers(before), peers(after)];
  const changes: Change[] = [];
  const push = (name: string, severity: Change['severity'], message: string) => changes.push({ vendor: 'peers', operation: 'the whole API', where: `peer dependency \`${name}\``, rule: 'peer-changed', severity, message });
  for (const [name, { range, optional }] of is) {
    const old = was.get(name);
    if (!old) {
      if (optional) push(name, 'info', `is new, optional (${range})`);
      else push(name, 'breaking', `is new and not optional (${range}): projects without it get a peer conflict (npm refuses the install, or installs it unasked)`);
      continue;
    }
    if (old.optional && !optional) push(name, 'breaking', `is no longer optional (${range}): projects without it get a peer conflict (npm refuses the install, or installs it unasked)`);
    if (old.range === range) continue;
    const words = `${old.range} → ${range}`;
    if (semver.validRange(old.range) === null || semver.validRange(range) === null) {
      push(name, 'warning', `changed (${words}), in a form the check cannot read: see whether a version the release took is refused`);
      continue;
    }
    const lost = semver.minVersion(range) === null ? 'any version' : refusedSpan(old.range, range);
    if (lost !== undefined) push(name, 'breaking', `narrowed (${words}): projects with ${name} ${lost} installed get a peer conflict (npm refuses the install)`);
    else if (refusedSpan(range, old.range) !== undefined) push(name, 'info', `widened (${words})`);
  }
  for (const name of was.keys()) if (!is.has(name)) push(name, 'info', 'is no longer a peer dependency');
  return changes;
}

/** The release's Node range against package.json's now (none is any version). */
function compareNode(from: string | undefined, to: string | undefined): Change[] {
  if (from === to) return [];
  // Its heading (`**node**`) is what a change file needs: the range is this section's one subject.
  const at = { vendor: 'node', operation: 'the whole API', where: 'package.json engines.node', rule: 'engines-changed' };
  const [was, is] = [from ?? '*', to ?? '*'];
  const words = `${from ?? 'any'} → ${to ?? 'any'}`;
  if (semver.validRange(was) === null || semver.validRange(is) === null) return [{ ...at, severity: 'warning', message: `changed (${words}), in a form the check cannot read: see whether a Node version the release ran on is dropped` }];
  // Any Node the release allowed and this one refuses breaks whoever runs on it, not only the
  // oldest: an upper end or a gap (`^20.19.0 || >=24`) drops later ones, and an upper end past
  // today's releases refuses Node lines as they come out, which the release would have run on.
  // Not semver.subset: it holds each alternative of one range against each of the other alone, so
  // `^20.19.0 || >=21` would not cover `>=20.19`, which it does.
  const [low, high] = [semver.minVersion(was), semver.minVersion(is)];
  // A range no version satisfies (`>=24 <22`) refuses every Node the release ran on.
  if (high === null) return low === null ? [] : [{ ...at, severity: 'breaking', message: `narrowed (${words}) to no Node version at all: no project can install or run the package` }];
  if (low === null) return [{ ...at, severity: 'info', message: `widened (${words}) from no Node version` }];
  const lost = refusedSpan(was, is);
  if (lost !== undefined) return [{ ...at, severity: 'breaking', message: `${semver.gt(high, low) ? 'raised' : 'narrowed'} (${words}): projects on Node ${lost} can no longer install or run the package` }];
  if (refusedSpan(is, was) !== undefined) return [{ ...at, severity: 'info', message: `${semver.lt(high, low) ? 'lowered' : 'widened'} (${words})` }];
  // The same versions written another way (`>= 22`, `>=22.0.0`): no change.
  return [];
}

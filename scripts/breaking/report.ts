/** The check's findings in consumer words, grouped per vendor; also as a draft change file. */
import type { Change, Severity } from './types.js';

const heading: Record<Severity, string> = { breaking: 'Breaking', warning: 'Needs a look', info: 'Additive / informational' };

export function formatChanges(changes: Change[], { verbose = false } = {}): string {
  const lines: string[] = [];
  for (const [vendor, list] of groupBy(changes, (change) => change.vendor)) {
    const count = (severity: Severity) => list.filter((change) => change.severity === severity).length;
    lines.push(`${vendor}: ${count('breaking')} breaking, ${count('warning')} to look at, ${count('info')} additive`);
    for (const severity of ['breaking', 'warning', 'info'] as const) {
      if (severity === 'info' && !verbose) continue;
      const items = list.filter((change) => change.severity === severity);
      if (!items.length) continue;
      lines.push(`  ${heading[severity]}:`);
      for (const change of items) lines.push(`    - ${sentence(change)}`);
    }
  }
  return lines.join('\n');
}

/**
 * The semver bump the changes need (README, "Releasing"): major for a break, minor for any other
 * change a consumer can notice (a new operation, field or option, a looser or moved rule, a
 * warning), patch when the contract did not change.
 */
export function bumpNeeded(changes: Change[]): 'major' | 'minor' | 'patch' {
  if (changes.some((change) => change.severity === 'breaking')) return 'major';
  return changes.length ? 'minor' : 'patch';
}

/** The bump needed, in a sentence with what calls for it. */
export function bumpWords(changes: Change[]): string {
  const breaking = changes.filter((change) => change.severity === 'breaking').length;
  const needed = bumpNeeded(changes);
  if (needed === 'major') return `these changes need a major release (${breaking} breaking)`;
  if (needed === 'minor') return `these changes need a minor release (${changes.length} additive or to look at, none breaking)`;
  return 'a patch release will do (the contract did not change)';
}

/**
 * Where a baseline came from, for the report's header. Manifests used to record `HEAD = <hash>`,
 * the ref as typed when the snapshot was taken, which read as the current HEAD; the commit is
 * what identifies it.
 */
export function baselineSource(source: unknown): string {
  if (typeof source !== 'string' || !source.trim()) return 'source not recorded';
  const legacy = /^.+ = ([0-9a-f]{7,40})$/.exec(source);
  return legacy ? `commit ${legacy[1]}` : source;
}

/** `GET /v4/rewards (listRewards), response 200 (application/json): field … was removed: …` */
export function sentence(change: Change): string {
  const where = change.where ? `, ${change.where}` : '';
  return `${change.operation}${where}: ${change.message}`;
}

/** A major change file listing every break per vendor; the release turns it into the changelog entry. */
export function draftChangeFile(packageName: string, changes: Change[]): string {
  const breaking = changes.filter((change) => change.severity === 'breaking');
  const lines = ['---', `"${packageName}": major`, '---', '', 'Breaking changes, per vendor (what changed and whose code it breaks):', ''];
  for (const [vendor, list] of groupBy(breaking, (change) => change.vendor)) {
    lines.push(`**${vendor}**`, '');
    for (const change of list) lines.push(`- ${sentence(change)}`);
    lines.push('');
  }
  return lines.join('\n');
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

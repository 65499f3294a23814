/**
 * The package's entry points (`exports` in package.json) and their type surfaces, release against
 * working tree. An entry point removed or renamed breaks every import of it; an entry point the
 * release exported must have its API report in the baseline, or its types would go unchecked.
 */
import { compareReports } from './api-report.js';
import { resolveExports } from './exports.js';
import type { Change } from './types.js';

/**
 * The entry points a consumer can import: `exports` keys whose runtime target resolves (`.` for
 * a package exporting one target). `"./perx": null` or `"./perx": { "types": … }` alone is not one.
 */
export function exportKeys(pkg: { exports?: unknown }): string[] {
  return resolveExports(pkg)
    .filter((entry) => entry.runtime !== undefined)
    .map((entry) => entry.key);
}

const importPath = (packageName: string, key: string) => (key === '.' ? packageName : `${packageName}/${key.replace(/^\.\//, '')}`);

/** Entry points the release had and the working tree has not: breaking; new ones are listed. */
export function compareEntryPoints(packageName: string, before: string[], after: string[]): Change[] {
  const at = (key: string) => ({ vendor: key === '.' ? packageName : key.replace(/^\.\//, ''), operation: 'the whole API', where: `entry point \`${importPath(packageName, key)}\`` });
  return [
    ...before
      .filter((key) => !after.includes(key))
      .map((key) => ({ ...at(key), rule: 'entry-point-removed', severity: 'breaking' as const, message: `is no longer exported: \`import … from '${importPath(packageName, key)}'\` fails (ERR_PACKAGE_PATH_NOT_EXPORTED)` })),
    ...after.filter((key) => !before.includes(key)).map((key) => ({ ...at(key), rule: 'entry-point-removed', severity: 'info' as const, message: 'is a new entry point' })),
  ];
}

/**
 * Each entry point's type surface against the release's report. An entry point the release
 * exported but has no report for is `missing` (the baseline is incomplete: the caller refuses to
 * judge); one the release did not export is new, compared from the next release on.
 */
export function compareSurfaces(options: {
  packageName: string;
  released: string[];
  exportedNow: string[];
  baseline: Map<string, string>;
  current: Map<string, string>;
  ignore: Set<string>;
}): { changes: Change[]; missing: string[] } {
  const { packageName, released, exportedNow, baseline, current, ignore } = options;
  const changes: Change[] = [];
  const missing: string[] = [];
  const names = (keys: string[]) => new Set(keys.map((key) => key.replace(/^\.\//, '')));
  const exported = names(released);
  const stillExported = names(exportedNow);
  for (const [entry, text] of current) {
    const before = baseline.get(entry);
    if (before !== undefined) changes.push(...compareReports(entry, before, text, ignore));
    else if (exported.has(entry)) missing.push(entry);
    else changes.push({ vendor: entry, operation: `types: ${packageName}/${entry}`, where: '', rule: 'type-surface', severity: 'info', message: 'new entry point: its types are compared from the next release on' });
  }
  for (const entry of baseline.keys()) {
    if (current.has(entry) || !stillExported.has(entry)) continue;
    // Still exported (else entry-point-removed says so) but without declarations: every typed import breaks.
    changes.push({ vendor: entry, operation: `types: ${packageName}/${entry}`, where: '', rule: 'type-surface', severity: 'breaking', message: 'has no type declarations any more: TypeScript code importing it no longer compiles' });
  }
  return { changes, missing };
}

/**
 * package.json `exports` resolved as Node and TypeScript resolve an import of the package: each
 * entry point's runtime target (what `import` loads) and its types target (what `tsc` reads). A
 * key whose runtime target resolves to nothing (`null`, or only a `types` condition) is not an
 * entry point at all: importing it fails with ERR_PACKAGE_PATH_NOT_EXPORTED.
 */

export interface ResolvedEntry {
  /** `./perx`, `.`, `./package.json`. */
  key: string;
  runtime?: string;
  types?: string;
}

/** package.json's `exports` cannot be judged (a subpath pattern): said naming the key, never a stack trace. */
export class ExportsError extends Error {}

// What Node matches for `import` of an ESM-only package (REL-21), and what TypeScript's
// NodeNext resolution matches for the same import.
const runtimeConditions = ['node', 'import', 'module-sync', 'default'];
const typesConditions = ['types', 'import', 'node', 'default'];

/**
 * Node's PACKAGE_TARGET_RESOLVE, reduced to what a package.json can say: a string; null (not
 * exported); an array (the first that resolves); conditions in their written order, a matching
 * one that resolves to undefined passing on to the next.
 */
function resolveTarget(target: unknown, conditions: string[]): string | null | undefined {
  if (typeof target === 'string') return target;
  if (target === null) return null;
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item, conditions);
      if (typeof resolved === 'string') return resolved;
    }
    return undefined;
  }
  if (typeof target !== 'object') return undefined;
  for (const [condition, value] of Object.entries(target as Record<string, unknown>)) {
    if (!conditions.includes(condition)) continue;
    const resolved = resolveTarget(value, conditions);
    if (resolved !== undefined) return resolved;
  }
  return undefined;
}

/** A declaration file as is; a JavaScript target's sibling declaration, which TypeScript looks for next to it. */
function declarationOf(target: string | null | undefined): string | undefined {
  if (typeof target !== 'string') return undefined;
  if (/\.d\.[cm]?ts$/.test(target)) return target;
  const match = /^(.*)\.([cm]?)js$/.exec(target);
  return match ? `${match[1]}.d.${match[2]}ts` : undefined;
}

export function resolveExports(pkg: { exports?: unknown }): ResolvedEntry[] {
  const { exports } = pkg;
  if (exports === undefined) return [];
  const subpaths = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  // A string, an array or conditions only (`{ "import": …, "types": … }`) is the `.` entry point.
  const entries: Array<[string, unknown]> = subpaths ? Object.entries(exports as Record<string, unknown>) : [['.', exports]];
  return entries.map(([key, target]) => {
    if (key.includes('*')) {
      throw new ExportsError(
        `package.json exports "${key}": subpath patterns are not supported by the breaking-change check (the entry points they export cannot be listed, so their types could not be compared); list each entry point`,
      );
    }
    const runtime = resolveTarget(target, runtimeConditions);
    return { key, runtime: runtime ?? undefined, types: declarationOf(resolveTarget(target, typesConditions)) };
  });
}

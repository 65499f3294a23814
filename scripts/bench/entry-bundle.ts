import type { Metafile } from 'esbuild';
import { vendors } from '../../src/vendors.js';

/**
 * Every vendor entry bundled as a bundler ships it (esbuild, code splitting, minified, Node's
 * built-ins left to the runtime): the bench counts its bytes, and src/opt-in-code.test.ts reads
 * what it holds. Written to `outdir` only when asked.
 */
export async function bundleEntries(root: string, outdir: string, write: boolean) {
  const { build } = await import('esbuild');
  return build({
    entryPoints: vendors.map((v) => `src/${v.name}.ts`),
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    platform: 'neutral',
    external: ['node:*'],
    outdir,
    write,
    metafile: true,
    absWorkingDir: root,
    logLevel: 'silent',
  });
}

/** A file and what it imports statically, in a metafile's outputs or inputs: what ships with it. */
export function staticClosure(graph: Metafile['outputs'] | Metafile['inputs'], from: string, seen = new Set<string>()): Set<string> {
  if (seen.has(from) || !graph[from]) return seen;
  seen.add(from);
  // A module left to the runtime (`node:fs/promises`) is no file of the bundle's.
  for (const imported of graph[from]!.imports) if (imported.kind === 'import-statement' && !imported.external) staticClosure(graph, imported.path, seen);
  return seen;
}

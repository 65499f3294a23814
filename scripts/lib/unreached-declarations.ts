/**
 * The declaration files in dist/ that no entry point's types reach. tsc emits a `.d.ts` for every
 * module it compiles; a consumer's compiler reads only those an entry's types import, directly or
 * not, so the rest (the CLI's, the recorder's internals, …) shipped as dead weight (REL-50).
 * What is reached is asked of TypeScript itself, resolving as a consumer's NodeNext project does:
 * a walk of our own could miss an import form and drop a file the public types need.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { resolveExports } from '../breaking/exports.js';

/** A package.json whose declarations cannot be judged: said naming the entry, never a stack trace. */
export class DeclarationsError extends Error {}

function declarationFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? declarationFiles(path) : /\.d\.[cm]?ts$/.test(entry.name) ? [path] : [];
  });
}

/** `packageRoot`-relative paths (dist/cli.d.ts) of the declarations under `outDir` that no entry's types reach. */
export function unreachedDeclarations(packageRoot: string, outDir = 'dist'): string[] {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { exports?: unknown };
  const entries = resolveExports(pkg).filter((entry) => entry.runtime !== undefined && entry.types !== undefined);
  const roots = entries.map((entry) => {
    const file = join(packageRoot, entry.types!);
    if (!existsSync(file)) throw new DeclarationsError(`package.json exports "${entry.key}": its types, ${entry.types}, were not emitted (is it among tsconfig.build.json's files?)`);
    return file;
  });
  const program = ts.createProgram(roots, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: [] });
  const reached = new Set(program.getSourceFiles().map((file) => relative(packageRoot, file.fileName).split(sep).join('/')));
  return declarationFiles(join(packageRoot, outDir))
    .map((file) => relative(packageRoot, file).split(sep).join('/'))
    .filter((file) => !reached.has(file))
    .sort();
}

/**
 * The package as a consumer installs it: `src/` compiled by tsc with the build's own config (as
 * `npm run build:lib` compiles it), in a folder of its own under node_modules, with `generated/`
 * beside it. The clients' figures are taken of this code, not of `src/` run through tsx, whose
 * transform wraps every function a call makes in a naming helper the shipped code does not have.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface BuiltPackage {
  /** The folder holding node_modules/martech-contracts (a consumer project can sit beside it). */
  work: string;
  /** node_modules/martech-contracts itself. */
  dir: string;
  remove(): void;
}

export function buildPackage(): BuiltPackage {
  const work = mkdtempSync(join(tmpdir(), 'martech-bench-package-'));
  const dir = join(work, 'node_modules', 'martech-contracts');
  mkdirSync(dir, { recursive: true });
  const emit = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], { encoding: 'utf8' });
  if (emit.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`the package did not build (tsc -p tsconfig.build.json):\n${emit.stdout}${emit.stderr}`);
  }
  symlinkSync(join(root, 'generated'), join(dir, 'generated'));
  writeFileSync(join(dir, 'package.json'), readFileSync(join(root, 'package.json')));
  // Its dependencies, found as an installed package finds them.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return { work, dir, remove: () => rmSync(work, { recursive: true, force: true }) };
}

/** A module of the built package, by its path under dist/ ('perx.js', 'call-abort.js'). */
export const builtModule = <T>(dir: string, file: string): Promise<T> => import(pathToFileURL(join(dir, 'dist', file)).href) as Promise<T>;

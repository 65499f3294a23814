/**
 * `npm run build:lib`, and `prepack`: src/ compiled by tsc into a cleared dist/ (a module
 * renamed since an older build must not ship, REL-49), then the declarations no entry point's
 * types reach taken out: they shipped, and no consumer's compiler could read them (REL-50).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readArgs, readCommandLine } from './lib/args.js';
import { markBinsExecutable } from './lib/bin-mode.js';
import { takesNothingProblem } from './lib/takes-nothing.js';
import { DeclarationsError, unreachedDeclarations } from './lib/unreached-declarations.js';
import { root } from './lib/vendors.js';

// prepack runs this file itself, not `npm run build:lib`: an inner npm inherits what was typed
// to the outer one, and a flag it holds can no longer be told from a setting (TEST-41).
const script = process.env.npm_lifecycle_event === 'prepack' ? 'prepack' : 'build:lib';
readArgs(script, `usage: npm run ${script}   (no flags: compiles src/ into dist/ with tsconfig.build.json)`, () => {
  const problem = process.env.npm_lifecycle_event === script ? takesNothingProblem(script) : undefined;
  if (problem) throw new Error(problem);
  return readCommandLine({ options: {} });
});
console.log('build:lib: tsc -p tsconfig.build.json into a cleared dist/ (silent until done, under a minute)…');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
let unreached: string[];
try {
  unreached = unreachedDeclarations(root);
} catch (error) {
  if (!(error instanceof DeclarationsError)) throw error;
  console.error(`build:lib: ${error.message}`);
  process.exit(1);
}
for (const file of unreached) rmSync(join(root, file));
markBinsExecutable(root);
console.log(`build:lib: dist/ written; ${unreached.length} declaration files no entry point's types reach left out.`);

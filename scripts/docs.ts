/**
 * npm run docs [-- --out DIR]: builds the static docs site (default build/docs): an index, per vendor
 * a Redoc reference, a provenance page, the bundled spec and a Postman collection. See docs/site.ts.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { outDirProblem } from './docs/out-dir.js';
import { buildSite } from './docs/site.js';
import { readArgs, readCommandLine } from './lib/args.js';
import { root } from './lib/vendors.js';

const DOCS_FLAGS = { out: { type: 'string', default: 'build/docs' } } as const;
const { values } = readArgs('docs', 'usage: npm run docs [-- --out <folder>]   (default: build/docs)', () => {
  const read = readCommandLine({ options: DOCS_FLAGS });
  // An empty --out would resolve to the repository itself, and the site be written over it.
  if (read.values.out.trim() === '') throw new Error('--out must name a folder (got nothing)');
  const problem = outDirProblem(resolve(root, read.values.out), read.values.out);
  if (problem) throw new Error(problem);
  return read;
}, { scripts: ['docs'], flags: DOCS_FLAGS });
const outDir = resolve(root, values.out);
try {
  const files = await buildSite(outDir, (line) => console.log(line));
  console.log(`\nWrote ${files.length} files to ${outDir}. Open ${pathToFileURL(`${outDir}/index.html`).href}, or serve the folder from any static host.`);
} catch (error) {
  // A folder that cannot be made or written (read-only, under a file, /proc) or a spec the site
  // refuses (an operation without x-source): one line naming it, never a stack trace.
  const { code, message } = error as NodeJS.ErrnoException;
  const advice = code ? `: it cannot be written (${message}); name a folder you can write to with --out <folder>` : `: ${message}`;
  process.stderr.write(`docs: the site was not finished in ${outDir}${advice}\n`);
  process.exit(1);
}

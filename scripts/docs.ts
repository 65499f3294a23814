/**
 * npm run docs [-- --out DIR]: builds the static docs site (default build/docs): an index, per vendor
 * a Redoc reference, a provenance page, the bundled spec and a Postman collection. See docs/site.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSite } from './docs/site.js';
import { readArgs, readCommandLine } from './lib/args.js';
import { root } from './lib/vendors.js';

const DOCS_FLAGS = { out: { type: 'string', default: 'build/docs' } } as const;
const { values } = readArgs('docs', 'usage: npm run docs [-- --out <folder>]   (default: build/docs)', () => {
  const read = readCommandLine({ options: DOCS_FLAGS });
  // An empty --out would resolve to the repository itself, and the site be written over it.
  if (read.values.out.trim() === '') throw new Error('--out must name a folder (got nothing)');
  const out = resolve(root, read.values.out);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new Error(`--out ${read.values.out} is a file; name a folder`);
  return read;
}, { scripts: ['docs'], flags: DOCS_FLAGS });
const outDir = resolve(root, values.out);
const files = await buildSite(outDir, (line) => console.log(line));
console.log(`\nWrote ${files.length} files to ${outDir}. Open ${outDir}/index.html, or serve the folder from any static host.`);

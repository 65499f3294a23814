#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { enterCallerDir } from './cli/caller-dir.js';
import { main } from './cli/commands.js';

// `npm run record -- … --out x.har` typed in a subfolder of a clone writes x.har there, not in the root.
// Not the mock's scripts (start, mock): it reads no path, and a folder gone since must not stop it.
const problem = enterCallerDir(['record', 'webhook'], fileURLToPath(new URL('../', import.meta.url)));
if (problem) {
  console.error(`martech-contracts: ${problem}`);
  process.exit(2);
}
await main(process.argv.slice(2));

#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { callerDir } from './cli/caller-dir.js';
import { main } from './cli/commands.js';

// `npm run record -- … --out x.har` typed in a subfolder of a clone writes x.har there, not in the root.
process.chdir(callerDir(['start', 'mock', 'record', 'webhook'], fileURLToPath(new URL('../', import.meta.url))));
await main(process.argv.slice(2));

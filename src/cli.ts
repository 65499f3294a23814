#!/usr/bin/env node
import { main } from './cli/commands.js';

await main(process.argv.slice(2));

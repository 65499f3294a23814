#!/usr/bin/env node
/**
 * martech-contracts mock [vendor...] [--dynamic] [--seed S] [--port-base N] [--quiet]
 * Starts a Prism mock per vendor and keeps them running until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { startMocks } from './mock/launcher.js';

const USAGE = `usage: martech-contracts mock [vendor...] [options]

  --dynamic          generate responses from the schemas instead of the examples
  --seed <text>      make dynamic responses repeatable
  --port-base <n>    first port (vendor i gets n+i); default: the documented ports 4010…
  --host <addr>      listen address (default 127.0.0.1)
  --quiet            print only errors from the mocks, not each request
  -h, --help         this text`;

function fail(message: string): never {
  console.error(`martech-contracts: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function mock(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dynamic: { type: 'boolean', default: false },
        seed: { type: 'string' },
        'port-base': { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let portBase: number | undefined;
  if (values['port-base'] !== undefined) {
    portBase = Number(values['port-base']);
    if (!Number.isInteger(portBase) || portBase < 1 || portBase > 65000) {
      fail(`--port-base must be a whole number from 1 to 65000 (got "${values['port-base']}")`);
    }
  }

  console.log('Starting mocks…');
  let mocks: Awaited<ReturnType<typeof startMocks>> | undefined;
  try {
    mocks = await startMocks({
      vendors: positionals,
      portBase,
      host: values.host,
      dynamic: values.dynamic,
      seed: values.seed,
      logLevel: values.quiet ? 'error' : 'info',
      onLog: (vendor, line) => console.log(`[${vendor}] ${line}`),
      // A mock that dies leaves its frontend calling a closed port: stop all, say so, exit 1.
      onCrash: (vendor, code, signal) => {
        console.error(`martech-contracts: the ${vendor} mock exited unexpectedly (${signal ?? `code ${code}`}); stopping the others`);
        void mocks?.stop().then(() => process.exit(1));
      },
    });
  } catch (error) {
    console.error(`martech-contracts: ${(error as Error).message}`);
    process.exit(1);
  }
  for (const server of mocks.servers) console.log(`ready: ${server.vendor} at ${server.url}`);
  const width = Math.max(6, ...mocks.servers.map((s) => s.vendor.length));
  console.log(`\n${'vendor'.padEnd(width)}  url`);
  for (const server of mocks.servers) console.log(`${server.vendor.padEnd(width)}  ${server.url}`);
  console.log(`\nMode: ${values.dynamic ? `dynamic${values.seed ? ` (seed ${values.seed})` : ''}` : 'examples'}. Ctrl-C stops all mocks.`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping ${mocks.servers.length} mock(s)…`);
    await mocks.stop();
    console.log('All mocks stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'mock') await mock(rest);
else if (command === undefined || command === '--help' || command === '-h') console.log(USAGE);
else fail(`unknown command "${command}"`);

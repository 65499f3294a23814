/**
 * martech-contracts mock [vendor...] [options] — every vendor's mock in this one process.
 * A thin shell over startMocks() (martech-contracts/mock): arguments in, lines out, signals.
 */
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { startMocks, type RunningMocks } from '../mock/index.js';
import { runWebhookCommand, WEBHOOK_SECRET_VARIABLE } from '../webhooks/send.js';
import { watchParent } from './parent-watch.js';
import { npmTookProblem, type NpmSources } from './npm-taken.js';
import { runRecordCommand } from './record.js';
import { parseCommandLine, port, UsageError } from './usage.js';
import { ConfigError } from '../errors.js';
import { headerText, httpUrlProblem } from '../options.js';
import { findVendor, PORT_BASE_MAX, vendors } from '../vendors.js';

const USAGE = `usage: martech-contracts mock [vendor...] [options]
       martech-contracts webhook placewise <event> --to <url> --secret <token>   (see webhook --help)
       martech-contracts record <vendor> --out <file.har>   record traffic through a proxy (see record --help)

  --stateless         answer with the documented examples only; nothing is remembered
  --dynamic           generate responses from the schemas instead of the examples
  --seed <text>       make dynamic responses repeatable
  --port-base <n>     vendor ports from n: each vendor gets n + its place in redocly.yaml (xonvo n,
                      footprints n+1, perx n+2, placewise n+3, imprzd n+4), whichever are served;
                      default: the documented ports 4010…; 0: any free ports
  --gateway-port <n>  the port serving every vendor under /<vendor>/… (default 4000; 0: any)
  --host <addr>       listen address (default 127.0.0.1)
  --webhook-to <url>  also deliver Placewise member-change webhooks here (with --webhook-secret)
  --webhook-secret <token>  the X-Secret-Token those deliveries carry (default: $PLACEWISE_WEBHOOK_SECRET,
                      which keeps it out of the process list and shell history)
  --quiet             print only mock bugs, not each request
  -h, --help          this text
  --version           the installed version of martech-contracts

State: send x-mock-session: <name> to keep a test's data apart from everyone else's.
POST /__mock/reset forgets the changes of the session it names (?session=<name>, or its own
x-mock-session header; every session when neither): on a vendor's port or under its gateway
prefix (/perx/__mock/reset) that vendor's, at the gateway's root every vendor's.`;

/** The flag of each startMocks option the command line sets. */
const FLAGS: Record<string, string> = { portBase: '--port-base', gatewayPort: '--gateway-port', host: '--host', seed: '--seed' };

/** The mock's flags, read by parseMockArgs and, where npm took them, named by npmTookProblem. */
const MOCK_FLAGS = {
  stateless: { type: 'boolean', default: false },
  dynamic: { type: 'boolean', default: false },
  seed: { type: 'string' },
  'port-base': { type: 'string' },
  'gateway-port': { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  quiet: { type: 'boolean', default: false },
  'webhook-to': { type: 'string' },
  'webhook-secret': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseMockArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), npm?: NpmSources) {
  const taken = npmTookProblem('the mock', ['start', 'mock'], MOCK_FLAGS, argv, env, cwd, npm);
  if (taken) throw new UsageError(taken);
  const parsed = parseCommandLine(argv, MOCK_FLAGS);
  const { values, positionals } = parsed;
  // Asked for, the usage is the answer, whatever else is on the line.
  if (values.help) return { ...values, vendors: [], portBase: undefined, gatewayPort: undefined, subscribers: undefined };
  const to = values['webhook-to'];
  // On the command line a secret is in every user's `ps` and in the shell's history: the environment keeps it out of both.
  const fromEnv = to !== undefined && values['webhook-secret'] === undefined;
  const secret = fromEnv ? env[WEBHOOK_SECRET_VARIABLE] : values['webhook-secret'];
  if ((to === undefined) !== (secret === undefined)) throw new UsageError(`--webhook-to and --webhook-secret go together (or set ${WEBHOOK_SECRET_VARIABLE} for the secret)`);
  const secretProblem = secret === undefined ? undefined : headerText().check(secret);
  if (secretProblem) throw new UsageError(`${fromEnv ? WEBHOOK_SECRET_VARIABLE : '--webhook-secret'} ${secretProblem}`);
  const problem = to === undefined ? undefined : httpUrlProblem(to);
  if (problem) throw new UsageError(`--webhook-to ${problem}`);
  const unknown = positionals.find((name) => !findVendor(name));
  if (unknown) throw new UsageError(`unknown vendor "${unknown}"; the vendors are ${vendors.map((v) => v.name).join(', ')}`);
  const twice = positionals.map((name) => findVendor(name)!).find((vendor, i, named) => named.indexOf(vendor) !== i);
  if (twice) throw new UsageError(`vendor "${twice.name}" is named twice`);
  return {
    ...values,
    vendors: positionals,
    portBase: port('port-base', values['port-base'], PORT_BASE_MAX),
    gatewayPort: port('gateway-port', values['gateway-port']),
    subscribers: to && secret ? { placewise: [{ url: to, secret }] } : undefined,
  };
}

async function mock(argv: string[]) {
  const values = parseMockArgs(argv);
  if (values.help) return void console.log(USAGE);

  let mocks: RunningMocks | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Stopped while starting: nothing is served yet, and a port already listening closes with the
    // process. The code is the one a shell gives a process the signal ended (130 for Ctrl-C).
    if (!mocks) {
      console.log(`\n${signal}: stopped before the mocks were ready.`);
      // A signal's code is the one a shell gives a process it ended; a parent gone is no signal.
      const code = constants.signals[signal as NodeJS.Signals];
      process.exit(code === undefined ? 1 : 128 + code);
    }
    console.log(`\n${signal}: stopping…`);
    await mocks.stop();
    console.log('Mocks stopped.');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

  // Watched from the start: read once the specs were loaded, a parent that had ended meanwhile (a
  // script's `kill` while it loads, seconds of it) was never seen, and the mock served on (MOCK-164).
  watchParent(() => void shutdown('parent process ended'));

  console.log("Starting mocks: loading each vendor's spec into Prism's engine…");
  const started = performance.now();
  let running: RunningMocks;
  try {
    running = await startMocks({
      // No vendor named on the command line is every vendor: startMocks refuses an empty list.
      vendors: values.vendors.length ? values.vendors : undefined,
      portBase: values.portBase,
      gatewayPort: values.gatewayPort,
      host: values.host,
      stateless: values.stateless,
      dynamic: values.dynamic,
      seed: values.seed,
      subscribers: values.subscribers,
      log: (line) => (!values.quiet || line.includes('MOCK BUG')) && console.log(line),
      // Loading the specs is most of start-up (2–13 s): a line per vendor, on stderr, so stdout
      // holds only what a script may read (the table of URLs, the request lines).
      onLoaded: ({ vendor, operations }) => console.error(`[${vendor}] ${operations} operation${operations === 1 ? '' : 's'} loaded`),
    });
  } catch (error) {
    // startMocks names its options as code passes them (portBase); here they were flags.
    const flag = error instanceof ConfigError && Object.hasOwn(FLAGS, error.option) ? FLAGS[error.option] : undefined;
    const said = flag ? `${flag} ${(error as ConfigError).rule}` : (error as Error).message;
    console.error(`martech-contracts: ${said}`);
    process.exit(1);
  }
  // Building the engines gives the event loop no turn, so a stop that came meanwhile was read only
  // after the table ("Ready", "stopping…", exit 0). The loop reads a signal when it polls, and the
  // next check phase may come before that (resumed from an I/O callback): two, and it is read first.
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  mocks = running;
  const names = Object.keys(mocks.urls);
  const width = Math.max(7, ...names.map((n) => n.length));
  console.log(`\n${'vendor'.padEnd(width)}  url`);
  for (const name of names) console.log(`${name.padEnd(width)}  ${mocks.urls[name]}   (gateway: ${mocks.gatewayUrl}/${name})`);
  const mode = values.dynamic ? `dynamic${values.seed ? ` (seed ${values.seed})` : ''}` : values.stateless ? 'examples, stateless' : 'stateful (POST /__mock/reset forgets)';
  console.log(`\nReady in ${Math.round(performance.now() - started)} ms. Mode: ${mode}. Ctrl-C stops.`);

  // The engine answers its own failures with a 500; anything that escapes it is logged, not fatal.
  process.on('unhandledRejection', (reason) => console.error(`martech-contracts: MOCK BUG (kept serving): ${String((reason as Error)?.stack ?? reason)}`));
}

/** This package's version, from the package.json two folders up (from src/cli/ or dist/cli/). */
const installedVersion = () => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export async function main(argv: string[]) {
  const [command, ...rest] = argv;
  try {
    if (command === 'mock') await mock(rest);
    else if (command === 'webhook') process.exitCode = await runWebhookCommand(rest);
    else if (command === 'record') process.exitCode = await runRecordCommand(rest);
    else if (command === undefined || command === '--help' || command === '-h') console.log(USAGE);
    else if (command === '--version') console.log(installedVersion());
    else throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`martech-contracts: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  }
}

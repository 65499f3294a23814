import { parseArgs, type ParseArgsConfig } from 'node:util';
import { listenPort, MAX_PORT, portRange } from '../options.js';

/** A command line that cannot run: exit 2 with the message and the usage. */
export class UsageError extends Error {}

/**
 * A whole number as the help says, in decimal digits, else NaN: Number() also read `0x10` as 16,
 * `0b1010` as 10 and `1e3` as 1000, and the mock listened on a port no one had typed.
 */
const whole = (value: string) => (/^\d+$/.test(value) ? Number(value) : NaN);

/**
 * A --<name> port argument, or undefined: the rule and words of the mock's port options
 * (src/options.ts), with the value quoted as typed. `max` is lower for the first of a run of ports.
 */
export function port(name: string, value: string | undefined, max = MAX_PORT): number | undefined {
  if (value === undefined) return undefined;
  const n = whole(value);
  if (listenPort(max).check(n)) throw new UsageError(`--${name} ${portRange(max)} (got "${value}")`);
  return n;
}

/** The longest timer Node keeps: a longer one fires at once (with a TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2_147_483_647;

/** A --timeout argument in ms: a whole number from 1 to Node's longest timer (about 24.8 days), or undefined. */
export function timeoutMs(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = whole(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TIMER_MS) throw new UsageError(`--${name} must be a whole number of ms from 1 to ${MAX_TIMER_MS} (got "${value}")`);
  return n;
}

const BYTE_UNITS: Record<string, number> = { '': 1, kib: 1024, mib: 1024 * 1024 };

/** A --<name> size argument: whole bytes, or KiB or MiB (`512KiB`, `8MiB`), up to `max` bytes (whole MiB); or undefined. */
export function byteSize(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const [, digits, unit = ''] = /^(\d+)\s*(kib|mib)?$/i.exec(value.trim()) ?? [];
  const n = digits === undefined ? NaN : Number(digits) * BYTE_UNITS[unit.toLowerCase()]!;
  if (!Number.isSafeInteger(n) || n > max) throw new UsageError(`--${name} must be a whole number of bytes, or of KiB or MiB, from 0 to ${max / 1024 / 1024}MiB (got "${value}")`);
  return n;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A negative number after an option that takes a value is that value (`--port-base -1`), so the
 * option's own rule judges it: parseArgs calls it ambiguous, as if it could be an option.
 */
function negativeValuesJoined(args: readonly string[], options: Options): string[] {
  const takesValue = new Set(Object.entries(options).flatMap(([name, o]) => (o.type === 'string' ? [`--${name}`, ...(o.short ? [`-${o.short}`] : [])] : [])));
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...joined, ...args.slice(i)];
    if (takesValue.has(arg) && /^-\d/.test(args[i + 1] ?? '')) joined.push(`${arg}${arg.startsWith('--') ? '=' : ''}${args[++i]}`);
    else joined.push(arg);
  }
  return joined;
}

/**
 * Node's parseArgs for every command line here, the CLI's commands and the npm scripts alike
 * (`args` defaults to the process's), its complaints as UsageErrors in one wording. An unknown
 * option is "Unknown option '--bogus'": where positionals are allowed parseArgs adds how to pass
 * a positional that starts with '-', which reads as if the option were right and its place wrong.
 */
export function readCommandLine<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const options = config.options ?? {};
  const args = negativeValuesJoined(config.args ?? process.argv.slice(2), options);
  try {
    return parseArgs({ ...config, args } as T);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError((error as Error).message);
    // Read again without refusing anything, to find the option it refused.
    const { tokens } = parseArgs({ ...config, args, strict: false, tokens: true });
    const unknown = tokens!.find((token) => token.kind === 'option' && !Object.hasOwn(options, token.name));
    throw new UsageError(unknown?.kind === 'option' ? `Unknown option '${unknown.rawName}'` : (error as Error).message);
  }
}

/** A command's line (positionals allowed, unknown options refused), read by readCommandLine. */
type CommandLine<O> = { args: string[]; allowPositionals: true; strict: true; options: O };

export function parseCommandLine<const O extends Options>(argv: string[], options: O): ReturnType<typeof parseArgs<CommandLine<O>>> {
  try {
    return readCommandLine({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    // Asked for, the help is the answer, even beside an unknown option. Not when `-h` is another
    // option's value (`--secret -h`): that error says how to pass such a value.
    if ('help' in options && /^Unknown option/.test((error as Error).message) && argv.some((arg) => arg === '--help' || arg === '-h')) {
      return { values: { help: true }, positionals: [] } as unknown as ReturnType<typeof parseArgs<CommandLine<O>>>;
    }
    throw error;
  }
}

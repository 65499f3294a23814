import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line that cannot run: exit 2 with the message and the usage. */
export class UsageError extends Error {}

/** A --<name> port argument: a whole number from 0 (any free port) to 65000, or undefined. */
export function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65000) throw new UsageError(`--${name} must be a whole number from 0 (any free port) to 65000 (got "${value}")`);
  return n;
}

/** The longest timer Node keeps: a longer one fires at once (with a TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2_147_483_647;

/** A --timeout argument in ms: a whole number from 1 to Node's longest timer (about 24.8 days), or undefined. */
export function timeoutMs(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TIMER_MS) throw new UsageError(`--${name} must be a whole number of ms from 1 to ${MAX_TIMER_MS} (got "${value}")`);
  return n;
}

/** Node's parseArgs for a command (positionals allowed, unknown options refused), its complaints as UsageErrors. */
type CommandLine<O> = { args: string[]; allowPositionals: true; strict: true; options: O };

export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
): ReturnType<typeof parseArgs<CommandLine<O>>> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    // Asked for, the help is the answer, even beside an unknown option. Not when `-h` is another
    // option's value (`--secret -h`): that error says how to pass such a value.
    if ('help' in options && /^Unknown option/.test((error as Error).message) && argv.some((arg) => arg === '--help' || arg === '-h')) {
      return { values: { help: true }, positionals: [] } as unknown as ReturnType<typeof parseArgs<CommandLine<O>>>;
    }
    throw new UsageError((error as Error).message);
  }
}

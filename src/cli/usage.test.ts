import { describe, expect, it } from 'vitest';
import { parseCommandLine, port, readCommandLine, UsageError } from './usage.js';

const options = { out: { type: 'string' }, port: { type: 'string', short: 'p' }, force: { type: 'boolean' } } as const;
const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('not refused');
};

describe('readCommandLine: Node parseArgs, its complaints in one wording', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--bogus=1'], "Unknown option '--bogus'"],
    [['x', '-z'], "Unknown option '-z'"],
    // Named like an Object member: an option of no command here (CLIENT-66).
    [['--constructor'], "Unknown option '--constructor'"],
    [['--toString=1'], "Unknown option '--toString'"],
  ])('%j → %s, without advice on passing a positional (positionals allowed or not)', (args, message) => {
    expect(refusal(() => readCommandLine({ args, options, allowPositionals: true }))).toBe(message);
    expect(refusal(() => parseCommandLine(args, options))).toBe(message);
    if (!args.includes('x')) expect(refusal(() => readCommandLine({ args, options }))).toBe(message);
  });

  it("takes a negative number after an option with a value as its value, for the option's own rule to judge", () => {
    expect(readCommandLine({ args: ['--port', '-1', '-p', '-2', '--out', '-3.5'], options: { ...options, port: { type: 'string', short: 'p', multiple: true } } }).values).toEqual({ port: ['-1', '-2'], out: '-3.5' });
    expect(refusal(() => port('port-base', parseCommandLine(['--port', '-1'], options).values.port))).toBe('--port-base must be a whole number from 0 (any free port) to 65535 (got "-1")');
    // Not after a boolean, not after `--`, not what is not a number: parseArgs's own words.
    expect(parseCommandLine(['--force', '--', '--port', '-1'], options).positionals).toEqual(['--port', '-1']);
    expect(refusal(() => parseCommandLine(['--force', '-1'], options))).toBe("Unknown option '-1'");
    expect(refusal(() => parseCommandLine(['--out', '-x'], options))).toMatch(/^Option '--out' argument is ambiguous/);
  });
});

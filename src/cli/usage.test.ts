import { describe, expect, it } from 'vitest';
import { parseCommandLine, port, readCommandLine, timeoutMs, UsageError } from './usage.js';

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

describe('port and timeoutMs: whole numbers in decimal digits, as the help says', () => {
  it.each(['0x10', '0b1010100110011010', '0o17', '1e3', '4010.0', '+4010', ' 4010', '4010 ', '', 'Infinity'])('refuses %j, naming the option', (value) => {
    expect(refusal(() => port('port-base', value))).toBe(`--port-base must be a whole number from 0 (any free port) to 65535 (got "${value}")`);
    expect(refusal(() => timeoutMs('timeout', value))).toMatch(/^--timeout must be a whole number of ms/);
  });

  it('takes decimal digits, leading zeros too', () => {
    expect([port('port-base', '4010'), port('gateway-port', '0'), port('port-base', '08080'), timeoutMs('timeout', '1000')]).toEqual([4010, 0, 8080, 1000]);
  });
});

/** The command line's flags against the release's: read from each subcommand's --help, as a user reads them. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uncoveredBreaks } from './changesets.js';
import { cliFlagsProblem, compareCliFlags, optionsOf, readCliFlags } from './cli-flags.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// 0.1.0's `mock --help` (release-baseline/manifest.json "cli").
const released = { mock: ['--dynamic', '--gateway-port', '--help', '--host', '--port-base', '--quiet', '--seed', '--stateless'] };
const found = (after: Record<string, string[]>) => compareCliFlags('martech-contracts', released, after).map((c) => `${c.severity} ${c.where} ${c.message.split(':')[0]}`);

describe('the command line against the release', () => {
  it('reads the options a usage lists at the start of a line, not a flag named in a sentence', () => {
    const usage = 'usage: x mock [options]\n\n  --port-base <n>   ports from n (see --gateway-port)\n  -h, --help        this text\nWith --server <url> when …\n';
    expect(optionsOf(usage)).toEqual(['--help', '--port-base']);
  });

  it("reads every subcommand's flags from the CLI itself", { timeout: 60_000 }, () => {
    const flags = readCliFlags(root, 'martech-contracts');
    expect(Object.keys(flags).sort()).toEqual(['mock', 'record', 'webhook']);
    expect(flags.mock).toEqual(expect.arrayContaining(released.mock));
    expect(flags.record).toEqual(expect.arrayContaining(['--out', '--target']));
    expect(flags.webhook).toEqual(expect.arrayContaining(['--to', '--secret']));
  });

  it('breaks on a flag or a subcommand the release took that the CLI no longer does; lists new ones', () => {
    expect(found({ mock: released.mock.filter((flag) => flag !== '--quiet') })).toEqual(['breaking flag `--quiet` of martech-contracts mock is no longer accepted']);
    expect(found({ record: ['--out'] })).toEqual(['breaking command `martech-contracts mock` is gone', 'info command `martech-contracts record` is new']);
    expect(found({ mock: [...released.mock, '--webhook-to'] })).toEqual(['info flag `--webhook-to` of martech-contracts mock is new']);
    expect(found(released)).toEqual([]);
  });

  it('is told under **commands** by naming the flag; naming only the command tells none of its flags', () => {
    const breaks = compareCliFlags('martech-contracts', released, { mock: released.mock.filter((flag) => flag !== '--quiet') });
    const major = (summary: string) => ({ file: 'a.md', bump: 'major' as const, summary });
    expect(uncoveredBreaks(breaks, [major('**commands**\n\n- `martech-contracts mock` prints every request now.')])).toHaveLength(1);
    expect(uncoveredBreaks(breaks, [major('**commands**\n\n- `martech-contracts mock` no longer takes `--quiet`: filter its output instead.')])).toEqual([]);
  });

  it('names a recorded cli it cannot read', () => {
    expect(cliFlagsProblem({ mock: '--quiet' })).toMatch(/^must be an object of subcommands/);
    expect(cliFlagsProblem(released)).toBeUndefined();
  });
});

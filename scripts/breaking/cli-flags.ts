/**
 * The command line is a promise of the release: scripts and CI run `martech-contracts mock
 * --port-base 5000`, and a flag gone stops them with a usage error. The gate compared the
 * commands package.json installs (`bin`), not what they take. The flags are read as a user reads
 * them, from `--help`: the subcommands the top-level usage names (`martech-contracts <command>`),
 * and for each the options its usage lists at the start of a line. Reading them runs the CLI, so
 * the type surface's switch (`--no-types`) leaves them out too.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Change, Json } from './types.js';
import { isObject } from './types.js';

/** Subcommand → the flags its `--help` lists, sorted. */
export type CliFlags = Record<string, string[]>;

/** The options a usage text lists: `  --port-base <n>  …`, `  -h, --help  …`; not a flag named inside a sentence. */
export function optionsOf(usage: string): string[] {
  return [...new Set([...usage.matchAll(/^\s+(?:-\w,\s*)?(--[a-z][\w-]*)/gm)].map((match) => match[1]!))].sort();
}

/** Each subcommand's flags, from the `--help` of the CLI in `tree` (src/cli.ts, run as `npm run mock` runs it). */
export function readCliFlags(tree: string, command: string): CliFlags {
  const help = (args: string[]) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(tree, 'src/cli.ts'), ...args, '--help'], { cwd: tree, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`\`${[command, ...args, '--help'].join(' ')}\` exited ${result.status ?? result.signal}: ${(result.stderr || result.stdout).trim().split('\n')[0]}`);
    return result.stdout;
  };
  const names = new RegExp(`^\\s*(?:usage:\\s*)?${command} ([a-z][\\w-]*)`, 'gim');
  const subcommands = [...new Set([...help([]).matchAll(names)].map((match) => match[1]!))];
  return Object.fromEntries(subcommands.map((name) => [name, optionsOf(help([name]))]));
}

/** Why a recorded `cli` cannot be read, or undefined when it can (or is absent). */
export function cliFlagsProblem(cli: Json | undefined): string | undefined {
  if (cli === undefined) return undefined;
  return isObject(cli) && Object.values(cli).every((flags) => Array.isArray(flags) && flags.every((flag) => typeof flag === 'string')) ? undefined : 'must be an object of subcommands to lists of flags';
}

/** The release's subcommands and flags against the CLI's now. */
export function compareCliFlags(command: string, before: CliFlags, after: CliFlags): Change[] {
  const changes: Change[] = [];
  const push = (where: string, severity: Change['severity'], message: string) => changes.push({ vendor: 'commands', operation: 'the whole API', where, rule: 'cli-flag-removed', severity, message });
  // A flag's line quotes the flag alone: quoting the command too would let a change file that names the command tell any flag of it.
  for (const [name, flags] of Object.entries(before)) {
    const now = Object.hasOwn(after, name) ? after[name]! : undefined;
    if (!now) {
      push(`command \`${command} ${name}\``, 'breaking', 'is gone: scripts that run it stop with a usage error');
      continue;
    }
    for (const flag of flags) if (!now.includes(flag)) push(`flag \`${flag}\` of ${command} ${name}`, 'breaking', 'is no longer accepted: scripts that pass it stop with a usage error');
    for (const flag of now) if (!flags.includes(flag)) push(`flag \`${flag}\` of ${command} ${name}`, 'info', 'is new');
  }
  for (const name of Object.keys(after)) if (!Object.hasOwn(before, name)) push(`command \`${command} ${name}\``, 'info', 'is new');
  return changes;
}

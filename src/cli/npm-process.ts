/**
 * The npm process that runs this command as a script, read from /proc (Linux): who is whose
 * parent, what npm ran as, and the environment npm itself started with.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A process's parent, from /proc (Linux); undefined where it cannot be read (another system, the process gone). */
export function parentOf(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so it ends at the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * npm's process id (or yarn's, pnpm's, bun's), where the mock's parent is the shell it runs a script
 * in (Linux: /proc says who is whose parent, and what npm ran as); else undefined, and the parent
 * alone is watched. Only npm itself: a mock started under `nohup sh -c …` from a script has that
 * shell as its parent, and the script's own shell, which ends with the script, above it (CLIENT-77).
 */
export function npmAbove(parent: number): number | undefined {
  const grandparent = parentOf(parent);
  if (!process.env.npm_lifecycle_event || grandparent === undefined || grandparent <= 1) return undefined;
  try {
    // npm sets its title ("npm start …"), written over its arguments; run as `node npm-cli.js`, its script is the second.
    const [program, script] = readFileSync(`/proc/${grandparent}/cmdline`, 'utf8').split('\0');
    const isNpm = [program?.split(' ')[0], script].some((arg) => /(^|\/)(npm|npm-cli\.js|yarn|yarnpkg|yarn\.c?js|pnpm|pnpm\.c?js|bun)$/.test(arg ?? ''));
    return isNpm ? grandparent : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The npm running this script: the process above its shell, or one more up where `tsx` (the
 * scripts' runner) started this process as its child.
 */
function npmRunning(): number | undefined {
  let parent: number | undefined = process.ppid;
  for (let level = 0; level < 2 && parent !== undefined && parent > 1; level++, parent = parentOf(parent)) {
    const npm = npmAbove(parent);
    if (npm !== undefined) return npm;
  }
  return undefined;
}

/**
 * The environment the npm running this script started with, or undefined where it cannot be told
 * (not Linux, not run by npm under its shell, /proc unreadable). npm hands its script every
 * setting it holds as `npm_config_<name>`, those it read from its own environment too, and its
 * title is no help (it blanks its arguments), so what npm was started with is the one place a
 * setting typed on its command line differs from one an outer `npm run … --host=…` left it.
 * /proc keeps a process's environment as it was at its start, whatever npm sets later.
 */
export function npmStartEnvironment(): NodeJS.ProcessEnv | undefined {
  const npm = npmRunning();
  if (npm === undefined) return undefined;
  try {
    const pairs = readFileSync(`/proc/${npm}/environ`, 'utf8').split('\0').filter((pair) => pair.includes('='));
    return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  } catch {
    return undefined;
  }
}

/**
 * The values npm's config files (and its defaults) give these settings (`loglevel`, `port-base`),
 * as npm itself reads them: `npm config get`, run by the npm running this script (`npm_execpath`)
 * without their `npm_config_<name>` variables, so only the files speak. npm hands its scripts a
 * setting from a user's or the project's .npmrc exactly as one typed on its command line, and only
 * npm knows which files it reads. Undefined where it cannot be asked (not npm, no answer in time).
 */
export function npmConfigured(settings: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  const npm = env.npm_execpath;
  if (settings.length === 0 || npm === undefined || !/(^|[/\\])npm-cli\.js$/.test(npm)) return undefined;
  const variables = new Set(settings.map(npmVariable));
  const clean = Object.fromEntries(Object.entries(env).filter(([name]) => !variables.has(name.toLowerCase())));
  const result = spawnSync(process.execPath, [npm, 'config', 'get', ...settings], { env: clean, encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0 || typeof result.stdout !== 'string') return undefined;
  // One name: its value alone; more: a `name=value` line each.
  const lines = result.stdout.replace(/\n$/, '').split('\n');
  const values = settings.length === 1 ? [lines.join('\n')] : settings.map((name) => lines.find((line) => line.startsWith(`${name}=`))?.slice(name.length + 1));
  if (values.some((value) => value === undefined)) return undefined;
  return Object.fromEntries(settings.map((name, i) => [name, values[i]!]));
}

/** The variable npm hands a script a setting in: `port-base` is `npm_config_port_base`. */
export const npmVariable = (setting: string) => `npm_config_${setting.replace(/-/g, '_')}`;

/**
 * The setting npm reads a flag typed on its line as: npm takes a flag that begins one of its own
 * settings' names, and no other, as that setting (`--to` is `--token-description`), so webhook's
 * `--to` is held as `npm_config_token_description`. npm's own table of settings is read from the
 * npm running this script; where it cannot be, the flag is taken to be held as itself.
 */
export function npmSettingOf(flag: string, env: NodeJS.ProcessEnv = process.env): string {
  const known = npmSettingNames(env.npm_execpath);
  if (known === undefined || known.includes(flag)) return flag;
  const begun = known.filter((name) => name.startsWith(flag));
  return begun.length === 1 ? begun[0]! : flag;
}

/**
 * Whether npm has a setting held in `variable` (`npm_config_port_base`: no, it warned "Unknown cli
 * config"); undefined where npm's table cannot be read.
 */
export function npmHasSetting(variable: string, env: NodeJS.ProcessEnv = process.env): boolean | undefined {
  return npmSettingNames(env.npm_execpath)?.some((name) => npmVariable(name) === variable);
}

const settingNames = new Map<string, string[] | undefined>();

function npmSettingNames(npmCli: string | undefined): string[] | undefined {
  if (npmCli === undefined || !/(^|[/\\])npm-cli\.js$/.test(npmCli)) return undefined;
  if (!settingNames.has(npmCli)) {
    try {
      const { definitions } = createRequire(npmCli)(join(dirname(npmCli), '../node_modules/@npmcli/config/lib/definitions/index.js')) as { definitions: Record<string, unknown> };
      settingNames.set(npmCli, Object.keys(definitions));
    } catch {
      settingNames.set(npmCli, undefined);
    }
  }
  return settingNames.get(npmCli);
}

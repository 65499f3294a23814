/**
 * A command's flags npm took as settings of its own. Typed before `--` (`npm run record xonvo
 * --out x.har`), a flag is npm's: npm sets `npm_config_out`, warns among its own lines, and the
 * command runs without it (record said "name one vendor to record", the mock ran stateful on its
 * default ports). Checked only where npm runs this package's own script, in its root: npm hands
 * every setting to everything a script runs, and `npm run dev --host=0.0.0.0` is a consumer's way
 * to tell its own server its address, not a flag meant for a mock that script also starts.
 */
import { fileURLToPath } from 'node:url';
import { isOwnScript } from './caller-dir.js';
import { npmSettingOf, npmStartEnvironment } from './npm-process.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * npm's own settings among the commands' flags: set in a user's .npmrc they are in every run's
 * environment, and a refusal would then ask for `--force` (replace the recording) to be typed.
 */
const NPM_OWN = new Set(['help', 'json', 'force']);

/** What a command reads of its flags here: each one's name and whether it takes a value. */
export type FlagSpec = Record<string, { type: 'string' | 'boolean' }>;

const variable = (name: string) => `npm_config_${name.replace(/-/g, '_')}`;

/** The npm setting a flag is held in: its own name, or the one of npm's it begins (`--to` is `--token-description`). */
function settingOf(name: string, env: NodeJS.ProcessEnv): string {
  if (env[variable(name)] !== undefined) return name;
  // Only a variable that begins with the flag's can be the npm setting it was read as: npm's table is read for those alone.
  const begun = Object.keys(env).some((other) => other !== variable(name) && other.startsWith(variable(name)));
  return begun ? npmSettingOf(name, env) : name;
}

/**
 * The refusal to give, or undefined: `command` names the command in it ("the mock", "record"),
 * `scripts` the npm scripts of this package that run it. `npmStarted` gives the environment npm
 * started with (undefined where it cannot be read): a setting npm already had there was not typed
 * for this script, but left by whatever ran npm (an outer `npm run x --host=…` whose script runs
 * `npm start` here); that refused `npm start` with a flag no one had typed for it.
 */
export function npmTookProblem(
  command: string,
  scripts: readonly string[],
  flags: FlagSpec,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  npmStarted: () => NodeJS.ProcessEnv | undefined = npmStartEnvironment,
): string | undefined {
  if (!isOwnScript(scripts, PACKAGE_ROOT, env, cwd)) return undefined;
  // A flag the command got after `--` all the same is its own (`--no-types` is npm's `types`).
  const got = (flag: string) => argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`) || arg === flag.replace(/^--/, '--no-'));
  const held = Object.keys(flags).filter((name) => !NPM_OWN.has(name) && env[variable(settingOf(name, env))] !== undefined && !got(`--${name}`));
  if (held.length === 0) return undefined;
  const started = npmStarted();
  // The same value as npm started with: npm passed on what it was given. A value typed again on
  // npm's line, the same as the one inherited, cannot be told from it: the flag is then lost, as before MOCK-141.
  const taken = held.filter((name) => started === undefined || started[variable(settingOf(name, env))] !== env[variable(settingOf(name, env))]);
  if (taken.length === 0) return undefined;
  const script = env.npm_lifecycle_event;
  const run = script === 'start' ? 'npm start' : `npm run ${script}`;
  const [first] = taken as [string];
  const many = taken.length > 1;
  // npm's `false` (`--no-types`) is an empty variable.
  const asTyped = taken.map((name) => (env[variable(settingOf(name, env))] === '' && flags[`no-${name}`] ? `--no-${name}` : `--${name}`));
  // Where npm's own start cannot be read, a setting may still be an outer npm's: the way out of that is not the same.
  const inherited = started === undefined ? `; not typed? then ${taken.map((name) => variable(settingOf(name, env))).join(', ')} came from npm's environment (an outer npm run … --${first} leaves it set): unset ${many ? 'them' : 'it'}` : '';
  return `npm took ${asTyped.join(', ')} as its own setting${many ? 's' : ''}, so ${command} did not get ${many ? 'them' : 'it'}: put ${command}'s flags after --, as in ${run} -- ${asTyped[0]}${flags[first]!.type === 'boolean' ? '' : ' <value>'}${inherited}`;
}

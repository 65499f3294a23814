/**
 * A command's flags npm took as settings of its own. Typed before `--` (`npm run record xonvo
 * --out x.har`), a flag is npm's: npm sets `npm_config_out`, warns among its own lines, and the
 * command runs without it (record said "name one vendor to record", the mock ran stateful on its
 * default ports). Checked only where npm runs this package's own script, in its root: npm hands
 * every setting to everything a script runs, and `npm run dev --host=0.0.0.0` is a consumer's way
 * to tell its own server its address, not a flag meant for a mock that script also starts.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isOwnScript } from './caller-dir.js';
import { npmConfigured, npmSettingOf, npmStartEnvironment, npmVariable } from './npm-process.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * npm's own settings among the commands' flags. Typed before `--` they are npm's as any other, but
 * one set in a user's .npmrc is in every run's environment too: they are called taken only where
 * npm's config files say otherwise (a refusal must never ask for `--force`, replace the recording,
 * to be typed). `--help` is not here: npm answers it itself and runs no script.
 */
const NPM_OWN = new Set(['json', 'force']);

/**
 * Flags npm reads as another of its settings: `--quiet` is `--loglevel warn`, as are `-q` and
 * `--loglevel=warn`, and npm hands on only the level, so which was typed cannot be told. npm uses
 * the level itself (its own lines), so a command that gets it is told, and runs: a refusal would
 * stop `npm start --loglevel=warn`, typed for npm.
 */
const NPM_ALIASES: Record<string, { setting: string; value: string; typed: string }> = {
  quiet: { setting: 'loglevel', value: 'warn', typed: '--quiet, -q or --loglevel warn' },
  verbose: { setting: 'loglevel', value: 'verbose', typed: '--verbose or --loglevel verbose' },
};

/** What a command reads of its flags here: each one's name and whether it takes a value. */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Where npm's settings came from; each is read only when a flag is held (tests give their own). */
export interface NpmSources {
  /** The environment npm started with (TEST-21), undefined where it cannot be read. */
  started?: () => NodeJS.ProcessEnv | undefined;
  /** The values npm's config files give these settings, undefined where npm cannot be asked. */
  configured?: (settings: readonly string[], env: NodeJS.ProcessEnv) => Record<string, string> | undefined;
  /** Where a flag npm read as its own level is told of (the command runs on). */
  note?: (line: string) => void;
}

/** The npm setting a flag is held in, and whether npm holds it now. */
function heldAs(name: string, env: NodeJS.ProcessEnv): { setting: string; held: boolean } {
  const alias = NPM_ALIASES[name];
  if (alias) return { setting: alias.setting, held: env[npmVariable(alias.setting)] === alias.value };
  if (env[npmVariable(name)] !== undefined) return { setting: name, held: true };
  // Only a variable that begins with the flag's can be the npm setting it was read as: npm's table is read for those alone.
  const begun = Object.keys(env).some((variable) => variable !== npmVariable(name) && variable.startsWith(npmVariable(name)));
  const setting = begun ? npmSettingOf(name, env) : name;
  return { setting, held: env[npmVariable(setting)] !== undefined };
}

/** npm gives `false` to a script as an empty variable, and `npm config get` as "false". */
const sameValue = (configured: string | undefined, held: string | undefined) => configured === held || (held === '' && configured === 'false');

/**
 * What was typed for the script: the arguments after those its own line in package.json gives
 * (`check:generated` runs `build.ts --check`), its positionals as typed and each option by name
 * only (a value may be a secret: `--secret`, a `--target` with a password).
 */
function typedForScript(argv: string[], flags: FlagSpec, env: NodeJS.ProcessEnv): string[] {
  const line = (env.npm_lifecycle_script ?? '').split(/\s+/);
  const entry = line.map((word) => /\.(ts|js)$/.test(word)).lastIndexOf(true);
  const own = line.slice(entry + 1);
  const typed = own.length > 0 && own.every((word, i) => argv[i] === word) ? argv.slice(own.length) : argv;
  const { tokens } = parseArgs({ args: typed, options: flags, strict: false, allowPositionals: true, tokens: true });
  const shown = (value: string) => (/^[\w./:@%+,=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
  return tokens.flatMap((token) => {
    if (token.kind === 'positional') return [shown(token.value)];
    if (token.kind === 'option') return [flags[token.name]?.type === 'string' ? `${token.rawName} <value>` : token.rawName];
    return [];
  });
}

/**
 * The refusal to give, or undefined: `command` names the command in it ("the mock", "record"),
 * `scripts` the npm scripts of this package that run it. A flag is taken when npm holds it, it
 * was not also given after `--`, npm did not start with it (an outer `npm run x --host=…` whose
 * script runs `npm start` here, TEST-21) and npm's config files do not give it (a user's .npmrc).
 */
export function npmTookProblem(
  command: string,
  scripts: readonly string[],
  flags: FlagSpec,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  { started: readStarted = npmStartEnvironment, configured: readConfigured = npmConfigured, note = (line) => console.error(line) }: NpmSources = {},
): string | undefined {
  // Where npm ran the script: record and webhook have moved to the folder it was typed in (INIT_CWD) by now.
  if (!isOwnScript(scripts, PACKAGE_ROOT, env, env.npm_package_json ? dirname(env.npm_package_json) : cwd)) return undefined;
  // A flag the command got after `--` all the same is its own (`--no-types` is npm's `types`).
  const got = (name: string) => argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`) || arg === `--no-${name}`);
  const held = Object.keys(flags).filter((name) => name !== 'help' && !got(name) && heldAs(name, env).held);
  if (held.length === 0) return undefined;
  const value = (name: string) => env[npmVariable(heldAs(name, env).setting)];
  const started = readStarted();
  // The same value as npm started with: npm passed on what it was given. A value typed again on
  // npm's line, the same as the one inherited, cannot be told from it: the flag is then lost, as before MOCK-141.
  const notInherited = held.filter((name) => started === undefined || started[npmVariable(heldAs(name, env).setting)] !== value(name));
  if (notInherited.length === 0) return undefined;
  const configured = readConfigured([...new Set(notInherited.map((name) => heldAs(name, env).setting))], env);
  // Where npm cannot be asked, its own settings are left alone (one in a .npmrc is in every run), the others refused, as before.
  const taken = notInherited.filter((name) => (configured === undefined ? !NPM_OWN.has(name) && !NPM_ALIASES[name] : !sameValue(configured[heldAs(name, env).setting], value(name))));
  const script = env.npm_lifecycle_event;
  const run = script === 'start' ? 'npm start' : `npm run ${script}`;
  for (const name of taken.filter((name) => NPM_ALIASES[name])) {
    const { setting, value: level, typed } = NPM_ALIASES[name]!;
    note(`npm's ${setting} is ${level}, set on its command line (${typed}: npm cannot say which): that is npm's own, so ${command} did not get --${name}; for ${command}'s, put it after --, as in ${run} -- --${name}`);
  }
  const refused = taken.filter((name) => !NPM_ALIASES[name]);
  if (refused.length === 0) return undefined;
  // npm's `false` (`--no-types`) is an empty variable.
  const asTyped = refused.map((name) => (value(name) === '' && flags[`no-${name}`] ? `--no-${name}` : `--${name}`));
  const [first] = refused as [string];
  const many = refused.length > 1;
  // A value typed after a flag npm took (`--out x.har`) went on as an argument, its place unknown:
  // the whole line can be shown again only when every flag taken is a switch.
  const switches = refused.every((name) => flags[name]!.type === 'boolean');
  const example = switches ? [...typedForScript(argv, flags, env), ...asTyped].join(' ') : `${asTyped[0]}${flags[first]!.type === 'boolean' ? '' : ' <value>'}`;
  // Where npm's own start cannot be read, a setting may still be an outer npm's: the way out of that is not the same.
  const inherited = started === undefined ? `; not typed? then ${refused.map((name) => npmVariable(heldAs(name, env).setting)).join(', ')} came from npm's environment (an outer npm run … --${first} leaves it set): unset ${many ? 'them' : 'it'}` : '';
  return `npm took ${asTyped.join(', ')} as its own setting${many ? 's' : ''}, so ${command} did not get ${many ? 'them' : 'it'}: put ${command}'s flags after --, as in ${run} -- ${example}${inherited}`;
}

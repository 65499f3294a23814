/**
 * An npm script that takes nothing from its command line: `release:version`, which chains several
 * commands, and `build:lib` (which `prepack` runs too). A flag typed before `--` is npm's (npm warns
 * "Unknown cli config" and the script never sees it); what follows `--` npm adds to the last of a
 * chain's commands only, so `npm run release:version -- --snapshot` reached the API report, after
 * `changeset version` had written (TEST-30). Either is refused before the first command runs.
 */
import { readFileSync } from 'node:fs';
import { npmConfigured, npmHasSetting, npmStartEnvironment, parentOf } from '../../src/cli/npm-process.js';

/** Settings npm derives and hands every script itself, though its table of settings does not list them. */
const NPM_DERIVED = new Set(['npm_config_global_prefix', 'npm_config_local_prefix', 'npm_config_npm_version']);

/** Where what was typed is read from; each is read only when needed (tests give their own). */
export interface TypedSources {
  /** The environment npm started with (TEST-21), undefined where it cannot be read. */
  started?: () => NodeJS.ProcessEnv | undefined;
  /** The values npm's config files give these settings, undefined where npm cannot be asked. */
  configured?: (settings: readonly string[], env: NodeJS.ProcessEnv) => Record<string, string> | undefined;
  /** Whether npm has a setting held in this variable, undefined where its table cannot be read. */
  known?: (variable: string, env: NodeJS.ProcessEnv) => boolean | undefined;
  /** What npm added to the script's line (what followed `--`), undefined where it cannot be read. */
  appended?: (env: NodeJS.ProcessEnv) => string | undefined;
}

/**
 * What npm added to the script's own line: the line npm's shell runs (`sh -c "<script> <args>"`,
 * read from /proc on Linux) past the script as package.json has it. The shell is this process's
 * parent, or one further up where `tsx` started this process as its child.
 */
export function appendedToScript(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const script = env.npm_lifecycle_script;
  if (!script) return undefined;
  let pid: number | undefined = process.ppid;
  for (let level = 0; level < 3 && pid !== undefined && pid > 1; level++, pid = parentOf(pid)) {
    try {
      const [, flag, line] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (flag === '-c' && line?.startsWith(script)) return line.slice(script.length).trim();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A variable as the flag it was typed as: `npm_config_snapshot_prerelease_template` is `--snapshot-prerelease-template`. */
const asFlag = (variable: string) => `--${variable.slice('npm_config_'.length).replace(/_/g, '-')}`;

/**
 * Flags typed on npm's line before `--` that are no setting of npm's, so npm kept them for a
 * script that takes none: not inherited from an outer npm (TEST-21), not from npm's config files
 * (TEST-31). npm's own settings (`--silent`, `--json`) are npm's to take. Where npm's table of
 * settings cannot be read, nothing is called typed.
 */
export function typedFlags(env: NodeJS.ProcessEnv, sources: Required<TypedSources>): string[] {
  const held = Object.keys(env).filter((variable) => variable.startsWith('npm_config_') && !NPM_DERIVED.has(variable) && sources.known(variable, env) === false);
  if (held.length === 0) return [];
  const started = sources.started();
  const fresh = held.filter((variable) => started === undefined || started[variable] !== env[variable]);
  if (fresh.length === 0) return [];
  // `my-custom` and `my_custom` in a .npmrc are both npm_config_my_custom, and npm answers each by its own name only.
  const names = (variable: string) => [...new Set([asFlag(variable).slice(2), variable.slice('npm_config_'.length)])];
  const configured = sources.configured(fresh.flatMap(names), env);
  return fresh.filter((variable) => !names(variable).some((name) => configured?.[name] === env[variable])).map(asFlag);
}

/** Option names only, never their values or other words (a value may be a secret): what to name of what followed `--`. */
export function namedOptions(text: string): string {
  const options = text.split(/\s+/).filter((word) => /^--?[A-Za-z]/.test(word)).map((word) => word.replace(/=.*$/, ''));
  return options.length > 0 ? ` (${[...new Set(options)].join(', ')})` : '';
}

/** Where npm's table, start, files and the shell's line are read from, unless a test gives its own. */
export const withSources = (given: TypedSources): Required<TypedSources> => ({ started: npmStartEnvironment, configured: npmConfigured, known: npmHasSetting, appended: appendedToScript, ...given });

/**
 * The refusal for `script`, which takes nothing, or undefined. A chain (`a && b && c`) is named by
 * its last command, where npm would have put what followed `--`.
 */
export function takesNothingProblem(script: string, env: NodeJS.ProcessEnv = process.env, given: TypedSources = {}): string | undefined {
  const sources = withSources(given);
  const steps = (env.npm_lifecycle_script ?? '').split(' && ');
  const instead = steps.length > 1 ? `; it runs ${steps.length} commands (package.json's "${script}"): run the one you meant on its own` : '';
  const appended = sources.appended(env);
  if (appended) {
    const where = steps.length > 1 ? ` (npm would have added it to the last command only, ${steps.at(-1)}, after the others had run)` : '';
    return `what followed --${namedOptions(appended)} is not for ${script}, which takes no arguments${where}: nothing was run${instead}`;
  }
  const typed = typedFlags(env, sources);
  if (typed.length === 0) return undefined;
  const many = typed.length > 1;
  return `npm took ${typed.join(', ')}, no setting${many ? 's' : ''} of npm's (it warned "Unknown cli config"), and ${script} takes no flags: nothing was run${instead}`;
}

/**
 * An npm script that hands what it is given to a tool (`lint`: `redocly lint`; `test:contract`:
 * `vitest run`). A flag typed before `--` that is no setting of npm's is npm's to keep (it warns
 * "Unknown cli config") and the tool never sees it: `npm run lint --skip-rule=info-contact` linted with every rule
 * and exited 0. What follows `--` npm adds to the chain's last command only, so a script that runs
 * two tools (`check:package`, `test:mutation`) would give it to the second alone.
 */
import { namedOptions, typedFlags, withSources, type TypedSources } from './takes-nothing.js';

/** The head of each such script, which runs before the tools. */
export const HEAD = 'tsx scripts/tool-flags.ts';

/** A tool's command as a person names it: `redocly lint`, `tsc`, `attw` (no settings, no flags). */
function toolOf(step: string): string {
  const words = step.trim().split(/\s+/).filter((word) => !/^[A-Z_]+=/.test(word));
  return words.slice(0, words[1] && !words[1].startsWith('-') ? 2 : 1).join(' ');
}

/** The refusal for `script`, or undefined when what was typed reaches its tool. */
export function toolFlagsProblem(script: string, env: NodeJS.ProcessEnv = process.env, given: TypedSources = {}): string | undefined {
  const sources = withSources(given);
  const steps = (env.npm_lifecycle_script ?? '').split(' && ').filter((step) => !step.startsWith(HEAD) && !step.startsWith('echo '));
  const tools = steps.map(toolOf);
  // With two tools, neither way of typing reaches both: each is run on its own.
  const eachOnItsOwn = `run the one you meant on its own, with npx (package.json's "${script}": ${steps.join('; ')})`;
  const typed = typedFlags(env, sources);
  if (typed.length > 0) {
    const many = typed.length > 1;
    const shown = typed.map((flag) => (env[`npm_config_${flag.slice(2).replace(/-/g, '_')}`] === 'true' ? flag : `${flag} <value>`));
    const instead = steps.length > 1 ? eachOnItsOwn : `put ${script}'s flags after --, as in npm run ${script} -- ${shown.join(' ')}`;
    return `npm took ${typed.join(', ')}, no setting${many ? 's' : ''} of npm's (it warned "Unknown cli config"), so ${[...new Set(tools)].join(' and ')} did not get ${many ? 'them' : 'it'}: nothing was run; ${instead}`;
  }
  const appended = steps.length > 1 ? sources.appended(env) : undefined;
  if (appended) return `what followed --${namedOptions(appended)} would reach the last of ${script}'s ${steps.length} commands only (${tools.at(-1)}): nothing was run; ${eachOnItsOwn}`;
  return undefined;
}

import { type FlagSpec, npmTookProblem } from '../../src/cli/npm-taken.js';

/** Node's parseArgs in the wording of every command line here, the CLI's too: read options with it. */
export { readCommandLine } from '../../src/cli/usage.js';

/** A script's flags (the table `read` gives readCommandLine) and the npm scripts that end by running it with what was typed. */
export interface ScriptFlags {
  scripts: readonly string[];
  flags: FlagSpec;
}

/**
 * What an npm script was given, read by `read` (readCommandLine, the vendors named): anything
 * `read` throws ends the run with the script's name, what is wrong and its usage (exit 2), never
 * a stack trace; `--help` (or `-h`) prints the usage. With `own`, a flag of the script's npm took
 * (typed before `--`) is refused first, as the command line's are (npm-taken.ts).
 */
export function readArgs<T>(script: string, usage: string, read: () => T, own?: ScriptFlags): T {
  // Asked for, the usage is the answer (before the options are read: `--help` is none of theirs).
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  try {
    // `npm run docs --out=site` gave npm the flag, and the site was written to build/docs.
    const taken = own && npmTookProblem(script, own.scripts, own.flags, process.argv.slice(2));
    if (taken) throw new Error(taken);
    return read();
  } catch (error) {
    process.stderr.write(`${script}: ${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
}

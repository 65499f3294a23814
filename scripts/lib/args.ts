/** Node's parseArgs in the wording of every command line here, the CLI's too: read options with it. */
export { readCommandLine } from '../../src/cli/usage.js';

/**
 * What an npm script was given, read by `read` (readCommandLine, the vendors named): anything
 * `read` throws ends the run with the script's name, what is wrong and its usage (exit 2), never
 * a stack trace; `--help` (or `-h`) prints the usage.
 */
export function readArgs<T>(script: string, usage: string, read: () => T): T {
  // Asked for, the usage is the answer (before the options are read: `--help` is none of theirs).
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  try {
    return read();
  } catch (error) {
    process.stderr.write(`${script}: ${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
}

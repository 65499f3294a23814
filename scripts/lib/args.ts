/**
 * What an npm script was given, read by `read` (Node's parseArgs, the vendors named): anything
 * `read` throws ends the run with the script's name, what is wrong and its usage (exit 2), never
 * a stack trace.
 */
export function readArgs<T>(script: string, usage: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    process.stderr.write(`${script}: ${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
}

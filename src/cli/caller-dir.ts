import { resolve } from 'node:path';

/**
 * The folder a command was typed in, where its relative paths (a HAR file, `--out`, `--payload`)
 * mean something. npm runs a package's scripts in the package's root wherever they were typed, so
 * `npm run traffic -- xonvo ../x.har` typed in `docs/` read the root's `../x.har`, and called the
 * recording missing. npm says where it was typed (`INIT_CWD`). Only for `script`, run as this
 * package's own npm script (npm put it in `packageRoot`): a consumer's script that calls the
 * command line, or a test that spawns it in a folder of its own, keeps the folder it is run in.
 */
export function callerDir(script: readonly string[], packageRoot: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const typedIn = env.INIT_CWD;
  return typedIn !== undefined && typedIn !== '' && isOwnScript(script, packageRoot, env, cwd) ? resolve(typedIn) : cwd;
}

/**
 * Whether npm runs one of `script` as this package's own: npm runs a script in the root of the
 * package that holds it, so a consumer's script of the same name runs in the consumer's root.
 */
export function isOwnScript(script: readonly string[], packageRoot: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): boolean {
  return script.includes(env.npm_lifecycle_event ?? '') && resolve(cwd) === resolve(packageRoot);
}

/**
 * Moves to callerDir, or says why it cannot: the folder may be gone since the command was typed in
 * it (or be one the user cannot enter), and process.chdir's ENOENT was a stack trace before the
 * command line was even read. Staying in the package root instead would write `--out` where no one
 * asked, so the command stops, naming the folder.
 */
export function enterCallerDir(script: readonly string[], packageRoot: string): string | undefined {
  const dir = callerDir(script, packageRoot);
  try {
    process.chdir(dir);
    return undefined;
  } catch (error) {
    return `the folder this command was typed in (INIT_CWD ${dir}) cannot be entered (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): its relative paths mean nothing; type it in a folder that exists`;
  }
}

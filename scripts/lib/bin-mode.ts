import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes each file package.json's `bin` names executable, and gives back their paths. tsc writes
 * them 0644: npm sets the mode when it installs a package, but `npx martech-contracts` in a clone
 * runs the clone's own dist/ through a link npx made once (and set the mode for once), so after the
 * next `npm run build:lib` the shell refused the command with "Permission denied".
 */
export function markBinsExecutable(root: string): string[] {
  const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const files = typeof bin === 'string' ? [bin] : Object.values(bin ?? {});
  for (const file of files) chmodSync(join(root, file), 0o755);
  return files;
}

/**
 * The folder `npm run docs -- --out` writes the site into: what may be written over, and making
 * it. The site writes index.html and one file per vendor at the top, so a folder holding anything
 * else (a project's own index.html, docs/ itself) would have been written over without a word.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SITE_TITLE } from './layout.js';
import { REDOC_ASSET } from './reference-page.js';

/**
 * Whether `dir` holds a site this command wrote: its copy of Redoc (written first) and its index
 * page (written last), or no index page at all, as a build stopped half-way leaves it.
 */
function isEarlierSite(dir: string): boolean {
  if (!existsSync(join(dir, REDOC_ASSET))) return false;
  const index = join(dir, 'index.html');
  try {
    return !existsSync(index) || readFileSync(index, 'utf8').includes(`<title>${SITE_TITLE}</title>`);
  } catch {
    return false;
  }
}

/**
 * Why the site cannot be written into `dir` (as typed: `shown`), or undefined when it can: a file,
 * or a folder holding files of its own. Dot files (.git, .nojekyll) are never written over and
 * do not count, so a Pages worktree or a folder with a .gitkeep is fine.
 */
export function outDirProblem(dir: string, shown: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `--out ${shown} is a file; name a folder`;
  const own = readdirSync(dir).filter((name) => !name.startsWith('.'));
  if (own.length === 0 || isEarlierSite(dir)) return undefined;
  const listed = own.slice(0, 3).join(', ') + (own.length > 3 ? `, … (${own.length} in all)` : '');
  return `--out ${shown} holds files the site did not write (${listed}), which it would write over or mix with; name a new or empty folder, or one npm run docs wrote before`;
}

/**
 * Makes `dir` and any missing parents, one level at a time. Node 20's recursive mkdir never
 * returns under /proc (`--out /proc/x` spun at full CPU for ten minutes); one level at a time
 * fails at once with the parent's refusal.
 */
export function makeFolders(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeFolders(parent);
  mkdirSync(dir);
}

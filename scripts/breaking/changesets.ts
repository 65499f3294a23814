/**
 * Pending change files (changesets): which bump each one asks for, and what it says. A breaking
 * change is covered when a pending file bumps the package `major` and, under a heading with the
 * vendor's name, names what broke (REL-8), so the changelog entry tells that vendor's users.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import parseChangeset from '@changesets/parse';
import type { Change } from './types.js';

export type Bump = 'major' | 'minor' | 'patch' | 'none';

export interface ChangeFile {
  file: string;
  bump: Bump;
  summary: string;
  /**
   * Already released as a pre-release (listed in `.changeset/pre.json`'s `changesets`) and kept
   * for the final release after `changeset pre exit`. Its breaks are in the baseline that
   * pre-release snapshotted, so it covers none: only its bump counts, and only once pre mode is
   * left (changesets itself releases it again then, and not before).
   */
  preReleased?: boolean;
}

/** A change file the gate cannot read: said with the file named and what to fix, not a stack trace. */
export class ChangeFileError extends Error {}

/**
 * Reads `<dir>/*.md` the way `changeset version` does (@changesets/read's filter: not hidden,
 * README.md aside) and the bump each gives `packageName`.
 */
export function pendingChangeFiles(dir: string, packageName: string): ChangeFile[] {
  if (!existsSync(dir)) return [];
  const pre = preState(dir);
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && name.endsWith('.md') && !/^README\.md$/i.test(name))
    .sort()
    .flatMap((name) => {
      const consumed = pre?.changesets.has(name.replace(/\.md$/, ''));
      // In pre mode `changeset version` leaves the files it released in place and skips them
      // from then on (@changesets/assemble-release-plan, getRelevantChangesets): so does the gate.
      if (consumed && pre!.mode === 'pre') return [];
      const file = parseChangeFile(join(dir, name), readFileSync(join(dir, name), 'utf8'), packageName);
      return [consumed ? { ...file, preReleased: true } : file];
    });
}

/** `.changeset/pre.json` (written by `changeset pre enter`): the mode and the ids of the change files its pre-releases consumed. */
function preState(dir: string): { mode: string; changesets: Set<string> } | undefined {
  const file = join(dir, 'pre.json');
  if (!existsSync(file)) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ChangeFileError(`${file}: not JSON (${(error as Error).message}); it is changesets' pre-release state (\`npx changeset pre enter|exit\`)`);
  }
  const { mode, changesets } = (state ?? {}) as { mode?: unknown; changesets?: unknown };
  if ((mode !== 'pre' && mode !== 'exit') || !Array.isArray(changesets) || !changesets.every((id) => typeof id === 'string')) {
    throw new ChangeFileError(`${file}: needs "mode" ("pre" or "exit") and "changesets" (the ids of released change files); it is changesets' pre-release state (\`npx changeset pre enter|exit\`)`);
  }
  return { mode, changesets: new Set(changesets as string[]) };
}

/**
 * Parsed by changesets' own parser, so the gate reads what `changeset version` will (quoted
 * bumps, YAML comments, an empty front matter from `changeset add --empty`) and refuses what it
 * would refuse. A package other than this one is refused here: changesets would stop the release
 * on it with a stack trace, and the gate would not see the bump it meant to give.
 */
export function parseChangeFile(file: string, text: string, packageName: string): ChangeFile {
  let parsed: ReturnType<typeof parseChangeset>;
  try {
    parsed = parseChangeset(text);
  } catch (error) {
    // Its message runs on with the file's contents; the reason is the lines before them.
    const reason = (error as Error).message.split(/\n(?:Changeset contents|Received content|Frontmatter content|Received|Example):/)[0]!.replace(/^could not parse changeset - /, '').replace(/\s*\n\s*/g, ' ');
    throw new ChangeFileError(`${file}: ${reason} (a change file starts with --- "${packageName}": major|minor|patch ---)`);
  }
  let bump: Bump = 'none';
  for (const release of parsed.releases) {
    if (release.name !== packageName) {
      throw new ChangeFileError(`${file}: front matter names the package "${release.name}", which is not this one: write "${packageName}"`);
    }
    if (order.indexOf(release.type) > order.indexOf(bump)) bump = release.type;
  }
  return { file, bump, summary: parsed.summary };
}

const order: Bump[] = ['none', 'patch', 'minor', 'major'];

/**
 * What a change file must name for a break to count as told: the operationId (or, without one,
 * the webhook's name or the path), the export of a type-surface break, the old name of a
 * component or operationId that is gone. Breaks of the whole
 * API (a vendor or entry point gone, a security scheme, servers) need only the vendor's section.
 */
export function subject(change: Change): string | undefined {
  // A type-surface break, a component or an operationId renamed: the name consumers' code says.
  if (change.operation.startsWith('types: ') || change.rule === 'component-removed' || change.rule === 'operation-id-changed') return /`([^`]+)`/.exec(change.where)?.[1];
  const id = /\(([^()\s]+)\)$/.exec(change.operation)?.[1];
  if (id) return id;
  const webhook = /^webhook (\S+)/.exec(change.operation)?.[1];
  if (webhook) return webhook;
  return /^[A-Z]+ (\/\S*)/.exec(change.operation)?.[1];
}

/** A heading line: `# perx` … `###### perx`, or a line that is only bold (`**perx**`, as drafts write). */
const heading = (line: string) => /^\s*#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1] ?? /^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$/.exec(line)?.[1];

/** Each vendor's section of a summary: the lines under a heading that is the vendor's name, to the next heading. */
export function vendorSections(summary: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  for (const line of summary.split(/\r?\n/)) {
    const title = heading(line);
    if (title !== undefined) {
      current = title.trim().toLowerCase();
      sections.set(current, sections.get(current) ?? '');
    } else if (current !== undefined) sections.set(current, `${sections.get(current)}${line}\n`);
  }
  return sections;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The breaks no pending major change file tells, each with why. Told means: a major file has a
 * section headed with the vendor's name whose text names the break's subject as a whole word. A
 * mention of the vendor elsewhere (a bullet about every vendor's options, say) does not count.
 */
export function uncoveredBreaks(breaks: Change[], files: ChangeFile[]): Array<{ change: Change; reason: string }> {
  const sections = files.filter((file) => file.bump === 'major' && !file.preReleased).map((file) => vendorSections(file.summary));
  const result: Array<{ change: Change; reason: string }> = [];
  for (const change of breaks) {
    const texts = sections.flatMap((map) => (map.has(change.vendor.toLowerCase()) ? [map.get(change.vendor.toLowerCase())!] : []));
    const name = subject(change);
    if (!texts.length) result.push({ change, reason: `no pending major change file has a \`**${change.vendor}**\` heading` });
    else if (name && !texts.some((text) => new RegExp(`(?<![\\w$/{-])${escape(name)}(?![\\w$/{-])`).test(text))) {
      result.push({ change, reason: `the ${change.vendor} section does not name \`${name}\`` });
    }
  }
  return result;
}

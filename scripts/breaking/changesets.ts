/**
 * Pending change files (changesets): which bump each one asks for, and what it says. A breaking
 * change is covered when a pending file bumps the package `major` and, in one paragraph or list
 * item under a heading with the vendor's name, names what broke (REL-8) and what it is about, so
 * the changelog entry tells that vendor's users of that break, not of another in the operation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import parseChangeset from '@changesets/parse';
import { Lexer, type Token, type Tokens } from 'marked';
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
      // changesets would stop on it with EISDIR and a stack trace.
      if (statSync(join(dir, name)).isDirectory()) throw new ChangeFileError(`${join(dir, name)} is a folder, not a change file: rename or move it (every *.md here is read as one)`);
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
    if (bumpOrder.indexOf(release.type) > bumpOrder.indexOf(bump)) bump = release.type;
  }
  return { file, bump, summary: parsed.summary };
}

const bumpOrder: Bump[] = ['none', 'patch', 'minor', 'major'];

/** The bump the release will make: the highest any pending file asks for (changesets takes the highest). */
export const highestBump = (files: ChangeFile[]): Bump => files.reduce<Bump>((high, file) => (bumpOrder.indexOf(file.bump) > bumpOrder.indexOf(high) ? file.bump : high), 'none');

/**
 * What a change file must name for a break to count as told: the operationId (or, without one,
 * the webhook's name or the path), the export of a type-surface break, the old name of a
 * component or operationId that is gone. A break of the whole API has none: what it is about
 * (`details`: a security scheme, an entry point) is named instead, and a vendor gone needs only
 * its section.
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

/**
 * A change file's body read as Markdown (marked, already a devDependency for the docs site), so
 * that only what a reader of the changelog sees counts: an HTML comment, a fenced or indented
 * code block, or a link's URL does not tell anyone of a break; inline code (`listRewards`) and
 * link text do. Headings are ATX (`## perx`, `## **Perx**`, `## Placewise:`) or setext
 * (`Perx` over `----`), or a paragraph that starts bold (`**perx**`, `**Perx:**`, and
 * `**Placewise**: getMember removed`, whose rest is the section's first line).
 */
const bold = 7; // a bold "heading" is below every `#` level: it ends another bold one, not a `## Perx` above it
type Section = { title: string; text: string; level: number };

/**
 * Each section's blocks (a paragraph, a top-level list item with what is nested in it, a table
 * row), by heading (lower-case, a trailing colon dropped), as a reader sees them; a section runs
 * to the next heading of its level or above. A block carries the headings it sits under, so
 * `### listRewards` over a list names the operation for each of its items.
 */
export function vendorSections(summary: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  const open: Section[] = [];
  const enter = (title: string, level: number) => {
    while (open.length && open[open.length - 1]!.level >= level) open.pop();
    const key = title.trim().replace(/\s*:$/, '').trim().toLowerCase();
    open.push({ title: key, text: title.trim(), level });
    if (!sections.has(key)) sections.set(key, []);
  };
  // Text under a sub-heading (`### Members` under `## Placewise`) is in the vendor's section too.
  const write = (text: string) => {
    if (!text.trim()) return;
    const titles = open.map((section) => section.text).join('\n');
    for (const title of new Set(open.map((section) => section.title))) sections.get(title)!.push(`${titles}\n${text}`);
  };
  for (const token of new Lexer().lex(summary)) {
    if (token.type === 'heading') {
      enter(inlineText((token as Tokens.Heading).tokens), (token as Tokens.Heading).depth);
      continue;
    }
    const inline = token.type === 'paragraph' ? (token as Tokens.Paragraph).tokens.filter((t) => !(t.type === 'text' && !t.raw.trim())) : [];
    const first = inline[0];
    const rest = inlineText(inline.slice(1));
    if (first?.type === 'strong' && (!rest.trim() || /^\s*:/.test(rest) || /:\s*$/.test(inlineText([first])))) {
      enter(inlineText([first]), bold);
      if (rest.trim()) write(rest.replace(/^\s*:/, ''));
      continue;
    }
    for (const block of blocks(token)) write(block);
  }
  return sections;
}

/** A token cut into what one statement of a change file is: a list's items and a table's rows apart. */
function blocks(token: Token): string[] {
  if (token.type === 'list') return (token as Tokens.List).items.map((item) => blockText(item.tokens));
  if (token.type === 'table') {
    const table = token as Tokens.Table;
    return table.rows.map((row) => row.map((cell) => inlineText(cell.tokens)).join(' '));
  }
  return [blockText([token])];
}

/** What a reader sees of block tokens: no code blocks, no HTML. */
function blockText(tokens: Token[]): string {
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'code':
        case 'html':
        case 'space':
        case 'hr':
          return '';
        case 'list':
          return (token as Tokens.List).items.map((item) => blockText(item.tokens)).join('\n');
        case 'table': {
          const table = token as Tokens.Table;
          return [table.header, ...table.rows].map((row) => row.map((cell) => inlineText(cell.tokens)).join(' ')).join('\n');
        }
        case 'paragraph':
        case 'heading':
          return inlineText((token as Tokens.Paragraph).tokens);
        default:
          if ('tokens' in token && Array.isArray(token.tokens)) return token.type === 'text' ? inlineText(token.tokens) : blockText(token.tokens);
          return 'text' in token && typeof token.text === 'string' ? token.text : '';
      }
    })
    .join('\n');
}

/** What a reader sees of inline tokens: link text without the URL, an image's alt text, no HTML. */
function inlineText(tokens: Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'html') return '';
      if (token.type === 'br') return '\n';
      if (token.type === 'image') return (token as Tokens.Image).text;
      if ('tokens' in token && Array.isArray(token.tokens)) return inlineText(token.tokens);
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` names `name` as a whole word: `$`, `/`, `{` and `-` join a name as letters do. */
const names = (text: string, name: string) => new RegExp(`(?<![\\w$/{-])${escape(name)}(?![\\w$/{-])`).test(text);

/**
 * What a change file must name besides the subject, each as the names that will do for it: the
 * thing the break is about, so that naming an operation for one break does not tell another of
 * it (a pending file naming listRewards for a renamed parameter covered listRewards losing any
 * other). That is a name its place quotes (a parameter, response header, security scheme,
 * server variable, entry point, any scheme of a security requirement), the field its message
 * starts with (its path, or its own name: `data[].date` or `date`), and the values an enum no
 * longer accepts or can now be.
 */
export function details(change: Change): string[][] {
  // A declaration changed: each member that broke, as a field is named beside its operation (the export alone
  // told any later change to it, a required option narrowed under a line about another member).
  if (change.operation.startsWith('types: ')) return (change.members ?? []).map((member) => [member]);
  // A component or operationId break: its place is its subject.
  if (change.rule === 'component-removed' || change.rule === 'operation-id-changed') return [];
  const found: string[][] = [];
  // A requirement of two schemes together is told by naming either: both went at once.
  const places = [...change.where.matchAll(/`([^`]+)`/g)].map(([, name]) => name!);
  if (places.length) found.push(places);
  const field = /^(?:new required field |field |other properties of |properties matching \S+ of )?`([^`]+)`/.exec(change.message)?.[1];
  // An item is named by its array's name, whichever item: `tags[]` and a prefix item's `tags[0]` alike.
  const own = field?.replace(itemsOrKeys, '').split('.').pop()?.replace(itemsOrKeys, '');
  // A path of brackets alone (`{}`, `[]`, `[0]`) is the value's items or other keys: its place names it.
  if (field && own) found.push([...new Set([field, own])]);
  if (change.rule === 'enum-changed') {
    const values = /(?:no longer accepts|can now be) (.*?): /.exec(change.message)?.[1] ?? '';
    for (const [, value] of values.matchAll(/`([^`]+)`/g)) {
      found.push([shown(value!)]);
    }
  }
  return found;
}

/** The items (`[]`, a prefix item's `[0]`) or other keys (`{}`) a path ends in. */
const itemsOrKeys = /(?:\[\d*\]|\{\})+$/;

/** An enum value as a person writes it: a string without its quotes. */
function shown(json: string): string {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'string' && value.trim() ? value : json;
  } catch {
    return json;
  }
}

/** Every name a change file must give for a break, in words: `listRewards` and `favorite`. */
const needed = (change: Change): string => {
  const name = subject(change);
  return [...(name ? [[name]] : []), ...details(change)].map((alternatives) => alternatives.map((n) => `\`${n}\``).join(' or ')).join(' and ');
};

/**
 * The breaks no pending major change file tells, each with why. Told means: a major file has a
 * section headed with the vendor's name, one of whose blocks (a paragraph, a list item, a table
 * row, with the sub-headings above it) names the break's subject and what it is about (details)
 * as whole words. A mention of the vendor elsewhere (a bullet about every vendor's options, say)
 * does not count, nor an operation named in one bullet and a field in another.
 */
export function uncoveredBreaks(breaks: Change[], files: ChangeFile[]): Array<{ change: Change; reason: string }> {
  const read = files.filter((file) => !file.preReleased).map((file) => ({ file, sections: vendorSections(file.summary) }));
  const result: Array<{ change: Change; reason: string }> = [];
  const tells = (change: Change, blocks: string[]) => {
    const name = subject(change);
    const wanted = details(change);
    // A break of the whole API with nothing quoted (a vendor gone): its section is what tells it.
    if (!name && !wanted.length) return true;
    return blocks.some((text) => (!name || names(text, name)) && wanted.every((alternatives) => alternatives.some((n) => names(text, n))));
  };
  for (const change of breaks) {
    const vendor = change.vendor.toLowerCase();
    const texts = read.flatMap(({ file, sections }) => (file.bump === 'major' && sections.has(vendor) ? [sections.get(vendor)!] : []));
    if (texts.some((blocks) => tells(change, blocks))) continue;
    // A file that would tell it but bumps less than major: name it, the fix is its front matter.
    const lesser = read.find(({ file, sections }) => file.bump !== 'major' && sections.has(vendor) && tells(change, sections.get(vendor)!));
    if (lesser) result.push({ change, reason: `${basename(lesser.file.file)} tells it under the ${change.vendor} heading, but bumps ${lesser.file.bump}: a break needs "major"` });
    else if (!texts.length) result.push({ change, reason: `no pending major change file has a \`**${change.vendor}**\` heading` });
    else if ((subject(change) ? 1 : 0) + details(change).length === 1) result.push({ change, reason: `the ${change.vendor} section does not name ${needed(change)}` });
    else result.push({ change, reason: `no paragraph or list item of the ${change.vendor} section names ${needed(change)} together` });
  }
  return result;
}

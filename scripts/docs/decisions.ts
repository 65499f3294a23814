/**
 * docs/decisions.md, split into its per-vendor sections (`## <Vendor>`, entries
 * `### <VENDOR>-<n>: title`) and rendered to HTML with marked.
 *
 * The markdown is ours, but it is still rendered defensively: raw HTML is shown as text (marked
 * has no switch to drop it, so the `html` renderer escapes it), only http(s), mailto, relative and
 * in-page links become links, and images are never loaded (the site loads nothing from other
 * hosts), only their alt text is shown.
 */
import { Marked, type Token, type Tokens } from 'marked';
import { escapeHtml, vendorFiles } from './layout.js';

export interface DecisionSection {
  /** The `## …` heading text, e.g. "Placewise MPC". */
  heading: string;
  /** The id prefix of its entries, e.g. "PLACEWISE". */
  prefix: string;
  /** Entry ids in file order, e.g. ["PLACEWISE-1", …]. */
  ids: string[];
  /** The section body (without its `##` heading) as HTML; each entry heading has id="<entry id>". */
  html: string;
  /** The site's page that shows the section (from decisionSections' `pageOf`); none, and its ids link nowhere. */
  page?: string;
}

const ENTRY = /^([A-Z][A-Z0-9]*)-(\d+)\b/;

const DECISION_ID = /\b[A-Z][A-Z0-9]*-\d+\b/g;

/**
 * Wraps every known decision id in escaped text in a link to its entry: ids in a set are on the
 * same page; a map gives each id's address (another vendor's provenance page).
 */
export function linkDecisionIds(escaped: string, ids: ReadonlySet<string> | ReadonlyMap<string, string>): string {
  const href = (id: string) => (ids instanceof Map ? ids.get(id) : ids.has(id) ? `#${id}` : undefined);
  return escaped.replace(DECISION_ID, (id) => {
    const to = href(id);
    return to === undefined ? id : `<a href="${escapeHtml(to)}">${id}</a>`;
  });
}

/** Where a set of decision ids is shown: a page of the site, or '' for the page the links are on. */
export interface DecisionPlace {
  ids: readonly string[];
  page: string;
}

/** Each id of each place, mapped to its address: `#<id>` on the page the links are on, `<page>#<id>` on another. */
export function decisionAddresses(places: Iterable<DecisionPlace>): Map<string, string> {
  const links = new Map<string, string>();
  for (const { ids, page } of places) for (const id of ids) links.set(id, `${page}#${id}`);
  return links;
}

/**
 * Where every decision is shown, seen from `here`'s pages: each section on the page it is
 * published on (a vendor's on its provenance page, MOCK-… on decisions-mock.html), those on the
 * page the links are on as `#<id>`. The sections are read off the vendor named `here` (each
 * vendor holds the whole of decisions.md).
 */
export function decisionLinks(
  site: readonly { info: { name: string }; sections: readonly Pick<DecisionSection, 'ids' | 'page'>[] }[],
  here: string,
  onProvenance: boolean,
): Map<string, string> {
  const from = vendorFiles(here)[onProvenance ? 'provenance' : 'reference'];
  const sections = site.find(({ info }) => info.name === here)?.sections ?? [];
  return decisionAddresses(sections.flatMap(({ ids, page }) => (page === undefined ? [] : [{ ids, page: page === from ? '' : page }])));
}

/**
 * Decision ids in a markdown text (a spec description) as markdown links, except inside code
 * (spans and fences), inside links already there, and in headings: Redoc shows a description's
 * heading as text, in its menu and as the section's title, so a link there read
 * `<a href="placewise-provenance.html#PLACEWISE-1">PLACEWISE-1</a>`. A heading's decisions are
 * linked on a line of their own below it instead.
 */
export function linkDecisionIdsInMarkdown(markdown: string, links: ReadonlyMap<string, string>): string {
  const untouched = /(^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\2[ \t]*$|^ {0,3}#{1,6}[ \t][^\n]*$|`+[^`]*?`+|\[[^\]]*\]\([^)]*\)|<[^>]+>)/gm;
  const link = (id: string) => `[${id}](${links.get(id)})`;
  return markdown
    .split(untouched)
    .map((part, i) => {
      // split() puts each match (and its inner group) after the text before it: only that text is prose.
      if (i % 3 === 2) return '';
      if (i % 3 === 0) return part.replace(DECISION_ID, (id) => (links.has(id) ? link(id) : id));
      const named = /^ {0,3}#/.test(part) ? [...new Set(part.replace(/`+[^`]*?`+/g, '').match(DECISION_ID) ?? [])].filter((id) => links.has(id)) : [];
      return named.length ? `${part}\n\nSee ${named.map(link).join(', ')}.\n` : part;
    })
    .join('');
}

function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  // Relative or in-page; anything with another scheme (javascript:, data:, …) is dropped.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
  return null;
}

function renderer(ids: ReadonlyMap<string, string>) {
  return new Marked({
    gfm: true,
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      text(token: Tokens.Text | Tokens.Escape) {
        if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
        return linkDecisionIds('escaped' in token && token.escaped ? token.text : escapeHtml(token.text), ids);
      },
      heading({ tokens, depth, text }: Tokens.Heading) {
        const id = depth === 3 ? text.match(ENTRY)?.[0] : undefined;
        const inner = this.parser.parseInline(tokens);
        return id ? `<h${depth} id="${escapeHtml(id)}">${inner}</h${depth}>\n` : `<h${depth}>${inner}</h${depth}>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        // No links inside links (the text renderer links decision ids).
        const inner = this.parser.parseInline(tokens).replace(/<\/?a\b[^>]*>/g, '');
        const safe = safeHref(href);
        if (safe === null) return inner;
        // `//host/…` is another host too (the page's scheme): it sent the page's address along unmarked.
        const external = /^(https?:)?\/\//i.test(safe) ? ' class="external" rel="noopener noreferrer external"' : '';
        return `<a href="${escapeHtml(safe)}"${title ? ` title="${escapeHtml(title)}"` : ''}${external}>${inner}</a>`;
      },
      image({ text }: Tokens.Image) {
        return `[image: ${escapeHtml(text)}]`;
      },
    },
  });
}

/**
 * Splits decisions.md into its `##` sections, keyed by entry prefix ("XONVO", "PLACEWISE", …).
 * Ids of a section's own entries link within it; with `pageOf`, ids of another section link to
 * the page it names for that section's prefix (a Placewise entry citing FOOTPRINTS-7).
 */
export function decisionSections(markdown: string, pageOf: (prefix: string) => string | undefined = () => undefined): Map<string, DecisionSection> {
  const lexer = new Marked({ gfm: true });
  const tokens = lexer.lexer(markdown);
  const groups: { heading: string; tokens: Token[] }[] = [];
  for (const token of tokens) {
    if (token.type === 'heading' && (token as Tokens.Heading).depth <= 2) {
      groups.push({ heading: (token as Tokens.Heading).text, tokens: [] });
    } else {
      groups.at(-1)?.tokens.push(token);
    }
  }
  const sections = new Map<string, DecisionSection>();
  const bodies = new Map<string, Token[]>();
  for (const group of groups) {
    const ids = group.tokens
      .filter((t): t is Tokens.Heading => t.type === 'heading' && (t as Tokens.Heading).depth === 3)
      .map((t) => t.text.match(ENTRY)?.[0])
      .filter((id): id is string => id !== undefined);
    if (ids.length === 0) continue;
    const prefixes = new Set(ids.map((id) => id.replace(/-\d+$/, '')));
    if (prefixes.size !== 1) throw new Error(`docs/decisions.md "## ${group.heading}": entries mix prefixes ${[...prefixes].join(', ')}`);
    const prefix = [...prefixes][0]!;
    if (sections.has(prefix)) throw new Error(`docs/decisions.md: two sections hold ${prefix}-… entries`);
    sections.set(prefix, { heading: group.heading, prefix, ids, html: '', page: pageOf(prefix) });
    bodies.set(prefix, group.tokens);
  }
  // Rendered once every section's ids are known, so each can link to the others'.
  for (const section of sections.values()) {
    const places = [...sections.values()].flatMap((other) => {
      const page = other === section ? '' : other.page;
      return page === undefined ? [] : [{ ids: other.ids, page }];
    });
    const links = decisionAddresses(places);
    section.html = renderer(links).parser(Object.assign(bodies.get(section.prefix)!, { links: tokens.links }));
  }
  return sections;
}

/** The section of one vendor; the build fails when a vendor has none. */
export function decisionsFor(sections: Map<string, DecisionSection>, vendor: string): DecisionSection {
  const section = sections.get(vendor.toUpperCase());
  if (!section) throw new Error(`docs/decisions.md has no section with ${vendor.toUpperCase()}-<n> entries`);
  return section;
}

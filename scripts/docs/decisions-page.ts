/**
 * decisions-<prefix>.html: a section of docs/decisions.md that is no vendor's (the mock, the
 * clients, the test suite, releases). Specs and vendor decisions cite its ids (MOCK-9), which
 * linked nowhere while only the vendors' sections were published.
 */
import { escapeHtml, page, plural } from './layout.js';
import type { DecisionSection } from './decisions.js';
import type { SiteVendor } from './model.js';

export function decisionsPage(section: DecisionSection, site: SiteVendor[]): string {
  return page({
    title: `Decisions: ${section.heading}`,
    kind: 'decisions',
    site,
    body: `<main id="content" tabindex="-1">
<h1>Decisions: ${escapeHtml(section.heading)}</h1>
<p class="lead">What we chose and why, where the vendors' material does not decide it (<code>docs/decisions.md</code>, section
“${escapeHtml(section.heading)}”, ${section.ids.length} decisions). The specs, the provenance pages and other decisions cite these ids.</p>
<h2 id="entries">${plural(section.ids.length, 'decision')}</h2>
<div class="decisions">
${section.html}
</div>
</main>`,
  });
}

/** index.html: one row per vendor with its counts, auth and links to its four artifacts. */
import { escapeHtml, page, plural, SITE_TITLE, vendorFiles } from './layout.js';
import { operationProvenance, projectSections, summarize, THIN_BELOW, thinness, webhookProvenance, type SiteVendor } from './model.js';
import { mockUrl } from './postman.js';
import { listOperations, listWebhooks, type OpenApiDocument, type SecurityRequirement } from '../lib/openapi.js';

/** "version v4"; a vendor that publishes none is `unversioned` in its spec, which read "version unversioned". */
const versionText = (version: string) => (version === 'unversioned' ? 'no published version' : `version ${escapeHtml(version)}`);

/**
 * The security schemes that neither an operation nor a webhook of the spec uses. Imprzd's JWT is
 * every future call's scheme (IMPRZD-3) while its one known call is public (IMPRZD-7): shown as its
 * auth alone, it read as what that call needs.
 */
function unusedSchemes(spec: OpenApiDocument): string[] {
  const operations = [...listOperations(spec), ...listWebhooks(spec)].map((ref) => ref.operation);
  const used = new Set(operations.flatMap((operation) => (operation.security ?? spec.security ?? []).flatMap((requirement: SecurityRequirement) => Object.keys(requirement))));
  return Object.keys(spec.components?.securitySchemes ?? {}).filter((id) => !used.has(id));
}

function row(vendor: SiteVendor): string {
  const { info } = vendor;
  const files = vendorFiles(info.name);
  const documented = info.operationCount > 0;
  const summary = summarize(operationProvenance(info.name, vendor.spec));
  const thin = thinness(summary);
  const confidence = documented
    ? `<br><small>${summary.stated} high, ${summary.partlyInferred} partly inferred</small>${thin ? `<br><small class="thin"><a href="${files.provenance}">${escapeHtml(thin)}</a></small>` : ''}`
    : '';
  // The row counted operations only: Placewise's two webhooks (its title's "and Webhooks") showed nowhere on the index.
  const hooks = webhookProvenance(info.name, vendor.spec).length;
  const webhooks = hooks ? `<br><small class="webhooks"><a href="${files.provenance}#webhooks">${plural(hooks, 'webhook')}</a> it sends</small>` : '';
  const unused = unusedSchemes(vendor.spec);
  const auth = info.auth.map((text) => escapeHtml(text) + (unused.some((id) => text.endsWith(`(${id})`)) ? '<br><small class="muted">no documented operation uses it yet</small>' : '')).join('<br>') || '—';
  const postman = vendor.collection
    ? `<a href="${files.postman}" download>Postman collection</a>`
    : `<span class="muted" title="No operations, so nothing to send and no mock to send it to">no Postman collection</span>`;
  return `<tr data-vendor="${escapeHtml(info.name)}">
<td><a href="${files.reference}"><strong>${escapeHtml(info.title)}</strong></a><br><small><code>${escapeHtml(info.name)}</code> · ${versionText(info.version)}</small></td>
<td><span class="operations">${info.operationCount}</span>${documented ? confidence : '<br><small class="undocumented">operations not yet documented</small>'}${webhooks}</td>
<td>${auth}</td>
<td>${documented ? `<code>${escapeHtml(mockUrl(info))}</code>` : '<span class="muted">no mock</span>'}</td>
<td class="links"><a href="${files.reference}">Reference</a> <a href="${files.provenance}">Provenance</a></td>
<td class="links"><a href="${files.spec}" download>OpenAPI spec (JSON)</a> ${postman}</td>
</tr>`;
}

/** The decisions that are no vendor's (MOCK-…, CLIENT-…), which specs and vendor decisions cite. */
function projectDecisions(site: SiteVendor[]): string {
  const sections = projectSections(site);
  if (sections.length === 0) return '';
  return `<h2 id="project-decisions">The project's decisions</h2>
<p>Choices about the mock, the clients, the tests and releases, which the specs and the vendors' decisions cite by id:</p>
<ul class="project-decisions">
${sections.map((s) => `<li><a href="${escapeHtml(s.page!)}">${escapeHtml(s.heading)}</a> <small>(${escapeHtml(s.prefix)}-…, ${plural(s.ids.length, 'decision')})</small></li>`).join('\n')}
</ul>`;
}

export function indexPage(site: SiteVendor[]): string {
  const total = site.reduce((n, v) => n + v.info.operationCount, 0);
  return page({
    title: SITE_TITLE,
    kind: 'index',
    site,
    body: `<main id="content" tabindex="-1">
<h1>Marketing and loyalty API contracts</h1>
<p class="lead">OpenAPI 3.1 contracts for the ${site.length} marketing and loyalty vendors we integrate with (${plural(total, 'operation')} in all),
each written from the sources its provenance page lists: the vendor's own documentation, and public code that calls the API where that
documentation is missing or thin. Each vendor has a reference, a provenance page that says which facts the vendor states and
which we inferred, the bundled spec and a Postman collection.</p>
<div class="wide"><table>
<thead><tr><th>Vendor</th><th>Operations</th><th>Auth</th><th>Mock (<code>npm start</code>)</th><th>Read</th><th>Download</th></tr></thead>
<tbody>
${site.map(row).join('\n')}
</tbody>
</table></div>
<div class="note" id="postman-note">
<strong>The Postman collections target the local mock by default.</strong> Each one is converted from the bundled spec when the site
is built: one folder per tag, one request per operation. Its <code>{{baseUrl}}</code> variable defaults to the vendor's mock on
<code>http://127.0.0.1:&lt;port&gt;</code> (the Mock column; start the mocks with <code>npm start</code>), and its credential variables hold
placeholders the mock accepts. To call a vendor for real, set <code>baseUrl</code> to its server (listed in the reference) and put your
credentials in a Postman environment, not in the collection.
Each folder sends its deletes last, so the collection runner, run from top to bottom against a freshly started mock, reads every
record before it deletes it. Two requests that end the same record cannot both succeed in one run (Perx's release and confirm of
one reservation): the second gets the refusal its example shows.
A vendor whose operations are not yet documented has no collection: there would be nothing in it to send, and no mock to send it to.
</div>
<h2>Reading the provenance pages</h2>
<p>Every operation records where it comes from (<code>x-source</code>), how sure we are (<code>x-confidence</code>) and what we filled in ourselves
(<code>x-inferred</code>). <span class="badge high">high</span> means the request and the answer are as the vendor states them, and only
how it answers (a status, an error) is inferred; <span class="badge medium">medium</span> and <span class="badge low">low</span> mean a request
or answer fact is inferred. Where the material is silent or contradicts itself, the choice we made is recorded
as a numbered decision, shown on the vendor's provenance page. A vendor marked <em>thin spec</em> has fewer than ${THIN_BELOW} operations
known, or only low-confidence ones: its contract is a start, not the vendor's API.</p>
${projectDecisions(site)}
<p class="muted">The site is static and self-contained: Redoc is served from the site itself, each spec is embedded in its page, and nothing is loaded
from other hosts, so it also works from <code>file://</code>.</p>
</main>`,
  });
}

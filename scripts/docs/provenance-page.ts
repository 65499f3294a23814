/**
 * <vendor>-provenance.html: where each fact of the spec comes from. The vendor's sources
 * (info.x-origin), every operation with its confidence, source and inferred facts, and the
 * vendor's section of docs/decisions.md.
 */
import { decisionLinks, linkDecisionIds } from './decisions.js';
import { escapeHtml, externalLink, page, plural, vendorFiles } from './layout.js';
import { origins, operationProvenance, summarize, webhookProvenance, type OperationProvenance, type SiteVendor, type WebhookProvenance } from './model.js';

function sourcesTable(vendor: SiteVendor): string {
  const list = origins(vendor.spec);
  if (list.length === 0) return '<p class="warn">The spec lists no sources (<code>info.x-origin</code> is empty).</p>';
  return `<div class="wide"><table class="sources">
<thead><tr><th>Id</th><th>Source</th></tr></thead>
<tbody>
${list.map((o) => `<tr id="source-${escapeHtml(o.id)}"><td><code>${escapeHtml(o.id)}</code></td><td>${o.url ? externalLink(o.url, o.title) : escapeHtml(o.title)}</td></tr>`).join('\n')}
</tbody>
</table></div>`;
}

/** Source ids (`S1`, `SPW`, …) in an operation's x-source, linked to their row in the sources table. */
function linkSourceIds(escaped: string, sources: readonly string[]): string {
  if (sources.length === 0) return escaped;
  const pattern = new RegExp(`(?<![\\w-])(${sources.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w-])`, 'g');
  return escaped.replace(pattern, (id) => `<a href="#source-${id}">${id}</a>`);
}

/**
 * An `x-source` or `x-inferred` text as HTML. They are written as the spec's descriptions are,
 * with `code spans`, which showed as backticks (Perx: "reads `tag_ids[]` as a list"); outside
 * them, decision ids (and, given, source ids) link to their entries.
 */
export function factHtml(text: string, ids: ReadonlyMap<string, string>, sources: readonly string[] = []): string {
  return text
    .split(/(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)/)
    .map((part, i) => (i % 3 === 2 ? `<code>${escapeHtml(part.trim() || part)}</code>` : i % 3 === 1 ? '' : linkDecisionIds(linkSourceIds(escapeHtml(part), sources), ids)))
    .join('');
}

function operationRow(op: OperationProvenance, reference: string, ids: ReadonlyMap<string, string>, sources: readonly string[]): string {
  const text = (s: string) => factHtml(s, ids);
  const inferred = op.inferred.length
    ? `<ul>${op.inferred.map((fact) => `<li>${text(fact)}</li>`).join('')}</ul>`
    : '<span class="muted">nothing: as stated by the vendor</span>';
  return `<tr id="op-${escapeHtml(op.operationId)}" data-operation="${escapeHtml(op.operationId)}" data-confidence="${op.confidence}">
<td><a href="${escapeHtml(`${reference}#operation/${op.operationId}`)}"><code>${escapeHtml(op.operationId)}</code></a>${op.summary ? `<br><small>${escapeHtml(op.summary)}</small>` : ''}</td>
<td><span class="method ${op.method}">${op.method}</span></td>
<td><code>${escapeHtml(op.path).replace(/\//g, '/<wbr>')}</code></td>
<td><span class="badge ${op.confidence}">${op.confidence}</span></td>
<td>${factHtml(op.source, ids, sources)}</td>
<td>${inferred}</td>
</tr>`;
}

/** A webhook row: like an operation's, with the webhook's name instead of a path. */
function webhookRow(hook: WebhookProvenance, reference: string, ids: ReadonlyMap<string, string>, sources: readonly string[]): string {
  const text = (s: string) => factHtml(s, ids);
  const inferred = hook.inferred.length
    ? `<ul>${hook.inferred.map((fact) => `<li>${text(fact)}</li>`).join('')}</ul>`
    : '<span class="muted">nothing: as stated by the vendor</span>';
  return `<tr id="webhook-${escapeHtml(hook.operationId)}" data-webhook="${escapeHtml(hook.webhook)}" data-confidence="${hook.confidence}">
<td><a href="${escapeHtml(`${reference}#operation/${hook.operationId}`)}"><code>${escapeHtml(hook.webhook)}</code></a>${hook.deprecated ? ' <span class="badge low">deprecated</span>' : ''}${hook.summary ? `<br><small>${escapeHtml(hook.summary)}</small>` : ''}</td>
<td><span class="method ${hook.method}">${hook.method}</span></td>
<td><span class="badge ${hook.confidence}">${hook.confidence}</span></td>
<td>${factHtml(hook.source, ids, sources)}</td>
<td>${inferred}</td>
</tr>`;
}

function webhooksSection(hooks: WebhookProvenance[], reference: string, ids: ReadonlyMap<string, string>, sources: readonly string[]): string {
  if (hooks.length === 0) return '';
  return `<h2 id="webhooks">Webhooks</h2>
<p>Requests the vendor sends to the integration (OpenAPI <code>webhooks</code>), with the same provenance as operations.</p>
<div class="wide"><table class="webhooks">
<colgroup><col style="width:22%"><col style="width:7%"><col style="width:9.5%"><col style="width:25%"><col></colgroup>
<thead><tr><th>Webhook</th><th>Method</th><th>Confidence</th><th>Source</th><th>Inferred by us</th></tr></thead>
<tbody>
${hooks.map((hook) => webhookRow(hook, reference, ids, sources)).join('\n')}
</tbody>
</table></div>`;
}

export function provenancePage(vendor: SiteVendor, site: SiteVendor[]): string {
  const { info, decisions } = vendor;
  const files = vendorFiles(info.name);
  const operations = operationProvenance(info.name, vendor.spec);
  const s = summarize(operations);
  // Another vendor's decisions (a Placewise entry citing FOOTPRINTS-7) link to that vendor's page.
  const ids = decisionLinks(site, info.name, true);
  const sourceIds = origins(vendor.spec).map((o) => escapeHtml(o.id));
  const webhooks = webhookProvenance(info.name, vendor.spec);

  const counts = operations.length
    ? `<p class="counts"><strong>${plural(s.stated, 'operation')} with request and answer as the vendor states them, ${s.partlyInferred} partly inferred.</strong></p>
<ul class="summary-counts">
<li><strong>${s.operations}</strong> operations</li>
<li><span class="badge high">high</span> <strong>${s.byConfidence.high}</strong> request and answer stated</li>
<li><span class="badge medium">medium</span> <strong>${s.byConfidence.medium}</strong> partly inferred</li>
<li><span class="badge low">low</span> <strong>${s.byConfidence.low}</strong> partly inferred</li>
<li><strong>${s.inferredFacts + webhooks.reduce((n, w) => n + w.inferred.length, 0)}</strong> inferred facts listed${webhooks.length ? ' (webhooks included)' : ''}</li>
<li><strong>${decisions.ids.length}</strong> decisions</li>
${webhooks.length ? `<li><strong>${webhooks.length}</strong> ${webhooks.length === 1 ? 'webhook' : 'webhooks'}</li>\n` : ''}</ul>`
    : `<p class="counts warn"><strong>0 operations: operations not yet documented.</strong> The spec holds only what the vendor states about the
API as a whole (servers, authentication, conventions); see the decisions below for why and how operations will be added.</p>`;

  const table = operations.length
    ? `<div class="wide"><table class="operations">
<colgroup><col style="width:16%"><col style="width:7%"><col style="width:19%"><col style="width:9.5%"><col style="width:19%"><col></colgroup>
<thead><tr><th>Operation</th><th>Method</th><th>Path</th><th>Confidence</th><th>Source</th><th>Inferred by us</th></tr></thead>
<tbody>
${operations.map((op) => operationRow(op, files.reference, ids, sourceIds)).join('\n')}
</tbody>
</table></div>`
    : '';

  return page({
    title: `${info.title} — provenance`,
    kind: 'provenance',
    site,
    vendor,
    body: `<main id="content" tabindex="-1">
<h1>${escapeHtml(info.title)}: provenance</h1>
<p class="lead">Which facts of the <a href="${files.reference}">${escapeHtml(info.name)} contract</a> the vendor states and which we inferred.
Confidence <span class="badge high">high</span> means the request and the answer are as the vendor states them, and only how
it answers (a status, an error) is inferred; <span class="badge medium">medium</span> and
<span class="badge low">low</span> mean a request or answer fact is inferred, with the inferred facts listed per operation.</p>
${counts}
<h2 id="sources">Sources</h2>
<p>The vendor material the spec was written from (<code>info.x-origin</code>); operations cite these ids in their source.</p>
${sourcesTable(vendor)}
${operations.length ? `<h2 id="operations">Operations</h2>\n${table}` : ''}
${webhooksSection(webhooks, files.reference, ids, sourceIds)}
<h2 id="decisions">Decisions</h2>
<p>Where the sources are silent or contradict each other, what we chose and why (<code>docs/decisions.md</code>, section
“${escapeHtml(decisions.heading)}”).</p>
<div class="decisions">
${decisions.html}
</div>
</main>`,
  });
}

/**
 * <vendor>.html: the Redoc reference. Redoc comes from the site (assets/redoc.standalone.js) and
 * the spec is embedded in the page, so nothing is fetched: it works offline and from file://.
 */
import { toFormBody } from '../../src/form.js';
import { decisionLinks, linkDecisionIdsInMarkdown } from './decisions.js';
import { listOperations, listWebhooks, type OpenApiDocument } from '../lib/openapi.js';
import { escapeHtml, page, scriptJson, vendorFiles } from './layout.js';
import type { SiteVendor } from './model.js';
import { withMockBehaviour } from './mock-text.js';

export const REDOC_ASSET = 'assets/redoc.standalone.js';

/**
 * Redoc's sidebar footer ("API docs by Redocly") shows a logo loaded from cdn.redoc.ly, and no
 * option turns it off. The site's copy of the bundle points it at an empty inline SVG instead, so
 * no page ever contacts another host (the link text stays; a link is not a load).
 */
const REDOC_REMOTE_ASSETS = ['https://cdn.redoc.ly/redoc/logo-mini.svg'];
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

export function offlineRedoc(bundle: string): string {
  return REDOC_REMOTE_ASSETS.reduce((code, url) => code.split(`"${url}"`).join(`"${EMPTY_SVG}"`), bundle);
}

/**
 * The title Redoc heads the page with. Redoc writes the version after the title, so a title that
 * already ends with it (Perx's "Perx Core API (v4)", version v4) read "Perx Core API (v4) (v4)".
 */
export function redocTitle(info: { title: string; version: string }): string {
  const version = ` (${info.version})`;
  return info.title.endsWith(version) ? info.title.slice(0, -version.length) : info.title;
}

const FORM = 'application/x-www-form-urlencoded';
type Media = { example?: unknown; examples?: Record<string, { $ref?: string; value?: unknown }> };

/**
 * The spec as the reference page shows it: each form body example as the text the clients send
 * (src/form.ts: `tags[0]=a`, `sensors[0][uuid]=…`, `H%26M`). Redoc writes an object example as a
 * form itself, and wrote nested fields as `[object Object]`, lists comma-joined and `&`
 * unescaped, so a reader copying its sample sent another request (FOOTPRINTS-7 gives the wire form).
 */
export function withFormSamples(spec: OpenApiDocument): OpenApiDocument {
  const shown = structuredClone(spec) as OpenApiDocument & { components?: { examples?: Record<string, { value?: unknown }> } };
  const resolved = (ref: string) => shown.components?.examples?.[ref.replace('#/components/examples/', '')];
  const asSent = (value: unknown) => (value !== null && typeof value === 'object' ? String(toFormBody(value)) : value);
  for (const item of Object.values(shown.paths ?? {}) as Record<string, { requestBody?: { content?: Record<string, Media> } }>[]) {
    for (const operation of Object.values(item)) {
      const media = operation?.requestBody?.content?.[FORM];
      if (!media) continue;
      if (media.example !== undefined) media.example = asSent(media.example);
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        const value = example.$ref ? resolved(example.$ref) : example;
        if (value) media.examples![name] = { ...value, value: asSent(value.value) };
      }
    }
  }
  return shown;
}

/** What Redoc keeps as written; any other server URL it resolves against the page's own address. */
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:|\/\//i;

/**
 * Servers as the reference shows them. XONVO's server is `{environment}` (XONVO-1): a URL with
 * no scheme, which Redoc resolved against the page, so every XONVO operation read as being at
 * `https://<docs host>/<site path>/{environment}/lead`, the docs site's own address. Such a URL
 * is shown with its variables' defaults, which makes it absolute; the server's description, shown
 * beside it, says how sure the default is. Absolute URLs keep their variables as written.
 */
export function withAbsoluteServers(spec: OpenApiDocument): OpenApiDocument {
  const shown = structuredClone(spec);
  for (const server of shown.servers ?? []) {
    if (ABSOLUTE.test(server.url)) continue;
    const filled = server.url.replace(/\{([^{}]+)\}/g, (whole, name: string) => server.variables?.[name]?.default ?? whole);
    if (ABSOLUTE.test(filled)) server.url = filled;
  }
  return shown;
}

/** Values that are data, not prose: a `description` key inside them is a field of an example. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-mock']);

/** A media type's or parameter's `examples` (named Example Objects), not a schema's (a list of values). */
const isExampleMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Decision ids in the spec's descriptions (`(FOOTPRINTS-26)`) as links to the decision on a
 * provenance page: the reference named them, and the reader had to find them by hand.
 */
export function withDecisionLinks(spec: OpenApiDocument, links: ReadonlyMap<string, string>): OpenApiDocument {
  const shown = structuredClone(spec);
  // An Example Object's description is prose Redoc shows above the sample (the mock's MOCK-9); its value is data.
  const linkExample = (example: unknown) => {
    const record = example as Record<string, unknown>;
    if (typeof record?.description === 'string') record.description = linkDecisionIdsInMarkdown(record.description, links);
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === 'description' && typeof value === 'string') record[key] = linkDecisionIdsInMarkdown(value, links);
      else if (key === 'examples' && isExampleMap(value)) Object.values(value).forEach(linkExample);
      else if (!DATA_KEYS.has(key)) walk(value);
    }
  };
  walk(shown);
  return shown;
}

/**
 * Each operation's and webhook's description names its operationId. Redoc shows it nowhere and its
 * search reads only summaries, descriptions and paths, so searching for `listRewards`, the name the
 * provenance pages, the `operations` type and the README give an operation, found nothing.
 */
export function withOperationIds(spec: OpenApiDocument): OpenApiDocument {
  const shown = structuredClone(spec);
  for (const { operation } of [...listOperations(shown), ...listWebhooks(shown)]) {
    if (typeof operation.operationId !== 'string') continue;
    const line = `Operation id: \`${operation.operationId}\`.`;
    operation.description = typeof operation.description === 'string' && operation.description.trim() ? `${operation.description.trimEnd()}\n\n${line}` : line;
  }
  return shown;
}

/** The spec as the reference page embeds it (the download is the bundle as published). */
export const shownSpec = (spec: OpenApiDocument, links: ReadonlyMap<string, string> = new Map()) =>
  withMockBehaviour(withOperationIds(withDecisionLinks(withAbsoluteServers(withFormSamples(spec)), links)));

export function referencePage(vendor: SiteVendor, site: SiteVendor[]): string {
  return page({
    title: `${vendor.info.title} — API reference`,
    kind: 'reference',
    site,
    vendor,
    body: `<main id="content" tabindex="-1" aria-label="${escapeHtml(vendor.info.title)} reference"><div id="redoc"></div></main>
<script src="${REDOC_ASSET}"></script>
<script id="spec" type="application/json">${scriptJson(shownSpec(vendor.spec, decisionLinks(site, vendor.info.name, false)))}</script>`,
    script: `
const spec = JSON.parse(document.getElementById('spec').textContent);
spec.info.title = ${scriptJson(redocTitle(vendor.info))};
Redoc.init(spec, {
  hideDownloadButton: false,
  // Redoc passes HTML in spec text through as it is by default: an <img onerror> in a description
  // ran script, and a [link](javascript:…) was clickable. Spec text is copied from vendor
  // material; it is sanitized (and the CSP no longer runs inline handlers either).
  sanitize: true,
  // The bundled spec as published, not Redoc's copy of the one above, whose title is shortened.
  downloadDefinitionUrl: ${scriptJson(vendorFiles(vendor.info.name).spec)},
  // Provenance shows per operation; the mock's behaviour is in each description (mock-text.ts).
  showExtensions: ['x-source', 'x-confidence'],
  expandResponses: '200,201',
  jsonSampleExpandLevel: 3,
  scrollYOffset: 'header.site'
}, document.getElementById('redoc'));
`,
  });
}

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOperations, type OpenApiDocument } from '../lib/openapi.js';
import { root } from '../lib/vendors.js';
import { vendors } from '../../src/vendors.js';
import { decisionLinks, decisionSections, linkDecisionIds, linkDecisionIdsInMarkdown } from './decisions.js';
import { POSTMAN_SCHEMA, postmanCollection, requestKey, requestsOf, type PostmanCollection } from './postman.js';
import { parse as parseYaml } from 'yaml';
import { mockMarkdown } from './mock-text.js';
import { offlineRedoc, redocTitle, shownSpec, withAbsoluteServers, withDecisionLinks, withFormSamples } from './reference-page.js';
import { toFormBody } from '../../src/form.js';
import { buildSite, loadSite, vendorFiles } from './site.js';
import { THIN_BELOW, thinness } from './model.js';

let out: string;
let written: string[];
const logged: string[] = [];
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'martech-docs-'));
  written = await buildSite(out, (line) => logged.push(line));
});
afterAll(() => rm(out, { recursive: true, force: true }));

const read = (file: string) => readFile(join(out, file), 'utf8');
const bundle = async (name: string) => JSON.parse(await read(vendorFiles(name).spec)) as OpenApiDocument;
const rowOf = (index: string, name: string) => index.match(new RegExp(`<tr data-vendor="${name}">([\\s\\S]*?)</tr>`))?.[1] ?? '';
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
const decisionIds = async (name: string) =>
  [...(await readFile(join(root, 'docs/decisions.md'), 'utf8')).matchAll(new RegExp(`^### (${name.toUpperCase()}-\\d+):`, 'gm'))].map((m) => m[1]!);

describe('docs site', () => {
  it('counts each vendor\'s operations in its progress line, in the singular for one', () => {
    for (const vendor of vendors) {
      const count = `${vendor.operationCount} operation${vendor.operationCount === 1 ? '' : 's'}`;
      expect(logged.find((line) => line.startsWith(`[${vendor.name}] `)), vendor.name).toMatch(new RegExp(` — ${count}$`));
    }
    expect(vendors.some((vendor) => vendor.operationCount === 1)).toBe(true);
  });

  it('heads a reference page with a title Redoc does not repeat the version after', async () => {
    expect(redocTitle({ title: 'Perx Core API (v4)', version: 'v4' })).toBe('Perx Core API');
    expect(redocTitle({ title: 'Placewise MPC API', version: 'v3' })).toBe('Placewise MPC API');
    expect(redocTitle({ title: 'API (v3)', version: 'v4' })).toBe('API (v3)');
    for (const vendor of vendors) {
      const html = await read(vendorFiles(vendor.name).reference);
      expect(html, vendor.name).toContain(`spec.info.title = ${JSON.stringify(redocTitle(vendor))};`);
      // Its download is the bundled spec as published, not Redoc's copy with the shortened title.
      expect(html, vendor.name).toContain(`downloadDefinitionUrl: ${JSON.stringify(vendorFiles(vendor.name).spec)},`);
    }
    const perx = vendors.find((vendor) => vendor.name === 'perx')!;
    expect(`${redocTitle(perx)} (${perx.version})`).toBe('Perx Core API (v4)');
  });

  // Found 2026-12-03: a decisions page went from its h1 straight to its entries' h3s, so a screen reader's
  // outline skipped a level; and no page had a way past the header for a keyboard reader.
  it('heads every page it writes with one h1 and headings that skip no level, and skips the header to its main', async () => {
    const references = new Set(vendors.map((v) => vendorFiles(v.name).reference));
    for (const file of written.filter((f) => f.endsWith('.html'))) {
      const html = await read(file);
      expect(html, file).toMatch(/<body[^>]*>\n<a class="skip" href="#content">Skip to content<\/a>/);
      expect(html, file).toMatch(/<main id="content" tabindex="-1"[ >]/);
      if (references.has(file)) continue; // Redoc writes those headings in the browser
      const levels = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
      expect(levels.filter((level) => level === 1), file).toHaveLength(1);
      const skips = levels.flatMap((level, i) => (i > 0 && level > levels[i - 1]! + 1 ? [`h${levels[i - 1]} → h${level}`] : []));
      expect(skips, `${file}: headings that skip a level`).toEqual([]);
    }
  });

  // Found 2026-12-03: the index said every contract was written from the vendor's own material; Perx's operations
  // come from a third-party client and a public mirror of Perx's code, Imprzd's one call from third-party code.
  it('says on the index where the contracts come from as their sources say, not "each vendor\'s own material"', async () => {
    const index = await read('index.html');
    expect(index).not.toContain("each vendor's own material");
    expect(index).toMatch(/each written from the sources its provenance page lists: the vendor's own documentation, and public code that calls the API/);
    const titles = (await Promise.all(vendors.map((v) => bundle(v.name)))).flatMap((spec) => ((spec.info['x-origin'] ?? []) as { title: string }[]).map((o) => o.title));
    expect(titles.some((title) => /third-party|public/i.test(title)), 'some contract rests on public code, as the index says').toBe(true);
  });

  it('writes exactly the files it reports, and a Postman collection only for vendors with operations', async () => {
    const onDisk = [...(await readdir(out)).filter((f) => f !== 'assets'), ...(await readdir(join(out, 'assets'))).map((f) => `assets/${f}`)];
    expect(onDisk.sort()).toEqual([...written].sort());
    for (const vendor of vendors) {
      const files = vendorFiles(vendor.name);
      for (const file of [files.reference, files.provenance, files.spec]) expect(written, vendor.name).toContain(file);
      expect(written.includes(files.postman), `${vendor.name} postman`).toBe(vendor.operationCount > 0);
    }
  });

  // Found 2026-12-03: the index gave Imprzd's auth as "Bearer JWT" and nothing more, while its one known call
  // is public (IMPRZD-7): a reader took the JWT for what the image needs (IMPRZD-11).
  it("says of a scheme no documented operation or webhook uses that none does yet, and of no other", async () => {
    const index = await read('index.html');
    const unused = '<small class="muted">no documented operation uses it yet</small>';
    expect(rowOf(index, 'imprzd')).toContain(`Bearer JWT (bearerAuth)<br>${unused}`);
    for (const vendor of vendors.filter((v) => v.name !== 'imprzd')) expect(rowOf(index, vendor.name), vendor.name).not.toContain(unused);
  });

  // Found 2026-12-03: the index listed Imprzd's one low-confidence call like any vendor's contract;
  // only its reference and provenance pages said the spec is thin.
  it('says on the index, from each spec\'s own counts, which specs are thin and why, and of no other', async () => {
    const index = await read('index.html');
    expect(rowOf(index, 'imprzd')).toContain('<small class="thin"><a href="imprzd-provenance.html">thin spec: only 1 operation known, it is low confidence</a></small>');
    for (const vendor of vendors.filter((v) => v.name !== 'imprzd')) expect(rowOf(index, vendor.name), vendor.name).not.toContain('thin spec');
    const counts = (high: number, medium: number, low: number) => ({ operations: high + medium + low, stated: high, partlyInferred: medium + low, byConfidence: { high, medium, low }, inferredFacts: 0 });
    expect(thinness(counts(0, 0, 40))).toBe('thin spec: all are low confidence');
    expect(thinness(counts(2, 0, 0))).toBe('thin spec: only 2 operations known');
    expect(thinness(counts(THIN_BELOW, 0, 0))).toBeUndefined();
    expect(thinness(counts(0, 8, 7))).toBeUndefined();
    expect(thinness(counts(0, 0, 0))).toBeUndefined();
    expect(index).toContain(`A vendor marked <em>thin spec</em> has fewer than ${THIN_BELOW} operations`);
  });

  it('lists every vendor with its operation count, auth and links to its artifacts', async () => {
    const index = await read('index.html');
    for (const vendor of vendors) {
      const files = vendorFiles(vendor.name);
      const row = rowOf(index, vendor.name);
      expect(row, vendor.name).toMatch(new RegExp(`class="operations">${vendor.operationCount}\\b`));
      for (const auth of vendor.auth) expect(row).toContain(auth);
      // Found 2026-12-03 (TEST-55): the index left out webhooks, and read "version unversioned".
      const hooks = Object.values((await bundle(vendor.name) as { webhooks?: object }).webhooks ?? {}).length;
      if (hooks) expect(row, vendor.name).toContain(`<a href="${files.provenance}#webhooks">${hooks} webhook${hooks === 1 ? '' : 's'}</a> it sends`);
      else expect(row, vendor.name).not.toContain('webhook');
      expect(row, vendor.name).toContain(vendor.version === 'unversioned' ? '· no published version' : `· version ${vendor.version}`);
      const links = hrefs(row);
      expect(links).toContain(files.reference);
      expect(links).toContain(files.provenance);
      expect(row).toContain(`href="${files.spec}" download`);
      if (vendor.operationCount > 0) {
        expect(row).toContain(`href="${files.postman}" download`);
        expect(row).toContain(`http://127.0.0.1:${vendor.mockPort}`);
      } else {
        expect(links).not.toContain(files.postman);
        expect(row).toContain('operations not yet documented');
      }
    }
    expect(index).toMatch(/collections target the local mock by default/);
    // The lead sums the rows: every vendor's operations, counted once.
    const total = vendors.reduce((sum, vendor) => sum + vendor.operationCount, 0);
    expect(total).toBeGreaterThan(1);
    expect(index).toContain(`for the ${vendors.length} marketing and loyalty vendors we integrate with (${total} operations in all)`);
  });

  it('every page links back to the index and to each vendor; vendor pages link their four artifacts', async () => {
    for (const vendor of vendors) {
      const files = vendorFiles(vendor.name);
      for (const file of [files.reference, files.provenance, 'index.html']) {
        const nav = (await read(file)).match(/<header class="site">([\s\S]*?)<\/header>/)?.[1] ?? '';
        expect(hrefs(nav), file).toContain('index.html');
        for (const other of vendors) expect(hrefs(nav), file).toContain(vendorFiles(other.name).reference);
        if (file !== 'index.html') {
          expect(hrefs(nav), file).toEqual(expect.arrayContaining([files.reference, files.provenance, files.spec]));
          expect(hrefs(nav).includes(files.postman), file).toBe(vendor.operationCount > 0);
        }
      }
    }
  });

  it('embeds each bundled spec, complete (form examples as sent), in its reference page and offers it for download', async () => {
    for (const vendor of vendors) {
      const files = vendorFiles(vendor.name);
      expect(await read(files.spec)).toBe(await readFile(join(root, vendor.bundle), 'utf8'));
      const html = await read(files.reference);
      const embedded = JSON.parse(html.match(/<script id="spec" type="application\/json">([\s\S]*?)<\/script>/)![1]!);
      expect(embedded).toEqual(shownSpec(await bundle(vendor.name), decisionLinks(await loadSite(), vendor.name, false)));
      expect(listOperations(embedded)).toHaveLength(vendor.operationCount);
    }
  });

  it('converts each spec with operations to a Postman v2.1 collection: a folder per tag, one request per operation, baseUrl on the mock', async () => {
    for (const vendor of vendors.filter((v) => v.operationCount > 0)) {
      const collection = JSON.parse(await read(vendorFiles(vendor.name).postman)) as PostmanCollection;
      const spec = await bundle(vendor.name);
      const operations = listOperations(spec);
      expect(collection.info.schema).toBe(POSTMAN_SCHEMA);
      expect(collection.info.name).toBe(spec.info.title);

      const requests = requestsOf(collection.item);
      expect(requests, vendor.name).toHaveLength(operations.length);
      for (const { method, path, operation } of operations) {
        const matching = requests.filter(({ item }) => requestKey(item.request!) === `${method.toUpperCase()} ${path}`);
        expect(matching, `${vendor.name} ${operation.operationId}`).toHaveLength(1);
        expect(matching[0]!.folders, operation.operationId).toEqual([operation.tags[0]]);
        expect(matching[0]!.item.request!.url.host).toEqual(['{{baseUrl}}']);
      }
      expect(collection.item.map((folder) => folder.name).sort()).toEqual([...new Set(operations.map((o) => o.operation.tags[0]))].sort());

      const baseUrl = collection.variable.find((v) => v.key === 'baseUrl');
      expect(baseUrl?.value).toBe(`http://127.0.0.1:${vendor.mockPort}`);
      const description = typeof collection.info.description === 'string' ? collection.info.description : collection.info.description?.content;
      expect(description).toContain('targets the local mock by default');
      // Every variable the requests or auth use is declared (server variables of the real host are not left dangling).
      const declared = new Set(collection.variable.map((v) => v.key));
      const used = JSON.stringify({ auth: collection.auth, requests: requests.map((r) => r.item.request) }, (key, value) =>
        key === 'description' ? undefined : value,
      );
      for (const [, key] of used.matchAll(/\{\{([^{}]+)\}\}/g)) expect(declared.has(key!), `${vendor.name}: {{${key}}} undeclared`).toBe(true);
    }
  });

  // Found 2026-12-03: the converter leaves `security: []` as `auth: null`, which Postman reads as "inherit from
  // parent": Imprzd's public image call (IMPRZD-7) went with the collection's bearer token, Footprints' tracking
  // calls with its access_token (IMPRZD-11).
  it('sends no credential on an operation the spec makes public (security: []): No Auth, not the collection\'s', async () => {
    const publicCalls: string[] = [];
    for (const vendor of vendors.filter((v) => v.operationCount > 0)) {
      const collection = JSON.parse(await read(vendorFiles(vendor.name).postman)) as PostmanCollection;
      const requests = new Map(requestsOf(collection.item).map(({ item }) => [requestKey(item.request!), item.request!]));
      for (const { method, path, operation } of listOperations(await bundle(vendor.name))) {
        const { auth } = requests.get(`${method.toUpperCase()} ${path}`)!;
        const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
        if (isPublic) publicCalls.push(`${vendor.name} ${operation.operationId}`);
        expect((auth as { type?: string } | null)?.type === 'noauth', `${vendor.name} ${operation.operationId}`).toBe(isPublic);
      }
    }
    expect(publicCalls).toContain('imprzd getDisplayImage');
  });

  // Found 2026-12-03: the converter names every bearer token {{bearerToken}}, so Perx's app token and user token
  // were one variable: a reader holding one sent it where the other is needed.
  it('sends each bearer operation the token its security scheme names ({{appToken}}, {{userToken}}), inherited or its own', async () => {
    const seen = new Set<string>();
    for (const vendor of vendors.filter((v) => v.operationCount > 0)) {
      const collection = JSON.parse(await read(vendorFiles(vendor.name).postman)) as PostmanCollection;
      const spec = await bundle(vendor.name);
      const requests = new Map(requestsOf(collection.item).map(({ item }) => [requestKey(item.request!), item.request!]));
      for (const { method, path, operation } of listOperations(spec)) {
        const names = ((operation.security ?? spec.security ?? []) as Record<string, string[]>[]).flatMap((r) => Object.keys(r));
        const scheme = names.length === 1 ? spec.components?.securitySchemes?.[names[0]!] : undefined;
        if (scheme?.type !== 'http' || scheme.scheme !== 'bearer') continue;
        const auth = (requests.get(`${method.toUpperCase()} ${path}`)!.auth ?? collection.auth) as { type: string; bearer?: { key: string; value: string }[] };
        expect(auth, `${vendor.name} ${operation.operationId}`).toMatchObject({ type: 'bearer', bearer: [{ key: 'token', value: `{{${names[0]}}}` }] });
        seen.add(`${vendor.name} ${names[0]}`);
      }
      const declared = collection.variable.map((v) => v.key);
      for (const name of seen) if (name.startsWith(`${vendor.name} `)) expect(declared, name).toContain(name.split(' ')[1]);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['perx appToken', 'perx userToken']));
  });

  it('converts reproducibly: the same spec gives the same collection', async () => {
    const footprints = vendors.find((v) => v.name === 'footprints')!;
    const text = await read(vendorFiles('footprints').spec);
    const spec = JSON.parse(text) as OpenApiDocument;
    const digest = (specText = text) => createHash('sha256').update(JSON.stringify(postmanCollection(footprints, spec, specText))).digest('hex');
    const first = digest();
    // Whatever state the global random source is in, the conversion seeds its own.
    const random = Math.random;
    Math.random = () => 0.5;
    let second: string;
    try {
      second = digest();
    } finally {
      Math.random = random;
    }
    expect(second, 'a different global random source changed the collection').toBe(first);
    expect(digest(`${text}\n`), 'the collection id follows the spec text').not.toBe(first);
    expect(first, 'the built file is the same collection').toBe(
      createHash('sha256').update(JSON.stringify(JSON.parse(await read(vendorFiles('footprints').postman)))).digest('hex'),
    );
    expect(await bundle('footprints'), 'the conversion leaves the spec alone').toEqual(spec);
  });

  it('offers no Postman collection for a vendor without operations', async () => {
    // Every vendor has operations now; a vendor as a new one starts (paths: {}) has none.
    const vendor = vendors[0]!;
    const empty = { ...(await bundle(vendor.name)), paths: {} };
    expect(postmanCollection({ ...vendor, operationCount: 0 }, empty)).toBeNull();
  });

  it('provenance pages list every operationId with its confidence, source and inferred facts, and the vendor decisions', async () => {
    for (const vendor of vendors) {
      const html = await read(vendorFiles(vendor.name).provenance);
      const operations = listOperations(await bundle(vendor.name));
      const rows = [...html.matchAll(/<tr id="op-[^"]*" data-operation="([^"]+)" data-confidence="([^"]+)">([\s\S]*?)<\/tr>/g)];
      expect(rows.map((r) => r[1]), vendor.name).toEqual(operations.map((o) => o.operation.operationId));
      for (const [i, { operation }] of operations.entries()) {
        const [, , confidence, cells] = rows[i]!;
        expect(confidence, operation.operationId).toBe(operation['x-confidence']);
        expect(cells).toContain(`<span class="badge ${confidence}">${confidence}</span>`);
        const text = cells!.replace(/<[^>]+>/g, '');
        const decoded = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
        // Found 2026-12-03 (TEST-54): code spans showed as backticks; they are code, and no backtick is left.
        const unquoted = (s: string) => s.replace(/`+/g, '');
        expect(decoded(text)).toContain(unquoted(operation['x-source']));
        for (const fact of operation['x-inferred'] ?? []) expect(decoded(text)).toContain(unquoted(fact));
        expect(text, operation.operationId).not.toContain('`');
      }
      const high = operations.filter((o) => o.operation['x-confidence'] === 'high').length;
      if (operations.length > 0) {
        expect(html).toContain(`${high} operation${high === 1 ? '' : 's'} with request and answer as the vendor states them, ${operations.length - high} partly inferred`);
        // Found 2026-12-01: the count left out the facts the page lists for its webhooks.
        const webhookFacts = Object.values((await bundle(vendor.name) as { webhooks?: object }).webhooks ?? {}).flatMap((item) => Object.values(item as Record<string, { 'x-inferred'?: string[] }>)).flatMap((o) => o['x-inferred'] ?? []).length;
        const facts = operations.reduce((n, o) => n + (o.operation['x-inferred']?.length ?? 0), 0) + webhookFacts;
        expect(html).toContain(`<li><strong>${facts}</strong> inferred facts listed`);
      } else {
        expect(html).toContain('operations not yet documented');
      }
      if (vendor.name === 'perx') expect(html).toContain('The server reads <code>tag_ids[]</code> as a list');
      const ids = await decisionIds(vendor.name);
      expect(ids.length, vendor.name).toBeGreaterThan(0);
      for (const id of ids) expect(html, id).toContain(`<h3 id="${id}">`);
      for (const origin of (await bundle(vendor.name)).info['x-origin'] as { id: string }[]) expect(html).toContain(`id="source-${origin.id}"`);
    }
  });

  // Found 2026-12-03 (TEST-52): MOCK-, CLIENT-, TEST- and REL- ids, cited by specs and vendor decisions, linked nowhere.
  it('publishes each section of decisions.md that is no vendor\'s on a page of its own, listed on the index, where its cited ids link', async () => {
    const index = await read('index.html');
    const sections = [...(await readFile(join(root, 'docs/decisions.md'), 'utf8')).matchAll(/^### ([A-Z][A-Z0-9]*)-\d+:/gm)].map((m) => m[1]!);
    const project = [...new Set(sections)].filter((prefix) => !vendors.some((v) => v.name.toUpperCase() === prefix));
    expect(project.sort()).toEqual(['CLIENT', 'MOCK', 'REL', 'TEST']);
    for (const prefix of project) {
      const file = `decisions-${prefix.toLowerCase()}.html`;
      expect(written).toContain(file);
      expect(hrefs(index)).toContain(file);
      const html = await read(file);
      for (const id of await decisionIds(prefix)) expect(html, id).toContain(`<h3 id="${id}">`);
    }
    expect(await read(vendorFiles('placewise').provenance)).toContain('<a href="decisions-mock.html#MOCK-31">MOCK-31</a>');
    expect(await read('decisions-test.html')).toContain('<a href="#TEST-34">TEST-34</a>');
    expect(await read('decisions-test.html')).toContain('<a href="decisions-client.html#CLIENT-76">CLIENT-76</a>');
  });

  it('renders decisions without passing raw HTML through and without loading images or unsafe links', () => {
    const sections = decisionSections(
      '## Test\n\n### TEST-1: A <b>bold</b> claim\nText <script>alert(1)</script> and [a link](javascript:alert(1)), ' +
        '[ok](https://example.com), ![pic](https://example.com/p.png), see TEST-1 and OTHER-2.\n\n<div onclick="x()">raw</div>\n',
    );
    const html = sections.get('TEST')!.html;
    expect(html).not.toMatch(/<script|<b>|<div|javascript:|<img/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://example.com" class="external" rel="noopener noreferrer external">ok</a>');
    expect(html).toContain('<a href="#TEST-1">TEST-1</a>');
    expect(html).toContain('OTHER-2');
    expect(html).not.toContain('#OTHER-2');
    expect(linkDecisionIds('see X-1', new Set(['X-1']))).toBe('see <a href="#X-1">X-1</a>');
    // Found 2026-12-03 (TEST-39): a vendor's decision citing another vendor's was plain text; a section no page shows stays so.
    const linked = decisionSections('## A\n\n### A-1: x\nsee B-1 and M-1\n\n## B\n\n### B-1: y\nsee A-1\n\n## M\n\n### M-1: z\n', (prefix) =>
      prefix === 'M' ? undefined : `${prefix.toLowerCase()}-provenance.html`,
    );
    expect(linked.get('A')!.html).toContain('see <a href="b-provenance.html#B-1">B-1</a> and M-1');
    expect(linked.get('B')!.html).toContain('see <a href="a-provenance.html#A-1">A-1</a>');
    expect(linked.get('A')!.html).toContain('<h3 id="A-1"><a href="#A-1">A-1</a>');
    // Found 2026-12-03: a scheme-relative link was treated as one within the site.
    expect(decisionSections('## T\n\n### T-1: x\n[pr](//example.com/p)\n').get('T')!.html).toContain(
      '<a href="//example.com/p" class="external" rel="noopener noreferrer external">pr</a>',
    );
  });

  it('loads nothing from other hosts', async () => {
    for (const file of written.filter((f) => f.endsWith('.html'))) {
      const html = (await read(file)).replace(/<script id="spec"[\s\S]*?<\/script>/, '');
      // Nothing is loaded from another host: no src, no stylesheet/icon link, no CSS import.
      expect(html, file).not.toMatch(/\bsrc\s*=\s*["']?(https?:)?\/\//i);
      expect(html, file).not.toMatch(/<link\b[^>]*href\s*=\s*["']?(https?:)?\/\//i);
      expect(html, file).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
      // Outbound links (the sources a spec cites) are navigation only, and send no referrer.
      for (const [a] of html.matchAll(/<a\b[^>]*href="(https?:)?\/\/[^>]*>/gi)) expect(a, file).toMatch(/rel="[^"]*noreferrer/);
      expect(html, file).toContain('http-equiv="Content-Security-Policy"');
      // Inline script runs by hash only (TEST-34): 'unsafe-inline' let any inline event handler run.
      const scriptSrc = html.match(/script-src ([^;"]*)/)![1]!;
      expect(scriptSrc, file).not.toContain('unsafe-inline');
      const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
      expect(scriptSrc.split(' ').slice(1).sort(), file).toEqual(inline.sort());
    }
    const redoc = await read('assets/redoc.standalone.js');
    expect(redoc.length).toBeGreaterThan(100_000);
    expect(redoc).not.toContain('cdn.redoc.ly');
    expect(offlineRedoc('x="https://cdn.redoc.ly/redoc/logo-mini.svg"')).toMatch(/^x="data:image\/svg\+xml,/);
  });
});

// Found 2026-12-01: Redoc wrote the Footprints form samples itself: `sensors[0]=[object Object]`, lists comma-joined, `H&M` unescaped.
describe('withFormSamples', () => {
  it('shows every form body example as the text the clients send, and leaves the spec it was given as it was', async () => {
    const spec = JSON.parse(await readFile(join(root, 'generated/footprints/openapi.json'), 'utf8')) as OpenApiDocument;
    const before = JSON.stringify(spec);
    const shown = withFormSamples(spec);
    expect(JSON.stringify(spec)).toBe(before);
    const forms = (doc: OpenApiDocument) =>
      Object.values(doc.paths ?? {}).flatMap((item) => Object.values(item as Record<string, any>)).flatMap((o) => Object.entries<any>(o?.requestBody?.content?.['application/x-www-form-urlencoded']?.examples ?? {}).map(([name, e]) => [`${o.operationId} ${name}`, e.value] as const));
    const given = new Map(forms(spec));
    const sent = forms(shown);
    expect(sent.length).toBeGreaterThan(20);
    for (const [example, text] of sent) expect(text, example).toBe(String(toFormBody(given.get(example))));
    const sensors = new URLSearchParams(sent.find(([example]) => example.startsWith('sendMobileSensors'))![1] as string);
    expect(sensors.get('sensors[0][uuid]')).toBe('2376-34342-1233-23424');
    expect(sent.some(([, text]) => String(text).includes('[object Object]'))).toBe(false);
  });
});

// Found 2026-12-03 (TEST-36): Redoc showed x-mock as one line of minified JSON (Perx's transferPoints: 1,900 characters).
describe('mock behaviour on the reference page', () => {
  it('ends every operation\'s description with what the mock does and its whole x-mock as YAML, and shows no raw x-mock', async () => {
    let declared = 0;
    for (const vendor of vendors) {
      const spec = await bundle(vendor.name);
      const shown = listOperations(shownSpec(spec));
      for (const [i, { operation }] of listOperations(spec).entries()) {
        const description: string = shown[i]!.operation.description;
        const where = `${vendor.name} ${operation.operationId}`;
        expect(shown[i]!.operation['x-mock'], where).toBeUndefined();
        expect(description.endsWith(mockMarkdown(operation['x-mock'])), where).toBe(true);
        if (typeof operation.description === 'string') expect(description.startsWith(operation.description.trimEnd()), where).toBe(true);
        if (operation['x-mock'] === undefined) {
          expect(description, where).toContain('no `x-mock`, so it keeps no state');
          continue;
        }
        declared++;
        const yaml = description.match(/\n(`{3,})yaml\n([\s\S]*?)\n\1\n/)?.[2];
        expect(parseYaml(yaml ?? ''), where).toEqual(operation['x-mock']);
        expect(description, where).not.toContain('{"resource"');
      }
    }
    expect(declared).toBeGreaterThan(50);
    for (const vendor of vendors) expect(await read(vendorFiles(vendor.name).reference)).toContain("showExtensions: ['x-source', 'x-confidence'],");
  });

  it('says in one sentence what the mock does, read from the declaration', () => {
    expect(mockMarkdown({ resource: 'vouchers', action: 'list', cases: [{}] })).toMatch(/^\*\*Mock\*\* \(`npm start`\): lists the `vouchers` records it holds; one variant chosen by the request\.\n/);
    expect(mockMarkdown({ resource: 'loyalty', action: 'adjust', adjust: { field: 'points_balance' }, also: [{}, {}], missing: { status: 400 } })).toContain(
      'adjusts `points_balance` of a `loyalty` record it holds; then 2 further effects; a record it does not hold gets the documented 400.',
    );
    expect(mockMarkdown({ malformed: { status: 400 } })).toContain('keeps no state for this call; a body that is not JSON gets the documented 400.');
    // A backtick run in the declaration cannot close the fence early.
    expect(parseYaml(mockMarkdown({ examples: [{ when: { body: '/a```b' }, example: 'x' }] }).match(/\n(`{3,})yaml\n([\s\S]*?)\n\1\n/)![2]!)).toEqual({
      examples: [{ when: { body: '/a```b' }, example: 'x' }],
    });
  });
});

// Found 2026-12-03 (TEST-35): XONVO's server `{environment}` was resolved by Redoc against the page, so its
// operations read as being on the docs site (`https://<pages host>/<repo>/{environment}/lead`).
describe('withAbsoluteServers', () => {
  it('fills the variables of a server URL Redoc would resolve against the page, and leaves absolute ones as written', async () => {
    const xonvo = await bundle('xonvo');
    expect(xonvo.servers![0]!.url).toBe('{environment}');
    expect(withAbsoluteServers(xonvo).servers![0]!.url).toBe(xonvo.servers![0]!.variables!.environment!.default);
    expect(withAbsoluteServers(xonvo).servers![0]!.url).toMatch(/^https:\/\//);
    for (const vendor of vendors) {
      for (const server of withAbsoluteServers(await bundle(vendor.name)).servers ?? []) expect(server.url, vendor.name).toMatch(/^[a-z][a-z0-9+.-]*:|\/\//i);
    }
    const spec = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} };
    const placewise = await bundle('placewise');
    expect(withAbsoluteServers(placewise).servers).toEqual(placewise.servers);
    expect(withAbsoluteServers({ ...spec, servers: [{ url: '{scheme}://{host}', variables: { scheme: { default: 'https' }, host: { default: 'h' } } }] }).servers![0]!.url).toBe('{scheme}://{host}');
    // No default makes it absolute: left as written (no vendor has one).
    expect(withAbsoluteServers({ ...spec, servers: [{ url: '/v1' }] }).servers![0]!.url).toBe('/v1');
  });
});

// Found 2026-12-03 (TEST-39): the reference named decisions, `(FOOTPRINTS-26)`, with no way to reach them.
describe('decision ids on the reference page', () => {
  it('link to the decision on its provenance page, outside code and existing links, and leave examples alone', async () => {
    const links = new Map([['X-1', 'x-provenance.html#X-1']]);
    expect(linkDecisionIdsInMarkdown('see X-1, `X-1`, [X-1](#X-1), Y-1.\n```yaml\nX-1\n```\nX-1', links)).toBe(
      'see [X-1](x-provenance.html#X-1), `X-1`, [X-1](#X-1), Y-1.\n```yaml\nX-1\n```\n[X-1](x-provenance.html#X-1)',
    );
    const site = await loadSite();
    let linked = 0;
    for (const vendor of site) {
      const own = decisionLinks(site, vendor.info.name, false);
      const shown = withDecisionLinks(vendor.spec, own);
      for (const [i, { operation }] of listOperations(vendor.spec).entries()) {
        const after: string | undefined = listOperations(shown)[i]!.operation.description;
        const mentioned = (operation.description ?? '').replace(/`[^`]*`/g, '').match(/\b[A-Z][A-Z0-9]*-\d+\b/g) ?? [];
        for (const id of mentioned.filter((id: string) => own.has(id))) {
          expect(after, `${operation.operationId} ${id}`).toContain(`[${id}](${own.get(id)})`);
          linked++;
        }
      }
      // Example values whose fields are called description are data: the same after as before (an Example Object's own description is prose).
      const examples = (doc: OpenApiDocument) => {
        const found: string[] = [];
        const values = (key: string, value: unknown) =>
          key === 'examples' && value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.values(value).map((e) => (e as { value?: unknown }).value) : value;
        JSON.stringify(doc, (key, value) => (['example', 'examples', 'default', 'enum', 'const'].includes(key) ? (found.push(JSON.stringify(values(key, value))), undefined) : value));
        return found;
      };
      expect(examples(shown), vendor.info.name).toEqual(examples(vendor.spec));
    }
    expect(linked).toBeGreaterThan(20);
    // Added 2026-12-03 (TEST-52): the browser sees only what Redoc renders unfolded (not a 4xx response's text); every
    // description of every shown spec, Example Objects' included, names a decision only as a link (or in code or a heading).
    const entries = new Set(site.flatMap((v) => v.sections.flatMap((section) => section.ids)));
    for (const vendor of site) {
      const unlinked: string[] = [];
      JSON.stringify(shownSpec(vendor.spec, decisionLinks(site, vendor.info.name, false)), (key, value) => {
        if (['example', 'default', 'enum', 'const', 'value'].includes(key)) return undefined;
        if (key === 'description' && typeof value === 'string') {
          const prose = value.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$|`+[^`]*?`+|\[[^\]]*\]\([^)]*\)|^ {0,3}#{1,6} [^\n]*$/gm, '');
          unlinked.push(...(prose.match(/\b[A-Z][A-Z0-9]*-\d+\b/g) ?? []).filter((id) => entries.has(id)));
        }
        return value;
      });
      expect(unlinked, vendor.info.name).toEqual([]);
    }
    expect(await read(vendorFiles('footprints').reference), 'the built page').toContain('[FOOTPRINTS-26](footprints-provenance.html#FOOTPRINTS-26)');
    // Found 2026-12-03 (TEST-53): Redoc shows a description's heading as text, so Placewise's menu and section title read
    // "Servers and the club slug (<a href=…>PLACEWISE-1</a>)". A heading keeps its ids as text; a line below it links them.
    expect(linkDecisionIdsInMarkdown('## Servers (X-1, `Y-1`)\nText X-1.\n```\n# X-1\n```', links)).toBe(
      '## Servers (X-1, `Y-1`)\n\nSee [X-1](x-provenance.html#X-1).\n\nText [X-1](x-provenance.html#X-1).\n```\n# X-1\n```',
    );
    const placewise = JSON.parse((await read(vendorFiles('placewise').reference)).match(/<script id="spec" type="application\/json">([\s\S]*?)<\/script>/)![1]!);
    expect(placewise.info.description).toContain('## Servers and the club slug (PLACEWISE-1)\n\nSee [PLACEWISE-1](placewise-provenance.html#PLACEWISE-1).\n');
    const data = { description: 'X-1', example: { description: 'X-1' }, examples: { a: { value: { description: 'X-1' } } } };
    expect(withDecisionLinks({ openapi: '3.1.0', info: { title: 't', version: '1', description: 'X-1' }, paths: { '/a': { get: data } } }, links)).toEqual({
      openapi: '3.1.0', info: { title: 't', version: '1', description: '[X-1](x-provenance.html#X-1)' }, paths: { '/a': { get: { ...data, description: '[X-1](x-provenance.html#X-1)' } } },
    });
    expect(decisionLinks(site, 'perx', true).get('PERX-1')).toBe('#PERX-1');
    expect(decisionLinks(site, 'perx', true).get('FOOTPRINTS-7')).toBe('footprints-provenance.html#FOOTPRINTS-7');
    expect(decisionLinks(site, 'perx', false).get('PERX-1')).toBe('perx-provenance.html#PERX-1');
    // Found 2026-12-03 (TEST-52): ids of the sections no vendor owns (MOCK-9 in XONVO's and Footprints' examples) linked nowhere.
    expect(decisionLinks(site, 'perx', true).get('MOCK-15')).toBe('decisions-mock.html#MOCK-15');
    expect(decisionLinks(site, 'perx', false).get('CLIENT-1')).toBe('decisions-client.html#CLIENT-1');
    const xonvo = site.find((v) => v.info.name === 'xonvo')!;
    const bulk = listOperations(withDecisionLinks(xonvo.spec, decisionLinks(site, 'xonvo', false))).find((o) => o.path === '/leads/bulk' && o.method === 'post')!.operation;
    const knownAccount = bulk.requestBody.content['application/json'].examples.knownAccount;
    expect(knownAccount.description).toContain('([MOCK-4](decisions-mock.html#MOCK-4), [MOCK-9](decisions-mock.html#MOCK-9))');
  });
});

/**
 * The docs site as its readers meet it: built into a temp dir, served from 127.0.0.1, every page
 * opened in a real (headless) Chromium. A page fails on any request that would leave the machine,
 * on a console error or a page error, on a failed or erroring request, and each reference page
 * must render every operation of its vendor's bundle (one query in the page for all of them).
 * A full-page screenshot goes to <reports dir>/screenshots/ when a page's test fails, or of every
 * page with DOCS_SCREENSHOTS=1.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install chromium`); never downloads one.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vendors } from '../../src/vendors.js';
import { provenancePage } from '../../scripts/docs/provenance-page.js';
import { referencePage } from '../../scripts/docs/reference-page.js';
import { projectSections, webhookProvenance } from '../../scripts/docs/model.js';
import { buildSite, loadSite, vendorFiles } from '../../scripts/docs/site.js';
import { listOperations, type OpenApiDocument } from '../../scripts/lib/openapi.js';
import { reportsDir } from '../../scripts/lib/reports.js';
import { root } from '../../scripts/lib/vendors.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
};

/** Where GitHub Pages serves a project's site: the same files are served here too. */
const SUB_PATH = '/martech-contracts/';

/** A tiny static server for `dir` on a free loopback port, at its root and under SUB_PATH. */
async function serveStatic(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const asked = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const path = asked.startsWith(SUB_PATH) ? asked.slice(SUB_PATH.length - 1) : asked;
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 403 : 405).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** Loopback, data: and blob: stay on the machine; file: only when the site is opened from disk. */
function staysLocal(url: string, allowFile: boolean): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  if (protocol === 'file:') return allowFile;
  return (protocol === 'http:' || protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

interface Problems {
  offsite: string[];
  consoleErrors: string[];
  pageErrors: string[];
  failed: string[];
}

/** Opens `url` in a new page of `context`, recording everything that must not happen. */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; problems: Problems }> {
  const page = await context.newPage();
  const problems: Problems = { offsite: [], consoleErrors: [], pageErrors: [], failed: [] };
  const allowFile = url.startsWith('file:');
  page.on('request', (request) => {
    if (!staysLocal(request.url(), allowFile)) problems.offsite.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('requestfailed', (request) => {
    if (staysLocal(request.url(), allowFile)) problems.failed.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failed.push(`${response.url()}: HTTP ${response.status()}`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  if (response && !response.ok()) problems.failed.push(`${url}: HTTP ${response.status()}`);
  return { page, problems };
}

/** Header links past the right edge of the window (the header scrolls sideways without a scrollbar). */
const offScreenLinks = (page: Page) =>
  page.locator('header.site a').evaluateAll((links) => links.filter((a) => a.getBoundingClientRect().right > window.innerWidth).map((a) => a.textContent));

/** The anchors a vendor's reference page renders for links to aim at: every operation and webhook. */
const referenceAnchors = (name: string) => {
  const spec = specs.get(name)!;
  return [...listOperations(spec).map((o) => o.operation.operationId), ...webhookProvenance(name, spec).map((h) => h.operationId)].map((id) => `operation/${id}`);
};

/**
 * Every link of the page that stays on the site: another page answers 200; an anchor on this page
 * names an element of it, one on another page an id its HTML holds, and one into a reference page
 * an operation or webhook that page renders (the reference tests check they are rendered).
 */
async function expectLinksResolve(page: Page, base = `${origin}/`) {
  const here = page.url().split('#')[0]!;
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  const pages = new Map<string, Promise<string>>();
  const fetchPage = (url: string) => {
    if (!pages.has(url)) pages.set(url, context.request.get(url).then(async (r) => (r.status() === 200 ? r.text() : `HTTP ${r.status()}`)));
    return pages.get(url)!;
  };
  const broken: string[] = [];
  for (const href of new Set(hrefs.filter((h) => h.startsWith(`${origin}/`)))) {
    // Under a sub-path, a link to the host's root leaves the site (another project's pages, or a 404).
    if (!href.startsWith(base)) {
      broken.push(`${href}: outside the site (${base})`);
      continue;
    }
    const [target, hash] = [href.split('#')[0]!, decodeURIComponent(href.split('#')[1] ?? '')];
    if (target === here) {
      if (hash && !(await page.evaluate((id) => document.getElementById(id) !== null, hash))) broken.push(href);
      continue;
    }
    const text = await fetchPage(target);
    if (text.startsWith('HTTP ')) broken.push(`${href}: ${text}`);
    else if (!hash) continue;
    else {
      const reference = vendors.find((v) => target === `${base}${vendorFiles(v.name).reference}`);
      if (reference ? !referenceAnchors(reference.name).includes(hash) : !text.includes(`id="${hash}"`)) broken.push(href);
    }
  }
  expect(broken, 'links that lead nowhere').toEqual([]);
}

/**
 * The page's text outside the elements `skip` selects, node by node: what a reader sees as prose
 * (code, preformatted text and scripts are skipped by every caller).
 */
const textOutside = (page: Page, skip: string) =>
  page.evaluate((selector) => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (!node.parentElement?.closest(selector)) texts.push(node.textContent!);
    return texts;
  }, skip);

/** Text that reads as an HTML tag (`<a href=…>`, `<code>`) outside code and preformatted text: markup a renderer escaped. */
const markupShownAsText = async (page: Page) =>
  (await textOutside(page, 'code, pre, script, style')).filter((text) => /<\/?(a|code|em|strong|p|br)\b[^>]*>/i.test(text)).map((text) => text.trim().slice(0, 120));

/** The id of every entry of docs/decisions.md, of every section (XONVO-1, …, MOCK-9, CLIENT-1, TEST-1, REL-1). */
const decisionEntries = async () => [...(await readFile(join(root, 'docs/decisions.md'), 'utf8')).matchAll(/^### ([A-Z][A-Z0-9]*-\d+):/gm)].map((m) => m[1]!);

/**
 * Decisions the page names as text and not as a link: an entry's id outside a link, code,
 * preformatted text or a dropdown (whose options cannot hold one). Every one the page shows must
 * lead to its decision, which expectLinksResolve then follows. (An id with no entry, such as
 * TEST-25 in TEST-28's text, has nowhere to lead.)
 */
async function unlinkedDecisionIds(page: Page): Promise<string[]> {
  const known = new Set(await decisionEntries());
  // Redoc shows a description's heading as text, in its menu (labels) and as the section's title; the line below it links its decisions (TEST-53).
  const texts = await textOutside(page, 'a, code, pre, script, style, select, option, #redoc :is(h1, h2, h3, h4, h5, h6, label)');
  return texts.flatMap((text) => [...text.matchAll(/\b[A-Z][A-Z0-9]*-\d+\b/g)].map(([id]) => id).filter((id) => known.has(id)));
}


/** The index, and the reference and provenance pages of a vendor with operations, each with what shows it is rendered. */
function samplePages(): [file: string, ready: string][] {
  const withOps = vendors.find((v) => v.operationCount > 0)!;
  const firstOp = listOperations(specs.get(withOps.name)!)[0]!.operation.operationId;
  return [
    ['index.html', 'tr[data-vendor]'],
    [vendorFiles(withOps.name).reference, `[id$="operation/${firstOp}"]`],
    [vendorFiles(withOps.name).provenance, `tr[data-operation="${firstOp}"]`],
    ...projectPages.slice(0, 1).map(({ file }): [string, string] => [file, '.decisions h3[id]']),
  ];
}

function expectClean(problems: Problems) {
  expect(problems.offsite, 'requests that would leave the machine').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
  expect(problems.pageErrors, 'page errors').toEqual([]);
  expect(problems.failed, 'failed requests').toEqual([]);
}

/** The pages of decisions.md's sections that are no vendor's, as the site publishes them. */
const projectPages = projectSections(await loadSite()).map((section) => ({ file: section.page!, ids: section.ids }));

const specs = new Map<string, OpenApiDocument>();
let outDir: string;
let shots: string;
let server: Server | undefined;
let origin: string;
let browser: Browser | undefined;
let context: BrowserContext;
let blocked: string[] = [];

/** Every request that is not local is aborted before it leaves, and remembered. */
async function guard(ctx: BrowserContext, allowFile: boolean) {
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (staysLocal(url, allowFile)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
}

/** Without the system Chromium every test fails (never skips) and says how to install it. */
const missingChromium = existsSync(CHROMIUM)
  ? undefined
  : new Error(`Chromium is not installed at ${CHROMIUM}; this test drives the system browser. Install it with \`apt-get install chromium\` (the test never downloads a browser).`);
function requireChromium() {
  if (missingChromium) throw missingChromium;
}

beforeAll(async () => {
  if (missingChromium) return;
  outDir = await mkdtemp(join(tmpdir(), 'martech-docs-e2e-'));
  shots = join(reportsDir(), 'screenshots');
  const [, served, launched] = await Promise.all([
    buildSite(outDir),
    serveStatic(outDir),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    mkdir(shots, { recursive: true }),
  ]);
  ({ server, origin } = served);
  browser = launched;
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  await guard(context, false);
  for (const vendor of vendors) specs.set(vendor.name, JSON.parse(await readFile(join(outDir, vendorFiles(vendor.name).spec), 'utf8')));
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (outDir) await rm(outDir, { recursive: true, force: true });
  expect(blocked, 'requests aborted because they would have left the machine').toEqual([]);
});

const screenshot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** Runs the checks of one page; screenshots it when they fail (or always, on request), then closes it. */
async function checkPage(page: Page, name: string, checks: () => Promise<void>) {
  try {
    await checks();
    if (process.env.DOCS_SCREENSHOTS === '1') await screenshot(page, name);
  } catch (error) {
    await screenshot(page, name).catch(() => undefined); // the failure matters more than its picture
    throw error;
  } finally {
    await page.close();
  }
}

describe('docs site in Chromium', () => {
  it('index: lists every vendor and every link on it resolves', async () => {
    requireChromium();
    const { page, problems } = await open(context, `${origin}/index.html`);
    await checkPage(page, 'index', async () => {
      for (const vendor of vendors) {
        const row = page.locator(`tr[data-vendor="${vendor.name}"]`);
        await expect(row.locator('.operations').textContent()).resolves.toBe(String(vendor.operationCount));
        if (vendor.operationCount === 0) await expect(row.textContent()).resolves.toContain('operations not yet documented');
      }
      await expect(page.locator('#postman-note').textContent()).resolves.toMatch(/target the local mock by default/);
      // Added 2026-12-03 (TEST-52): the sections no vendor owns have pages, listed here.
      await expect(page.locator('ul.project-decisions a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).resolves.toEqual(
        projectPages.map((p) => p.file),
      );
      await expectLinksResolve(page);
      expectClean(problems);
    });
  });

  it.each(vendors.map((v) => [v.name, v] as const))('%s reference page renders every operation', async (name, vendor) => {
    requireChromium();
    const { page, problems } = await open(context, `${origin}/${vendorFiles(name).reference}`);
    await checkPage(page, `${name}-reference`, async () => {
      await page.locator('.api-content').waitFor({ timeout: 20_000 });
      const operations = listOperations(specs.get(name)!);
      expect(operations).toHaveLength(vendor.operationCount);
      // One query in the page for every operation, polled until all are rendered or time runs out.
      const ids = referenceAnchors(name).map((anchor) => anchor.replace('operation/', ''));
      const missing = () =>
        page.evaluate((wanted) => wanted.filter((id) => !document.querySelector(`[id$="operation/${CSS.escape(id)}"]`)), ids);
      await page
        .waitForFunction((wanted) => wanted.every((id) => document.querySelector(`[id$="operation/${CSS.escape(id)}"]`)), ids, { timeout: 20_000 })
        .catch(() => undefined);
      expect(await missing(), 'operations the page does not render').toEqual([]);
      if (operations.length === 0) {
        await page.getByText(/not documented yet/i).first().waitFor({ state: 'visible', timeout: 10_000 });
      }
      // Found 2026-12-03 (TEST-35): XONVO's `{environment}` server read as the docs site's own address.
      // textContent: the endpoint's address is in a folded panel, which innerText leaves out.
      const here = await page.evaluate(() => ({ folder: new URL('.', location.href).href, text: document.getElementById('redoc')!.textContent! }));
      expect(here.text.includes(here.folder), `an address on the docs site (${here.folder}) shown as the API's`).toBe(false);
      // Found 2026-12-03 (TEST-36): x-mock was one line of minified JSON; it is a sentence and a folded YAML block.
      expect(here.text, 'x-mock as raw JSON').not.toMatch(/\{"(resource|action|examples|malformed|violations)"/);
      await expect(page.locator('details.x-mock pre').count()).resolves.toBe(operations.filter((o) => o.operation['x-mock'] !== undefined).length);
      expect(here.text.split('Mock (npm start): ').length - 1, 'operations saying what the mock does').toBe(operations.length);
      // Found 2026-12-03 (TEST-53): a link in a description's heading read as markup in Redoc's menu and section title.
      await expect(markupShownAsText(page), 'HTML shown as text').resolves.toEqual([]);
      // Added 2026-12-03 (TEST-39): decision ids in descriptions link to their provenance page.
      // Found 2026-12-03 (TEST-52): ids of MOCK- and the other project sections were plain text.
      await expect(unlinkedDecisionIds(page), 'decision ids shown without a link').resolves.toEqual([]);
      await expectLinksResolve(page);
      // Added 2026-12-03: each operation's and webhook's own section shows its source and confidence as the spec gives them.
      const spec = specs.get(name)!;
      const stated = [...operations.map((o) => o.operation), ...webhookProvenance(name, spec).map((h) => ({ operationId: h.operationId, 'x-source': h.source, 'x-confidence': h.confidence }))];
      const shown = await page.evaluate(
        (wanted) =>
          wanted.map((id) => {
            const section = [...document.querySelectorAll(`[id$="operation/${CSS.escape(id)}"]`)].find((e) => e.id.startsWith('tag/')) ?? document.getElementById(`operation/${id}`);
            const value = (label: string) =>
              [...(section?.querySelectorAll('span') ?? [])].find((span) => span.childElementCount === 0 && span.textContent!.trim() === `${label}:`)?.nextElementSibling?.textContent ?? null;
            return { id, source: value('source'), confidence: value('confidence') };
          }),
        stated.map((o) => o.operationId),
      );
      expect(shown).toEqual(stated.map((o) => ({ id: o.operationId, source: o['x-source'], confidence: o['x-confidence'] })));
      await expect(page.locator('header.site a[aria-current="page"]').allTextContents()).resolves.toEqual([name, 'Reference']);
      // Found 2026-12-01: Placewise's long title pushed Provenance, OpenAPI JSON and Postman off a 1280 px window.
      await expect(offScreenLinks(page)).resolves.toEqual([]);
      expectClean(problems);
    });
  });

  it.each(vendors.map((v) => [v.name, v] as const))('%s provenance page lists every operation and decision', async (name) => {
    requireChromium();
    const { page, problems } = await open(context, `${origin}/${vendorFiles(name).provenance}`);
    await checkPage(page, `${name}-provenance`, async () => {
      const operations = listOperations(specs.get(name)!);
      const rows = page.locator('tr[data-operation]');
      await expect(rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.operation))).resolves.toEqual(
        operations.map((o) => o.operation.operationId),
      );
      const badges = await page.locator('tr[data-operation] .badge').allTextContents();
      expect(badges).toEqual(operations.map((o) => o.operation['x-confidence']));
      await expect(page.locator(`.decisions h3[id^="${name.toUpperCase()}-"]`).count()).resolves.toBeGreaterThan(0);
      if (operations.length === 0) await expect(page.locator('.counts').textContent()).resolves.toContain('operations not yet documented');
      await expect(offScreenLinks(page)).resolves.toEqual([]);
      // Found 2026-12-03 (TEST-54): code spans in x-source and x-inferred showed as backticks.
      await expect(textOutside(page, 'code, pre, script, style').then((texts) => texts.filter((t) => t.includes('`'))), 'code spans shown as backticks').resolves.toEqual([]);
      // Added 2026-12-03 (TEST-39): only the index's links were followed; decisions, sources and operation links were not.
      await expect(unlinkedDecisionIds(page), 'decision ids shown without a link').resolves.toEqual([]);
      await expectLinksResolve(page);
      expectClean(problems);
    });
  });

  // Found 2026-12-03 (TEST-52): MOCK-, CLIENT-, TEST- and REL- ids, cited by specs and vendor decisions, linked nowhere.
  it.each(projectPages.map((p) => [p.file, p] as const))('%s shows its section of decisions.md, and every decision id on it links to its decision', async (file, section) => {
    requireChromium();
    const { page, problems } = await open(context, `${origin}/${file}`);
    await checkPage(page, file, async () => {
      await expect(page.locator('.decisions h3[id]').evaluateAll((hs) => hs.map((h) => h.id))).resolves.toEqual(section.ids);
      await expect(unlinkedDecisionIds(page), 'decision ids shown without a link').resolves.toEqual([]);
      await expectLinksResolve(page);
      expectClean(problems);
    });
  });

  it('works from file:// as well (index, a reference page, a provenance page, a decisions page)', async () => {
    requireChromium();
    const local = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    await guard(local, true);
    try {
      const base = pathToFileURL(outDir + sep).href;
      for (const [file, ready] of samplePages()) {
        const { page, problems } = await open(local, base + file);
        await page.locator(ready).first().waitFor({ state: 'attached', timeout: 20_000 });
        // Checked 2026-12-03: Redoc's search (an index built in a blob: worker) finds an operation offline too.
        if (file.endsWith('.html') && (await page.locator('#redoc').count())) {
          const operation = listOperations(specs.get(file.replace('.html', ''))!)[0]!.operation;
          await page.locator('input[placeholder="Search..."]').fill(operation.summary);
          const results = page.locator('[data-role="search:results"] li');
          await results.first().waitFor({ timeout: 10_000 });
          expect((await results.allTextContents()).some((text) => text.includes(operation.summary)), 'search finds the operation offline').toBe(true);
        }
        expectClean(problems);
        await page.close();
      }
    } finally {
      await local.close();
    }
  });

  // Added 2026-12-03 (TEST-39): GitHub Pages serves a project site under /<repo>/; nothing may assume the root.
  it('works under a sub-path, as GitHub Pages serves it (index, a reference page, a provenance page, a decisions page)', async () => {
    requireChromium();
    const base = `${origin}${SUB_PATH}`;
    for (const [file, ready] of samplePages()) {
      const { page, problems } = await open(context, base + file);
      await checkPage(page, `sub-path-${file}`, async () => {
        await page.locator(ready).first().waitFor({ state: 'attached', timeout: 20_000 });
        await expectLinksResolve(page, base);
        expectClean(problems);
      });
    }
  });

  // Found 2026-12-03: Redoc's search reads summaries, descriptions and paths only, so the name the provenance
  // pages, the README and the `operations` type give an operation (perx `listRewards`) found nothing.
  it('finds an operation and a webhook on a reference page by operationId, by path and by summary', async () => {
    requireChromium();
    const vendor = vendors.find((v) => webhookProvenance(v.name, specs.get(v.name)!).length > 0)!;
    const spec = specs.get(vendor.name)!;
    const operation = listOperations(spec).at(-1)!;
    const hook = webhookProvenance(vendor.name, spec)[0]!;
    const { page, problems } = await open(context, `${origin}/${vendorFiles(vendor.name).reference}`);
    await checkPage(page, `${vendor.name}-search`, async () => {
      await page.locator('.api-content').waitFor({ timeout: 20_000 });
      const search = page.locator('input[placeholder="Search..."]');
      const results = page.locator('[data-role="search:results"] li');
      for (const [query, summary] of [
        [operation.operation.operationId, operation.operation.summary],
        [operation.path, operation.operation.summary],
        [hook.operationId, hook.summary],
      ] as const) {
        await search.fill(query);
        await page
          .waitForFunction((wanted) => [...document.querySelectorAll('[data-role="search:results"] li')].some((li) => li.textContent!.includes(wanted)), summary, { timeout: 10_000 })
          .catch(() => undefined);
        expect((await results.allTextContents()).some((text) => text.includes(summary)), `search for ${query} finds "${summary}"`).toBe(true);
      }
      expectClean(problems);
    });
  });

  // Found 2026-12-03: no page had a way past its header for a keyboard reader (ten links before a
  // provenance page's content); an anchor to a heading (the index's "2 webhooks" link to
  // placewise-provenance.html#webhooks) and a link reached by Shift+Tab sat under the fixed header.
  it('a keyboard reader skips the header, and nothing scrolled into view (anchor or focus) hides under it', async () => {
    requireChromium();
    const provenance = vendorFiles(vendors.find((v) => webhookProvenance(v.name, specs.get(v.name)!).length > 0)!.name).provenance;
    for (const [file, ready] of samplePages()) {
      const { page, problems } = await open(context, `${origin}/${file}`);
      await checkPage(page, `keyboard-${file}`, async () => {
        await page.locator(ready).first().waitFor({ state: 'attached', timeout: 20_000 });
        await page.keyboard.press('Tab');
        const skip = await page.evaluate(() => ({ text: document.activeElement!.textContent, top: document.activeElement!.getBoundingClientRect().top }));
        expect(skip.text, 'the first Tab stop').toBe('Skip to content');
        expect(skip.top, 'the skip link is on screen when focused').toBeGreaterThanOrEqual(0);
        await page.keyboard.press('Enter');
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement!.closest('header.site') === null && document.activeElement !== document.body), 'the Tab after skipping is past the header').toBe(true);
        expectClean(problems);
      });
    }
    const headerBottom = (page: Page) => page.evaluate(() => document.querySelector('header.site')!.getBoundingClientRect().bottom);
    for (const anchor of ['webhooks', 'sources', 'decisions']) {
      const { page, problems } = await open(context, `${origin}/${provenance}#${anchor}`);
      await checkPage(page, `anchor-${anchor}`, async () => {
        const top = await page.evaluate((id) => document.getElementById(id)!.getBoundingClientRect().top, anchor);
        expect(top, `#${anchor} below the header`).toBeGreaterThanOrEqual(await headerBottom(page));
        expectClean(problems);
      });
    }
    const { page, problems } = await open(context, `${origin}/${provenance}`);
    await checkPage(page, 'shift-tab', async () => {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const hidden: string[] = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Shift+Tab');
        const focused = await page.evaluate(() => {
          const element = document.activeElement!;
          return element.closest('header.site') ? null : { text: element.textContent!.slice(0, 40), bottom: element.getBoundingClientRect().bottom };
        });
        if (focused && focused.bottom <= (await headerBottom(page))) hidden.push(focused.text);
      }
      expect(hidden, 'focused links under the header').toEqual([]);
      expectClean(problems);
    });
  });

  // Found 2026-12-03: Redoc draws no focus ring on its search box, some of its buttons (Copy, a oneOf's
  // choices) or its sections' own links: a keyboard reader tabbing through a reference page lost their place.
  it('shows where the focus is on every Tab stop of a reference page', async () => {
    requireChromium();
    const name = vendors.find((v) => v.name === 'perx')?.name ?? vendors[0]!.name;
    const { page, problems } = await open(context, `${origin}/${vendorFiles(name).reference}`);
    await checkPage(page, `${name}-focus`, async () => {
      await page.locator('.api-content').waitFor({ timeout: 20_000 });
      const unmarked = new Set<string>();
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const stop = await page.evaluate(() => {
          const element = document.activeElement!;
          const style = getComputedStyle(element);
          const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
          return ring ? null : `${element.tagName.toLowerCase()} ${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}`;
        });
        if (stop) unmarked.add(stop);
      }
      expect([...unmarked], 'Tab stops without a visible focus ring').toEqual([]);
      expectClean(problems);
    });
  });

  // Found 2026-12-03: on a phone (375 px) the index's table and a provenance page's tables made the whole page
  // scroll sideways; at 200% zoom (640 CSS px of a 1280 px window) a vendor page's Reference, Provenance,
  // OpenAPI JSON and Postman tabs sat past the header's right edge.
  it.each([
    ['a phone', { width: 375, height: 740 }],
    ['200% zoom', { width: 640, height: 450 }],
  ] as const)('reads on %s without sideways scrolling, every header link in view at 200% zoom', async (label, viewport) => {
    requireChromium();
    const narrow = await browser!.newContext({ viewport, serviceWorkers: 'block' });
    await guard(narrow, false);
    try {
      for (const [file, ready] of samplePages()) {
        const { page, problems } = await open(narrow, `${origin}/${file}`);
        await checkPage(page, `${label.replace(/\W+/g, '-')}-${file}`, async () => {
          await page.locator(ready).first().waitFor({ state: 'attached', timeout: 20_000 });
          await expect(page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 'page wider than the window').resolves.toBeLessThanOrEqual(0);
          expectClean(problems);
          if (viewport.width < 640) return;
          await expect(offScreenLinks(page)).resolves.toEqual([]);
          // A second row of tabs must fit the header's box, not spill over the page under it.
          const spilled = await page.locator('header.site a').evaluateAll((links) => {
            const bottom = document.querySelector('header.site')!.getBoundingClientRect().bottom;
            return links.filter((a) => a.getBoundingClientRect().bottom > bottom).map((a) => a.textContent);
          });
          expect(spilled, 'header links below the header').toEqual([]);
        });
      }
    } finally {
      await narrow.close();
    }
  });

  // Found 2026-12-03 (TEST-34): Redoc put a description's HTML on the page as it was, so an
  // <img onerror> ran script and a [link](javascript:…) was clickable.
  it('spec text holding HTML, script or javascript: links reaches no page as markup', async () => {
    requireChromium();
    const evil =
      'Evil <script>window.__pwned="script"</script> <img src="x" onerror="window.__pwned=\'img\'"> <svg onload="window.__pwned=\'svg\'"></svg> ' +
      '[md](javascript:window.__pwned=\'md\') <a href="javascript:window.__pwned=\'a\'">a</a> <iframe src="https://evil.example/"></iframe> ![pic](https://evil.example/p.png)';
    const site = await loadSite();
    const vendor = site.find((v) => v.info.operationCount > 0)!;
    const spec = structuredClone(vendor.spec) as OpenApiDocument & { info: { description?: string } };
    const first = listOperations(spec)[0]!.operation as Record<string, unknown>;
    spec.info.description = evil;
    Object.assign(first, {
      description: evil,
      summary: '<img src=y onerror="window.__pwned=\'summary\'">',
      'x-source': `${evil} S1`,
      'x-mock': { resource: '<img src=q onerror="window.__pwned=\'mock\'">`', action: 'read', examples: [{ when: { body: evil }, example: 'x' }] },
    });
    const hostile = { ...vendor, spec };
    await writeFile(join(outDir, 'hostile.html'), referencePage(hostile, site));
    await writeFile(join(outDir, 'hostile-provenance.html'), provenancePage(hostile, site));
    for (const [file, ready] of [['hostile.html', `[id$="operation/${first.operationId}"]`], ['hostile-provenance.html', 'tr[data-operation]']] as const) {
      const { page, problems } = await open(context, `${origin}/${file}`);
      await checkPage(page, file, async () => {
        await page.locator(ready).first().waitFor({ state: 'attached', timeout: 20_000 });
        await page.locator(`text=Evil`).first().waitFor({ timeout: 10_000 });
        expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned), 'script the spec text ran').toBeUndefined();
        const scriptLinks = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!).filter((href) => /^\s*javascript:/i.test(href)));
        expect(scriptLinks, 'javascript: links').toEqual([]);
        expect(await page.locator('main iframe, main script, #redoc iframe, #redoc script').count(), 'frames or scripts from spec text').toBe(0);
        // Whatever reaches the page as markup, the CSP runs no inline event handler (it allows the page's own script by hash only).
        await page.evaluate(() => {
          const probe = Object.assign(document.createElement('img'), { id: 'csp-probe' });
          probe.setAttribute('onerror', "window.__pwned='handler'");
          probe.src = 'no-such-image.png';
          document.body.append(probe);
        });
        await page.waitForFunction(() => (document.getElementById('csp-probe') as HTMLImageElement).complete);
        expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned), 'an inline handler ran').toBeUndefined();
        // Its images stay (src="x" is a 404, a remote one the CSP refuses): console errors are expected here.
        expect(problems.pageErrors, 'page errors').toEqual([]);
      });
    }
    expect(blocked, 'requests that reached the network layer').toEqual([]);
  });
});

/**
 * The static docs site (npm run docs → build/docs/), flat so relative links work everywhere:
 *
 *   index.html                          every vendor, its counts and links to the four artifacts below
 *   <vendor>.html                       Redoc reference (reference-page.ts)
 *   <vendor>-provenance.html            sources, per-operation confidence, decisions (provenance-page.ts)
 *   <vendor>.json                       the bundled spec, as published in generated/
 *   <vendor>.postman_collection.json    Postman v2.1 collection (postman.ts; none without operations)
 *   decisions-<prefix>.html             a section of docs/decisions.md that is no vendor's (decisions-page.ts)
 *   assets/redoc.standalone.js          Redoc, served from the site itself
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { vendors } from '../../src/vendors.js';
import type { OpenApiDocument } from '../lib/openapi.js';
import { root } from '../lib/vendors.js';
import { decisionSections, decisionsFor } from './decisions.js';
import { decisionsPage } from './decisions-page.js';
import { indexPage } from './index-page.js';
import { makeFolders } from './out-dir.js';
import { decisionsFile, plural, vendorFiles } from './layout.js';
import { projectSections, type SiteVendor } from './model.js';
import { postmanCollection } from './postman.js';
import { provenancePage } from './provenance-page.js';
import { offlineRedoc, REDOC_ASSET, referencePage } from './reference-page.js';

export { vendorFiles } from './layout.js';

/** Reads every vendor's bundle and decisions and converts its Postman collection. */
export async function loadSite(): Promise<SiteVendor[]> {
  // A vendor's decisions are on its provenance page; every other section (MOCK-…) on a page of its own.
  const pageOf = (prefix: string) => {
    const vendor = vendors.find((v) => v.name.toUpperCase() === prefix);
    return vendor ? vendorFiles(vendor.name).provenance : decisionsFile(prefix);
  };
  const sections = decisionSections(await readFile(join(root, 'docs/decisions.md'), 'utf8'), pageOf);
  const all = [...sections.values()];
  return Promise.all(
    vendors.map(async (info) => {
      const specText = await readFile(join(root, info.bundle), 'utf8');
      const spec = JSON.parse(specText) as OpenApiDocument;
      return { info, specText, spec, collection: postmanCollection(info, spec, specText), decisions: decisionsFor(sections, info.name), sections: all };
    }),
  );
}

/** Writes the static site into outDir and returns the files written, relative to it. */
export async function buildSite(outDir: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const site = await loadSite();
  makeFolders(join(outDir, 'assets'));
  const written: string[] = [];
  const write = async (file: string, text: string) => {
    await writeFile(join(outDir, file), text);
    written.push(file);
  };

  const redoc = await readFile(createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js'), 'utf8');
  await write(REDOC_ASSET, offlineRedoc(redoc));

  for (const vendor of site) {
    const files = vendorFiles(vendor.info.name);
    await write(files.spec, vendor.specText);
    await write(files.reference, referencePage(vendor, site));
    await write(files.provenance, provenancePage(vendor, site));
    if (vendor.collection) await write(files.postman, `${JSON.stringify(vendor.collection, null, 2)}\n`);
    log(
      `[${vendor.info.name}] reference, provenance (${vendor.decisions.ids.length} decisions)` +
        (vendor.collection ? ', Postman collection' : ', no Postman collection (no operations)') +
        ` — ${plural(vendor.info.operationCount, 'operation')}`,
    );
  }
  const project = projectSections(site);
  for (const section of project) await write(section.page!, decisionsPage(section, site));
  log(`[all] ${project.map((s) => `${s.page} (${s.ids.length} decisions)`).join(', ')}`);
  await write('index.html', indexPage(site));
  log('[all] index.html');
  return written;
}

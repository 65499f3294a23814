import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOperations, type OpenApiDocument } from '../lib/openapi.js';
import { vendors } from '../../src/vendors.js';
import { buildSite } from './site.js';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'martech-docs-'));
  await buildSite(out);
});
afterAll(() => rm(out, { recursive: true, force: true }));

const read = (file: string) => readFile(join(out, file), 'utf8');

describe('docs site', () => {
  it('lists every vendor with its operation count and links', async () => {
    const index = await read('index.html');
    for (const vendor of vendors) {
      const row = index.match(new RegExp(`<tr data-vendor="${vendor.name}">([\\s\\S]*?)</tr>`))?.[1] ?? '';
      expect(row, vendor.name).toContain(`href="${vendor.name}.html"`);
      expect(row).toContain(`href="${vendor.name}.json"`);
      expect(row).toMatch(new RegExp(`class="operations">${vendor.operationCount}\\b`));
    }
  });

  it('embeds each bundled spec, complete, in its reference page and offers it for download', async () => {
    for (const vendor of vendors) {
      const bundled = JSON.parse(await read(`${vendor.name}.json`)) as OpenApiDocument;
      const html = await read(`${vendor.name}.html`);
      const embedded = JSON.parse(html.match(/<script id="spec" type="application\/json">([\s\S]*?)<\/script>/)![1]!);
      expect(embedded).toEqual(bundled);
      expect(listOperations(embedded)).toHaveLength(vendor.operationCount);
    }
  });

  it('loads nothing from other hosts', async () => {
    for (const file of ['index.html', ...vendors.map((v) => `${v.name}.html`)]) {
      const html = (await read(file)).replace(/<script id="spec"[\s\S]*?<\/script>/, '');
      expect(html, file).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
      expect(html, file).not.toMatch(/@import|url\(\s*["']?https?:/i);
    }
    expect((await read('assets/redoc.standalone.js')).length).toBeGreaterThan(100_000);
  });
});

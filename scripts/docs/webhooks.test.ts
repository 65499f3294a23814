import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../lib/openapi.js';
import { webhookProvenance } from './model.js';
import { provenancePage } from './provenance-page.js';
import { referencePage } from './reference-page.js';
import { loadSite } from './site.js';

const site = await loadSite();
const placewise = site.find((v) => v.info.name === 'placewise')!;
const webhooksOf = (spec: OpenApiDocument) => (spec as OpenApiDocument & { webhooks?: Record<string, Record<string, any>> }).webhooks ?? {};

describe('docs: webhooks', () => {
  it('lists every webhook of every vendor with the same provenance checks as operations', () => {
    for (const vendor of site) {
      const hooks = webhookProvenance(vendor.info.name, vendor.spec);
      expect(hooks.map((h) => h.webhook)).toEqual(Object.keys(webhooksOf(vendor.spec)));
    }
    expect(webhookProvenance('placewise', placewise.spec).map((h) => [h.webhook, h.operationId, h.method, h.deprecated])).toEqual([
      ['memberChangesV2', 'receiveMemberChangesV2', 'post', false],
      ['memberChangesV1', 'receiveMemberChangesV1', 'post', true],
    ]);
  });

  it('refuses a webhook without x-source, as for operations', () => {
    const spec = structuredClone(placewise.spec);
    delete webhooksOf(spec).memberChangesV2!.post['x-source'];
    expect(() => webhookProvenance('placewise', spec)).toThrow('placewise receiveMemberChangesV2: x-source is missing');
  });

  it('the provenance page has a Webhooks section: one row per webhook with confidence, linked sources, inferred facts', () => {
    const html = provenancePage(placewise, site);
    expect(html).toContain('<h2 id="webhooks">Webhooks</h2>');
    const rows = [...html.matchAll(/<tr id="webhook-([^"]+)" data-webhook="([^"]+)" data-confidence="([^"]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => r[2])).toEqual(['memberChangesV2', 'memberChangesV1']);
    for (const [, operationId, webhook, confidence, cells] of rows) {
      const post = webhooksOf(placewise.spec)[webhook!]!.post;
      expect(confidence).toBe(post['x-confidence']);
      expect(cells).toContain(`href="placewise.html#operation/${operationId}"`);
      expect(cells).toContain('<a href="#source-S19">S19</a>');
      for (const fact of post['x-inferred']) expect(cells).toContain(fact.replace(/'/g, '&#39;'));
    }
    expect(rows[1]![4]).toContain('deprecated');
    expect(html).toContain('<li><strong>2</strong> webhooks</li>');
  });

  it('no Webhooks section for a vendor without webhooks', () => {
    const other = site.find((v) => Object.keys(webhooksOf(v.spec)).length === 0)!;
    expect(provenancePage(other, site)).not.toContain('id="webhooks"');
  });

  it('the reference page embeds the webhooks for Redoc to render', () => {
    const html = referencePage(placewise, site);
    const embedded = JSON.parse(html.match(/<script id="spec" type="application\/json">([\s\S]*?)<\/script>/)![1]!.replace(/\\u003c/g, '<')) as OpenApiDocument;
    expect(Object.keys(webhooksOf(embedded))).toEqual(['memberChangesV2', 'memberChangesV1']);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../lib/openapi.js';
import { root } from '../lib/vendors.js';
import { generateWebhookValidators, webhookBodies } from './webhook-validators.js';

const bundle = () => JSON.parse(readFileSync(`${root}generated/placewise/openapi.json`, 'utf8')) as OpenApiDocument & { webhooks: Record<string, any> };

describe('webhook validators (build step)', () => {
  it('finds the request body of every webhook', () => {
    expect(webhookBodies(bundle()).map((b) => [b.webhook, b.exportName, b.pointer])).toEqual([
      ['memberChangesV2', 'validateMemberChangesV2', '/webhooks/memberChangesV2/post/requestBody/content/application~1json/schema'],
      ['memberChangesV1', 'validateMemberChangesV1', '/webhooks/memberChangesV1/post/requestBody/content/application~1json/schema'],
    ]);
  });

  it('emits self-contained code (no imports or requires) and the committed file is fresh', () => {
    const { js, dts } = generateWebhookValidators('placewise', bundle());
    expect(js).not.toMatch(/\brequire\(|^import /m);
    expect(js).toBe(readFileSync(`${root}generated/placewise/webhooks.validate.js`, 'utf8'));
    expect(dts).toBe(readFileSync(`${root}generated/placewise/webhooks.validate.d.ts`, 'utf8'));
  });

  it('fails the build on a documented example that breaks its schema, naming example, pointer and rule', () => {
    const doc = bundle();
    doc.webhooks.memberChangesV2.post.requestBody.content['application/json'].examples.update.value.events[0].loyalty_club.id = 'x';
    expect(() => generateWebhookValidators('placewise', doc)).toThrow(
      /webhook memberChangesV2 example "update" \/events\/0\/loyalty_club\/id: must be integer \(rule type/,
    );
  });

  it('refuses to cap errors in code that takes errors back (anyOf), where stopping early would refuse a valid body', () => {
    const doc = bundle();
    const schema = doc.webhooks.memberChangesV2.post.requestBody.content['application/json'].schema;
    doc.webhooks.memberChangesV2.post.requestBody.content['application/json'].schema = { anyOf: [schema, { type: 'string' }] };
    expect(() => generateWebhookValidators('placewise', doc)).toThrow(/take errors back .*cannot stop them early/);
  });

  it('writes nothing for a spec without webhooks', () => {
    const doc = bundle() as OpenApiDocument & { webhooks?: unknown };
    delete doc.webhooks;
    expect(generateWebhookValidators('placewise', doc)).toEqual({ js: null, dts: null });
  });
});

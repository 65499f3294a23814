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

  it('emits a date format that refuses days that do not exist', async () => {
    const doc = bundle();
    // No webhook field is a date yet: one is added beside the event's date-time.
    (doc as any).components.schemas.MemberChangeEvent.properties.event.properties.day = { type: 'string', format: 'date' };
    const { js } = generateWebhookValidators('placewise', doc);
    const { validators } = (await import(`data:text/javascript,${encodeURIComponent(js!)}`)) as { validators: Record<string, (data: unknown) => boolean> };
    const example = doc.webhooks.memberChangesV2.post.requestBody.content['application/json'].examples.update.value;
    const on = (date: string) => validators.memberChangesV2!({ ...example, events: [{ ...example.events[0], event: { ...example.events[0].event, day: date } }] });
    expect(['2024-02-29', '2000-02-29', '2023-02-28', '2024-04-30', '2024-12-31'].filter((d) => !on(d))).toEqual([]);
    expect(['2024-02-30', '2024-04-31', '2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-01-32', '2024-01-00'].filter(on)).toEqual([]);
  });

  it('writes nothing for a spec without webhooks', () => {
    const doc = bundle() as OpenApiDocument & { webhooks?: unknown };
    delete doc.webhooks;
    expect(generateWebhookValidators('placewise', doc)).toEqual({ js: null, dts: null });
  });
});

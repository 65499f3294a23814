/**
 * Each vendor's main journey, walked through its typed client against the running mock:
 * the calls a product team makes in order, with the values one step hands to the next.
 */
import { describe, expect, inject, it } from 'vitest';
import footprintsSpec from '../generated/footprints/openapi.json' with { type: 'json' };
import { createFootprintsClient } from '../src/footprints.js';
import { createPerxClient } from '../src/perx.js';
import { createXonvoClient } from '../src/xonvo.js';

const mockUrls = inject('mockUrls');
const onMock = (process.env.CONTRACT_TARGET ?? 'mock') === 'mock';

describe.runIf(onMock)('journeys against the mocks', () => {
  it('perx: app token → user token → list rewards → issue a voucher → redeem it', async () => {
    const seen: string[] = [];
    const perx = createPerxClient({
      baseUrl: mockUrls.perx!,
      clientId: 'journey-app',
      clientSecret: 'journey-secret',
      fetch: async (request) => (seen.push(`${request.method} ${new URL(request.url).pathname}`), fetch(request)),
    });
    const user = perx.asUser('66666');

    const rewards = await user.GET('/v4/rewards', { params: { query: { page: 1, size: 10 } } });
    expect(rewards.response.status).toBe(200);
    const reward = rewards.data!.data[0]!;

    const issued = await user.POST('/v4/rewards/{reward_id}/issue', { params: { path: { reward_id: reward.id } }, body: {} });
    expect(issued.response.status).toBe(200);
    expect(issued.data!.data.state).toBe('issued');

    const redeemed = await user.POST('/v4/vouchers/{voucher_id}/redeem', { params: { path: { voucher_id: issued.data!.data.id } }, body: {} });
    expect(redeemed.response.status).toBe(200);
    expect(redeemed.data?.data.state).toBe('redeemed');

    // One user-token request served every user call; the token endpoint saw no other request.
    expect(seen).toEqual([
      'POST /v4/oauth/token',
      'GET /v4/rewards',
      'POST /v4/rewards/205/issue',
      'POST /v4/vouchers/1001/redeem',
    ]);
  });

  it('xonvo: create account → add lead → lead statistics', async () => {
    const xonvo = createXonvoClient({ baseUrl: mockUrls.xonvo!, username: 'u', password: 'p' });
    const account = await xonvo.POST('/accounts', { body: { name: 'Acme Account', countryIso3: 'USA', timezone: 'US/Arizona' } });
    expect(account.response.status).toBe(200);
    const accountId = account.data!.id;

    const lead = await xonvo.POST('/lead', {
      body: { firstName: 'John', lastName: 'Smith', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', zip: '98121', jornayaLeadId: 'J-1', externalId: 'EXT-1' },
    });
    expect(lead.response.status).toBe(200);

    const stats = await xonvo.GET('/accounts/{accountId}/leads/{leadExternalId}/statistics', {
      params: { path: { accountId, leadExternalId: 'EXT-1' } },
    });
    expect(stats.response.status).toBe(200);
    expect(typeof stats.data!.deliveredCount).toBe('number');
  });

  it('footprints: token from the token endpoint → add a lead → list leads', async () => {
    const seen: string[] = [];
    const footprints = createFootprintsClient({
      baseUrl: mockUrls.footprints!,
      key: 'journey-key',
      secret: 'journey-secret',
      fetch: async (request) => (seen.push(`${request.method} ${request.url.replace(mockUrls.footprints!, '')}`), fetch(request)),
    });
    const added = await footprints.POST('/api/lead', {
      body: { userFirstName: 'Test', userLastName: 'Test', userEmail: 'test@test.com', userPhone: '0700000000', customDetails: { offerDetails: 'Lorem' } },
    });
    expect(added.response.status).toBe(200);
    const leads = await footprints.GET('/api/lead', { params: { query: { page: 1, pageSize: 10 } } });
    expect(leads.response.status).toBe(200);
    expect(Array.isArray(leads.data)).toBe(true);
    // The mock answers the token call with the spec's example token; every later call carries it.
    const token = footprintsSpec.paths['/api/token'].post.responses['200'].content['application/json'].examples.token.value.access_token;
    expect(seen).toEqual([
      'POST /api/token',
      `POST /api/lead?access_token=${token}`,
      `GET /api/lead?page=1&pageSize=10&access_token=${token}`,
    ]);
  });
});

/**
 * Each vendor's main journey, walked through its typed client against the running mock:
 * the calls a product team makes in order, with the values one step hands to the next.
 */
import { describe, expect, inject, it } from 'vitest';
import { createFootprintsClient } from '../src/footprints.js';
import { createPerxClient } from '../src/perx.js';
import { createXonvoClient } from '../src/xonvo.js';

const mockUrls = inject('mockUrls');
const onMock = (process.env.CONTRACT_TARGET ?? 'mock') === 'mock';

describe.runIf(onMock)('journeys against the mocks', () => {
  it('perx: app token → user token → list rewards → issue a voucher → redeem it', async () => {
    const seen: string[] = [];
    const tokenBodies: string[] = [];
    const perx = createPerxClient({
      baseUrl: mockUrls.perx!,
      clientId: 'journey-app',
      clientSecret: 'journey-secret',
      fetch: async (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        if (new URL(request.url).pathname === '/v4/oauth/token') tokenBodies.push(await request.clone().text());
        return fetch(request);
      },
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
      `POST /v4/vouchers/${issued.data!.data.id}/redeem`,
    ]);
    // The user token is asked for with the user's scope (the mock does not check it; Perx does).
    expect(JSON.parse(tokenBodies[0]!)).toMatchObject({ grant_type: 'client_credentials', client_id: 'journey-app', scope: 'user_account(identifier:66666)' });
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
    const sent: { contentType: string | null; body: string }[] = [];
    let issuedToken: string | undefined;
    const footprints = createFootprintsClient({
      baseUrl: mockUrls.footprints!,
      key: 'journey-key',
      secret: 'journey-secret',
      fetch: async (request) => {
        seen.push(`${request.method} ${request.url.replace(mockUrls.footprints!, '')}`);
        sent.push({ contentType: request.headers.get('content-type'), body: await request.clone().text() });
        const response = await fetch(request);
        if (request.url.includes('/api/token')) issuedToken = (await response.clone().json()).access_token;
        return response;
      },
    });
    const added = await footprints.POST('/api/lead', {
      body: { userFirstName: 'Test', userLastName: 'Test', userEmail: 'test@test.com', userPhone: '0700000000', customDetails: { offerDetails: 'Lorem' } },
    });
    expect(added.response.status).toBe(200);
    const leads = await footprints.GET('/api/lead', { params: { query: { page: 1, pageSize: 10 } } });
    expect(leads.response.status).toBe(200);
    expect(Array.isArray(leads.data)).toBe(true);
    // Every call after the token call carries the token it answered.
    const token = issuedToken;
    expect(token).toBeTruthy();
    expect(seen).toEqual([
      'POST /api/token',
      `POST /api/lead?access_token=${token}`,
      `GET /api/lead?page=1&pageSize=10&access_token=${token}`,
    ]);
    // The lead goes form-encoded with bracketed keys, as Footprints reads it.
    expect(sent[1]!.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(sent[1]!.body))).toEqual({
      userFirstName: 'Test',
      userLastName: 'Test',
      userEmail: 'test@test.com',
      userPhone: '0700000000',
      'customDetails[offerDetails]': 'Lorem',
    });
  });
});

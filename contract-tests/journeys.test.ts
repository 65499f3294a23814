/**
 * Each vendor's main journey, walked through its typed client against the running mock:
 * the calls a product team makes in order, with the values one step hands to the next. Each
 * journey also reads back what an earlier step wrote (a voucher redeemed, an account and a lead
 * created, a lead added), values no example has: they pass only while the mock keeps state.
 */
import { describe, expect, inject, it } from 'vitest';
import { createFootprintsClient } from '../src/footprints.js';
import { createPerxClient } from '../src/perx.js';
import { createXonvoClient } from '../src/xonvo.js';

const mockUrls = inject('mockUrls');
const target = process.env.CONTRACT_TARGET ?? 'mock';
const onMock = target === 'mock';
// Skipped, the title says why: npm test lists a skip with the reason its title carries.
const title = onMock
  ? 'journeys against the mocks'
  : `journeys against the mocks skipped: CONTRACT_TARGET=${target} starts no mock (the sandbox journeys are the Arazzo workflows, npm run test:workflows)`;

describe.runIf(onMock)(title, () => {
  it('perx: app token → user token → list rewards → issue a voucher → redeem it → read it back', async () => {
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

    const voucherId = issued.data!.data.id;
    const redeemed = await user.POST('/v4/vouchers/{voucher_id}/redeem', { params: { path: { voucher_id: voucherId } }, body: {} });
    expect(redeemed.response.status).toBe(200);
    expect(redeemed.data?.data.state).toBe('redeemed');

    // The redemption stuck: the voucher reads back redeemed (its example reads "issued"), and a
    // second redemption is refused by the lifecycle.
    const read = await user.GET('/v4/vouchers/{voucher_id}', { params: { path: { voucher_id: voucherId } } });
    expect(read.data?.data).toMatchObject({ id: voucherId, state: 'redeemed' });
    const again = await user.POST('/v4/vouchers/{voucher_id}/redeem', { params: { path: { voucher_id: voucherId } }, body: {} });
    expect(again.response.status).toBe(400);

    // One user-token request served every user call; the token endpoint saw no other request.
    expect(seen).toEqual([
      'POST /v4/oauth/token',
      'GET /v4/rewards',
      'POST /v4/rewards/205/issue',
      `POST /v4/vouchers/${voucherId}/redeem`,
      `GET /v4/vouchers/${voucherId}`,
      `POST /v4/vouchers/${voucherId}/redeem`,
    ]);
    // The user token is asked for with the user's scope (the mock does not check it; Perx does).
    expect(JSON.parse(tokenBodies[0]!)).toMatchObject({ grant_type: 'client_credentials', client_id: 'journey-app', scope: 'user_account(identifier:66666)' });
  });

  it('xonvo: create account → its statistics → add lead → lead statistics', async () => {
    const xonvo = createXonvoClient({ baseUrl: mockUrls.xonvo!, username: 'u', password: 'p' });
    const account = await xonvo.POST('/accounts', { body: { name: 'Acme Account', countryIso3: 'USA', timezone: 'US/Arizona' } });
    expect(account.response.status).toBe(200);
    const accountId = account.data!.id;

    // A new account starts with nothing counted (the example account has a lead).
    const accountStats = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId } } });
    expect(accountStats.data).toEqual({ engagedCount: 0, leadCount: 0, unsubscribeCount: 0, deliveredCount: 0, ctr: 0 });

    const lead = await xonvo.POST('/lead', {
      body: { firstName: 'John', lastName: 'Smith', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', zip: '98121', jornayaLeadId: 'J-1', externalId: 'JOURNEY-LEAD-1' },
    });
    expect(lead.response.status).toBe(200);

    const stats = await xonvo.GET('/accounts/{accountId}/leads/{leadExternalId}/statistics', {
      params: { path: { accountId, leadExternalId: 'JOURNEY-LEAD-1' } },
    });
    expect(stats.response.status).toBe(200);
    expect(typeof stats.data!.deliveredCount).toBe('number');
    // The statistics are those of the lead just added: a lead never added has none.
    const never = await xonvo.GET('/accounts/{accountId}/leads/{leadExternalId}/statistics', {
      params: { path: { accountId, leadExternalId: 'JOURNEY-NEVER-ADDED' } },
    });
    expect(never.response.status).toBe(404);
  });

  it('footprints: token from the token endpoint → add a lead → list leads, the new one among them', async () => {
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
      body: { userFirstName: 'Journey', userLastName: 'Walker', userEmail: 'journey@example.com', userPhone: '0711111111', customDetails: { offerDetails: 'Lorem' } },
    });
    expect(added.response.status).toBe(200);
    const leads = await footprints.GET('/api/lead', { params: { query: { page: 1, pageSize: 10 } } });
    expect(leads.response.status).toBe(200);
    // The list shows the lead just added, under the id the add answered, with what was sent.
    const listed = leads.data!.find((lead) => lead._id === added.data!._id);
    expect(listed).toMatchObject({ userFirstName: 'Journey', userLastName: 'Walker', userEmail: 'journey@example.com', userPhone: '0711111111' });
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
      userFirstName: 'Journey',
      userLastName: 'Walker',
      userEmail: 'journey@example.com',
      userPhone: '0711111111',
      'customDetails[offerDetails]': 'Lorem',
    });
  });
});

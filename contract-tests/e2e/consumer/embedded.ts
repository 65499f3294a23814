/**
 * A consumer's own test harness: the mock started from code (`martech-contracts/mock`), as a
 * vitest globalSetup or Playwright would, then a stateful story through the typed client.
 */
import { startMocks } from 'martech-contracts/mock';
import { createPerxClient } from 'martech-contracts/perx';

const mocks = await startMocks({ vendors: ['perx'], portBase: 0, gatewayPort: 0 });
try {
  // Through the gateway: one origin for every vendor.
  const perx = createPerxClient({ baseUrl: `${mocks.gatewayUrl}/perx`, clientId: 'id', clientSecret: 'secret' });
  // The mock, as Perx, gives a user token only for a user the tenant has: sign the user up first.
  await perx.POST('/v4/customers/signup', { body: { phone: '+6591234567', identifier: 'consumer-user' } });
  const user = perx.asUser('consumer-user');
  const issued = await user.POST('/v4/rewards/{reward_id}/issue', { params: { path: { reward_id: 205 } }, body: {} });
  const id = issued.data?.data.id;
  const listed = await user.GET('/v4/vouchers', {});
  const remembered = listed.data?.data.some((v) => v.id === id) ?? false;
  mocks.reset();
  const afterReset = (await user.GET('/v4/vouchers', {})).data?.data.some((v) => v.id === id) ?? true;
  console.log(JSON.stringify({ issued: issued.response.status, remembered, afterReset }));
} finally {
  await mocks.stop();
}

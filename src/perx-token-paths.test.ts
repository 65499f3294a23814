/**
 * Each Perx client offers the operations its token can call: checked by `tsc` (the calls are in a
 * function never run; expectTypeOf is a no-op at run time). The app client offered every path, so
 * `perx.GET('/v4/rewards')` compiled and then got Perx's 401 `invalid-token`; a user client
 * offered the POS calls its token cannot make.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { Client } from './client.js';
import { createPerxClient, type paths, type PerxClient, type PerxMerchantUserClient, type PerxUserClient } from './perx.js';

/** `every` is a client typed with every path, as all three were: what it answers is the typing each call must keep. */
async function calls(perx: PerxClient, every: Client<paths>) {
  // @ts-expect-error — a user's rewards need a user token: on the app client they are Perx's 401.
  await perx.GET('/v4/rewards');
  // @ts-expect-error — so does every other user-token operation.
  await perx.GET('/v4/vouchers');
  const signedUp = await perx.POST('/v4/customers/signup', { body: { phone: '+6591234567' } });
  expectTypeOf(signedUp).toEqualTypeOf(await every.POST('/v4/customers/signup', { body: { phone: '+6591234567' } }));
  // @ts-expect-error — an operation the app token can call keeps its body's typing: `phone` is required.
  await perx.POST('/v4/customers/signup', { body: { email: 'ann@example.com' } });
  // The token endpoints ask for no token: every client has them.
  await perx.POST('/v4/oauth/token', { body: { client_id: 'i', client_secret: 's', grant_type: 'client_credentials' } });

  const user = perx.asUser('u');
  const rewards = await user.GET('/v4/rewards', { params: { query: { page: 1 } } });
  expectTypeOf(rewards).toEqualTypeOf(await every.GET('/v4/rewards', { params: { query: { page: 1 } } }));
  // @ts-expect-error — an operation a user token can call keeps its parameters' typing: `page` is a number.
  await user.GET('/v4/rewards', { params: { query: { page: 'one' } } });
  // @ts-expect-error — sign-up is the app token's (it comes before the user has a token).
  await user.POST('/v4/customers/signup', { body: { phone: '+6591234567' } });
  // @ts-expect-error — as are the POS calls.
  await user.POST('/v4/pos/transactions', { body: {} as never });
  await user.POST('/v4/oauth/token', { body: { client_id: 'i', client_secret: 's', grant_type: 'client_credentials' } });

  // No operation of the spec names the merchant-user token: its client keeps every path.
  const merchant = perx.asMerchantUser('m');
  await merchant.GET('/v4/rewards');
  await merchant.POST('/v4/customers/signup', { body: { phone: '+6591234567' } });
}

describe('Perx clients by token', () => {
  it('offer the operations their token can call (checked by tsc)', () => {
    expectTypeOf(calls).parameter(0).toEqualTypeOf<PerxClient>();
    expectTypeOf(createPerxClient({ clientId: 'i', clientSecret: 's' }).asUser).returns.toEqualTypeOf<PerxUserClient>();
    expectTypeOf(createPerxClient({ clientId: 'i', clientSecret: 's' }).asMerchantUser).returns.toEqualTypeOf<PerxMerchantUserClient>();
  });
});

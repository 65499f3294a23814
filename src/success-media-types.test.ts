/**
 * An operation documented to answer only another type than JSON must be called with `parseAs`:
 * checked by `tsc` (the calls are in a function never run; expectTypeOf is a no-op at run time).
 * Imprzd's image call compiled without it, its `data` typed `string`, and every success then
 * failed with a RequestError ("answered with a body that is not JSON").
 */
import { describe, expectTypeOf, it } from 'vitest';
import { createImprzdClient, type ImprzdClient } from './imprzd.js';
import type { XonvoClient } from './xonvo.js';

async function calls(imprzd: ImprzdClient, xonvo: XonvoClient) {
  const path = { fileId: 'f1' };
  // @ts-expect-error — read as JSON, the PNG fails every success.
  await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path } });
  // @ts-expect-error — as it does when 'json' is asked for by name.
  await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path }, parseAs: 'json' });
  const { data } = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path }, parseAs: 'blob' });
  expectTypeOf(data).toEqualTypeOf<Blob | undefined>();
  // A JSON operation is called as before, with or without parseAs.
  await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 } } });
  await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 } }, parseAs: 'text' });
  // One documenting no body at all too (its empty answer is data: undefined).
  await xonvo.PUT('/accounts/{accountId}/pause', { params: { path: { accountId: 21 } } });
}

describe('operations answering another type than JSON', () => {
  it('are called with parseAs (checked by tsc)', () => {
    expectTypeOf(calls).parameter(0).toEqualTypeOf<ImprzdClient>();
    expectTypeOf(createImprzdClient).returns.toEqualTypeOf<ImprzdClient>();
  });
});

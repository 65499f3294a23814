import { describe, expect, it } from 'vitest';
import spec from '../generated/imprzd/openapi.json' with { type: 'json' };
import { createImprzdClient } from './imprzd.js';

describe('imprzd', () => {
  it('documents only the one operation observed in public code, public and at low confidence', () => {
    const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));
    expect(operations.map((op) => [op.operationId, op['x-confidence'], op.security])).toEqual([['getDisplayImage', 'low', []]]);
  });

  it('sends the caller-supplied JWT as a bearer token and types the observed path', async () => {
    let seen = { auth: '', url: '' };
    const imprzd = createImprzdClient({
      token: 'eyJhbGciOi.x.y',
      fetch: async (request) => (
        (seen = { auth: request.headers.get('authorization') ?? '', url: request.url }),
        new Response(new Uint8Array([137, 80, 78, 71]), { headers: { 'content-type': 'image/png' } })
      ),
    });
    const { data } = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', {
      params: { path: { fileId: 'abc' } },
      parseAs: 'arrayBuffer',
    });
    expect(new Uint8Array(data!)).toEqual(new Uint8Array([137, 80, 78, 71]));
    expect(seen).toEqual({ auth: 'Bearer eyJhbGciOi.x.y', url: 'https://www.imprzd.com/BroadcastImpression/api/file/displayImageV2/abc' });
  });

  it('names a missing token', () => {
    expect(() => createImprzdClient({} as never)).toThrow('imprzd: option "token" is required');
  });

  // Copied with its scheme from a header, a token went as `Bearer Bearer eyJ…`, refused with nothing to say why (found 2026-12-02).
  it("refuses a token given with its header's scheme, naming the rule", () => {
    for (const token of ['Bearer eyJhbGciOi.x.y', 'bearer  eyJhbGciOi.x.y']) {
      expect(() => createImprzdClient({ token })).toThrow(`imprzd: option "token" must be the token alone, without 'Bearer ' (the client writes the scheme before it)`);
    }
    expect(() => createImprzdClient({ token: 'BearerlessJwt.x.y' })).not.toThrow();
  });
});

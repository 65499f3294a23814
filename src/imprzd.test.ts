import { describe, expect, it } from 'vitest';
import spec from '../generated/imprzd/openapi.json' with { type: 'json' };
import { createImprzdClient } from './imprzd.js';
import { startMocks } from './mock/index.js';

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

  // Found 2026-12-03: the one known call is public (IMPRZD-7), yet the client demanded a JWT that only the
  // undocumented login call gives, and sent it to the image URL, which needs none (IMPRZD-13).
  it('calls the public image without a token, sending no Authorization, against the mock', async () => {
    const mocks = await startMocks({ vendors: ['imprzd'], portBase: 0 });
    try {
      let sent: string | null = 'not called';
      const imprzd = createImprzdClient({ baseUrl: mocks.urls.imprzd!, fetch: (request) => ((sent = request.headers.get('authorization')), fetch(request)) });
      const { data, response } = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'abc' } }, parseAs: 'blob', });
      expect([response.status, data?.type, sent]).toEqual([200, 'image/png', null]);
    } finally {
      await mocks.stop();
    }
    expect(() => createImprzdClient({ token: undefined })).not.toThrow();
    expect(() => createImprzdClient({ token: '' })).toThrow('imprzd: option "token" must be a non-empty string');
  });

  // Copied with its scheme from a header, a token went as `Bearer Bearer eyJ…`, refused with nothing to say why (found 2026-12-02).
  it("refuses a token given with its header's scheme, naming the rule", () => {
    for (const token of ['Bearer eyJhbGciOi.x.y', 'bearer  eyJhbGciOi.x.y']) {
      expect(() => createImprzdClient({ token })).toThrow(`imprzd: option "token" must be the token alone, without 'Bearer ' (the client writes the scheme before it)`);
    }
    expect(() => createImprzdClient({ token: 'BearerlessJwt.x.y' })).not.toThrow();
  });

  // Found 2026-12-03: only `Bearer ` was refused; another scheme, a blank at the start or inside, or the
  // quotes of a copied JSON string went out (`Bearer Basic dXNlcg==`, `Bearer  eyJ…`) to a 401 that said nothing of why (IMPRZD-10).
  it('refuses a token that is not one as a bearer header carries it (RFC 6750), naming the character and never showing the value', () => {
    const rule = "must be the token alone, as RFC 6750 writes one: letters, digits, '-', '.', '_', '~', '+', '/', then any '='";
    for (const [token, found] of [
      ['Basic dXNlcjpwdw==', 'character 6 is a blank'],
      ['JWT eyJhbGciOi.x.y', 'character 4 is a blank'],
      ['"eyJhbGciOi.x.y"', 'character 1 is a double quote'],
      ['eyJhbGciOi.x,y', "character 13 is ','"],
      ['eyJhbGciOi.x.yé', 'character 15 is U+00E9'],
      ['eyJ==x', "character 6 is 'x' after '='"],
    ]) {
      const error = (() => {
        try {
          createImprzdClient({ token: token! });
        } catch (thrown) {
          return thrown as Error;
        }
      })();
      expect(error?.message).toBe(`imprzd: option "token" ${rule} (${found}; the value is not shown)`);
    }
    expect(() => createImprzdClient({ token: ' eyJhbGciOi.x.y' })).toThrow(`imprzd: option "token" must not start with whitespace: it would be sent after the client's 'Bearer ' (trim it)`);
    // fetch trims a header's end, so a line break read with the token from a file is not sent.
    for (const token of ['eyJhbGciOi.x.y\n', 'a-b_c~d+e/f.g==']) expect(() => createImprzdClient({ token })).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import spec from '../generated/imprzd/openapi.json' with { type: 'json' };
import { createImprzdClient } from './imprzd.js';

describe('imprzd', () => {
  it('documents no operation: none is published, and none is invented', () => {
    expect(spec.paths).toEqual({});
    expect(spec.info.description).toMatch(/operations are not documented yet/i);
  });

  it('sends the caller-supplied JWT as a bearer token', async () => {
    let auth = '';
    const imprzd = createImprzdClient({
      token: 'eyJhbGciOi.x.y',
      fetch: async (request) => ((auth = request.headers.get('authorization') ?? ''), new Response(null, { status: 204 })),
    });
    await imprzd.request('get' as never, '/anything' as never);
    expect(auth).toBe('Bearer eyJhbGciOi.x.y');
  });

  it('names a missing token', () => {
    expect(() => createImprzdClient({} as never)).toThrow('imprzd: option "token" is required');
  });
});

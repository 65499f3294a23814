import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer } from '../contract-tests/support/http-server.js';
import spec from '../generated/xonvo/openapi.json' with { type: 'json' };
import { ConfigError } from './errors.js';
import { createXonvoClient } from './xonvo.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

describe('createXonvoClient', () => {
  it('sends HTTP Basic credentials and returns typed bodies', async () => {
    const server = await recordingServer((_, res) => json(res, 200, { deliveredCount: 2, qualified: true }));
    close = server.close;
    const client = createXonvoClient({ baseUrl: server.url, username: 'api-user', password: 'pä:ss' });
    const { data } = await client.GET('/accounts/{accountId}/leads/{leadExternalId}/statistics', {
      params: { path: { accountId: 18, leadExternalId: 'EXT-1' } },
    });
    expect(data?.deliveredCount).toBe(2);
    expect(server.seen[0]!.url).toBe('/accounts/18/leads/EXT-1/statistics');
    const [scheme, encoded] = server.seen[0]!.headers.authorization!.split(' ');
    expect(scheme).toBe('Basic');
    expect(Buffer.from(encoded!, 'base64').toString('utf8')).toBe('api-user:pä:ss');
  });

  it('defaults the base URL to the spec server', async () => {
    let requested = '';
    const client = createXonvoClient({
      username: 'u',
      password: 'p',
      fetch: async (request) => {
        requested = request.url;
        return new Response(null, { status: 200 });
      },
    });
    await client.PUT('/accounts/{accountId}/pause', { params: { path: { accountId: 7 } } });
    const server = spec.servers[0]!;
    expect(requested).toBe(`${server.variables.environment.default}/accounts/7/pause`);
  });

  it('names the missing or malformed option', () => {
    expect(() => createXonvoClient({ username: 'u' } as never)).toThrow(ConfigError);
    expect(() => createXonvoClient({ username: 'u' } as never)).toThrow('xonvo: option "password" is required');
    expect(() => createXonvoClient({ username: ' ', password: 'p' })).toThrow('option "username" must be a non-empty string');
    expect(() => createXonvoClient({ username: 'u', password: 'p', baseUrl: 'admin.xonvo.com' })).toThrow(
      'option "baseUrl" must be an absolute URL',
    );
  });
});

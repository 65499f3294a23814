/**
 * The clients do not follow redirects (decision CLIENT-11): no vendor documents one, and fetch
 * would carry a credential it does not know is one (Placewise's X-Client-Authorization header, the
 * client secret in a Perx token request's body) to wherever the Location points. Real servers:
 * a "vendor" that redirects to another origin, which records what reaches it.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer, type Seen } from '../contract-tests/support/http-server.js';
import { TokenError } from './errors.js';
import { createFootprintsClient } from './footprints.js';
import { createPerxClient, type paths, type PerxClient } from './perx.js';
import { createPlacewiseClient } from './placewise.js';
import { createXonvoClient } from './xonvo.js';
import type { Client } from './client.js';

/** The app client with every operation typed: these tests send user-token operations through it to stand-ins that take any token. */
type EveryOperation = PerxClient & Client<paths>;

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => void (await Promise.all(servers.splice(0).map((s) => s.close()))));
async function serve(handle: (seen: Seen, res: ServerResponse) => void) {
  const server = await recordingServer(handle);
  servers.push(server);
  return server;
}
/** A server on another origin (localhost, not 127.0.0.1) that answers everything, and the vendor that sends calls there. */
async function redirecting(status: number) {
  const elsewhere = await serve((_, res) => json(res, 200, {}));
  const target = elsewhere.url.replace('127.0.0.1', 'localhost');
  const vendor = await serve((seen, res) => (res.writeHead(status, { Location: `${target}${seen.url}` }), res.end()));
  return { vendor, elsewhere };
}

describe('redirects', () => {
  it("a redirect to another origin does not take Placewise's token there: the call answers with the redirect", async () => {
    const { vendor, elsewhere } = await redirecting(302);
    const client = createPlacewiseClient({ baseUrl: `${vendor.url}/club`, token: 'integration-token', userAgent: 'ua', productName: 'pn' });
    const { response } = await client.GET('/members_groups', {});
    expect(response.status).toBe(302);
    expect(vendor.seen[0]!.headers['x-client-authorization']).toBe('integration-token');
    expect(elsewhere.seen).toHaveLength(0);
  });

  it("a 307 from Perx's token endpoint does not resend the client secret elsewhere: the call fails with a TokenError", async () => {
    const { vendor, elsewhere } = await redirecting(307);
    const client = createPerxClient({ baseUrl: vendor.url, clientId: 'app', clientSecret: 'app-secret' });
    const error = await (client as EveryOperation).GET('/v4/rewards', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ status: 307 });
    expect(vendor.seen[0]!.body).toContain('app-secret');
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('Footprints, whose token rides in the query, does not follow one either when a middleware of its caller runs', async () => {
    const vendor = await serve((seen, res) => {
      if (seen.url.startsWith('/api/token')) return json(res, 200, { access_token: 'fp-token-1', expires_in: 3600 });
      res.writeHead(302, { Location: `${elsewhere.url.replace('127.0.0.1', 'localhost')}/landing` });
      res.end();
    });
    const elsewhere = await serve((_, res) => json(res, 200, {}));
    const client = createFootprintsClient({ baseUrl: vendor.url, key: 'k', secret: 's' });
    client.use({ onRequest: ({ request }) => (request.headers.set('x-trace', '1'), request) });
    const { response } = await client.GET('/api/channels', {});
    expect(response.status).toBe(302);
    expect(elsewhere.seen).toHaveLength(0);
  });

  it("a call whose wrapper passes its own options through (`redirect: o.redirect`, left undefined) does not follow: undefined is not given", async () => {
    const { vendor, elsewhere } = await redirecting(302);
    const client = createPlacewiseClient({ baseUrl: `${vendor.url}/club`, token: 'integration-token', userAgent: 'ua', productName: 'pn' });
    const passed: { redirect?: RequestRedirect; cache?: RequestCache } = {};
    const { response } = await client.GET('/members_groups', { redirect: passed.redirect, cache: passed.cache });
    expect(response.status).toBe(302);
    expect(elsewhere.seen).toHaveLength(0);
  });

  it("a call that asks for redirect: 'follow' follows, as fetch would", async () => {
    const { vendor, elsewhere } = await redirecting(302);
    const client = createXonvoClient({ baseUrl: vendor.url, username: 'u', password: 'p' });
    const { response } = await client.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, redirect: 'follow' });
    expect(response.status).toBe(200);
    expect(elsewhere.seen.map((s) => s.url)).toEqual(['/accounts/1/statistics']);
    // fetch itself drops Authorization on the way to another origin; custom headers it cannot know.
    expect(elsewhere.seen[0]!.headers.authorization).toBeUndefined();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer } from '../contract-tests/support/http-server.js';
import { createPlacewiseClient } from './placewise.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

describe('createPlacewiseClient', () => {
  it('sends the token and the two required headers on every call', async () => {
    const server = await recordingServer((_, res) => json(res, 200, { data: [], pagination_info: {} }));
    close = server.close;
    const placewise = createPlacewiseClient({ baseUrl: `${server.url}/v3/infinity-mall`, token: 'tok', userAgent: 'shop-app', productName: 'default' });
    await placewise.GET('/members_groups', { params: { query: { page_no: 1, per_page: 100 } } });
    const [seen] = server.seen;
    expect(seen!.url).toBe('/v3/infinity-mall/members_groups?page_no=1&per_page=100');
    expect(seen!.headers).toMatchObject({ 'x-client-authorization': 'tok', 'x-user-agent': 'shop-app', 'x-product-name': 'default' });
  });

  it('sends an "any of" property filter as Placewise documents it, with brackets', async () => {
    const server = await recordingServer((_, res) => json(res, 200, { members: [], pagination_info: {} }));
    close = server.close;
    const placewise = createPlacewiseClient({ baseUrl: server.url, token: 'tok', userAgent: 'shop-app', productName: 'default' });
    await placewise.GET('/members', { params: { query: { properties: { gender: ['man', 'woman'], city: 'Oslo' } } } });
    expect(server.seen[0]!.url).toBe('/members?properties[gender][]=man&properties[gender][]=woman&properties[city]=Oslo');
    // A club's property name with a space, given one value: encoded, not refused (it was, for a while, found 2026-12-01).
    await placewise.GET('/members', { params: { query: { properties: { 'first name': 'Ann' } } } });
    expect(server.seen[1]!.url).toBe('/members?properties[first%20name]=Ann');
    // Deeper than that is still refused, naming the field.
    const deeper = await placewise.GET('/members', { params: { query: { properties: { gender: [{ not: 'a string' }] } } } } as never).catch((e: unknown) => e);
    expect(deeper).toMatchObject({ name: 'ConfigError', option: 'params.query.properties' });
    // Inherited properties are sent, as openapi-fetch sent them before bracketQuery wrote these objects (found 2026-12-01).
    await placewise.GET('/members', { params: { query: { properties: Object.create({ gender: 'man' }) } } });
    expect(server.seen[2]!.url).toBe('/members?properties[gender]=man');
    expect(server.seen).toHaveLength(3);
  });

  it.each([
    // Rails decodes the name before splitting its brackets: "Height [cm]" would filter on "Height " holding "cm".
    ['a property name holding brackets', { 'Height [cm]': 172 }, 'has a key the server would read as another field: "Height [cm]" (no [ or ]: the query names an object\'s fields with them)'],
    ['a list holding Infinity', { gender: [1 / 0] }, 'must be a string, number or boolean, or an array or object of them (got an object holding a list holding Infinity)'],
    ['a Date', { born: new Date(0) }, 'must be a string, number or boolean, or an array or object of them (got an object holding a Date: send it as text, e.g. toISOString())'],
  ])('refuses a property filter with %s, naming it, and sends nothing', async (_, properties, rule) => {
    const server = await recordingServer((_, res) => json(res, 200, { members: [], pagination_info: {} }));
    close = server.close;
    const placewise = createPlacewiseClient({ baseUrl: server.url, token: 'tok', userAgent: 'shop-app', productName: 'default' });
    const refused = await placewise.GET('/members', { params: { query: { properties } } } as never).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'ConfigError', option: 'params.query.properties', rule });
    expect(server.seen).toHaveLength(0);
  });

  it("lets one call override a fixed header with its own header parameter", async () => {
    const server = await recordingServer((_, res) => json(res, 200, { data: [], pagination_info: {} }));
    close = server.close;
    const placewise = createPlacewiseClient({ baseUrl: server.url, token: 'tok', userAgent: 'shop-app', productName: 'default' });
    await placewise.GET('/members_groups', { params: { query: {}, header: { 'X-Product-Name': 'kiosk' } } });
    await placewise.GET('/members_groups', { params: { query: {} } });
    expect(server.seen.map((s) => s.headers['x-product-name'])).toEqual(['kiosk', 'default']);
    expect(server.seen.map((s) => s.headers['x-client-authorization'])).toEqual(['tok', 'tok']);
  });

  it('fills the club slug into the spec server when no baseUrl is given', async () => {
    let url = '';
    const placewise = createPlacewiseClient({
      clubSlug: 'my-club',
      token: 't',
      userAgent: 'a',
      productName: 'p',
      fetch: async (request) => ((url = request.url), new Response('{}', { headers: { 'content-type': 'application/json' } })),
    });
    await placewise.GET('/members_groups/types', {});
    expect(url).toBe('https://api.mpc.placewise.com/v3/my-club/members_groups/types');
  });

  it('names what is missing', () => {
    expect(() => createPlacewiseClient({ token: 't', userAgent: 'a', productName: 'p' })).toThrow(
      'placewise: option "clubSlug" is required when baseUrl is not given',
    );
    expect(() => createPlacewiseClient({ clubSlug: 'c', token: 't', userAgent: 'a' } as never)).toThrow('option "productName" is required');
  });
});

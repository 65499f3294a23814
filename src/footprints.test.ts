import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer, type Seen } from '../contract-tests/support/http-server.js';
import spec from '../generated/footprints/openapi.json' with { type: 'json' };
import { ConfigError, TokenError } from './errors.js';
import { createFootprintsClient } from './footprints.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

/** Issues tok-N from /api/token; other calls need the newest token in the access_token query. */
async function footprintsServer(respond?: (seen: Seen) => unknown) {
  let issued = 0;
  const server = await recordingServer((seen, res) => {
    const url = new URL(seen.url, 'http://x');
    if (url.pathname === '/api/token') {
      if (seen.headers.authorization !== `Basic ${Buffer.from('key:secret').toString('base64')}`) return json(res, 401, { error: 'invalid_client' });
      issued += 1;
      return json(res, 200, { access_token: `tok-${issued}`, token_type: 'bearer', expires_in: 31535999 });
    }
    if (url.pathname.startsWith('/api/') && url.searchParams.get('access_token') !== `tok-${issued}`) return json(res, 401, { error: 'invalid_token' });
    return json(res, 200, respond?.(seen) ?? { status: 'success' });
  });
  close = server.close;
  return { server, revoke: () => issued++ };
}

/**
 * The `--data` of two curl samples in the Footprints API docs (the vendor docs capture
 * `004_94a680c7197fa2de.txt` in the workspace seeds, lines 4167 and 177), copied here: tests
 * never read the workspace's notes or seeds.
 */
const DOCS_CURL_DATA: Record<number, string> = {
  4167:
    'appkey=571e64183647a855d0sgf3a3&mid=a5c2dd6ebhsgtdr4ca6142a42910a972fecc71aa32ea88a0c681f77395bc218667&sensors%5B0%5D%5Buuid%5D=2376-34342-1233-23424&sensors%5B0%5D%5Brssi%5D=5&sensors%5B0%5D%5Bdistance%5D=4&sensors%5B0%5D%5BmacAddress%5D=345987345345-23482746-345934587&sensors%5B0%5D%5BtxPower%5D=2&sensors%5B0%5D%5Bname%5D=mimi&sensors%5B0%5D%5Bminor%5D=3.2&sensors%5B0%5D%5Bmajor%5D=4.1&sensors%5B1%5D%5Buuid%5D=2376-34342-1233-23422&sensors%5B1%5D%5Brssi%5D=5&sensors%5B1%5D%5Bdistance%5D=44&sensors%5B1%5D%5BmacAddress%5D=345987345345-23482746-345934587&sensors%5B1%5D%5BtxPower%5D=6&sensors%5B1%5D%5Bname%5D=cici&sensors%5B1%5D%5Bminor%5D=1.1&sensors%5B1%5D%5Bmajor%5D=2.2',
  177: 'userFirstName=Test&userLastName=Test&userEmail=test@test.com&userPhone=0700000000',
};
const docsCurlData = (line: number) => DOCS_CURL_DATA[line]!;

describe('createFootprintsClient', () => {
  it('gets a token with Basic key:secret and a form-encoded grant, then sends it as access_token', async () => {
    const { server } = await footprintsServer();
    const footprints = createFootprintsClient({ baseUrl: server.url, key: 'key', secret: 'secret' });
    await footprints.GET('/api/lead', { params: { query: { page: 1 } } });
    await footprints.GET('/api/channels');
    const [token, leads, channels] = server.seen;
    expect(token!.method).toBe('POST');
    expect(token!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token!.body).toBe('grant_type=client_credentials');
    expect(leads!.url).toBe('/api/lead?page=1&access_token=tok-1');
    expect(channels!.url).toBe('/api/channels?access_token=tok-1');
    expect(server.seen).toHaveLength(3);
  });

  it('sends the password and PIN grants in their own shapes', async () => {
    const { server } = await footprintsServer();
    await createFootprintsClient({ baseUrl: server.url, key: 'key', secret: 'secret', grant: { grant_type: 'password', username: 'ann', password: 'pw' } }).GET('/api/channels');
    await createFootprintsClient({ baseUrl: server.url, key: 'key', secret: 'secret', grant: { grant_type: 'pin', pin: '1234567890' } }).GET('/api/channels');
    const grants = server.seen.filter((s) => s.url === '/api/token').map((s) => s.body);
    expect(grants).toEqual(['grant_type=password&username=ann&password=pw', 'grant_type=pin&pin=1234567890']);
  });

  it('refreshes once on 401, and concurrent calls share the refresh', async () => {
    const { server, revoke } = await footprintsServer();
    const footprints = createFootprintsClient({ baseUrl: server.url, key: 'key', secret: 'secret' });
    await footprints.GET('/api/channels');
    revoke();
    const results = await Promise.all([1, 2, 3].map(() => footprints.GET('/api/channels')));
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(server.seen.filter((s) => s.url === '/api/token')).toHaveLength(2);
  });

  it('encodes nested form bodies exactly as the vendor docs show them', async () => {
    const { server } = await footprintsServer();
    const footprints = createFootprintsClient({ baseUrl: server.url, key: 'key', secret: 'secret' });
    const sensors = spec.paths['/mobileapi/sensors'].put.requestBody.content['application/x-www-form-urlencoded'].examples;
    await footprints.PUT('/mobileapi/sensors', { body: Object.values(sensors)[0]!.value as never });
    await footprints.POST('/api/lead', { body: { userFirstName: 'Test', userLastName: 'Test', userEmail: 'test@test.com', userPhone: '0700000000' } });
    const [sensorCall, , leadCall] = server.seen;
    expect(sensorCall!.body).toBe(docsCurlData(4167)); // the docs' curl sample for PUT /mobileapi/sensors
    expect(sensorCall!.url).toBe('/mobileapi/sensors'); // tracking calls carry the appkey, not a token
    expect(leadCall!.body).toBe(docsCurlData(177).replace('@', '%40')); // curl sends '@' raw; both decode alike
    expect(leadCall!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('uploads documents as multipart with a boundary, and resends a form body after a 401', async () => {
    const { server, revoke } = await footprintsServer();
    const footprints = createFootprintsClient({ baseUrl: server.url, key: 'key', secret: 'secret' });
    const documents = new FormData();
    documents.append('documents', new Blob(['%PDF-1.4 a'], { type: 'application/pdf' }), 'a.pdf');
    const path = { leadId: 'L1', documentType: 'contracts' } as const;
    await footprints.PUT('/api/lead/{leadId}/{documentType}', { params: { path }, body: documents });
    const upload = server.seen.find((s) => s.method === 'PUT')!;
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body).toContain('filename="a.pdf"');
    expect(upload.body).toContain('%PDF-1.4 a');

    revoke();
    await footprints.POST('/api/lead', { body: { userFirstName: 'Ann' } as never });
    const sent = server.seen.filter((s) => s.url.startsWith('/api/lead?'));
    expect(sent.map((s) => [s.url, s.body, s.headers['content-type']])).toEqual([
      ['/api/lead?access_token=tok-1', 'userFirstName=Ann', 'application/x-www-form-urlencoded'],
      ['/api/lead?access_token=tok-3', 'userFirstName=Ann', 'application/x-www-form-urlencoded'],
    ]);
  });

  it("sends a body's values as JSON would (toJSON, boxed primitives), and refuses what a form cannot carry, naming the field, before anything is sent", async () => {
    const { server } = await footprintsServer();
    const footprints = createFootprintsClient({ baseUrl: server.url, key: 'key', secret: 'secret' });
    const externalId = { _id: { bytes: [1, 2] }, toJSON: () => 'L-7' }; // an ObjectId-like value
    await footprints.POST('/api/lead', { body: { userFirstName: new String('Ann'), userExternalId: externalId, customDetails: { visits: new Number(3) } } as never });
    expect(server.seen.at(-1)!.body).toBe('userFirstName=Ann&userExternalId=L-7&customDetails%5Bvisits%5D=3');
    const before = server.seen.length;
    for (const [customDetails, got] of [
      [{ tags: new Set(['vip']) }, 'got a Set: convert it to an object or an array first'],
      [{ contract: new Blob(['%PDF']) }, 'got a Blob: a file goes in a FormData body, sent as multipart'],
    ] as const) {
      const error = await footprints.POST('/api/lead', { body: { userFirstName: 'Ann', customDetails } as never }).catch((e: unknown) => e);
      const option = `body.customDetails[${Object.keys(customDetails)[0]}]`;
      const rule = `must be what a form carries: text, a number, a boolean, a Date, or an object or array of them (${got})`;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ option, rule, message: `footprints: option "${option}" ${rule}` });
    }
    expect(server.seen).toHaveLength(before);
  });

  it('turns refused credentials into a TokenError, and names missing options', async () => {
    const { server } = await footprintsServer();
    const footprints = createFootprintsClient({ baseUrl: server.url, key: 'key', secret: 'wrong' });
    await expect(footprints.GET('/api/channels')).rejects.toBeInstanceOf(TokenError);
    expect(() => createFootprintsClient({ key: 'k' } as never)).toThrow('footprints: option "secret" is required');
  });
});

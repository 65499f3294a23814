/**
 * Recording: real calls through the typed clients land in a HAR file, credentials masked, and
 * `npm run traffic`'s checker reads that file as it reads any browser or proxy recording.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../contract-tests/lib/spec.js';
import { analyse } from '../../scripts/traffic/analyse.js';
import { readHar } from '../../scripts/traffic/har.js';
import { startExampleServer } from '../../scripts/traffic/example-server.js';
import { findVendor } from '../vendors.js';
import { createFootprintsClient } from '../footprints.js';
import { createImprzdClient } from '../imprzd.js';
import { createPerxClient } from '../perx.js';
import { createHarRecorder, type HarEntry } from './har.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const tmp = () => mkdtempSync(join(tmpdir(), 'martech-record-'));
const check = (vendor: string, file: string, server?: string) => analyse(loadSpec(findVendor(vendor)!), readHar(file), { har: file, spec: vendor }, server);

describe('record', () => {
  it('records Perx calls (token requests too) into a HAR the traffic checker reads, with no credential in it', async () => {
    const server = await startExampleServer('perx');
    stops.push(server.close);
    const recorder = createHarRecorder();
    const perx = createPerxClient({ baseUrl: server.url, clientId: 'client-id-7Qx', clientSecret: 'client-secret-9Zt', record: recorder.record });
    await perx.GET('/v4/rewards');
    await perx.asUser('user-66666').GET('/v4/customers/me');
    await perx.GET('/v4/rewards/{reward_id}', { params: { path: { reward_id: 205 } } });

    const file = join(tmp(), 'perx.har');
    await recorder.write(file);
    const text = readFileSync(file, 'utf8');
    for (const secret of ['client-id-7Qx', 'client-secret-9Zt']) expect(text).not.toContain(secret);
    expect(recorder.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`)).toEqual([
      'POST /v4/oauth/token 200',
      'GET /v4/rewards 200',
      'POST /v4/oauth/token 200',
      'GET /v4/customers/me 200',
      'GET /v4/rewards/205 200',
    ]);
    // Issued tokens are credentials too: masked in the token answers and in the calls that carry them.
    const [token, rewards] = recorder.entries as [HarEntry, HarEntry];
    expect(JSON.parse(token.response.content.text).access_token).toBe('[redacted]');
    expect(rewards.request.headers).toContainEqual({ name: 'authorization', value: 'Bearer [redacted]' });

    const report = check('perx', file, server.url);
    expect(report.counts).toMatchObject({ entries: 5, documented: 5, undocumented: 0, noResponse: 0 });
    // The token request as recorded has its credentials masked; everything else matches the spec.
    expect(report.mismatches.filter((m) => m.operationId !== 'createToken')).toEqual([]);
  });

  it('masks Footprints credentials in query strings, form bodies and Basic headers', async () => {
    const server = await startExampleServer('footprints');
    stops.push(server.close);
    const recorder = createHarRecorder();
    const footprints = createFootprintsClient({
      baseUrl: server.url,
      key: 'fp-key-123',
      secret: 'fp-secret-456',
      grant: { grant_type: 'password', username: 'ann', password: 'pw-789xyz' },
      record: recorder.record,
    });
    await footprints.GET('/api/channels');
    const text = JSON.stringify(recorder.har());
    for (const secret of ['fp-key-123', 'fp-secret-456', 'pw-789xyz']) expect(text).not.toContain(secret);
    const [token, channels] = recorder.entries as [HarEntry, HarEntry];
    expect(token.request.headers).toContainEqual({ name: 'authorization', value: 'Basic [redacted]' });
    expect(token.request.postData?.text).toBe('grant_type=password&username=ann&password=[redacted]');
    expect(new URL(channels.request.url).searchParams.get('access_token')).toBe('[redacted]');
    expect(text).not.toMatch(/"access_token":"(?!\[redacted\])/);
  });

  it('records a call that got no answer with status 0, which the checker reports as such', async () => {
    const recorder = createHarRecorder();
    const imprzd = createImprzdClient({ baseUrl: 'http://127.0.0.1:9', token: 'jwt-abc-def', record: recorder.record });
    await expect(imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } } })).rejects.toThrow();
    expect(recorder.entries[0]!.response).toMatchObject({ status: 0, _error: 'fetch failed' });
  });

  it('grows the Imprzd spec: documented calls check out, undocumented ones come back as suggested paths', async () => {
    const server = await startExampleServer('imprzd');
    stops.push(server.close);
    const recorder = createHarRecorder();
    const imprzd = createImprzdClient({ baseUrl: server.url, token: 'eyJhbGciOi.secret.jwt', record: recorder.record });
    await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'L2hvbWUv' } }, parseAs: 'arrayBuffer' });
    // A call the spec does not know yet, as a team would make it from its own integration code.
    await imprzd.request('get' as never, '/BroadcastImpression/api/customers/{id}/segments' as never, { params: { path: { id: 1042 } } } as never);
    const file = join(tmp(), 'imprzd.har');
    await recorder.write(file);
    expect(readFileSync(file, 'utf8')).not.toContain('secret.jwt');

    const report = check('imprzd', file, server.url);
    expect(report.counts).toMatchObject({ entries: 2, documented: 1, undocumented: 1 });
    expect(report.mismatches).toEqual([]);
    expect(report.undocumented).toMatchObject([{ method: 'GET', path: '/BroadcastImpression/api/customers/{customerId}/segments', statuses: [404] }]);
    expect(Object.keys(report.suggestedPaths)).toEqual(['/BroadcastImpression/api/customers/{customerId}/segments']);
  });
});

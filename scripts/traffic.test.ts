import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadSpec } from '../contract-tests/lib/spec.js';
import { MOCK_PROBLEMS } from '../src/mock/exchange.js';
import { startMocks } from '../src/mock/index.js';
import { createHarRecorder } from '../src/record/har.js';
import { writeHarFile } from '../src/record/har-file.js';
import { vendors } from '../src/vendors.js';
import { createImprzdClient } from '../src/imprzd.js';
import { createXonvoClient } from '../src/xonvo.js';
import { decodeForm } from './traffic/body.js';
import { analyse } from './traffic/analyse.js';
import { createChecker, type Mismatch } from './traffic/check.js';
import { readHar, type Exchange } from './traffic/har.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const cli = join(root, 'scripts/traffic.ts');
const fixtures = 'contract-tests/fixtures/traffic';
const scratch = mkdtempSync(join(tmpdir(), 'traffic-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI as users run it: a child process from the repo root, exit code and both streams kept. */
function traffic(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

async function json(...args: string[]) {
  const run = await traffic(...args, '--json');
  return { code: run.code, report: JSON.parse(run.stdout) };
}

/** A HAR file in the scratch folder, from entries of a fixture or written out here. */
function har(name: string, entries: unknown[]): string {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } }));
  return file;
}
const fixtureEntries = (name: string): any[] => JSON.parse(readFileSync(join(root, fixtures, name), 'utf8')).log.entries;

function formEntry(body: string) {
  return {
    request: {
      method: 'PUT',
      url: 'https://app.footprints-ai.com/api/lead/123/nps?access_token=FAKE-TOKEN',
      headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
      postData: { mimeType: 'application/x-www-form-urlencoded', text: body },
    },
    response: {
      status: 200,
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      content: { size: 20, mimeType: 'application/json', text: '{"status":"success"}' },
    },
  };
}

// Each run is mostly tsx start-up CPU time: the unit project runs as many of these tests at once
// as there are cores (its maxConcurrency), queued by vitest before a test's clock starts. A queue of
// this file's own counted the wait for other tests' runs in each test's time, and a test of three
// runs timed out at 30 s on a loaded machine (TEST-80). Left to itself, a test's time is its own runs.
describe.concurrent('npm run traffic', { timeout: 30_000 }, () => {
  it('lists every Imprzd call as undocumented and suggests a path for each', async ({ expect }) => {
    const { code, report } = await json('imprzd', `${fixtures}/imprzd.har`);
    expect(code).toBe(1);
    expect(report.undocumented.map((u: any) => [u.method, u.path, u.entries, u.statuses])).toEqual([
      ['POST', '/api/v1/auth/login', [0], [200]],
      ['GET', '/api/v1/customers/{customerId}/segments', [1, 2], [200]],
      ['POST', '/api/v1/campaigns/{campaignId}/runs', [3], [202]],
    ]);
    expect(report.mismatches).toEqual([]);
    expect(report.skipped).toEqual([
      { entry: 4, url: 'https://fonts.example.net/inter.woff2', reason: 'not under a server of the spec' },
    ]);

    const paths = report.suggestedPaths;
    expect(Object.keys(paths).sort()).toEqual([
      '/api/v1/auth/login',
      '/api/v1/campaigns/{campaignId}/runs',
      '/api/v1/customers/{customerId}/segments',
    ]);
    const login = paths['/api/v1/auth/login'].post;
    expect(login.security).toEqual([]); // sent without credentials
    expect(login.requestBody.content['application/json'].example).toEqual({ email: 'test.user@example.com', password: '<redacted>' });
    expect(login.responses['200'].content['application/json'].example).toEqual({ token: '<redacted>', expiresIn: 3600 });
    const segments = paths['/api/v1/customers/{customerId}/segments'].get;
    expect(segments.security).toBeUndefined(); // sent a bearer token: the global scheme applies
    expect(segments.parameters).toEqual([
      { name: 'customerId', in: 'path', required: true, schema: { type: 'integer' }, example: 1042 },
      { name: 'active', in: 'query', required: false, schema: { type: 'boolean' }, example: true },
    ]);
    expect(paths['/api/v1/campaigns/{campaignId}/runs'].post.parameters).toEqual([
      { name: 'campaignId', in: 'path', required: true, schema: { type: 'string' }, example: '64b7f0c2a1e4d3b2c1a09f8e' },
    ]);
  });

  it('suggests no credential a call sent in its query as an example (it would end up in a committed spec)', async ({ expect }) => {
    const [call] = fixtureEntries('imprzd.har').filter((e) => e.request.url.includes('/segments'));
    const url = new URL(call.request.url);
    // OAuth's `code` and `code_verifier` too, as the recordings mask them (CLIENT-224).
    for (const [name, value] of [['access_token', 'eyJSECRETtoken'], ['password', 'hunter2'], ['api_key', 'K-123456'], ['code', 'SplxlOBeZQQYbYS6WxSbIA'], ['code_verifier', 'dBjftJeZ4CVP-mB92K27uhbU']] as const)
      url.searchParams.set(name, value);
    const file = har('query-secrets.har', [{ ...call, request: { ...call.request, url: url.href } }]);
    const { report } = await json('imprzd', file);
    const parameters = Object.values<any>(report.suggestedPaths)[0].get.parameters as { name: string; example: unknown }[];
    expect(parameters.filter((p) => ['access_token', 'password', 'api_key', 'code', 'code_verifier'].includes(p.name)).map((p) => [p.name, p.example])).toEqual([
      ['access_token', '<redacted>'],
      ['password', '<redacted>'],
      ['api_key', '<redacted>'],
      ['code', '<redacted>'],
      ['code_verifier', '<redacted>'],
    ]);
    expect(JSON.stringify(report)).not.toMatch(/eyJSECRETtoken|hunter2|K-123456|SplxlOBeZQQYbYS6WxSbIA|dBjftJeZ4CVP/);
  });

  it('prints a readable Imprzd report with the suggested YAML', async ({ expect }) => {
    const { code, stdout } = await traffic('imprzd', `${fixtures}/imprzd.har`);
    expect(code).toBe(1);
    expect(stdout).toContain('5 recorded requests: 0 documented, 4 undocumented, 1 outside the servers');
    expect(stdout).toMatch(/GET {2}\/api\/v1\/customers\/\{customerId\}\/segments +200 +log\.entries\[1\], log\.entries\[2\]/);
    expect(stdout).toContain('Suggested paths — adapt into specs/imprzd/openapi.yaml');
    expect(stdout).toContain('  /api/v1/auth/login:\n    post:\n      operationId: postAuthLogin');
    expect(stdout.trimEnd().split('\n').pop()).toBe('Result: 3 undocumented operations, 0 mismatches');
  });

  // The note told the Imprzd worked example to move /api/v1 into the server URL, which would have sent the
  // documented image call to https://www.imprzd.com/api/v1/BroadcastImpression/… (a server URL starts every path).
  it('says to keep a shared prefix in the paths when a documented path is outside it, and to move it only in a spec with none', async ({ expect }) => {
    const { report } = await json('imprzd', `${fixtures}/imprzd.har`);
    expect(report.notes.filter((n: string) => n.startsWith('Every suggested path'))).toEqual([
      'Every suggested path starts with /api/v1, and the documented GET /BroadcastImpression/api/file/displayImageV2/{fileId} does not: keep /api/v1 in the paths (a server URL is the start of every path, documented ones too).',
    ]);
    const spec = loadSpec(vendors.find((v) => v.name === 'imprzd')!);
    const file = join(root, fixtures, 'imprzd.har');
    const empty = analyse({ ...spec, operations: [] }, readHar(file), { har: file, spec: 'imprzd' });
    expect(empty.notes.filter((n) => n.startsWith('Every suggested path'))).toEqual([
      "Every suggested path starts with /api/v1: if that is the API's base path, put it in the server URL instead and drop it from the paths.",
    ]);
  });

  // IMPRZD-7 flips "if recorded traffic shows a 401 without a token"; the report said only "status 401 is not
  // documented", and its notes ask for a 401 on secured calls: a reader added one to a call the spec still calls public.
  it("says when an operation the spec documents as public (security: []) answered 401: its security is what to check", async ({ expect }) => {
    const refused = {
      request: { method: 'GET', url: 'https://www.imprzd.com/BroadcastImpression/api/file/displayImageV2/abc', headers: [] },
      response: { status: 401, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: 26, mimeType: 'application/json', text: '{"message":"Unauthorized"}' } },
    };
    const { code, report } = await json('imprzd', har('imprzd-public-401.har', [refused, refused]));
    expect(code).toBe(1);
    expect(report.mismatches.map((m: any) => [m.operationId, m.status, m.message])).toEqual([['getDisplayImage', 401, 'status 401 is not documented']]);
    expect(report.notes).toContain(
      'GET /BroadcastImpression/api/file/displayImageV2/{fileId} (getDisplayImage) answered 401 (log.entries[0], log.entries[1]), yet the spec documents it as public (security: []): if the vendor wants credentials there, change its security, not only its statuses.',
    );
    const { report: fine } = await json('imprzd', `${fixtures}/imprzd.har`);
    expect(fine.notes.join('\n')).not.toContain('documents it as public');
  });

  it('names each XONVO mismatch by operation and field, and the unknown path', async ({ expect }) => {
    const { code, report } = await json('xonvo', `${fixtures}/xonvo.har`);
    expect(code).toBe(1);
    expect(report.bases).toEqual(['https://sandbox.xonvo.example/api']);
    expect(report.counts).toEqual({ entries: 8, documented: 6, undocumented: 1, outside: 1, noResponse: 0, noRoute: 0 });
    expect(report.mismatches.map((m: any) => [m.operationId, m.in, m.status, m.pointer, m.message, m.entries])).toEqual([
      ['getLeadStatistics', 'response', 200, '/deliveredCount', 'body /deliveredCount must be integer', [2]],
      ['pauseAccount', 'response', 409, null, 'status 409 is not documented', [3]],
      ['createAccount', 'request', 200, '/areaCode', 'body /areaCode must be integer', [4]],
      ['unpauseAccount', 'response', 500, null, 'content type "text/html" is not documented for 500 (application/json)', [5]],
    ]);
    expect(report.undocumented).toEqual([
      {
        method: 'GET',
        path: '/accounts/{accountId}/leads',
        pathDocumented: false,
        entries: [6],
        statuses: [200],
        example: 'https://sandbox.xonvo.example/api/accounts/18/leads?page=2',
      },
    ]);
    // Another host took the `{environment}` variable, but served no documented call: not the API.
    expect(report.skipped.map((s: any) => s.entry)).toEqual([7]);
  });

  it('lists an entry once under a finding it breaks twice (a XONVO lead missing both of its one-of-a-group fields is in none of the shapes of two anyOfs)', async ({ expect }) => {
    const lead = {
      request: {
        method: 'POST',
        url: 'https://sandbox.xonvo.example/api/lead',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        postData: { mimeType: 'application/json', text: '{"firstName":"A"}' },
      },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: 2, mimeType: 'application/json', text: '{}' } },
    };
    const { report } = await json('xonvo', har('lead-two-groups.har', [lead, lead]));
    const groups = report.mismatches.filter((m: any) => m.message.includes('anyOf'));
    expect(groups.length).toBeGreaterThan(0);
    for (const finding of groups) expect(finding.entries).toEqual([0, 1]);
  });

  it('prints the XONVO findings grouped by operation', async ({ expect }) => {
    const { code, stdout } = await traffic('xonvo', `${fixtures}/xonvo.har`);
    expect(code).toBe(1);
    expect(stdout).toContain(
      '  GET /accounts/{accountId}/leads/{leadExternalId}/statistics (getLeadStatistics)\n' +
        '    response 200: body /deliveredCount must be integer  [log.entries[2]]',
    );
    expect(stdout).toContain('  POST /accounts (createAccount)\n    request: body /areaCode must be integer  [log.entries[4]]');
    expect(stdout).toContain('Result: 1 undocumented operation, 4 mismatches');
  });

  it("skips a browser's revalidation of its cache (a 304 to a conditional request), which the vendor documents no answer for", async ({ expect }) => {
    const [call] = fixtureEntries('xonvo.har');
    const revalidated = {
      request: { ...call.request, headers: [...call.request.headers, { name: 'If-None-Match', value: 'W/"abc"' }] },
      response: { status: 304, headers: [], content: { size: 0, mimeType: '', text: '' } },
    };
    const { code, report } = await json('xonvo', har('xonvo-304.har', [call, revalidated]));
    expect(code).toBe(0);
    expect(report.skipped).toEqual([{ entry: 1, url: call.request.url, reason: 'a 304 to a conditional request (a browser revalidating its cache): the answer it stands for is the cached one' }]);
    // Not conditional, a 304 is an answer like any other, and undocumented.
    const unasked = { ...revalidated, request: call.request };
    expect((await json('xonvo', har('xonvo-304-unasked.har', [unasked]))).code).toBe(1);
    // A conditional 304 from a call the spec does not have is still an undocumented call.
    const elsewhere = { ...revalidated, request: { ...revalidated.request, url: call.request.url.replace('/statistics', '/not-in-the-spec') } };
    const other = await json('xonvo', har('xonvo-304-elsewhere.har', [call, elsewhere]));
    expect(other.code).toBe(1);
    expect(other.report.undocumented).toHaveLength(1);
  });

  it('exits 0 when every recorded call matches', async ({ expect }) => {
    const file = har('xonvo-clean.har', fixtureEntries('xonvo.har').slice(0, 2));
    const { code, stdout } = await traffic('xonvo', file);
    expect(code).toBe(0);
    expect(stdout).toContain('Result: every checked request matches the spec');
  });

  it("says in its notes what the HAR's log.comment says (entries the recorder dropped, which were not checked), and names it when nothing is left", async ({ expect }) => {
    const [first, second] = fixtureEntries('xonvo.har');
    const recorder = createHarRecorder({ maxKeptBytes: 100_000 });
    // Larger than the limit on its own: dropped, the two after it kept.
    recorder.record({ ...first, response: { ...first.response, content: { ...first.response.content, text: ' '.repeat(200_000) } } });
    recorder.record(first);
    recorder.record(second);
    const file = join(scratch, 'xonvo-dropped.har');
    await recorder.write(file);
    const { code, report } = await json('xonvo', file);
    expect(code).toBe(0);
    expect(report.notes[0]).toBe(`The HAR's log.comment says: "1 older entry was dropped: the recorder keeps the newest up to 100000 bytes (maxKeptBytes)". Only the entries it holds were checked.`);
    // Less than any entry takes: none is kept.
    const nothing = createHarRecorder({ maxKeptBytes: 100 });
    nothing.record(first);
    const empty = join(scratch, 'xonvo-none-kept.har');
    await nothing.write(empty);
    const run = await traffic('xonvo', empty);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('records no requests (log.entries is empty), and its log.comment says: "1 older entry was dropped: the recorder keeps the newest up to 100 bytes (maxKeptBytes)"');
  });

  it("skips a browser's CORS preflights, reads a file that starts with a byte order mark, and takes --server with its default port written out", async ({ expect }) => {
    const [call] = fixtureEntries('xonvo.har');
    const preflight = {
      request: { method: 'OPTIONS', url: call.request.url, headers: [{ name: 'Access-Control-Request-Method', value: 'GET' }, { name: 'Origin', value: 'https://shop.example' }] },
      response: { status: 204, headers: [], content: { size: 0, mimeType: '', text: '' } },
    };
    const file = har('xonvo-preflight.har', [preflight, call]);
    writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}`);
    const { code, report } = await json('xonvo', file);
    expect(code).toBe(0);
    expect(report.counts).toMatchObject({ entries: 2, documented: 1, undocumented: 0 });
    expect(report.skipped).toEqual([{ entry: 0, url: call.request.url, reason: "a browser's CORS preflight (OPTIONS with Access-Control-Request-Method), not a call of the API" }]);
    const origin = new URL(call.request.url).origin;
    const port = origin.startsWith('https:') ? ':443' : ':80';
    expect((await traffic('xonvo', file, '--server', `${origin}${port}${new URL(call.request.url).pathname.split('/').slice(0, -3).join('/')}`)).code).toBe(0);
  });

  it("suggests no operation from the mock's own answers to a route it does not serve (its 404 and 405 problem documents)", async ({ expect }) => {
    const mocks = await startMocks({ vendors: ['xonvo'], portBase: 0 });
    const recorder = createHarRecorder();
    try {
      const client = createXonvoClient({ baseUrl: mocks.urls.xonvo!, username: 'u', password: 'p', record: recorder.record }) as any;
      const statistics = { params: { path: { accountId: 21, leadExternalId: 'EXT-32342-TR' } } };
      expect((await client.GET('/accounts/{accountId}/leads/{leadExternalId}/statistics', statistics)).response.status).toBe(200);
      expect((await client.GET('/accounts/21/leads')).response.status).toBe(404);
      expect((await client.POST('/accounts/{accountId}/leads/{leadExternalId}/statistics', statistics)).response.status).toBe(405);
    } finally {
      await mocks.stop();
    }
    // The vendor answering the call the mock does not serve: an operation, judged by that answer alone.
    const [, unserved] = recorder.entries as any[];
    const vendor = { ...unserved, response: { ...unserved.response, status: 200, content: { size: 2, mimeType: 'application/json', text: '[]' } } };
    const file = har('xonvo-mock.har', [...recorder.entries, vendor]);
    const { code, report } = await json('xonvo', file, '--server', mocks.urls.xonvo!);
    expect(code).toBe(1);
    expect(report.undocumented.map((u: any) => [u.method, u.path, u.entries, u.statuses])).toEqual([['GET', '/accounts/{accountId}/leads', [3], [200]]]);
    expect(Object.keys(report.suggestedPaths['/accounts/{accountId}/leads'].get.responses)).toEqual(['200']);
    expect(report.counts).toMatchObject({ entries: 4, documented: 1, undocumented: 1, outside: 0, noRoute: 2 });
    const mine = "the mock's own answer to a route it does not serve (its problem document), not the vendor's";
    expect(report.skipped.map((s: any) => [s.entry, s.reason])).toEqual([[1, mine], [2, mine]]);
  });

  // Imprzd's fileId is base64, whose alphabet holds `/`: the client sends it as %2F, the mock serves the call,
  // and the checker read the decoded `/` as a second segment, suggesting `/…/displayImageV2/a%2Fb` as an operation.
  it('judges a path parameter holding an encoded slash as the documented call it is, as the mock routes it', async ({ expect }) => {
    const mocks = await startMocks({ vendors: ['imprzd'], portBase: 0 });
    const recorder = createHarRecorder();
    try {
      const client = createImprzdClient({ token: 'jwt', baseUrl: mocks.urls.imprzd!, record: recorder.record });
      // base64 of a server path, as the one id seen in public code was, with `/` and `+` in it.
      for (const fileId of ['L2hvbWUvZWZz/2F0YS8x+A==', 'abc']) {
        const { response } = await client.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId } }, parseAs: 'blob' });
        expect(response.status).toBe(200);
      }
    } finally {
      await mocks.stop();
    }
    expect((recorder.entries as any[])[0].request.url).toContain('/L2hvbWUvZWZz%2F2F0YS8x%2BA%3D%3D');
    const { code, report } = await json('imprzd', har('imprzd-slash.har', recorder.entries as unknown[]), '--server', mocks.urls.imprzd!);
    expect(report.undocumented).toEqual([]);
    expect(report.counts).toMatchObject({ entries: 2, documented: 2, undocumented: 0 });
    expect(code).toBe(0);
  });

  // Imprzd's ids are base64 of a server path (`…cGF0aC5wbmc=`, `/` sent as %2F): no id pattern took them, so each
  // recorded id was an operation of its own, suggested with the id as a literal segment.
  it('reads a base64 id (padding, + and an encoded /) as a path parameter, one operation for every id', async ({ expect }) => {
    const image = (id: string) => ({
      request: { method: 'GET', url: `https://www.imprzd.com/BroadcastImpression/api/file/displayImage/${id}`, headers: [] },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'image/png' }], content: { size: 8, mimeType: 'image/png', text: 'iVBORw0KGgo=', encoding: 'base64' } },
    });
    const ids = ['L2hvbWUvZWZzZGF0YS8xX3NlcnZlci9wb3N0SW1hZ2UvMjAyNC81LzYvZXhhbXBsZS5wbmc=', 'L2hvbWUvZWZz%2F2F0YS8y%2BA%3D%3D', 'L2hvbWUvZWZzZGF0YS8zX3NlcnZlci9w'];
    const { report } = await json('imprzd', har('imprzd-base64-ids.har', ids.map(image)));
    expect(report.undocumented.map((u: any) => [u.path, u.entries])).toEqual([['/BroadcastImpression/api/file/displayImage/{displayImageId}', [0, 1, 2]]]);
  });

  it("still suggests a path the vendor answered only 404: a real route may find nothing for the id sent", async ({ expect }) => {
    const [call] = fixtureEntries('xonvo.har');
    const answered = { request: { ...call.request, url: 'https://sandbox.xonvo.example/api/accounts/18/archive' }, response: { status: 404, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: 21, mimeType: 'application/json', text: '{"error":"not found"}' } } };
    const { report } = await json('xonvo', har('xonvo-vendor-404.har', [call, answered]));
    expect(report.undocumented.map((u: any) => [u.method, u.path, u.statuses])).toEqual([['GET', '/accounts/{accountId}/archive', [404]]]);
    expect(report.counts).toMatchObject({ undocumented: 1, noRoute: 0 });
  });

  it("exits 2 saying so when every call the servers answered was the mock's refusal of a route: a wrong base path, not a pass", async ({ expect }) => {
    const [call] = fixtureEntries('xonvo.har');
    const archive = { ...call.request, url: 'https://sandbox.xonvo.example/api/accounts/18/archive' };
    const text = JSON.stringify({ type: `${MOCK_PROBLEMS}not-found`, title: 'Not found', status: 404 });
    const refused = { status: 404, headers: [{ name: 'Content-Type', value: 'application/problem+json' }], content: { size: text.length, mimeType: 'application/problem+json', text } };
    const { code, stderr } = await traffic('xonvo', har('xonvo-all-unrouted.har', [{ request: archive, response: refused }]));
    expect(code).toBe(2);
    expect(stderr).toContain("was the mock's own answer to a route it does not serve; if the API was called at another base path, pass --server <base URL>");
  });

  it("leaves out the app's own files on the API's host, outside the base path its documented calls used", async ({ expect }) => {
    const [call] = fixtureEntries('xonvo.har');
    const origin = new URL(call.request.url).origin;
    const page = {
      request: { method: 'GET', url: `${origin}/static/app.js`, headers: [] },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'text/javascript' }], content: { size: 2, mimeType: 'text/javascript', text: '{}' } },
    };
    const { code, report } = await json('xonvo', har('xonvo-same-origin.har', [call, page]));
    expect(code).toBe(0);
    expect(report.counts).toMatchObject({ documented: 1, undocumented: 0 });
    expect(report.skipped).toEqual([{ entry: 1, url: `${origin}/static/app.js`, reason: `not under ${origin}/api, where the documented calls on this host went` }]);
  });

  it('reads numbered form brackets as a list, or as the keys of an object where the schema says so', async ({ expect }) => {
    const sensors = {
      request: {
        method: 'PUT',
        url: 'https://app.footprints-ai.com/mobileapi/sensors',
        headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
        postData: { mimeType: 'application/x-www-form-urlencoded', text: 'appkey=k1&mid=m1&sensors[0][uuid]=u-1&sensors[0][rssi]=-60&sensors[1][uuid]=u-2' },
      },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: 2, mimeType: 'application/json', text: '{}' } },
    };
    const { report } = await json('footprints', har('footprints-sensors.har', [sensors]));
    expect(report.counts).toMatchObject({ documented: 1 });
    expect(report.mismatches.filter((m: any) => m.in === 'request')).toEqual([]);
  });

  it('reads a form body recorded as params, leaving out entries that are not a name and value', async ({ expect }) => {
    const entry = formEntry('');
    const asParams = { ...entry, request: { ...entry.request, postData: { mimeType: 'application/x-www-form-urlencoded', params: [null, 7, { name: 'nps', value: '9' }] } } };
    const run = await traffic('footprints', har('footprints-params.har', [asParams]));
    expect(run.stderr).not.toContain('TypeError');
    expect(run.code).toBe(0);
  });

  it('reads form-encoded request bodies, with the schema types applied to the strings', async ({ expect }) => {
    const file = har('footprints-form.har', [formEntry('nps=42&comment=fine'), formEntry('nps=7')]);
    const { code, report } = await json('footprints', file);
    expect(code).toBe(1);
    expect(report.mismatches.map((m: any) => [m.operationId, m.in, m.pointer, m.message, m.entries])).toEqual([
      ['updateLeadNps', 'request', '/nps', 'body /nps must be at most 10', [0]],
    ]);
  });

  it('decodes bracketed form keys into nested values', () => {
    expect(decodeForm('a=1&customDetails%5Bsize%5D=M&marketingChannels[0][channel]=email&marketingChannels[0][optIn]=1&tags[]=x&tags[]=y&n[1]=b&n[0]=a')).toEqual({
      kind: 'form',
      value: {
        a: '1',
        customDetails: { size: 'M' },
        marketingChannels: [{ channel: 'email', optIn: '1' }],
        tags: ['x', 'y'],
        n: ['a', 'b'],
      },
    });
  });

  // Found 2026-12-01: read as two shapes, where PHP, qs and the decoder before read one list.
  it.for<[string, unknown]>([
    ['tags[]=a&tags[1]=b', ['a', 'b']],
    ['tags[0]=a&tags[]=b', ['a', 'b']],
    ['tags[]=a&tags[1][b]=1', ['a', { b: '1' }]],
  ])('reads %s, which mixes [] and indices, as one list', ([body, tags]) => {
    expect(decodeForm(body)).toEqual({ kind: 'form', value: { tags } });
  });

  it.for<[string, string]>([
    ['customDetails=x&customDetails[color]=red', 'form field customDetails is sent both as a value and with keys (customDetails[color])'],
    ['customDetails[color]=red&customDetails=x', 'form field customDetails is sent both as a value and with keys'],
    ['a[]=1&a[x][y]=2', 'form field a is sent both as a list (a[]) and with keys (a[x])'],
    ['a[x]=1&a[]=2', 'form field a is sent both with keys and as a list (a[])'],
  ])('reads a form field given two shapes (%s) as a problem naming the field, not a crash (CLIENT-70)', ([body, message]) => {
    expect(decodeForm(body)).toEqual({ kind: 'invalid', message });
  });

  it('reports a form field given two shapes as a request mismatch, with no stack trace (CLIENT-70)', async ({ expect }) => {
    const lead = (body: string, answer: string) => ({
      request: { method: 'POST', url: 'https://api.footprints.example/api/lead', headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], postData: { mimeType: 'application/x-www-form-urlencoded', text: body } },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: answer.length, mimeType: 'application/json', text: answer } },
    });
    const file = har('footprints-form-shapes.har', [lead('firstName=a&customDetails=x&customDetails[color]=red', '{"_id":"6h7adfb9f58363518b370051"}')]);
    const { code, stdout, stderr } = await traffic('footprints', file, '--server', 'https://api.footprints.example');
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain('request: form field customDetails is sent both as a value and with keys (customDetails[color])  [log.entries[0]]');
  });

  it("reads a form field named __proto__ as data: it writes onto no prototype, and a later entry's findings are all still there (CLIENT-70)", async ({ expect }) => {
    const lead = (body: string, answer: string) => ({
      request: { method: 'POST', url: 'https://api.footprints.example/api/lead', headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], postData: { mimeType: 'application/x-www-form-urlencoded', text: body } },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: answer.length, mimeType: 'application/json', text: answer } },
    });
    const file = har('footprints-proto.har', [lead('email=a%40b.c&__proto__[_id]=x&constructor[prototype][_id]=y', '{"_id":"6h7adfb9f58363518b370051"}'), lead('email=a%40b.c', '{}')]);
    const { code, report } = await json('footprints', file, '--server', 'https://api.footprints.example');
    expect(code).toBe(1);
    expect(report.mismatches.map((m: any) => [m.in, m.message, m.entries])).toEqual([['response', 'body /_id is required but missing', [1]]]);
  });

  it('reports a body nested too deep to check as a finding, documented or not, where it crashed (CLIENT-71)', async ({ expect }) => {
    let chain = 'null';
    for (let i = 0; i < 3000; i++) chain = `{"id":${i},"title":"t","parent":${chain}}`;
    const get = (path: string, text: string) => ({
      request: { method: 'GET', url: `https://api.perx.example${path}`, headers: [] },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: text.length, mimeType: 'application/json', text } },
    });
    const file = har('perx-deep.har', [get('/v4/categories', `{"data":[${chain}]}`), get('/v4/unknown-thing', `{"data":${'['.repeat(20_000)}${']'.repeat(20_000)}}`)]);
    const { code, stdout, stderr } = await traffic('perx', file, '--server', 'https://api.perx.example', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.mismatches.map((m: any) => [m.operationId, m.in, m.message])).toEqual([['listCategories', 'response', 'body nested too deep to check: 3002 levels (the checker reads at most 256)']]);
    expect(report.suggestedPaths['/v4/unknown-thing'].get.responses['200']).toEqual({ description: 'TODO', content: { 'application/json': { schema: { type: 'object' } } } });
  });

  it('judges the status and type of an answer the client let go, not its unrecorded body, and says so once per entry (CLIENT-72)', async ({ expect }) => {
    const categories = (status: number, text: string, extra: object = {}) => ({
      request: { method: 'GET', url: 'https://api.perx.example/v4/categories', headers: [] },
      response: { status, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: 0, mimeType: 'application/json', text }, ...extra },
    });
    const file = har('perx-let-go.har', [
      categories(401, '', { _error: 'the client let this answer go before its body was in' }),
      categories(200, '{"data":[],"meta":{"count":0}}'),
      // Cut off: what came of its body is no body to judge either.
      categories(200, '{"data":[', { _error: 'terminated' }),
      categories(418, '', { _error: 'terminated' }),
    ]);
    const { code, report } = await json('perx', file, '--server', 'https://api.perx.example');
    expect(code).toBe(1);
    expect(report.mismatches.map((m: any) => [m.status, m.message, m.entries])).toEqual([[418, 'status 418 is not documented', [3]]]);
    expect(report.notes).toEqual([
      'log.entries[0] holds no whole response body (the client let this answer go before its body was in): its status and content type were checked, its body was not.',
      'log.entries[2] holds no whole response body (terminated): its status and content type were checked, its body was not.',
      'log.entries[3] holds no whole response body (terminated): its status and content type were checked, its body was not.',
    ]);
  });

  it("judges neither body of an exchange whose bodies were over the recorder's limit (only their sizes recorded): not drift, not a pass, said per entry", async ({ expect }) => {
    const why = (size: number) => `the body, ${size} bytes, is over the recording's limit of 1024 bytes (maxBodyBytes): only its size is recorded`;
    const file = har('footprints-over-limit.har', [
      {
        request: { method: 'POST', url: 'https://api.footprints.example/api/lead', bodySize: 5000, headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], postData: { mimeType: 'application/x-www-form-urlencoded', text: '', _notRecorded: why(5000) } },
        response: { status: 200, bodySize: 9000, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: 9000, mimeType: 'application/json', text: '', _notRecorded: why(9000) } },
      },
    ]);
    const { code, report } = await json('footprints', file, '--server', 'https://api.footprints.example');
    expect(report.mismatches).toEqual([]);
    expect(code).toBe(0);
    expect(report.notes).toEqual([
      `log.entries[0] holds no whole response body (${why(9000)}): its status and content type were checked, its body was not.`,
      `log.entries[0] holds no whole request body (${why(5000)}): its content type was checked, its body was not.`,
    ]);
  });

  it("judges the status and type of an answer recorded in a coding the recorder could not decode, not its bytes, and says so", async ({ expect }) => {
    const zstd = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x10, 0x81, 0xff]).toString('base64');
    const file = har('perx-zstd.har', [
      {
        request: { method: 'GET', url: 'https://api.perx.example/v4/categories', headers: [] },
        response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }, { name: 'Content-Encoding', value: 'zstd' }], content: { size: 8, mimeType: 'application/json', text: zstd, encoding: 'base64' } },
      },
    ]);
    const { code, report } = await json('perx', file, '--server', 'https://api.perx.example');
    expect(report.mismatches).toEqual([]);
    expect(code).toBe(0);
    expect(report.notes).toEqual(['log.entries[0] holds no whole response body (it is recorded in the coding it came in, zstd, which the recorder could not decode): its status and content type were checked, its body was not.']);
  });

  it.for<[string, object, string]>([
    ['a response mimeType that is a number', { content: { size: 2, mimeType: 7, text: '{}' } }, 'log.entries[0].response.content.mimeType must be a string (got number)'],
    ['a request mimeType that is a number', { postData: { mimeType: 5, text: 'a=1' } }, 'log.entries[0].request.postData.mimeType must be a string (got number)'],
  ])('exits 2 naming the field for a HAR with %s, not 3 as a bug of its own', async ([, change, message], { expect }) => {
    const entry = { request: { method: 'POST', url: 'https://api.perx.example/v4/categories', headers: [] as unknown[] }, response: { status: 200, headers: [] as unknown[], content: { size: 2, mimeType: 'application/json', text: '{}' } } };
    const broken = 'postData' in change ? { ...entry, request: { ...entry.request, ...change } } : { ...entry, response: { ...entry.response, ...change } };
    const { code, stderr } = await traffic('perx', har(`malformed-${'postData' in change ? 'request' : 'response'}.har`, [broken]), '--server', 'https://api.perx.example');
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('exits 3 with one line, not a stack trace, when the checker itself fails: 1 means findings only (CLIENT-70)', async ({ expect }) => {
    // A fault injected where the report is written: no recording is known to make the checker fail any more.
    const fault = `data:text/javascript,${encodeURIComponent('const s = JSON.stringify; JSON.stringify = function (v, ...a) { if (v && v.mismatches) throw new Error("injected fault"); return s.call(this, v, ...a); };')}`;
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', '--import', fault, cli, 'xonvo', `${fixtures}/xonvo.har`, '--json'], { cwd: root }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^traffic: the checker failed, so the recording was not judged \(a bug; please report it with the HAR file\): injected fault \(at .*\)\n$/);
  });

  describe.concurrent('usage errors exit 2 and say what to do', () => {
    const invalid = join(scratch, 'invalid.har');
    const notHar = join(scratch, 'not-a.har');
    writeFileSync(invalid, '{"log": ');
    writeFileSync(notHar, '{"entries": []}');

    it.for<[string[], RegExp]>([
      [[], /expected a vendor and a HAR file, got 0 argument\(s\)[\s\S]*usage: npm run traffic/],
      [['acme', `${fixtures}/imprzd.har`], /unknown vendor "acme"; known: xonvo, footprints, perx, placewise, imprzd/],
      [['imprzd', 'missing.har'], /missing\.har does not exist; pass the path of a recorded HAR file/],
      [['imprzd', invalid], /invalid\.har is not valid JSON .*export it as HAR/],
      [['imprzd', notHar], /not-a\.har is not a HAR file: it has no log\.entries list/],
      [['xonvo', `${fixtures}/xonvo.har`, '--server', 'sandbox'], /--server must be an absolute URL/],
      [['imprzd', `${fixtures}/xonvo.har`], /no request in .*xonvo\.har went to a server of the imprzd spec \(https:\/\/www\.imprzd\.com\).*pass --server/],
    ])('%j', async ([args, message], { expect }) => {
      const { code, stdout, stderr } = await traffic(...args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stdout).toBe('');
    });
  });
});

describe('a recording cut off mid-write', () => {
  it('says the entries before the cut are whole and how to keep them, not to export from a browser (found 2026-12-02)', async () => {
    const { entries } = JSON.parse(readFileSync(`${fixtures}/imprzd.har`, 'utf8')).log;
    const file = join(scratch, 'cut.har');
    await writeHarFile(file, entries.slice(0, 3));
    const text = readFileSync(file, 'utf8');
    // What a record killed while appending its third entry leaves: the first two whole, then part of the third.
    const third = text.lastIndexOf(',\n      {');
    writeFileSync(file, text.slice(0, third + 400));
    const { code, stdout, stderr } = await traffic('imprzd', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const line = text.slice(0, third).split('\n').length;
    expect(stderr).toContain(`cut.har is not valid JSON (`);
    expect(stderr).toContain(`it ends part-way through an entry, as a record killed while writing it (SIGKILL, a power cut) leaves it. Its first 2 entries are whole: to check them, cut the file after line ${line} and end it with the three lines "    ]", "  }" and "}"; or record again`);
    expect(stderr).not.toContain('browser dev tools');
    // Done as it says, the file is read.
    writeFileSync(file, `${text.slice(0, third).split('\n').slice(0, line).join('\n')}\n    ]\n  }\n}\n`);
    expect((await traffic('imprzd', file)).stderr).not.toContain('not valid JSON');
    // Cut in its first entry: nothing to keep.
    writeFileSync(file, text.slice(0, text.indexOf('"entries": [') + 300));
    expect((await traffic('imprzd', file)).stderr).toContain('it ends part-way through an entry, as a record killed while writing it (SIGKILL, a power cut) leaves it. No entry before it is whole: record again');
  });
});

describe('the findings of a recording, in process (scripts/traffic/analyse.ts)', () => {
  it("names each of many entries that break a rule twice once, comparing an entry with its own findings only, not with every entry named before it", () => {
    // A XONVO lead missing both of its one-of-a-group fields is in none of the shapes of two anyOfs.
    const lead = {
      request: { method: 'POST', url: 'https://sandbox.xonvo.example/api/lead', headers: [{ name: 'Content-Type', value: 'application/json' }], postData: { mimeType: 'application/json', text: '{"firstName":"A"}' } },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: 2, mimeType: 'application/json', text: '{}' } },
    };
    const count = 2000;
    const file = har('many-leads.har', Array.from({ length: count }, () => lead));
    const exchanges = readHar(file);
    const spec = loadSpec(vendors.find((v) => v.name === 'xonvo')!);
    let compared = 0;
    const includes = Array.prototype.includes;
    const spy = vi.spyOn(Array.prototype, 'includes').mockImplementation(function (this: unknown[], ...args: [unknown, number?]) {
      if (typeof args[0] === 'number') compared += this.length;
      return includes.apply(this, args);
    });
    try {
      const report = analyse(spec, exchanges, { har: file, spec: 'xonvo' });
      const groups = report.mismatches.filter((m) => m.message.includes('anyOf'));
      expect(groups.length).toBeGreaterThan(0);
      for (const finding of groups) expect(finding.entries).toEqual(Array.from({ length: count }, (_, i) => i));
    } finally {
      spy.mockRestore();
    }
    // A search of each finding's list for each entry compares about count²/2 numbers per finding (2,000,000 here).
    expect(compared).toBeLessThan(count * 10);
  });
});

describe('a recording read, in process (scripts/traffic/har.ts)', () => {
  it('reads a header sent on several lines as one, joined as RFC 9110 joins them (CLIENT-154)', () => {
    // The recording proxy records each line as sent; only the last of them was read.
    const entry = {
      request: { method: 'GET', url: 'https://sandbox.xonvo.example/api/lead', headers: [{ name: 'Cookie', value: 'session=s1' }, { name: 'X-Foo', value: '1' }, { name: 'cookie', value: 'theme=dark' }, { name: 'x-foo', value: '2' }] },
      response: { status: 200, headers: [{ name: 'Set-Cookie', value: 'a=1; Expires=Wed, 09 Jun 2027 10:18:14 GMT' }, { name: 'Set-Cookie', value: 'b=2' }], content: { size: 2, mimeType: 'application/json', text: '{}' } },
    };
    const [exchange] = readHar(har('repeated-lines.har', [entry]));
    expect(Object.fromEntries(exchange!.requestHeaders)).toEqual({ cookie: 'session=s1; theme=dark', 'x-foo': '1, 2' });
    expect(exchange!.response.headers.get('set-cookie')).toBe('b=2');
  });
});

describe('the checks of one recorded call, in process (scripts/traffic/check.ts)', () => {
  const spec = loadSpec(vendors.find((v) => v.name === 'xonvo')!);
  const check = createChecker(spec);
  const json = 'application/json';
  /** A call of the operation; its 200 answer's body was left out of the recording, unless said otherwise. */
  const call = (requestBody?: Exchange['requestBody'], response: Partial<Exchange['response']> = {}): Exchange => ({
    index: 0,
    method: 'GET',
    url: new URL('https://sandbox.xonvo.example/api/'),
    requestHeaders: new Map(),
    requestBody,
    response: { status: 200, contentType: json, headers: new Map(), text: '', bodyRecorded: false, ...response },
  });
  const request = (message: string): Mismatch => ({ in: 'request', pointer: null, message });

  // Found 2026-12-01: a vendor's header of the wrong type passed every check (CLIENT-84).
  it("judges a response's documented headers as the contract suite does", () => {
    const footprints = loadSpec(vendors.find((v) => v.name === 'footprints')!);
    const op = footprints.operations.find((o) => o.operation.operationId === 'listOfferCategories')!;
    const answered = (headers: Record<string, string>) => createChecker(footprints)(op, { ...call(), response: { ...call().response, headers: new Map(Object.entries(headers)) } });
    expect(answered({ 'x-records': '2', 'x-total-pages': '1' })).toEqual([]);
    expect(answered({ 'x-records': 'lots' })).toEqual([{ in: 'response', pointer: null, message: 'header X-Records must be integer (got "lots")' }]);
  });

  it.for<[string, string, Exchange, Mismatch[]]>([
    ['a body sent where none is documented', 'getAccountStatistics', call({ contentType: json, text: '{"from":"2024-01-01"}' }), [request('a body was sent, but the operation documents none')]],
    ['an empty body where none is documented', 'getAccountStatistics', call({ contentType: json, text: '' }), []],
    ['a required body not sent', 'createAccount', call(undefined), [request('body is required, but none was sent')]],
    ['a request body that is not JSON', 'createAccount', call({ contentType: json, text: '{"name": ' }), [request('body is not JSON: {"name": ')]],
    ['a request body of an undocumented type', 'createAccount', call({ contentType: 'text/plain', text: 'name=x' }), [request('content type "text/plain" is not documented for the body (application/json)')]],
    ['an answer whose body the recording left out: not judged', 'getAccountStatistics', call(), []],
    [
      'an answer whose body the recording left out: its content type still judged',
      'getAccountStatistics',
      call(undefined, { contentType: 'text/html' }),
      [{ in: 'response', pointer: null, message: 'content type "text/html" is not documented for 200 (application/json)' }],
    ],
    [
      'an empty answer that was recorded: judged',
      'getAccountStatistics',
      call(undefined, { bodyRecorded: true }),
      [{ in: 'response', pointer: null, message: 'body is empty, where application/json is documented' }],
    ],
  ])('%s (%s)', ([, operationId, exchange, expected], { expect }) => {
    const op = spec.operations.find((o) => o.operation.operationId === operationId)!;
    expect(check(op, exchange)).toEqual(expected);
  });

  // CLIENT-212 made an answer in none of its documented shapes one finding; a request body listed
  // every branch's missing fields (and its anyOf's echo) as if all were required (CLIENT-213).
  it.for<[string, string, string, string, string, Mismatch[]]>([
    [
      'xonvo',
      'addLead',
      '/lead',
      json,
      '{"firstName":"John","lastName":"Smith","phone":"+1333-111-8888","externalId":"2","timestamp":"06-23-2021 10:00:00","trustedFormId":"x"}',
      [{ in: 'request', pointer: '', message: 'body matches none of the 2 documented shapes (anyOf): shape 1 (closest) needs /zip; shape 2 needs /state, needs /city' }],
    ],
    [
      'perx',
      'createPosLoyaltyTransaction',
      '/v4/pos/loyalty_transactions',
      json,
      '{"user_account":{"name":"x"},"points":120,"loyalty_program_id":2}',
      [{ in: 'request', pointer: '/user_account', message: 'body /user_account matches none of the 2 documented shapes (oneOf): shape 1 needs /user_account/id; shape 2 needs /user_account/identifier' }],
    ],
    [
      'placewise',
      'createMember',
      '/members',
      json,
      '{"properties":{"language":"en"}}',
      [{ in: 'request', pointer: '/properties', message: 'body /properties matches none of the 2 documented shapes (anyOf): shape 1 needs /properties/email; shape 2 needs /properties/msisdn' }],
    ],
    // A form whose grant_type names its shape: the other shapes' fields are not asked for.
    ['footprints', 'createToken', '/api/token', 'application/x-www-form-urlencoded', 'grant_type=password&username=u', [{ in: 'request', pointer: '/password', message: 'body /password is required but missing' }]],
  ])('a %s request body in none of its documented shapes is one finding (%s)', ([vendor, operationId, path, contentType, text, expected], { expect }) => {
    const vendorSpec = loadSpec(vendors.find((v) => v.name === vendor)!);
    const op = vendorSpec.operations.find((o) => o.operation.operationId === operationId)!;
    const sent: Exchange = { ...call({ contentType, text }), method: op.method.toUpperCase(), url: new URL(`https://api.example${path}`) };
    expect(createChecker(vendorSpec)(op, sent).filter((m) => m.in === 'request')).toEqual(expected);
  });
});

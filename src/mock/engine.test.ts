import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LISTED_VALUES } from './body-check.js';
import { createEngine, violationHeader } from './engine.js';
import { LIMITS } from './guard.js';
import { startMocks, type RunningMocks } from './index.js';
import { loadOperations } from './prism.js';

/**
 * Set-up shared by a block of tests, done once, before the first of them runs. Not in beforeAll:
 * a beforeAll that throws only marks the tests skipped (a mutation run counts them as passing),
 * and what runs there is not traced to any test. Here a failure fails every test.
 */
function setUp(work: () => Promise<void>) {
  let done: Promise<void> | undefined;
  beforeEach(() => (done ??= work()));
}

let mocks: RunningMocks;
const bugs: string[] = [];
setUp(async () => {
  mocks = await startMocks({ vendors: ['xonvo', 'footprints', 'perx', 'imprzd'], portBase: 0, log: (line) => line.includes('MOCK BUG') && bugs.push(line) });
});
afterAll(() => mocks?.stop());
beforeEach(() => mocks.reset());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const xonvo = (path: string, init: RequestInit = {}) =>
  fetch(`${mocks.urls.xonvo}${path}`, { ...init, headers: { authorization: basic('u', 'p'), 'content-type': 'application/json', ...(init.headers as object) } });
/** The violations the mock names in sl-violations. */
const violationsOf = (response: Response) => JSON.parse(response.headers.get('sl-violations') ?? '[]') as unknown[];
/** What Prism says of a request without the credentials it needs. */
const SECURITY = { location: ['request'], message: 'Invalid security scheme used', severity: 'Error' };
const problemOf = async (response: Response) => ({ ...((await response.json()) as { detail: string }), status: response.status, mediaType: response.headers.get('content-type') });

describe('no request can crash the mock', () => {
  it.each(['%zz', '%', '%ff', '%E0%A4%A', '%C0%AF', '%ED%A0%80'])('a malformed escape in the path (%s) is a 400 naming the segment', async (segment) => {
    const answer = await problemOf(await fetch(`${mocks.urls.perx}/v4/rewards/${segment}`));
    expect(answer).toMatchObject({ status: 400, mediaType: 'application/problem+json' });
    expect(answer.detail).toContain(`"${segment}"`);
  });

  it('a 10,000-deep JSON body is a 400, and the next request is served', async () => {
    const answer = await problemOf(await xonvo('/lead', { method: 'POST', body: '['.repeat(10_000) }));
    expect(answer.status).toBe(400);
    expect(answer.detail).toContain('10000 levels deep');
    expect((await xonvo('/accounts/21/statistics')).status).toBe(200);
  });

  it('a body over the limit is a 413', async () => {
    const answer = await xonvo('/lead', { method: 'POST', body: JSON.stringify({ firstName: 'x'.repeat(1_100_000) }) });
    expect(answer.status).toBe(413);
  });

  it('a body in a media type the operation does not document is a 415, and later bodies are read as before (MOCK-65)', async () => {
    // Prism judged a JSON body to a form-only operation against the form's schema, and the
    // validator it kept then read every form body without a form's coercion: nps=9 was "not a number".
    const lead = (contentType: string, body: string, session: string) =>
      fetch(`${mocks.urls.footprints}/api/lead?access_token=t`, { method: 'POST', headers: { 'content-type': contentType, 'x-mock-session': session }, body });
    const json = await problemOf(await lead('application/json', '{"userEmail":"m@b.c","nps":9}', 'mallory'));
    expect(json).toMatchObject({ status: 415, detail: 'request body sent in "application/json"; this operation takes "application/x-www-form-urlencoded"' });
    expect((await lead('application/x-www-form-urlencoded', 'userEmail=a%40b.c&nps=9', 'alice')).status).toBe(200);
    // Credentials are checked first, as the vendor's server checks them: without them, its documented 401 (a second round found the 415 first).
    const anonymous = await fetch(`${mocks.urls.footprints}/api/lead`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userEmail":"m@b.c"}' });
    expect(anonymous.status).toBe(401);
    // Its violations say what is wrong with the body, not that it is missing (Prism is shown none).
    expect(violationsOf(anonymous)).toEqual([{ location: ['request', 'header', 'content-type'], message: 'request body sent in "application/json"; this operation takes "application/x-www-form-urlencoded"', severity: 'Error' }, SECURITY]);
    // A 401 a Prefer asks for is no credential check: the 415 (a third round found the 401 example for some operations).
    const asked = await fetch(`${mocks.urls.footprints}/api/loyaltyCode/list?access_token=t`, { method: 'POST', headers: { 'content-type': 'application/json', prefer: 'code=401' }, body: '{}' });
    expect(asked.status).toBe(415);
    // A PATCH refused for its media type says which it takes (RFC 5789). A profile is a user's: the token
    // acts for one (the app's own is refused first, as a missing one is).
    const token = (await (await fetch(`${mocks.urls.perx}/v4/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: 'i', client_secret: 's', grant_type: 'client_credentials', scope: 'user_account(identifier:66666)' }) })).json()) as { access_token: string };
    const patch = await fetch(`${mocks.urls.perx}/v4/customers/4242`, { method: 'PATCH', headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'text/plain' }, body: 'x' });
    expect([patch.status, patch.headers.get('accept-patch')]).toEqual([415, 'application/json']);
  });

  it("a Prefer naming a status and another status's example is the 404 MOCK-11 gives, not that other status (found 2026-12-01)", async () => {
    const answer = await problemOf(await xonvo('/accounts/21/statistics', { headers: { prefer: 'code=404, example=getAccountStatistics' } }));
    expect(answer).toMatchObject({ status: 404, mediaType: 'application/problem+json', detail: 'the 404 response has no example "getAccountStatistics"' });
    expect((await xonvo('/accounts/21/statistics', { headers: { prefer: 'code=200, example=getAccountStatistics' } })).status).toBe(200);
  });

  it('an unparseable Content-Type is a 415 naming the header', async () => {
    const answer = await problemOf(await xonvo('/lead', { method: 'POST', headers: { 'content-type': 'garbage;;;===' }, body: '{}' }));
    expect(answer.status).toBe(415);
    expect(answer.detail).toContain('Content-Type "garbage;;;==="');
  });

  it.each([
    ['an unparseable Content-Type', { 'content-type': 'garbage;;;===' }, 'content-type', 'is not a media type'],
    ['a coded body', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'content-encoding', 'without a content coding'],
  ])('%s without credentials is the 401 naming the header, as an undocumented media type is (the 415 came first)', async (_, headers, header, words) => {
    const anonymous = await fetch(`${mocks.urls.xonvo}/lead`, { method: 'POST', headers, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(violationsOf(anonymous)).toEqual([{ location: ['request', 'header', header], message: expect.stringContaining(words), severity: 'Error' }, SECURITY]);
  });

  it('a body that is not JSON is a 400 saying so', async () => {
    const answer = await problemOf(await xonvo('/lead', { method: 'POST', body: '{"firstName":' }));
    expect(answer).toMatchObject({ status: 400 });
    expect(answer.detail).toContain('not valid JSON');
  });

  it('a JSON body whose bytes are not UTF-8 (Latin-1 "Café") is a 400 saying so, not stored with U+FFFD in their place', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const answer = await problemOf(await xonvo('/accounts', { method: 'POST', body: latin1 }));
    expect(answer).toMatchObject({ status: 400, title: 'Malformed JSON', detail: expect.stringContaining('not UTF-8') });
    expect((await xonvo('/accounts', { method: 'POST', body: Buffer.from('{"name":"Café"}') })).status).toBe(200);
  });

  it('a body that is not JSON, without credentials, is the 401, saying the body is not JSON rather than missing (the 400 came first)', async () => {
    const anonymous = await fetch(`${mocks.urls.xonvo}/lead`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"firstName":' });
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="ALOT-EXTERNAL"']);
    expect(violationsOf(anonymous)).toEqual([{ location: ['request', 'body'], message: expect.stringMatching(/^request body is not valid JSON: /), severity: 'Error' }, SECURITY]);
  });

  it.each([
    ['not JSON', { 'content-type': 'application/json' }, '{"firstName":', ['request', 'body']],
    ['in an undocumented media type', { 'content-type': 'text/plain' }, 'x', ['request', 'header', 'content-type']],
    ['coded', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{}'), ['request', 'header', 'content-encoding']],
  ])('a body %s, without credentials, is the 401 whatever a Prefer asks, as a good body is (the 400 or 415 came first)', async (_, headers, body, location) => {
    for (const prefer of ['code=200', 'code=400', 'code=401']) {
      const good = await fetch(`${mocks.urls.xonvo}/lead`, { method: 'POST', headers: { 'content-type': 'application/json', prefer }, body: '{}' });
      const refused = await fetch(`${mocks.urls.xonvo}/lead`, { method: 'POST', headers: { ...headers, prefer }, body });
      expect({ prefer, good: good.status, refused: refused.status }).toEqual({ prefer, good: 401, refused: 401 });
      expect(violationsOf(refused)).toEqual([{ location, message: expect.any(String), severity: 'Error' }, SECURITY]);
    }
    // With credentials a Prefer still does not pass the body (MOCK-95), nor does a 401 it asks for go first (MOCK-65).
    const asked = await fetch(`${mocks.urls.xonvo}/lead`, { method: 'POST', headers: { authorization: basic('u', 'p'), ...headers, prefer: 'code=401' }, body });
    expect(asked.status).toBeGreaterThanOrEqual(400);
    expect(asked.status).not.toBe(401);
  });

  it.each(['null', 'false', '0', '""'])('a JSON body of %s is judged as the value it is, not as a missing body', async (sent) => {
    // Prism reads these as no body: "Body parameter is required" for a body that was sent.
    const lead = await xonvo('/lead', { method: 'POST', body: sent });
    expect(lead.status).toBe(400);
    expect(violationsOf(lead)).toEqual([{ location: ['request', 'body'], message: 'request body: (body) must be object', severity: 'Error' }]);
    const anonymous = await fetch(`${mocks.urls.xonvo}/lead`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: sent });
    expect([anonymous.status, violationsOf(anonymous)]).toEqual([401, [{ location: ['request', 'body'], message: 'request body: (body) must be object', severity: 'Error' }, SECURITY]]);
    // Where the body is optional, null passed as none: Perx's token call answered it with a token.
    const token = await fetch(`${mocks.urls.perx}/v4/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: sent });
    expect({ status: token.status, body: await token.json() }).toEqual({ status: 400, body: { error: 'invalid_request', error_description: expect.any(String) } });
  });

  it('HEAD on a GET operation is answered as the GET, without the body', async () => {
    const get = await xonvo('/accounts/21/statistics');
    const head = await xonvo('/accounts/21/statistics', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
    expect((await xonvo('/accounts/21/pause', { method: 'HEAD' })).status).toBe(405);
  });

  it('unknown paths and methods are a 404 and a 405 with Allow', async () => {
    expect((await xonvo('/nothing-here')).status).toBe(404);
    const wrong = await xonvo('/accounts/21/statistics', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });
});

describe('a body of many values costs the mock little, and other vendors keep answering (MOCK-38)', () => {
  const bulk = (items: unknown[], account = '18') => JSON.stringify({ leadsByAccountId: { [account]: items } });
  const vendorLead = (i: number) => ({ firstName: 'John', lastName: 'Smith', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', ipAddress: '192.168.3.2', email: 'john.smith@alot.co', state: 'WA', attributes: { ABANDONED_CART_URL: 'www.shop.com/123', DISCOUNT_CODE: 'TR44' }, externalId: `EXT-${i}` });
  const sent = async (body: string) => {
    const answer = await xonvo('/leads/bulk', { method: 'POST', body });
    return { answer, text: await answer.text() };
  };

  it(`refuses a body of more than ${LIMITS.jsonValues} values with a 413 naming the limit, before Prism lists a violation for each (8.7 s before)`, async () => {
    const body = bulk(Array(500_000).fill(1));
    expect(body.length).toBeLessThan(LIMITS.bodyBytes);
    const meanwhile = fetch(`${mocks.urls.perx}/v4/rewards`, { headers: { authorization: 'Bearer t' } });
    const { answer, text } = await sent(body);
    expect(answer.status).toBe(413);
    expect(JSON.parse(text)).toMatchObject({ title: 'Body holds too many values', limit: LIMITS.jsonValues, detail: expect.stringContaining('500003 JSON values') });
    expect((await meanwhile).status).toBe(200);
  });

  it(`refuses a form body of more than ${LIMITS.formFields} fields with a 413 naming the bound, and takes one of that many`, async () => {
    // Footprints' token endpoint takes a form; 140,000 fields of it blocked the event loop for a
    // second each, and 99,000 empty fields to addLead (under the JSON bound) up to 5 s.
    const token = (fields: number) =>
      fetch(`${mocks.urls.footprints}/api/token`, {
        method: 'POST',
        headers: { authorization: basic('k', 's'), 'content-type': 'application/x-www-form-urlencoded' },
        body: ['grant_type=pin', 'pin=1', ...Array.from({ length: fields - 2 }, (_, i) => `${i.toString(36)}=`)].join('&'),
      });
    const refused = await token(99_000);
    expect({ status: refused.status, type: refused.headers.get('content-type') }).toEqual({ status: 413, type: 'application/problem+json' });
    expect(await refused.json()).toMatchObject({ title: 'Body holds too many values', limit: LIMITS.formFields, detail: expect.stringContaining('99000 form fields') });
    expect((await token(LIMITS.formFields + 1)).status).toBe(413);
    const taken = await token(LIMITS.formFields);
    expect(taken.status).toBe(200);
    expect(await taken.json()).toHaveProperty('access_token');
  });

  const footprints = (path: string, contentType: string, body: string, method = 'POST', headers: Record<string, string> = {}) => fetch(`${mocks.urls.footprints}${path}`, { method, headers: { 'content-type': contentType, ...headers }, body });

  it.each([
    ['/api/lead?access_token=t', '%=1', '%'],
    ['/api/lead?access_token=t', 'userEmail=a%40b.c&%E0%A4%A=1', '%E0%A4%A'],
    ['/api/prospect?access_token=t', 'a%5B%E0%5D=1', 'a%5B%E0%5D'],
    // The token endpoint itself, with its Basic credentials (without them, its 401 comes first).
    ['/api/token', 'grant_type=pin&pin%=1', 'pin%'],
  ])('a form field name Prism cannot decode (%s, %j) is a 400 naming it, not a 500', async (path, body, field) => {
    const answer = await problemOf(await footprints(path, 'application/x-www-form-urlencoded', body, 'POST', { authorization: basic('key', 'secret') }));
    expect(answer).toMatchObject({ status: 400, mediaType: 'application/problem+json', title: 'Malformed form field name', field });
  });

  const parts = (...heads: string[]) => `--B\r\n${heads.map((head) => `${head}\r\n\r\nx\r\n`).join('--B\r\n')}--B--\r\n`;
  // To the example lead: documents for a lead the mock does not hold are refused first (MOCK-135).
  const upload = (body: string) => footprints('/api/lead/5ce3b4089d5de975003244d2/contracts?access_token=t', 'multipart/form-data; boundary=B', body, 'PUT');
  const pdf = 'Content-Disposition: form-data; name="documents"; filename="a.pdf"\r\nContent-Type: application/pdf';

  it.each([
    ['a name Prism cannot decode', parts(pdf, 'Content-Disposition: form-data; name="leadActionId%"'), 'Malformed form field name'],
    ['a part without a name', parts(pdf, 'Content-Disposition: form-data'), 'Malformed multipart body'],
    // Cut before its ';', this part was taken as the required "documents": the vendor gets another name.
    ['a name quoting ";filename="', parts('Content-Disposition: form-data; name="documents;filename=a.pdf"\r\nContent-Type: application/pdf'), 'Malformed multipart body'],
    ['a name holding "=" and a file the parser cannot read', parts('Content-Disposition: form-data; name="documents=x"; filename=a.pdf\r\nContent-Type: application/pdf'), 'Malformed multipart body'],
    ['another parameter before the name', parts('Content-Disposition: form-data; foo="documents"; filename=a.pdf\r\nContent-Type: application/pdf'), 'Malformed multipart body'],
    ['a name nested 100,000 levels', parts(`Content-Disposition: form-data; name="${'['.repeat(100_000)}"`), 'Body nested too deeply'],
  ])('a multipart body with %s is a 400 naming it, not a 500 or a stall', async (_, body, title) => {
    expect(await problemOf(await upload(body))).toMatchObject({ status: 400, mediaType: 'application/problem+json', title });
  });

  it('a form or multipart body the mock cannot read, without credentials, is the 401 naming what is wrong with it (the 400 came first)', async () => {
    const form = await footprints('/api/lead', 'application/x-www-form-urlencoded', 'userEmail=a%40b.c&%E0%A4%A=1');
    expect(form.status).toBe(401);
    expect(violationsOf(form)).toEqual([{ location: ['request', 'body'], message: expect.stringContaining('form field name "%E0%A4%A" has a malformed percent-escape'), severity: 'Error' }, SECURITY]);
    const multipart = await footprints('/api/lead/5ce3b4089d5de975003244d2/contracts', 'multipart/form-data; boundary=B', parts(pdf, 'Content-Disposition: form-data'), 'PUT');
    expect(multipart.status).toBe(401);
    expect(violationsOf(multipart)).toEqual([{ location: ['request', 'body'], message: expect.stringContaining('part 2 has no name'), severity: 'Error' }, SECURITY]);
  });

  // Found 2026-12-01: each was a 500 "Cannot read properties of undefined (reading 'split')", no credentials needed.
  const file = 'Content-Disposition: form-data; name="documents"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n';
  it.each([
    ['two Content-Disposition headers', 'multipart/form-data; boundary=B', `--B\r\n${file}--B\r\nContent-Disposition: form-data; name="x"\r\nContent-Disposition: form-data\r\n\r\ny\r\n--B--\r\n`],
    ['a quoted boundary holding an escaped quote', 'multipart/form-data; boundary="a\\"b"', `--a"b\r\n${file}--a"b\r\nContent-Disposition: form-data\r\n\r\ny\r\n--a"b--\r\n`],
    ['a quoted parameter holding boundary=', 'multipart/form-data; x="a;boundary=C"; boundary=B', `--B\r\n${file}--B\r\nContent-Disposition: form-data\r\n\r\ny\r\n--B--\r\n`],
    ['a delimiter written --\\nB', 'multipart/form-data; boundary=B', `--B\r\n${file}--\nB\r\nContent-Disposition: form-data\r\n\r\ny\r\n--B--\r\n`],
  ])('reads a multipart body with %s as Prism does: a 400 naming the part, not a 500', async (_, type, body) => {
    const answer = await problemOf(await footprints('/api/lead/5ce3b4089d5de975003244d2/contracts?access_token=t', type, body, 'PUT'));
    expect(answer).toMatchObject({ status: 400, title: 'Malformed multipart body', detail: expect.stringContaining('part 2 has no name') });
  });

  it('holds multipart parts and names to their bounds however the delimiter or boundary is written', async () => {
    const lf = `--B\r\n${Array.from({ length: LIMITS.formFields + 1 }, (_, i) => `Content-Disposition: form-data; name="d${i}"\r\n\r\nx\r\n`).join('--\nB\r\n')}--B--\r\n`;
    expect(await problemOf(await upload(lf))).toMatchObject({ status: 413, limit: LIMITS.formFields });
    const deep = `--B\r\n${file}--B\r\nContent-Disposition: form-data; name="${'['.repeat(100_000)}"\r\n\r\nx\r\n--B--\r\n`;
    const hidden = await footprints('/api/lead/5ce3b4089d5de975003244d2/contracts', 'multipart/form-data; x="a;boundary=C"; boundary=B', deep, 'PUT');
    expect(await problemOf(hidden)).toMatchObject({ status: 400, title: 'Body nested too deeply' });
  });

  it(`refuses a multipart body past ${LIMITS.multipartBytes} bytes with a 413 naming the bound, and takes a file just under it`, async () => {
    // One 1 MB file held every vendor up for 0.7-1.1 s in Prism's byte-by-byte parser.
    const sized = (bytes: number) => `--B\r\n${file.slice(0, -6)}\r\n${'x'.repeat(bytes)}\r\n--B--\r\n`;
    expect(await problemOf(await upload(sized(LIMITS.multipartBytes)))).toMatchObject({ status: 413, title: 'Body too large', limit: LIMITS.multipartBytes });
    expect((await upload(sized(LIMITS.multipartBytes - 1024))).status).toBe(200);
  });

  // The parser splits a part's header at every ';' and '=' and reads the file name as JSON: each was a 400 the README listed.
  it.each(['contract;v2.pdf', 'a=b.pdf', 'C:\\a.pdf', 'x"; name="y.pdf', 'report\\', 'a\\;b=\\'])("takes a FormData file whose name the mock's parser cannot read as it is (%s)", async (name) => {
    const form = new FormData();
    form.append('documents', new File(['%PDF'], name, { type: 'application/pdf' }));
    const answer = await fetch(`${mocks.urls.footprints}/api/lead/5ce3b4089d5de975003244d2/contracts?access_token=t`, { method: 'PUT', body: form });
    expect([answer.status, answer.headers.get('sl-violations')]).toEqual([200, null]);
  });

  // Each was a 400 "Malformed multipart body": the parser Prism runs reads a file's name as JSON and requires its Content-Type.
  const python = 'b1a6e4c3d2f0a9e8b7c6d5e4f3a2b1c0';
  const dotnet = '8f3e2d1c-5b4a-4e6f-9a0b-1c2d3e4f5a6b';
  const chrome = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
  it.each([
    // requests.put(url, data={'leadActionId': …}, files={'documents': open('contract.pdf', 'rb')}): no Content-Type on the file (RFC 7578 4.4: text/plain).
    ['Python requests, a file part without a Content-Type', `multipart/form-data; boundary=${python}`, `--${python}\r\nContent-Disposition: form-data; name="leadActionId"\r\n\r\n6h7adfb9f58363518b370051\r\n--${python}\r\nContent-Disposition: form-data; name="documents"; filename="contract.pdf"\r\n\r\n%PDF-1.4\r\n--${python}--\r\n`],
    // MultipartFormDataContent.Add(new ByteArrayContent(…) { Headers = { ContentType = application/pdf } }, "documents", "contract.pdf"): tokens unquoted, and filename*.
    ['.NET HttpClient, an unquoted filename and filename*', `multipart/form-data; boundary="${dotnet}"`, `--${dotnet}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; name=leadActionId\r\n\r\n6h7adfb9f58363518b370051\r\n--${dotnet}\r\nContent-Type: application/pdf\r\nContent-Disposition: form-data; name=documents; filename=contract.pdf; filename*=utf-8''contract.pdf\r\n\r\n%PDF-1.4\r\n--${dotnet}--\r\n`],
    // A browser's FormData escapes only '"', CR and LF in a file name (as %22, %0D, %0A): a name ending in a backslash is sent as it is.
    ['a browser, a file named report\\', `multipart/form-data; boundary=${chrome}`, `--${chrome}\r\nContent-Disposition: form-data; name="documents"; filename="report\\"\r\nContent-Type: application/octet-stream\r\n\r\n%PDF-1.4\r\n--${chrome}--\r\n`],
  ])('takes an upload as %s sends it', async (_, type, body) => {
    const answer = await footprints('/api/lead/5ce3b4089d5de975003244d2/contracts?access_token=t', type, body, 'PUT');
    expect([answer.status, answer.headers.get('sl-violations')]).toEqual([200, null]);
  });

  it("says a file part whose header begins on the delimiter's line is one the mock cannot read there, not an unquoted name", async () => {
    // RFC 2046 ends a delimiter's line at CRLF; the parser reads on, and this header swallows the next line.
    const body = `--B\r\n${file}--BContent-Disposition: form-data; name="documents"; filename="contract;v2.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--B--\r\n`;
    const answer = await problemOf(await upload(body));
    expect(answer).toMatchObject({ status: 400, title: 'Malformed multipart body', detail: expect.stringContaining(`part "documents" begins its Content-Disposition on the delimiter's line`) });
  });

  it(`refuses a form nesting more than ${LIMITS.recordValues} values before any parse, with or without credentials`, async () => {
    // 1,000 fields 64 levels deep (574 KB) held every vendor up 0.4-1.2 s, on the token endpoint too.
    const deep = Array.from({ length: LIMITS.formFields }, (_, i) => `customDetails${Array.from({ length: LIMITS.jsonDepth }, (_, l) => `[k_${i}_${l}]`).join('')}=v`).join('&');
    const answer = await problemOf(await footprints('/api/token', 'application/x-www-form-urlencoded', deep));
    expect(answer).toMatchObject({ status: 413, title: 'Body holds too many values', limit: LIMITS.recordValues });
  });

  it(`refuses a multipart body of more than ${LIMITS.formFields} parts with a 413, and reads one of that many`, async () => {
    // 17,000 tiny parts (0.96 MB) held every vendor up for 0.5-1.5 s a body.
    const many = (n: number) => parts(pdf, ...Array.from({ length: n - 1 }, (_, i) => `Content-Disposition: form-data; name="d${i}"`));
    expect(await problemOf(await upload(many(LIMITS.formFields + 1)))).toMatchObject({ status: 413, limit: LIMITS.formFields, detail: expect.stringContaining(`${LIMITS.formFields + 1} multipart parts`) });
    // The vendor's own answer to parts it does not document: the mock read them.
    expect((await upload(many(LIMITS.formFields))).headers.get('content-type')).not.toContain('problem');
    expect((await upload(parts(pdf))).status).toBe(200);
  });

  it(`refuses a wrong body of more than ${LISTED_VALUES} values at its first violation, with a 400 problem naming it (90,000 empty leads: 6.4 s before)`, async () => {
    const { answer, text } = await sent(bulk(Array(90_000).fill({})));
    expect({ status: answer.status, type: answer.headers.get('content-type') }).toEqual({ status: 400, type: 'application/problem+json' });
    expect(JSON.parse(text)).toMatchObject({ title: 'Invalid request body', pointer: '/leadsByAccountId/18/0/firstName', rule: 'required', limit: LISTED_VALUES });
  });

  it('checks the credentials before it judges a large body, as before a small one (MOCK-38 left the 400 first)', async () => {
    const anonymous = await fetch(`${mocks.urls.xonvo}/leads/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bulk(Array(2000).fill({})) });
    expect(anonymous.status).toBe(401);
    expect(violationsOf(anonymous)).toEqual([{ location: ['request', 'body'], message: expect.stringContaining('/firstName is required but missing'), severity: 'Error' }, SECURITY]);
  });

  it(`gives a wrong body of at most ${LISTED_VALUES} values the vendor's answer, every violation listed, and one value more the problem`, async () => {
    // The body, its map, the list and each item: 3 + items values.
    const small = await sent(bulk(Array(LISTED_VALUES - 3).fill(1)));
    expect(small.answer.status).toBe(400);
    expect(JSON.parse(small.text)).toMatchObject({ error: 'Bad Request', message: 'Validation failed' });
    expect(small.answer.headers.get('sl-violations')).toMatch(/^Too many violations! \[\{"location":\["request","body","leadsByAccountId","18","0"\]/);
    const large = await sent(bulk(Array(LISTED_VALUES - 2).fill(1)));
    expect(large.answer.status).toBe(400);
    expect(JSON.parse(large.text)).toMatchObject({ title: 'Invalid request body', pointer: '/leadsByAccountId/18/0', detail: expect.stringContaining(`holds ${LISTED_VALUES + 1})`) });
  });

  it("still takes a body of nearly 1 MiB of the vendor's example leads (3,900 leads, about 51,000 values), every lead stored", async () => {
    const body = bulk(Array.from({ length: 3900 }, (_, i) => vendorLead(i)), '21');
    expect(body.length).toBeGreaterThan(0.99 * LIMITS.bodyBytes);
    const { answer } = await sent(body);
    expect(answer.status).toBe(200);
    expect((await xonvo('/accounts/21/leads/EXT-3899/statistics')).status).toBe(200);
  });

  it("names the key that breaks a map's key rule, not the map holding it", async () => {
    const { answer, text } = await sent(JSON.stringify({ leadsByAccountId: { '21': Array.from({ length: 250 }, (_, i) => vendorLead(i)), abc: [] } }));
    expect(answer.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ pointer: '/leadsByAccountId/abc', rule: 'pattern' });
  });

  it('judges a date-time as Prism does, so a large body and a small one get the same answer', async () => {
    const token = ((await (await fetch(`${mocks.urls.perx}/v4/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: 'id', client_secret: 'secret', grant_type: 'client_credentials' }) })).json()) as { access_token: string }).access_token;
    const purchase = (properties: Record<string, string>) => ({ user_account_id: 4242, transaction_data: { transaction_type: 'purchase', transaction_reference: 'INV-1', amount: 120, currency: 'THB', transaction_date: '2021-01-01T00:00:00+24:00', properties } });
    const send = async (body: unknown) => (await fetch(`${mocks.urls.perx}/v4/pos/transactions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
    const small = await send(purchase({ merchant_identifier: 'M-007' }));
    expect(small).toBe(200);
    expect(await send(purchase(Object.fromEntries(Array.from({ length: 1100 }, (_, i) => [`k${i}`, 'v']))))).toBe(small);
  });

  it('builds sl-violations no further than it is cut: a violation past the cut is never written out', () => {
    const past = { toJSON: () => { throw new Error('written out past the cut'); } };
    const header = violationHeader([...Array(200).fill({ location: ['request', 'body'], message: 'must be object', severity: 'Error' }), past]);
    expect(header.startsWith('Too many violations! [{"location":["request","body"]')).toBe(true);
    expect(header.length).toBe('Too many violations! '.length + 8 * 1024 - 100);
    expect(violationHeader([{ message: 'é' }])).toBe('[{"message":"\\u00e9"}]');
  });
});

describe('what real clients send', () => {
  it.each(['text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2', 'json', '*', 'application/json; charset'])('an Accept with a range it cannot read (%s) is answered as if that range were not there', async (accept) => {
    const answer = await xonvo('/accounts/21/statistics', { headers: { accept } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('json');
  });

  it.each(['*/*;q=0', 'application/json;q=0, */*;q=0.1', 'application/json; q=0.000', '*/*;q=0.0000', '*/*;q=.0', '*/*;q=00', '*/*;q=-0', '*/*;q=0e5', '*/*;q=-1'])('an Accept whose ranges are weighted q=0 or by no qvalue (%s) is disregarded: never a 500, on a read or a write', async (accept) => {
    const read = await xonvo('/accounts/21/statistics', { headers: { accept } });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toContain('json');
    const created = await xonvo('/accounts', { method: 'POST', headers: { accept, 'x-mock-session': 'q0' }, body: JSON.stringify({ name: 'G' }) });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ id: expect.any(Number) });
  });

  it('accepts a Basic password containing ":" (RFC 7617)', async () => {
    expect((await xonvo('/accounts/21/statistics', { headers: { authorization: basic('user', 'pa:ss:word') } })).status).toBe(200);
  });

  it('still refuses a request without credentials', async () => {
    expect((await fetch(`${mocks.urls.xonvo}/accounts/21/statistics`)).status).toBe(401);
  });

  it('accepts an empty JSON object on a write that documents no body', async () => {
    expect((await xonvo('/accounts/21/pause', { method: 'PUT', body: '{}' })).status).toBe(200);
  });

  it('still refuses a non-empty body there', async () => {
    expect((await xonvo('/accounts/21/pause', { method: 'PUT', body: '{"a":1}' })).status).toBeGreaterThanOrEqual(400);
  });

  it.each(['[]', 'null', '0', 'true'])('still refuses a JSON body that is not an object (%s) there', async (body) => {
    expect((await xonvo('/accounts/21/pause', { method: 'PUT', body })).status).toBe(400);
  });

  it('accepts more than one space between "Basic" and the credentials', async () => {
    expect((await xonvo('/accounts/21/statistics', { headers: { authorization: `Basic  ${Buffer.from('u:p').toString('base64')}` } })).status).toBe(200);
  });

  it('accepts an empty user name with a password containing ":"', async () => {
    expect((await xonvo('/accounts/21/statistics', { headers: { authorization: basic('', 'pa:ss') } })).status).toBe(200);
  });

  it('still refuses Basic credentials without a ":"', async () => {
    expect((await xonvo('/accounts/21/statistics', { headers: { authorization: `Basic ${Buffer.from('justuser').toString('base64')}` } })).status).toBe(401);
  });

  // Found 2026-12-03, a frontend developer's first hour: `Bearer ${token}` before the token had come,
  // and btoa(`${user}:${password}`) from unset settings, were answered 200 where the vendor refuses them.
  it.each([
    ['perx', '/v4/rewards', 'Bearer undefined', 'bearer token is the text "undefined"'],
    ['perx', '/v4/rewards', 'Bearer null', 'bearer token is the text "null"'],
    ['xonvo', '/accounts/21/statistics', basic('undefined', 'undefined'), 'Basic user name is the text "undefined"'],
    ['xonvo', '/accounts/21/statistics', basic('user', 'null'), 'Basic password is the text "null"'],
  ])('refuses, with the 401 and a reason, a %s credential that is the text of a value never set (%s, %s)', async (vendor, path, authorization, said) => {
    const answer = await fetch(`${mocks.urls[vendor]}${path}`, { headers: { authorization } });
    expect(answer.status).toBe(401);
    expect(violationsOf(answer)).toEqual([{ location: ['request', 'header', 'authorization'], severity: 'Error', message: `the Authorization header's ${said}: the caller sent a value it had not set (a token not yet fetched, a setting left unset)` }]);
  });

  it('refuses a key sent in the query that is such a text the same way, naming the parameter (Footprints access_token)', async () => {
    const answer = await fetch(`${mocks.urls.footprints}/api/lead?access_token=undefined`);
    expect(answer.status).toBe(401);
    expect(violationsOf(answer)).toEqual([{ location: ['request', 'query', 'access_token'], severity: 'Error', message: 'the query parameter access_token is the text "undefined": the caller sent a value it had not set (a token not yet fetched, a setting left unset)' }]);
    expect((await fetch(`${mocks.urls.footprints}/api/lead?access_token=mock-token`)).status).toBe(200);
  });

  it('takes any other credential, one that only holds such a word among them', async () => {
    expect((await fetch(`${mocks.urls.perx}/v4/rewards`, { headers: { authorization: 'Bearer undefined-ok.null' } })).status).toBe(200);
    expect((await xonvo('/accounts/21/statistics', { headers: { authorization: basic('nullable', 'undefinedness') } })).status).toBe(200);
  });

  it('does not take another scheme ending in "basic" for Basic', async () => {
    expect((await xonvo('/accounts/21/statistics', { headers: { authorization: `Xbasic ${Buffer.from('u:p').toString('base64')}` } })).status).toBe(401);
  });
});

describe('state', () => {
  it('a created XONVO account can be read, updated and paused; an unknown one is a 404', async () => {
    const created = (await (await xonvo('/accounts', { method: 'POST', body: JSON.stringify({ name: 'Acme', phoneNumber: '+1324353535', email: 'a@b.co' }) })).json()) as { id: number };
    expect(created.id).toBeGreaterThan(21);
    const stats = await xonvo(`/accounts/${created.id}/statistics`);
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ leadCount: 0, unsubscribeCount: 0 });
    const updated = await xonvo(`/accounts/${created.id}`, { method: 'PUT', body: JSON.stringify({ name: 'Acme Two', phoneNumber: '+1324353535', email: 'a@b.co' }) });
    expect(await updated.json()).toEqual({ id: created.id }); // the account updated, not the example's
    expect((await xonvo(`/accounts/${created.id}/pause`, { method: 'PUT' })).status).toBe(200);
    expect((await xonvo('/accounts/999999/pause', { method: 'PUT' })).status).toBe(404);
    expect((await xonvo('/accounts/999999/statistics')).status).toBe(404);
  });

  it('a Footprints lead added is listed, and its actions are listed under it', async () => {
    const token = 'Bearer-less: footprints takes access_token in the query';
    void token;
    const fp = (path: string, init: RequestInit = {}) =>
      fetch(`${mocks.urls.footprints}${path}${path.includes('?') ? '&' : '?'}access_token=t`, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(init.headers as object) } });
    const before = (await (await fp('/api/lead')).json()) as unknown[];
    const form = new URLSearchParams({ userFirstName: 'Ada', userLastName: 'Lovelace', userEmail: 'ada@example.com', userPhone: '0700000001', offerId: '5aa2082c75d87fbce2e76ada', locationId: '86f838e268a157484ba1d658' });
    const added = await fp('/api/lead', { method: 'POST', body: form });
    expect(added.status).toBe(200);
    const { _id } = (await added.json()) as { _id: string };
    const after = (await (await fp('/api/lead')).json()) as { _id: string; userFirstName: string }[];
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((l) => l._id === _id)).toMatchObject({ userFirstName: 'Ada', userEmail: 'ada@example.com' });
    const firstPage = (await (await fp('/api/lead?page=1&pageSize=1')).json()) as unknown[];
    expect(firstPage).toHaveLength(1);

    const action = await fp('/api/lead/action', { method: 'POST', body: new URLSearchParams({ leadId: _id, leadActionTypeId: '6d22kaal8378716180494f54', actionDetail: 'called', date: '2021-01-12 06:42:55' }) });
    expect(action.status).toBe(200);
    const actions = (await (await fp(`/api/lead/actions/${_id}`)).json()) as { data: { leadId: string; actionDetail: string }[] };
    expect(actions.data).toEqual([expect.objectContaining({ leadId: _id, actionDetail: 'called' })]);
  });

  it("a Footprints lead's birthday, sent as the form's Y-m-d, does not break the list that shows dates another way", async () => {
    const fp = (path: string, init: RequestInit = {}) => fetch(`${mocks.urls.footprints}${path}?access_token=t`, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const added = await fp('/api/lead', { method: 'POST', body: new URLSearchParams({ userFirstName: 'Ana', userEmail: 'ana@example.com', userBirthday: '1990-10-23' }) });
    expect(added.status).toBe(200);
    const { _id } = (await added.json()) as { _id: string };
    const list = await fp('/api/lead');
    expect(list.status).toBe(200);
    const lead = ((await list.json()) as { _id: string; userFirstName: string; userBirthday?: string }[]).find((l) => l._id === _id);
    expect(lead).toMatchObject({ userFirstName: 'Ana' });
    expect(lead!.userBirthday).not.toBe('1990-10-23');
  });

  it("a Footprints form's true/false reach the lead's flags, and an NPS answer is the documented status, not the lead's", async () => {
    const fp = (path: string, init: RequestInit = {}) => fetch(`${mocks.urls.footprints}${path}?access_token=t`, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const added = await fp('/api/lead', { method: 'POST', body: new URLSearchParams({ userFirstName: 'Bo', userEmail: 'bo@example.com', agreeTandc: 'false', isAdult: 'false' }) });
    const { _id } = (await added.json()) as { _id: string };
    const lead = ((await (await fp('/api/lead')).json()) as Record<string, unknown>[]).find((l) => l._id === _id);
    expect(lead).toMatchObject({ agreeTandc: false, isAdult: false });
    const nps = await fp(`/api/lead/${_id}/nps`, { method: 'PUT', body: new URLSearchParams({ nps: '9' }) });
    expect(nps.status).toBe(200);
    expect(await nps.json()).toEqual({ status: 'success' });
  });

  it("a Footprints lead holds what was sent: none of the example lead's e-mail, consents, status or dates, listed or updated", async () => {
    const fp = (path: string, init: RequestInit = {}) => fetch(`${mocks.urls.footprints}${path}?access_token=t`, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const { _id } = (await (await fp('/api/lead', { method: 'POST', body: new URLSearchParams({ userFirstName: 'Zed', agreeTandc: 'false' }) })).json()) as { _id: string };
    const listed = () => fp('/api/lead').then(async (r) => ((await r.json()) as Record<string, unknown>[]).find((l) => l._id === _id));
    expect(await listed()).toEqual({ _id, userFirstName: 'Zed', agreeTandc: false });
    const updated = await fp(`/api/lead/${_id}`, { method: 'PUT', body: new URLSearchParams({ status: 'sale_lead' }) });
    expect(updated.status).toBe(200);
    expect(await updated.json()).not.toHaveProperty('userEmail');
    expect(await listed()).toEqual({ _id, userFirstName: 'Zed', agreeTandc: false, status: 'sale_lead' });
  });

  // Found 2026-12-02: Update Lost Lead answered a new lead with the example lead's e-mail, phone, offer, consultant and SKU.
  it("a Footprints lead marked lost is answered with its own values, none of the example lead's (MOCK-137)", async () => {
    const fp = (path: string, init: RequestInit = {}) => fetch(`${mocks.urls.footprints}${path}?access_token=t`, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const { _id } = (await (await fp('/api/lead', { method: 'POST', body: new URLSearchParams({ userFirstName: 'Lou', userEmail: 'lou@example.com' }) })).json()) as { _id: string };
    const lost = await fp(`/api/lead/${_id}/leadLost`, { method: 'PUT', body: new URLSearchParams({ reasonLost: 'need', comment: 'later' }) });
    expect({ status: lost.status, body: await lost.json() }).toEqual({ status: 200, body: { _id, userFirstName: 'Lou', userEmail: 'lou@example.com' } });
    // The example lead still answers its own (its SKU as `skuId`, MOCK-136).
    const example = await fp('/api/lead/5ce3b4089d5de975003244d2/leadLost', { method: 'PUT', body: new URLSearchParams({ reasonLost: 'need' }) });
    expect(await example.json()).toMatchObject({ userEmail: 'Duis.dignissim@vulputate.org', skuId: '5e6b7be8576e5213f065b23c' });
  });

  it("XONVO's lead calls under an account that does not exist are 404s, as the account's own are", async () => {
    expect((await xonvo('/accounts/55555/statistics')).status).toBe(404);
    for (const action of ['stop', 'reset', 'unsubscribe']) expect((await xonvo(`/accounts/55555/leads/EXT-32342-TR/${action}`, { method: 'PUT' })).status).toBe(404);
    expect((await xonvo('/accounts/55555/leads/EXT-32342-TR/statistics')).status).toBe(404);
    expect((await xonvo('/accounts/21/leads/EXT-32342-TR/statistics')).status).toBe(200);
  });

  it("XONVO's bulk leads are remembered one by one, as a single lead is: each can be read and stopped", async () => {
    const session = { 'x-mock-session': 'bulk' };
    const lead = (externalId: string) => ({ firstName: 'Ana', lastName: 'Lee', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', externalId });
    expect((await xonvo('/accounts/21/leads/BULK-1/statistics', { headers: session })).status).toBe(404);
    const other = ((await (await xonvo('/accounts', { method: 'POST', headers: session, body: JSON.stringify({ name: 'Other' }) })).json()) as { id: number }).id;
    const body = { leadsByAccountId: { '21': [lead('BULK-1'), lead('BULK-2')], [other]: [lead('BULK-3')] } };
    expect((await xonvo('/leads/bulk', { method: 'POST', headers: session, body: JSON.stringify(body) })).status).toBe(200);
    for (const id of ['BULK-1', 'BULK-2']) expect((await xonvo(`/accounts/21/leads/${id}/statistics`, { headers: session })).status).toBe(200);
    expect((await xonvo(`/accounts/${other}/leads/BULK-3/statistics`, { headers: session })).status).toBe(200);
    // BULK-3 is the other account's, not 21's (MOCK-33).
    expect((await xonvo('/accounts/21/leads/BULK-3/statistics', { headers: session })).status).toBe(404);
    expect((await xonvo('/accounts/21/leads/BULK-2/stop', { method: 'PUT', headers: session })).status).toBe(200);
    // Another session never saw them.
    expect((await xonvo('/accounts/21/leads/BULK-1/statistics')).status).toBe(404);
  });

  it("XONVO's bulk leads under an account the mock does not hold refuse the call with its documented 400, and nothing is kept", async () => {
    const session = { 'x-mock-session': 'bulk-unknown' };
    const lead = (externalId: string) => ({ firstName: 'Ana', lastName: 'Lee', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', externalId });
    // 18 is only the id the create example returns (MOCK-4): no account holds it until one is created as 18.
    const body = { leadsByAccountId: { '21': [lead('KEPT-NOT')], '18': [lead('NOWHERE')] } };
    const answer = await xonvo('/leads/bulk', { method: 'POST', headers: session, body: JSON.stringify(body) });
    const spec = JSON.parse(readFileSync('generated/xonvo/openapi.json', 'utf8')) as { paths: Record<string, Record<string, { responses: object }>> };
    expect(Object.keys(spec.paths['/leads/bulk']!.post!.responses)).toContain(String(answer.status));
    expect({ status: answer.status, body: await answer.json() }).toMatchObject({ status: 400, body: { status: 400, error: 'Bad Request' } });
    // The call is refused whole: the lead under account 21 is not kept either, and account 21 counts no new lead.
    expect((await xonvo('/accounts/21/leads/KEPT-NOT/statistics', { headers: session })).status).toBe(404);
    expect(await (await xonvo('/accounts/21/statistics', { headers: session })).json()).toMatchObject({ leadCount: 1 });
    // The spec's first example request names account 21, so the example requests still tell one story.
    const first = Object.values((spec.paths['/leads/bulk']!.post! as unknown as { requestBody: { content: { 'application/json': { examples: Record<string, { value: unknown }> } } } }).requestBody.content['application/json'].examples)[0]!.value;
    expect((await xonvo('/leads/bulk', { method: 'POST', headers: session, body: JSON.stringify(first) })).status).toBe(200);
  });

  // Found 2026-12-01: a lead under "021" was kept where no path could name it, and its account did not count it.
  // Found 2026-12-02: the bulk update had no x-mock, so leads under an account nobody holds got a 200 the bulk add refuses.
  it("XONVO's bulk update under an account the mock does not hold is refused whole with its documented 400, as the bulk add is (MOCK-134)", async () => {
    const session = { 'x-mock-session': 'bulk-update-unknown' };
    const lead = (externalId: string) => ({ firstName: 'Janet', lastName: 'John', phone: '+1333-111-8889', timestamp: '06-23-2021 22:55:23', externalId });
    const spec = JSON.parse(readFileSync('generated/xonvo/openapi.json', 'utf8')) as { paths: Record<string, Record<string, { responses: object }>> };
    const answer = await xonvo('/leads/bulk', { method: 'PUT', headers: session, body: JSON.stringify({ leadsByAccountId: { '21': [lead('EXT-32342-TR')], '55555': [lead('EXT-32342-TR')] } }) });
    expect(Object.keys(spec.paths['/leads/bulk']!.put!.responses)).toContain(String(answer.status));
    expect({ status: answer.status, body: await answer.json() }).toMatchObject({ status: 400, body: { status: 400, error: 'Bad Request' } });
    // Under accounts it holds, the vendor's own example is answered as before; a lead it does not hold is left out (MOCK-21).
    expect((await xonvo('/leads/bulk', { method: 'PUT', headers: session, body: JSON.stringify({ leadsByAccountId: { '21': [lead('EXT-32342-TR'), lead('NOT-HELD')] } }) })).status).toBe(200);
    expect((await xonvo('/accounts/21/leads/NOT-HELD/statistics', { headers: session })).status).toBe(404);
  });

  it("XONVO's bulk leads under an account key in another spelling (\"021\") are that account's", async () => {
    const session = { 'x-mock-session': 'bulk-spelling' };
    const lead = (externalId: string) => ({ firstName: 'Ana', lastName: 'Lee', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', externalId });
    const before = (await (await xonvo('/accounts/21/statistics', { headers: session })).json()) as { leadCount: number };
    const body = { leadsByAccountId: { '021': [lead('PAD-1')], '21': [lead('PAD-2')] } };
    expect((await xonvo('/leads/bulk', { method: 'POST', headers: session, body: JSON.stringify(body) })).status).toBe(200);
    for (const id of ['PAD-1', 'PAD-2']) expect((await xonvo(`/accounts/21/leads/${id}/statistics`, { headers: session })).status).toBe(200);
    expect(await (await xonvo('/accounts/21/statistics', { headers: session })).json()).toMatchObject({ leadCount: before.leadCount + 2 });
  });

  it("XONVO's bulk leads under an account key past 2^53 are refused naming it, and nothing is kept (MOCK-67)", async () => {
    const session = { 'x-mock-session': 'bulk-past' };
    const lead = (externalId: string) => ({ firstName: 'Ana', lastName: 'Lee', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', externalId });
    for (const key of ['9007199254740993', '9'.repeat(400)]) {
      const body = { leadsByAccountId: { '21': [lead('KEPT-NOT')], [key]: [lead('PAST-1')] } };
      const answer = await problemOf(await xonvo('/leads/bulk', { method: 'POST', headers: session, body: JSON.stringify(body) }));
      expect(answer).toMatchObject({ status: 422, field: 'accountId' });
      expect(answer.detail).toContain(`the key "${key.slice(0, 40)}`);
    }
    // The call is refused whole: the item under account 21 is not kept either.
    expect((await xonvo('/accounts/21/leads/KEPT-NOT/statistics', { headers: session })).status).toBe(404);
  });

  it("answers Imprzd's image with the bytes of a real PNG an <img> shows, not Prism's text \"string\"", async () => {
    const answer = await fetch(`${mocks.urls.imprzd}/BroadcastImpression/api/file/displayImageV2/L2hvbWUv`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await answer.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(Buffer.from(bytes).includes('IEND')).toBe(true);
    expect(answer.headers.get('sl-violations')).toBeNull();
  });

  it('keeps sessions apart and forgets on reset', async () => {
    const create = (session: string) => xonvo('/accounts', { method: 'POST', headers: { 'x-mock-session': session }, body: JSON.stringify({ name: 'A', phoneNumber: '+1', email: 'a@b.co' }) }).then((r) => r.json() as Promise<{ id: number }>);
    const { id } = await create('alice');
    expect((await xonvo(`/accounts/${id}/statistics`, { headers: { 'x-mock-session': 'alice' } })).status).toBe(200);
    expect((await xonvo(`/accounts/${id}/statistics`, { headers: { 'x-mock-session': 'bob' } })).status).toBe(404);
    expect((await fetch(`${mocks.urls.xonvo}/__mock/reset?session=alice`, { method: 'POST' })).status).toBe(204);
    expect((await xonvo(`/accounts/${id}/statistics`, { headers: { 'x-mock-session': 'alice' } })).status).toBe(404);
  });

  it('--stateless answers with the examples and remembers nothing', async () => {
    const stateless = await startMocks({ vendors: ['xonvo'], portBase: 0, stateless: true });
    try {
      const stats = await fetch(`${stateless.urls.xonvo}/accounts/999999/statistics`, { headers: { authorization: basic('u', 'p') } });
      expect(stats.status).toBe(200);
    } finally {
      await stateless.stop();
    }
  });
});

describe("Footprints' leads and their actions", () => {
  const fp = (path: string, init: RequestInit = {}) =>
    fetch(`${mocks.urls.footprints}${path}${path.includes('?') ? '&' : '?'}access_token=t`, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-mock-session': 'actions', ...(init.headers as object) } });
  const documented = (path: string, method: string) => Object.keys(((JSON.parse(readFileSync('generated/footprints/openapi.json', 'utf8')) as { paths: Record<string, Record<string, { responses: object }>> }).paths[path]![method]!.responses));
  const exampleLead = '6ee3b4089d5de9750035561';
  const actionsOf = async (lead: string) => ((await (await fp(`/api/lead/actions/${lead}`)).json()) as { data: { _id: string; leadId?: string; leadActionTypeId?: { _id: string; name?: string } }[] }).data;

  it.each([
    ['/api/lead/{leadId}', '/api/lead/000000000000000000000000', 'status=lead'],
    ['/api/lead/{leadId}/nps', '/api/lead/000000000000000000000000/nps', 'nps=5'],
    ['/api/lead/{leadId}/leadLost', '/api/lead/000000000000000000000000/leadLost', 'reasonLost=need'],
    ['/api/lead/action/{actionId}', '/api/lead/action/000000000000000000000000', 'actionDetail=x'],
  ])('PUT %s naming nothing answers the documented 400, not a 404 Footprints does not document (MOCK-39)', async (template, path, form) => {
    const answer = await fp(path, { method: 'PUT', body: form });
    expect(documented(template, 'put')).toContain(String(answer.status));
    expect({ status: answer.status, type: answer.headers.get('content-type'), body: await answer.json() }).toEqual({ status: 400, type: 'application/json', body: { status: 'error', message: 'Invalid request parameters' } });
  });

  it('an action on a lead the mock does not hold answers the documented 400 and is not kept; one on a held lead is', async () => {
    const unknownLead = '000000000000000000000000';
    const refused = await fp('/api/lead/action', { method: 'POST', body: `leadId=${unknownLead}&actionDetail=lost` });
    expect(documented('/api/lead/action', 'post')).toContain(String(refused.status));
    expect({ status: refused.status, body: await refused.json() }).toEqual({ status: 400, body: { status: 'error', message: 'Invalid request parameters' } });
    expect(await actionsOf(unknownLead)).toEqual([]);
    // Moving a held action to a lead the mock does not hold is refused too, and the action stays its lead's.
    const moved = await fp(`/api/lead/action/5ce3b4089d5de975003244d2`, { method: 'PUT', body: `leadId=${unknownLead}` });
    expect(moved.status).toBe(400);
    expect((await actionsOf(exampleLead)).map((a) => a._id)).toContain('5ce3b4089d5de975003244d2');
    // The spec's first example request names the lead Get Leads shows, so it is answered as documented.
    const spec = JSON.parse(readFileSync('generated/footprints/openapi.json', 'utf8')) as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { examples: Record<string, { value: Record<string, string> }> }> } }>> };
    for (const [path, method, url] of [['/api/lead/action', 'post', '/api/lead/action'], ['/api/lead/action/{actionId}', 'put', '/api/lead/action/5ce3b4089d5de975003244d2']] as const) {
      const first = Object.values(spec.paths[path]![method]!.requestBody.content['application/x-www-form-urlencoded']!.examples)[0]!.value;
      expect({ path, status: (await fp(url, { method: method.toUpperCase(), body: new URLSearchParams(first) })).status }).toEqual({ path, status: 200 });
    }
  });

  // Found 2026-12-02: documents for any lead id at all were answered as stored.
  it('documents for a lead the mock does not hold answer the documented 400; for a held lead, the documented answer (MOCK-135)', async () => {
    const upload = (lead: string) => {
      const form = new FormData();
      form.append('documents', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'contract.pdf');
      return fetch(`${mocks.urls.footprints}/api/lead/${lead}/contracts?access_token=t`, { method: 'PUT', headers: { 'x-mock-session': 'actions' }, body: form });
    };
    const refused = await upload('000000000000000000000000');
    expect(documented('/api/lead/{leadId}/{documentType}', 'put')).toContain(String(refused.status));
    expect({ status: refused.status, body: await refused.json() }).toEqual({ status: 400, body: { status: 'error', message: 'Invalid request parameters' } });
    const added = (await (await fp('/api/lead', { method: 'POST', body: 'userFirstName=Doc' })).json()) as { _id: string };
    for (const lead of ['5ce3b4089d5de975003244d2', added._id]) expect({ lead, status: (await upload(lead)).status }).toEqual({ lead, status: 200 });
  });

  // Found 2026-12-02: a SKU sent to Update Lead was dropped: no answer or read showed it.
  it("a SKU given to a lead is the lead's: Get Leads shows it populated, and the update's answer names it (MOCK-136)", async () => {
    const put = async (lead: string, form: string) => (await (await fp(`/api/lead/${lead}`, { method: 'PUT', body: form })).json()) as { skuId?: string };
    const skuOf = async (lead: string) => ((await (await fp('/api/lead')).json()) as { _id: string; sku?: unknown }[]).find((l) => l._id === lead)?.sku;
    const seeded = '5ce3b4089d5de975003244d2';
    // The example lead's SKU is the one the update example answers as `skuId`.
    expect(await put(seeded, 'status=lead')).toMatchObject({ skuId: '5e6b7be8576e5213f065b23c' });
    expect(await put(seeded, 'skuId=5d7f8932387e93790a187b38')).toMatchObject({ skuId: '5d7f8932387e93790a187b38' });
    expect(await skuOf(seeded)).toEqual({ _id: '5d7f8932387e93790a187b38', name: 'PROD SKU 2', price: 1132 });
    // A later update that sends none still answers the SKU the lead holds.
    expect(await put(seeded, 'status=prospect')).toMatchObject({ skuId: '5d7f8932387e93790a187b38' });
    // A SKU List SKUs does not show replaces the one held whole: no name or price of the one before.
    const added = (await (await fp('/api/lead', { method: 'POST', body: 'userFirstName=Sku' })).json()) as { _id: string };
    expect(await put(added._id, 'status=lead')).not.toHaveProperty('skuId');
    expect(await put(added._id, 'skuId=5e6b7be8576e5213f065b23c')).toMatchObject({ skuId: '5e6b7be8576e5213f065b23c' });
    expect(await put(added._id, 'skuId=unlisted')).toMatchObject({ skuId: 'unlisted' });
    expect(await skuOf(added._id)).toEqual({ _id: 'unlisted' });
  });

  // Found 2026-12-02: a new action was dated 2017, created 2019 and updated 2020, the example action's dates.
  it("a new action is created and updated at the time of the call, and shows none of the example action's dates (MOCK-138)", async () => {
    const lead = '5ce3b4089d5de975003244d2';
    const before = Date.now();
    const added = (await (await fp('/api/lead/action', { method: 'POST', body: new URLSearchParams({ leadId: lead, actionDetail: 'called', date: '2021-01-12 06:42:55' }) })).json()) as { _id: string };
    type Dated = { _id: string; date?: string; createdAt?: string; updatedAt?: string };
    const held = async () => ((await actionsOf(lead)) as Dated[]).find((a) => a._id === added._id)!;
    const created = await held();
    // The `date` sent has no zone, and the list shows ISO dates: none, rather than the example's 2017 one.
    expect(created).not.toHaveProperty('date');
    expect(Date.parse(created.createdAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(created.updatedAt).toBe(created.createdAt);
    expect((await fp(`/api/lead/action/${added._id}`, { method: 'PUT', body: 'actionDetail=again' })).status).toBe(200);
    const updated = await held();
    expect(updated.createdAt).toBe(created.createdAt);
    expect(Date.parse(updated.updatedAt!)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt!));
  });

  it('an action added without a lead belongs to none, not to the lead of the example it is copied from (MOCK-40)', async () => {
    const before = await actionsOf(exampleLead);
    const added = (await (await fp('/api/lead/action', { method: 'POST', body: 'actionDetail=orphan' })).json()) as { _id: string };
    expect(await actionsOf(exampleLead)).toEqual(before);
    // Given a lead later, it is that lead's.
    expect((await fp(`/api/lead/action/${added._id}`, { method: 'PUT', body: 'leadId=5ce3b4089d5de975003244d2' })).status).toBe(200);
    expect((await actionsOf('5ce3b4089d5de975003244d2')).map((a) => a._id)).toContain(added._id);
  });

  it("an action shows the type it was given, with the type's name where the types list has it, and no type when none was given (MOCK-40)", async () => {
    const lead = '5ce3b4089d5de975003244d2';
    const add = async (form: string) => ((await (await fp('/api/lead/action', { method: 'POST', body: `leadId=${lead}&${form}` })).json()) as { _id: string })._id;
    const [known, unknown, none] = [await add('actionDetail=a&leadActionTypeId=5ce3b4089d5de975003244d2'), await add('actionDetail=b&leadActionTypeId=aaaaaaaaaaaaaaaaaaaaaaaa'), await add('actionDetail=c')];
    const typeOf = async (id: string) => (await actionsOf(lead)).find((a) => a._id === id)?.leadActionTypeId;
    expect([await typeOf(known), await typeOf(unknown), await typeOf(none)]).toEqual([{ _id: '5ce3b4089d5de975003244d2', name: 'Type 1' }, { _id: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, undefined]);
    // An update that sends another type replaces the one held, whole: no name of the type before.
    expect((await fp(`/api/lead/action/${known}`, { method: 'PUT', body: 'leadActionTypeId=bbbbbbbbbbbbbbbbbbbbbbbb' })).status).toBe(200);
    expect(await typeOf(known)).toEqual({ _id: 'bbbbbbbbbbbbbbbbbbbbbbbb' });
    expect((await fp(`/api/lead/action/${known}`, { method: 'PUT', body: 'actionDetail=kept' })).status).toBe(200);
    expect(await typeOf(known)).toEqual({ _id: 'bbbbbbbbbbbbbbbbbbbbbbbb' });
  });
});

describe("Footprints' catalogues page through what the mock holds", () => {
  const page = async (path: string) => {
    const answer = await fetch(`${mocks.urls.footprints}${path}${path.includes('?') ? '&' : '?'}access_token=t`);
    const position = Object.fromEntries(['x-current-page', 'x-records', 'x-total-pages'].map((name) => [name, answer.headers.get(name)]));
    return { status: answer.status, ids: ((await answer.json()) as { _id: string }[]).map((item) => item._id), position };
  };

  it.each([
    ['/api/offerCategory', ['5d7a3190e47bd328e45bd176', '5d7a3190e47bd328e45bd177']],
    ['/api/sku', ['5e6b7be8576e5213f065b23c', '5d7f8932387e93790a187b38']],
  ])('%s: page 1 holds the catalogue, a later page none, and the headers say where the page is', async (path, ids) => {
    // No page size is documented: the whole catalogue is one page (FOOTPRINTS-33), as without `page`.
    const whole = { status: 200, ids, position: { 'x-current-page': '1', 'x-records': String(ids.length), 'x-total-pages': '1' } };
    expect(await page(path)).toEqual(whole);
    expect(await page(`${path}?page=1`)).toEqual(whole);
    expect(await page(`${path}?page=2`)).toEqual({ status: 200, ids: [], position: { 'x-current-page': '2', 'x-records': '0', 'x-total-pages': '1' } });
    // The answers pass the mock's own contract check (a broken one is a 500 "MOCK BUG").
    expect(bugs).toEqual([]);
  });
});

describe("XONVO's leads belong to their account", () => {
  const lead = (externalId: string) => ({ firstName: 'Ann', lastName: 'Lee', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', zip: '98121', jornayaLeadId: 'J-1', externalId });
  const status = async (method: string, path: string, body?: unknown) => (await xonvo(path, { method, body: body === undefined ? undefined : JSON.stringify(body) })).status;
  const account = async () => ((await (await xonvo('/accounts', { method: 'POST', body: JSON.stringify({ name: 'Shop' }) })).json()) as { id: number }).id;
  const statistics = (accountId: number, externalId: string) => status('GET', `/accounts/${accountId}/leads/${externalId}/statistics`);

  it('a lead added in bulk under one account is read and changed under it only', async () => {
    const [a, b] = [await account(), await account()];
    expect(await status('POST', '/leads/bulk', { leadsByAccountId: { [a]: [lead('ONLY-A')] } })).toBe(200);
    expect([await statistics(a, 'ONLY-A'), await statistics(b, 'ONLY-A')]).toEqual([200, 404]);
    for (const action of ['stop', 'reset', 'unsubscribe']) {
      expect({ action, status: await status('PUT', `/accounts/${b}/leads/ONLY-A/${action}`) }).toEqual({ action, status: 404 });
      expect({ action, status: await status('PUT', `/accounts/${a}/leads/ONLY-A/${action}`) }).toEqual({ action, status: 200 });
    }
  });

  it('one externalId under two accounts is two leads: adding it under the second leaves the first', async () => {
    const [a, b] = [await account(), await account()];
    expect(await status('POST', '/leads/bulk', { leadsByAccountId: { [a]: [lead('TWICE')] } })).toBe(200);
    expect(await status('POST', '/leads/bulk', { leadsByAccountId: { [b]: [lead('TWICE')] } })).toBe(200);
    expect([await statistics(a, 'TWICE'), await statistics(b, 'TWICE')]).toEqual([200, 200]);
  });

  it("the example lead is account 21's, and a lead added without an account is found under any", async () => {
    const a = await account();
    expect([await statistics(21, 'EXT-32342-TR'), await statistics(a, 'EXT-32342-TR')]).toEqual([200, 404]);
    // addLead names no account (S1): a lead it adds is reachable from each one, as the documented workflow reads it.
    expect(await status('POST', '/lead', lead('NO-ACCOUNT'))).toBe(200);
    expect([await statistics(21, 'NO-ACCOUNT'), await statistics(a, 'NO-ACCOUNT')]).toEqual([200, 200]);
  });

  it("an account's statistics count the leads held under it, and a new lead has delivered nothing (MOCK-43)", async () => {
    const session = { 'x-mock-session': 'stats' };
    const x = async (path: string, init: RequestInit = {}) => (await xonvo(path, { ...init, headers: session })).json() as Promise<Record<string, unknown>>;
    const lead = (externalId: string) => ({ firstName: 'a', lastName: 'b', phone: '1', timestamp: '06-23-2021 22:55:23', externalId });
    const { id } = (await x('/accounts', { method: 'POST', body: JSON.stringify({ name: 'Acme' }) })) as { id: number };
    await xonvo('/leads/bulk', { method: 'POST', headers: session, body: JSON.stringify({ leadsByAccountId: { [id]: [lead('L1'), lead('L2'), lead('L3')], 21: [lead('L4')] } }) });
    await xonvo(`/accounts/${id}/leads/L1/unsubscribe`, { method: 'PUT', headers: session });
    await xonvo(`/accounts/${id}/leads/L2/unsubscribe`, { method: 'PUT', headers: session });
    await xonvo(`/accounts/${id}/leads/L2/reset`, { method: 'PUT', headers: session });
    // A lead added without an account is found under any, but counted under none.
    await xonvo('/lead', { method: 'POST', headers: session, body: JSON.stringify({ ...lead('L5'), email: 'a@b.co', city: 'X', zip: '1', jornayaLeadId: 'j' }) });
    expect(await x(`/accounts/${id}/statistics`)).toMatchObject({ leadCount: 3, unsubscribeCount: 1 });
    // The example account holds the example lead, and now L4.
    expect(await x('/accounts/21/statistics')).toMatchObject({ leadCount: 2, unsubscribeCount: 0 });
    expect(await x(`/accounts/${id}/leads/L3/statistics`)).toEqual({ deliveredCount: 0, qualified: false, lastDeliveredTime: null });
    expect(await x(`/accounts/${id}/leads/L5/statistics`)).toEqual({ deliveredCount: 0, qualified: false, lastDeliveredTime: null });
    // Another session still reads the example's figures.
    expect(await (await xonvo('/accounts/21/statistics')).json()).toMatchObject({ leadCount: 1 });
  });

  /** The answer's status, media type, and the violation the mock names first in sl-violations. */
  const refusal = async (answer: Response) => ({ status: answer.status, type: answer.headers.get('content-type'), violation: (JSON.parse(answer.headers.get('sl-violations') ?? '[]') as { message: string }[])[0]?.message });

  // XONVO documents a 400 for an invalid parameter (`/accounts/abc/…`), and no 422: a value the mock cannot read is refused so (MOCK-66's 422 was undocumented).
  it('a numeric id beyond the largest number (400 nines), or past 2^53, is refused as an invalid id is, naming the parameter and the rule (MOCK-36, MOCK-37)', async () => {
    const invalid = await refusal(await xonvo('/accounts/abc/statistics'));
    expect(invalid).toMatchObject({ status: 400, type: 'application/json' });
    // In decimal digits, as an integer is spelt (1e400 is refused for its exponent).
    for (const spelling of ['9'.repeat(400), `-${'9'.repeat(400)}`]) {
      expect(await refusal(await xonvo(`/accounts/${spelling}/statistics`))).toEqual({ ...invalid, violation: expect.stringContaining(`path parameter accountId must be a number a record can have (got "${spelling}"`) });
    }
    expect((await xonvo('/accounts/021/statistics')).status).toBe(200);
    // Past 2^53 two ids read as one number: refused rather than read as a neighbour's (MOCK-37).
    expect(await refusal(await xonvo('/accounts/9007199254740993/statistics'))).toEqual({ ...invalid, violation: expect.stringContaining('path parameter accountId must be a number a record can have (got "9007199254740993", which is beyond the largest whole number') });
    // Its credentials are checked first, as for any invalid parameter.
    expect((await fetch(`${mocks.urls.xonvo}/accounts/9007199254740993/statistics`)).status).toBe(401);
  });

  // Found 2026-12-01: Prism, like Number(), read each of these as 21, and they named account 21.
  it.each(['0x15', '0b10101', '0o25', '%0921', '%2021', '21e0', '21.0'])('a numeric id spelt otherwise than in decimal digits (%s) is refused as an invalid id is, naming the rule', async (spelling) => {
    const invalid = await refusal(await xonvo('/accounts/abc/statistics'));
    expect(await refusal(await xonvo(`/accounts/${spelling}/statistics`))).toEqual({ ...invalid, violation: `path parameter accountId must be a whole number in decimal digits (got ${JSON.stringify(decodeURIComponent(spelling))})` });
  });

  it('a page number past 2^53, or beyond the largest number, is refused as an invalid page is, naming the parameter, not answered as another page (MOCK-66)', async () => {
    const token = (await (await fetch(`${mocks.urls.perx}/v4/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: 'i', client_secret: 's', grant_type: 'client_credentials', scope: 'user_account(identifier:66666)' }) })).json()) as { access_token: string };
    const vouchers = (page: string) => fetch(`${mocks.urls.perx}/v4/vouchers?page=${page}`, { headers: { authorization: `Bearer ${token.access_token}` } });
    const invalid = await vouchers('abc');
    const documented = { status: invalid.status, type: invalid.headers.get('content-type'), body: await invalid.text() };
    expect(documented).toMatchObject({ status: 400, type: 'application/json' });
    for (const [page, rule] of [
      ['9007199254740993', 'a number the mock can read exactly (got "9007199254740993", which is beyond the largest whole number told apart from its neighbours, 2^53 - 1)'],
      ['9'.repeat(400), `a number the mock can read exactly (got "${'9'.repeat(400)}", which is beyond the largest one)`],
      // Reviewer A found a hex page read as page 16; an integer has no exponent either.
      ['0x10', 'a whole number in decimal digits (got "0x10")'],
      ['1e400', 'a whole number in decimal digits (got "1e400")'],
    ]) {
      const answer = await vouchers(page!);
      expect({ status: answer.status, type: answer.headers.get('content-type'), body: await answer.text() }).toEqual(documented);
      expect((await refusal(answer)).violation).toBe(`query parameter page must be ${rule}`);
    }
    // An empty value is no value, as for any parameter: the first page.
    expect((await vouchers('')).status).toBe(200);
    expect((await vouchers('2')).status).toBe(200);
  });

  it('a lead added in bulk keeps only the fields its request documents, as one added alone does (MOCK-36)', async () => {
    const undeclared = { deliveredCount: 12345, qualified: false, lastDeliveredTime: '1999-01-01T00:00:00Z' };
    expect(await status('POST', '/lead', { ...lead('ALONE-36'), ...undeclared })).toBe(200);
    expect(await status('POST', '/leads/bulk', { leadsByAccountId: { 21: [{ ...lead('BULK-36'), ...undeclared }] } })).toBe(200);
    const read = async (id: string) => (await (await xonvo(`/accounts/21/leads/${id}/statistics`)).json()) as Record<string, unknown>;
    const [alone, bulk] = [await read('ALONE-36'), await read('BULK-36')];
    expect(alone.deliveredCount).not.toBe(12345);
    expect(bulk).toEqual(alone);
  });

  it('an id holding U+0000 names no other account\'s lead, and a lead added without an account joins none', async () => {
    const [a, b] = [await account(), await account()];
    expect(await status('POST', '/leads/bulk', { leadsByAccountId: { [b]: [lead('SECRET')] } })).toBe(200);
    // The account and the id, joined as a scoped lead is kept, spelt into the path by another account.
    expect(await statistics(a, `${b}%00SECRET`)).toBe(404);
    expect(await status('PUT', `/accounts/${a}/leads/${b}%00SECRET/stop`)).toBe(404);
    expect(await statistics(a, '21%00EXT-32342-TR')).toBe(404);
    expect(await status('POST', '/lead', lead(`${a}\u0000TAKEN`))).toBe(200);
    expect([await statistics(a, 'TAKEN'), await statistics(b, `${a}%00TAKEN`)]).toEqual([404, 200]);
  });
});

describe('dynamic answers', () => {
  it('generates a body from the schema with only the documented properties (faker loads on first use)', async () => {
    const answer = await xonvo('/accounts/21/statistics', { headers: { prefer: 'dynamic=true' } });
    expect(answer.status).toBe(200);
    expect(Object.keys((await answer.json()) as object).sort()).toEqual(['ctr', 'deliveredCount', 'engagedCount', 'leadCount', 'unsubscribeCount']);
  });
});

describe('the gateway', () => {
  it('serves each vendor under /<vendor>/ and refuses an unknown vendor', async () => {
    expect((await fetch(`${mocks.gatewayUrl}/xonvo/accounts/21/statistics`, { headers: { authorization: basic('u', 'p') } })).status).toBe(200);
    expect((await fetch(`${mocks.gatewayUrl}/nobody/x`)).status).toBe(404);
  });
});

describe('the engine on its own (no transport)', () => {
  const spec = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } }, example: [{ id: 'not-a-number' }] } } } },
        },
        post: {
          operationId: 'breakThings',
          'x-mock': { resource: 'things', action: 'adjust' },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' }, example: {} } } } },
        },
      },
    },
  };
  let engine: ReturnType<typeof createEngine>;
  const logged: string[] = [];
  setUp(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'engine-')), 'spec.json');
    await writeFile(file, JSON.stringify(spec));
    engine = createEngine({ vendor: 'fixture', document: spec, operations: await loadOperations(file), log: (l) => logged.push(l) });
  });

  it('answers a response that breaks the spec with a 500 naming the operation and the pointer', async () => {
    const answer = await engine.handle({ method: 'GET', path: '/things', query: '', headers: {} });
    expect(answer.status).toBe(500);
    const body = JSON.parse(String(answer.body));
    expect(body.violation).toMatchObject({ operationId: 'listThings', pointer: '/0/id', rule: 'type' });
    expect(logged.join('\n')).toContain('MOCK BUG: GET /things');
  });

  it('turns an exception inside the engine into a 500 problem, and keeps answering', async () => {
    const answer = await engine.handle({ method: 'POST', path: '/things', query: '', headers: {} });
    expect(answer).toMatchObject({ status: 500, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(String(answer.body)).detail).toContain('a mock bug');
    expect((await engine.handle({ method: 'GET', path: '/nope', query: '', headers: {} })).status).toBe(404);
  });

  it('titles that 500 "Mock failure" and logs the stack', async () => {
    logged.length = 0;
    const answer = await engine.handle({ method: 'POST', path: '/things', query: '', headers: {} });
    expect(JSON.parse(String(answer.body))).toMatchObject({ status: 500, title: 'Mock failure' });
    const bug = logged.find((line) => line.includes('MOCK BUG'));
    expect(bug).toMatch(/^\[fixture\] MOCK BUG: POST \/things: \w*Error: .*\n\s+at /s);
  });

  it('titles a broken answer "Mock answer breaks the contract" and names the vendor', async () => {
    const body = JSON.parse(String((await engine.handle({ method: 'GET', path: '/things', query: '', headers: {} })).body));
    expect(body).toMatchObject({ title: 'Mock answer breaks the contract' });
    expect(body.detail).toMatch(/^the mock built a response that breaks the fixture spec \(a mock bug, please report it\): /);
  });
});

afterAll(() => {
  // Every answer the real specs produced above was within the contract.
  expect(bugs).toEqual([]);
});

describe('the engine on a fixture spec (what the vendor specs do not reach)', () => {
  const item = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' }, state: { type: 'string' } }, additionalProperties: false };
  const seeded = { id: 1, name: 'seeded', state: 'open' };
  const json = (schema: object, extra: object = {}) => ({ 'application/json': { schema, ...extra } });
  const ok = (schema: object, example: unknown) => ({ description: 'ok', content: json(schema, { example }) });
  const spec = {
    openapi: '3.1.0',
    info: { title: 'shop', version: '1' },
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic' },
        userBearer: { type: 'http', scheme: 'bearer', 'x-mock-caller': 'user' },
        userKey: { type: 'apiKey', in: 'query', name: 'key', 'x-mock-caller': 'user' },
      },
    },
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          'x-mock': { resource: 'items', action: 'list' },
          parameters: [{ name: 'tags', in: 'query', explode: true, schema: { type: 'array', minItems: 2, items: { type: 'string' } } }],
          responses: { '200': ok({ type: 'array', items: item }, [seeded]) },
        },
        post: {
          operationId: 'createItem',
          'x-mock': { resource: 'items', action: 'create', merge: true },
          parameters: [{ name: 'legacy', in: 'query', deprecated: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: {
              ...json({ type: 'object', required: ['name'], properties: { name: { type: 'string' } }, additionalProperties: false }),
              'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
            },
          },
          responses: { '200': ok(item, seeded) },
        },
      },
      '/items/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'readItem', 'x-mock': { resource: 'items', action: 'read', id: 'id' }, responses: { '200': ok(item, seeded) } },
        delete: { operationId: 'deleteItem', 'x-mock': { resource: 'items', action: 'delete', id: 'id' }, responses: { '204': { description: 'gone' } } },
      },
      '/items/{id}/close': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        post: {
          operationId: 'closeItem',
          'x-mock': { resource: 'items', action: 'update', id: 'id', set: { state: 'closed' }, from: { field: 'state', in: ['open'], status: 409, example: 'alreadyClosed' } },
          responses: {
            '200': ok(item, { ...seeded, state: 'closed' }),
            '409': { description: 'conflict', content: json({ type: 'object' }, { examples: { other: { value: { error: 'other' } }, alreadyClosed: { value: { error: 'already closed' } } } }) },
          },
        },
      },
      '/guarded-items': {
        post: {
          operationId: 'createGuardedItem',
          security: [{ basic: [] }],
          'x-mock': { resource: 'items', action: 'create' },
          responses: { '200': ok(item, seeded), '401': ok({ type: 'object' }, { error: 'unauthorised' }) },
        },
      },
      '/reservations': {
        post: {
          operationId: 'reserve',
          'x-mock': { resource: 'items', action: 'create', examples: [{ when: { query: 'full', equals: 'yes' }, example: 'full', status: 409 }] },
          parameters: [{ name: 'full', in: 'query', schema: { type: 'string' } }],
          responses: { '200': ok(item, seeded), '409': { description: 'full', content: json({ type: 'object' }, { examples: { full: { value: { error: 'full' } } } }) } },
        },
      },
      '/by-score/{score}': {
        parameters: [{ name: 'score', in: 'path', required: true, schema: { type: 'number' } }],
        get: { operationId: 'readByScore', 'x-mock': { resource: 'items', action: 'read', id: 'score' }, responses: { '200': ok(item, seeded) } },
      },
      '/ping': { post: { operationId: 'ping', responses: { '204': { description: 'done' } } } },
      '/maybe': { get: { operationId: 'maybe', responses: { '200': { description: 'a member, or null', content: json({ type: ['object', 'null'] }, { examples: { none: { value: null } } }) } } } },
      '/locked': { get: { operationId: 'getLocked', security: [{ basic: [] }], responses: { '200': ok({ type: 'object' }, { ok: true }) } } },
      '/mine': {
        get: {
          operationId: 'getMine',
          security: [{ userBearer: [] }, { userKey: [] }],
          responses: { '200': ok({ type: 'object' }, { ok: true }), '401': ok({ type: 'object' }, { error: 'unauthorised' }) },
        },
      },
      '/memos': {
        post: {
          operationId: 'createMemo',
          'x-mock': { resource: 'memos', action: 'create', merge: true },
          requestBody: { content: { 'text/plain': { schema: { type: 'string' } } } },
          responses: { '200': ok({ type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } }, { id: 1, name: 'memo' }) },
        },
      },
      '/strict': {
        post: {
          operationId: 'postStrict',
          requestBody: { content: json({ type: 'object', additionalProperties: false }) },
          responses: { '200': ok({ type: 'object' }, {}), '400': ok({ type: 'object' }, { error: 'bad' }) },
        },
      },
      '/badge': {
        get: {
          operationId: 'getBadge',
          'x-mock': { examples: [{ when: { query: 'size', equals: 'big' }, example: 'big' }] },
          parameters: [{ name: 'size', in: 'query', schema: { type: 'string' } }],
          responses: { '200': { description: 'ok', content: json({ type: 'object' }, { examples: { small: { value: { size: 'small' } }, big: { value: { size: 'big' } } } }) } },
        },
      },
      '/random': {
        get: {
          operationId: 'getRandom',
          responses: { '200': ok({ type: 'object', required: ['a', 'b', 'c'], properties: { a: { type: 'string' }, b: { type: 'integer' }, c: { type: 'number' } } }, { a: 'x', b: 1, c: 1.5 }) },
        },
      },
      '/who': {
        get: {
          operationId: 'getWho',
          responses: { '200': ok({ type: 'object', required: ['email'], properties: { email: { type: 'string', 'x-faker': 'internet.email' } } }, { email: 'a@example.com' }) },
        },
      },
      '/note': { get: { operationId: 'getNote', responses: { '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' }, example: 'hello' } } } } } },
      '/errors': {
        get: {
          operationId: 'getErrors',
          responses: {
            '200': ok({ type: 'object' }, {}),
            // Both examples break their schemas: the 404 is an answer the mock must not send; the
            // problem document is the mock's own refusal, served as documented.
            '400': { description: 'bad', content: { 'application/problem+json': { schema: { type: 'object', required: ['title'] }, example: { detail: 'no title' } } } },
            '404': ok({ type: 'object', required: ['error'] }, { message: 'no error field' }),
          },
        },
      },
    },
  };
  type Change = Parameters<NonNullable<Parameters<typeof createEngine>[0]['onChange']>>[0];
  let operations: Awaited<ReturnType<typeof loadOperations>>;
  let engine: ReturnType<typeof createEngine>;
  const changes: Change[] = [];
  const logged: string[] = [];
  setUp(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'engine-')), 'spec.json');
    await writeFile(file, JSON.stringify(spec));
    operations = await loadOperations(file);
    engine = createEngine({ vendor: 'shop', document: spec, operations, log: (l) => logged.push(l), onChange: (c) => changes.push(c) });
  });
  beforeEach(() => {
    engine.reset();
    changes.length = 0;
    logged.length = 0;
  });

  interface Send {
    query?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
  }
  const send = (method: string, path: string, { query = '', headers = {}, body }: Send = {}) =>
    engine.handle({ method, path, query, headers, body: typeof body === 'string' ? new TextEncoder().encode(body) : body });
  const sendJson = (method: string, path: string, value: unknown, more: Send = {}) =>
    send(method, path, { ...more, headers: { 'content-type': 'application/json', ...more.headers }, body: JSON.stringify(value) });
  const parsed = (answer: { body: string | Uint8Array }) => JSON.parse(String(answer.body)) as Record<string, unknown>;
  const names = async (headers: Record<string, string> = {}) => (JSON.parse(String((await send('GET', '/items', { headers })).body)) as { name: string }[]).map((item) => item.name);

  it('sends a JSON null answer as the text null, within the contract (Placewise public_info may be null)', async () => {
    const answer = await send('GET', '/maybe');
    expect(answer).toMatchObject({ status: 200, body: 'null' });
    expect(logged.filter((line) => line.includes('MOCK BUG'))).toEqual([]);
  });

  describe('state', () => {
    it('keeps a created record, and reports the write, not the reads, to onChange', async () => {
      const created = await sendJson('POST', '/items', { name: 'lamp' });
      expect(created.status).toBe(200);
      expect(parsed(created)).toEqual({ id: 2, name: 'lamp', state: 'open' });
      expect(await names()).toEqual(['seeded', 'lamp']);
      expect((await send('GET', '/items/2')).status).toBe(200);
      expect(changes).toEqual([expect.objectContaining({ vendor: 'shop', session: 'default', resource: 'items', action: 'create', after: { id: 2, name: 'lamp', state: 'open' } })]);
    });

    it('puts requests without x-mock-session in the "default" session', async () => {
      await sendJson('POST', '/items', { name: 'lamp' });
      expect((await send('GET', '/items/2', { headers: { 'x-mock-session': 'default' } })).status).toBe(200);
      expect((await send('GET', '/items/2', { headers: { 'x-mock-session': 'other' } })).status).toBe(404);
    });

    it('reset(session) forgets that session only; reset() forgets them all', async () => {
      for (const session of ['alice', 'bob']) await sendJson('POST', '/items', { name: session }, { headers: { 'x-mock-session': session } });
      engine.reset('alice');
      expect(await names({ 'x-mock-session': 'alice' })).toEqual(['seeded']);
      expect(await names({ 'x-mock-session': 'bob' })).toEqual(['seeded', 'bob']);
      engine.reset();
      expect(await names({ 'x-mock-session': 'bob' })).toEqual(['seeded']);
    });

    it('takes writes without an onChange listener', async () => {
      const quiet = createEngine({ vendor: 'shop', document: spec, operations });
      const answer = await quiet.handle({ method: 'POST', path: '/items', query: '', headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode('{"name":"lamp"}') });
      expect(answer.status).toBe(200);
    });

    it('refuses a transition the lifecycle forbids with the documented example the behaviour names', async () => {
      expect(parsed(await send('POST', '/items/1/close'))).toMatchObject({ state: 'closed' });
      const again = await send('POST', '/items/1/close');
      expect(again.status).toBe(409);
      expect(parsed(again)).toEqual({ error: 'already closed' });
    });

    it('changes nothing when the behaviour picks an error answer', async () => {
      const full = await send('POST', '/reservations', { query: 'full=yes' });
      expect(full.status).toBe(409);
      expect(parsed(full)).toEqual({ error: 'full' });
      expect(await names()).toEqual(['seeded']);
      expect((await send('POST', '/reservations')).status).toBe(200);
      expect(await names()).toEqual(['seeded', 'seeded']);
    });

    it('answers a refusal the spec documents no response for with a problem naming the reason', async () => {
      const answer = await send('GET', '/items/99');
      expect(answer).toMatchObject({ status: 404, headers: { 'content-type': 'application/problem+json' } });
      expect(parsed(answer)).toMatchObject({ title: 'Refused', detail: 'items 99 does not exist' });
    });

    it('refuses a body in a media type the operation does not document, naming the ones it does, and changes nothing (MOCK-65)', async () => {
      for (const [contentType, body] of [['application/x-www-form-urlencoded', 'name=form'], ['application/vnd.shop+json', '{"name":"x"}'], ['text/plain', 'name'], [undefined, '{"name":"x"}']] as const) {
        const answer = await send('POST', '/strict', { headers: contentType ? { 'content-type': contentType } : {}, body });
        expect(answer.status).toBe(415);
        expect(parsed(answer)).toMatchObject({ status: 415, header: 'content-type', accepted: ['application/json'] });
        expect(parsed(answer).detail).toBe(`request body sent ${contentType ? `in "${contentType}"` : 'without a Content-Type'}; this operation takes "application/json"`);
      }
      expect((await send('POST', '/strict', { headers: { 'content-type': 'Application/JSON; charset=utf-8' }, body: '{}' })).status).toBe(200);
      expect(changes).toEqual([]);
    });

    it('reads JSON and form bodies as fields, but not a text body', async () => {
      const form = await send('POST', '/items', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=form' });
      expect(parsed(form)).toMatchObject({ name: 'form' });
      const text = await send('POST', '/memos', { headers: { 'content-type': 'text/plain' }, body: 'name=changed' });
      expect(text.status).toBe(200);
      expect(parsed(text)).toMatchObject({ name: 'memo' });
    });
  });

  describe('what Prism decides', () => {
    it('answers a request Prism finds invalid with its 422 problem, and changes nothing', async () => {
      const answer = await sendJson('POST', '/items', { nom: 'lamp' });
      expect(answer).toMatchObject({ status: 422, headers: { 'content-type': 'application/problem+json' } });
      expect(parsed(answer)).toMatchObject({ status: 422, title: 'Invalid request' });
      expect(parsed(answer).detail).toContain('request is not valid');
      expect(await names()).toEqual(['seeded']);
      expect(changes).toEqual([]);
    });

    it('passes on the headers of a refusal Prism makes (WWW-Authenticate)', async () => {
      const answer = await send('GET', '/locked');
      expect(answer.status).toBe(401);
      const header = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'www-authenticate');
      expect(header?.[1]).toBe('Basic realm="*"');
    });

    it("refuses the app's token the mock issued where the operation takes a user's, even when another scheme would let the request in without it", async () => {
      const [app, user] = ['Bearer mock..1', `Bearer mock.${Buffer.from('kim').toString('base64url')}.1`];
      expect((await send('GET', '/mine', { query: 'key=k', headers: { authorization: user } })).status).toBe(200);
      const refused = await send('GET', '/mine', { query: 'key=k', headers: { authorization: app } });
      expect([refused.status, parsed(refused)]).toEqual([401, { error: 'unauthorised' }]);
    });

    it('keeps no state for an unauthenticated write that gets the documented 401', async () => {
      const answer = await send('POST', '/guarded-items');
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.headers['sl-violations']!)).toEqual([{ location: ['request'], message: 'Invalid security scheme used', severity: 'Error' }]);
      expect(parsed(answer)).toEqual({ error: 'unauthorised' });
      expect(await names()).toEqual(['seeded']);
    });

    it('reports warnings in sl-violations and still keeps the write', async () => {
      const answer = await sendJson('POST', '/items', { name: 'lamp' }, { query: 'legacy=1' });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.headers['sl-violations']!)).toEqual([{ location: ['request', 'query', 'legacy'], message: 'Query param legacy is deprecated', severity: 'Warning' }]);
      expect(await names()).toEqual(['seeded', 'lamp']);
    });

    it('sends no sl-violations header when there are none', async () => {
      expect((await send('GET', '/items')).headers).not.toHaveProperty('sl-violations');
    });

    it('cuts sl-violations to fit in a header when there are too many', async () => {
      const few = await sendJson('POST', '/strict', { a: 1 });
      expect(few.status).toBe(400);
      expect(JSON.parse(few.headers['sl-violations']!)).toEqual([{ location: ['request', 'body', 'a'], severity: 'Error', message: 'Request body property a is not a documented field, and this object takes no others' }]);
      const many = await sendJson('POST', '/strict', Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`field${i}`, i])));
      const header = many.headers['sl-violations']!;
      expect(header.startsWith('Too many violations! [{')).toBe(true);
      expect(header.length).toBe('Too many violations! '.length + 8 * 1024 - 100);
    });

    it('hands repeated query parameters to validation as an array', async () => {
      expect((await send('GET', '/items', { query: 'tags=a&tags=b' })).status).toBe(200);
      expect((await send('GET', '/items', { query: 'tags=a' })).status).toBe(422);
    });
  });

  describe('Prefer', () => {
    it('lets the behaviour pick the example, unless Prefer asks for one', async () => {
      expect(parsed(await send('GET', '/badge', { query: 'size=big' }))).toEqual({ size: 'big' });
      expect(parsed(await send('GET', '/badge', { query: 'size=big', headers: { prefer: 'example=small' } }))).toEqual({ size: 'small' });
      expect(parsed(await send('GET', '/badge', { query: 'size=big', headers: { prefer: 'code=200' } }))).toEqual({ size: 'small' });
    });

    it('answers a write with what Prefer asks for, and keeps no state', async () => {
      for (const prefer of ['code=200', 'example=default']) {
        const answer = await sendJson('POST', '/items', { name: 'lamp' }, { headers: { prefer } });
        expect(answer.status).toBe(200);
        expect(parsed(answer)).toEqual(seeded);
      }
      expect(await names()).toEqual(['seeded']);
    });

    it('reads a number-typed path parameter as its number (1.0 names record 1), and a string-typed one as sent (01 names no record)', async () => {
      expect(parsed(await send('GET', '/by-score/1.0'))).toMatchObject({ id: 1, name: 'seeded' });
      expect(parsed(await send('GET', '/by-score/1e0'))).toMatchObject({ id: 1 });
      expect((await send('GET', '/items/01')).status).toBe(404);
    });

    it('lets a request without a body through whatever Content-Encoding it names', async () => {
      expect((await send('GET', '/items', { headers: { 'content-encoding': 'gzip' } })).status).toBe(200);
    });

    it('refuses a gzip body with a 415 naming Content-Encoding, not a "Malformed JSON" quoting its bytes', async () => {
      const answer = await send('POST', '/items', { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync('{"name":"x"}')) });
      expect(answer.status).toBe(415);
      expect(parsed(answer)).toMatchObject({ title: 'Unsupported Content-Encoding', header: 'content-encoding' });
    });

    it('refuses a Prefer header it cannot read with a 422 naming the header', async () => {
      const answer = await send('GET', '/items', { headers: { prefer: 'code=abc' } });
      expect(answer.status).toBe(422);
      expect(parsed(answer)).toMatchObject({ title: 'Bad Prefer header', header: 'prefer' });
      expect(parsed(answer).detail).toContain('cannot decode "abc"');
    });

    it('answers with a problem when Prefer asks for a status the spec does not document', async () => {
      const answer = await send('GET', '/items', { headers: { prefer: 'code=599' } });
      expect(answer).toMatchObject({ status: 404, headers: { 'content-type': 'application/problem+json' } });
      expect(parsed(answer).detail).toContain('599 is not defined');
    });

    it('answers a documented status with an example it does not have with a 404 naming both, not a 500', async () => {
      // Prism wraps this one failure in a plain Error that has lost its status and detail.
      const answer = await send('GET', '/items', { headers: { prefer: 'code=200, example=nope' } });
      expect(answer).toMatchObject({ status: 404, headers: { 'content-type': 'application/problem+json' } });
      expect(parsed(answer)).toMatchObject({ title: 'The server cannot find the requested content', detail: 'the 200 response has no example "nope"' });
    });

    it("fills a dynamic answer with the faker function a schema's x-faker names (faker loads on first use)", async () => {
      const answer = await send('GET', '/who', { headers: { prefer: 'dynamic=true' } });
      expect(answer.status).toBe(200);
      expect(parsed(answer).email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
      expect(parsed(answer).email).not.toBe('a@example.com');
    });

    it('generates a dynamic answer afresh for every request', async () => {
      const bodies: string[] = [];
      for (let i = 0; i < 3; i++) bodies.push(String((await send('GET', '/random', { headers: { prefer: 'dynamic=true' } })).body));
      expect(new Set(bodies).size).toBe(3);
    });
  });

  describe('bodies', () => {
    it('treats an empty body as no body', async () => {
      expect((await send('GET', '/items', { headers: { 'content-type': 'application/json' }, body: new Uint8Array(0) })).status).toBe(200);
    });

    it('reads a body of exactly the limit, and refuses one byte more with a 413', async () => {
      const atLimit = `{"name":"${'x'.repeat(LIMITS.bodyBytes - 11)}"}`;
      expect(atLimit.length).toBe(LIMITS.bodyBytes);
      const read = await send('POST', '/items', { headers: { 'content-type': 'application/json' }, body: atLimit });
      expect(read.status).toBe(200);
      const over = await send('POST', '/items', { headers: { 'content-type': 'application/json' }, body: `${atLimit} ` });
      expect(over.status).toBe(413);
      expect(parsed(over)).toMatchObject({ title: 'Body too large', limit: LIMITS.bodyBytes });
    });

    it('answers a body that is not JSON with a 400 problem pointing at the root', async () => {
      const answer = await send('POST', '/items', { headers: { 'content-type': 'application/json' }, body: '{"name":' });
      expect(answer.status).toBe(400);
      expect(parsed(answer)).toMatchObject({ title: 'Malformed JSON', pointer: '' });
    });

    it('sends a text answer as it is, and an answer without content as an empty body', async () => {
      expect(await send('GET', '/note')).toMatchObject({ status: 200, body: 'hello', headers: { 'content-type': 'text/plain' } });
      expect(await send('DELETE', '/items/1')).toMatchObject({ status: 204, body: '' });
      expect(await send('POST', '/ping')).toMatchObject({ status: 204, body: '' });
    });
  });

  describe('routing', () => {
    it('names the vendor and the path when no operation matches', async () => {
      const answer = await send('GET', '/nope');
      expect(answer.status).toBe(404);
      // An RFC 9457 problem document whose type names the status.
      expect(parsed(answer)).toEqual({ type: 'https://martech-contracts.dev/mock/problems/404', title: 'No such operation', status: 404, detail: 'shop documents no operation at /nope; it documents 17 paths; nearest: GET /note' });
    });

    it('names the methods a path takes when the method is wrong, whatever its case', async () => {
      const answer = await send('patch', '/items');
      expect(answer).toMatchObject({ status: 405, headers: { allow: 'GET, POST' } });
      expect(parsed(answer)).toMatchObject({ title: 'Method not allowed', detail: '/items takes GET, POST, not PATCH' });
    });
  });

  describe('the contract check', () => {
    it('turns a documented error whose example breaks its schema into a 500, every time, without blaming other answers', async () => {
      expect((await send('GET', '/note')).status).toBe(200);
      for (let i = 0; i < 2; i++) {
        const answer = await send('GET', '/errors', { headers: { prefer: 'code=404' } });
        expect(answer.status).toBe(500);
        expect(parsed(answer)).toMatchObject({ title: 'Mock answer breaks the contract', violation: { operationId: 'getErrors', status: 404 } });
        expect(parsed(answer).detail).toContain('breaks the shop spec (a mock bug, please report it)');
      }
      expect((await send('GET', '/note')).status).toBe(200);
    });

    it("serves a documented problem document as it is (the mock's own refusal)", async () => {
      expect(await send('GET', '/errors', { headers: { prefer: 'code=400' } })).toMatchObject({ status: 400, body: '{"detail":"no title"}' });
    });
  });

  it('generates every answer from the schema when made dynamic; a seed makes those answers repeatable', async () => {
    const random = async (options: { seed?: string }) => {
      const dynamic = createEngine({ vendor: 'shop', document: spec, operations, dynamic: true, ...options });
      const first = await dynamic.handle({ method: 'GET', path: '/random', query: '', headers: {} });
      const second = await dynamic.handle({ method: 'GET', path: '/random', query: '', headers: {} });
      return [first.body, second.body];
    };
    const [first, second] = await random({});
    expect(first).not.toBe('{"a":"x","b":1,"c":1.5}');
    expect(first).not.toBe(second);
    const [repeatable] = await random({ seed: 'abc' });
    expect(await random({ seed: 'abc' })).toEqual([repeatable, repeatable]);
  });

  it('logs one line per request: vendor, method, path with its query, status', async () => {
    await send('GET', '/items', { query: 'tags=a&tags=b' });
    await send('GET', '/note');
    expect(logged).toEqual([expect.stringMatching(/^\[shop\] GET \/items\?tags=a&tags=b → 200 \(\d+\.\d ms\)$/), expect.stringMatching(/^\[shop\] GET \/note → 200 \(\d+\.\d ms\)$/)]);
  });

  it('logs a credential sent in the query as … (an apiKey scheme in: query names it), the rest of the query as sent (MOCK-144)', async () => {
    await send('GET', '/items', { query: 'tags=a&key=s3cret-1&k%65y=s3cret-2&key&keys=b' });
    expect(logged).toEqual([expect.stringMatching(/^\[shop\] GET \/items\?tags=a&key=…&k%65y=…&key=…&keys=b → \d+ /)]);
    expect(logged.join('\n')).not.toContain('s3cret');
  });

  it("logs a refusal with why, from its sl-violations: its body is the vendor's example, which does not say", async () => {
    await sendJson('POST', '/guarded-items', { name: 'x' });
    await sendJson('POST', '/strict', { a: 1, b: 2 });
    await send('GET', '/items/1', { headers: { prefer: 'code=404' } });
    expect(logged).toEqual([
      expect.stringMatching(/^\[shop\] POST \/guarded-items → 401 \(\d+\.\d ms\): request Invalid security scheme used$/),
      expect.stringMatching(/^\[shop\] POST \/strict → 400 \(\d+\.\d ms\): request\.body\.a Request body property a is not a documented field, and this object takes no others \(\+1 more in sl-violations\)$/),
      // A status asked for that the operation does not document: the mock's own answer says so (MOCK-152).
      expect.stringMatching(/^\[shop\] GET \/items\/1 → 404 \(\d+\.\d ms\): Requested status code 404 is not defined in the document\.$/),
    ]);
  });

  // Found 2026-12-03, a frontend developer's first hour: `→ 415` with nothing after it, the reason only in the body.
  it("logs the mock's own refusal with its problem's detail; a vendor's documented problem document is not the mock's reason (MOCK-152)", async () => {
    await send('GET', '/nowhere');
    await send('DELETE', '/note');
    await send('POST', '/strict', { headers: { 'content-type': ';;;' }, body: '{}' });
    await send('GET', '/errors', { headers: { prefer: 'code=400' } });
    expect(logged).toEqual([
      expect.stringMatching(/^\[shop\] GET \/nowhere → 404 \(\d+\.\d ms\): shop documents no operation at \/nowhere; it documents 17 paths; nearest: GET \/note$/),
      expect.stringMatching(/^\[shop\] DELETE \/note → 405 \(\d+\.\d ms\): \/note takes GET, not DELETE$/),
      expect.stringMatching(/^\[shop\] POST \/strict → 415 \(\d+\.\d ms\): header Content-Type ";;;" is not a media type/),
      expect.stringMatching(/^\[shop\] GET \/errors → 400 \(\d+\.\d ms\)$/),
    ]);
  });

  it('logs a refusal on one line of printable text, however the request named its fields (MOCK-142)', async () => {
    // A field name is quoted by the violation: a newline forged a line of its own, an escape sequence drove the terminal.
    await sendJson('POST', '/strict', { 'a\n[shop] GET /forged → 200 (0.1 ms)': 1 });
    await sendJson('POST', '/strict', { '\u001b[2J\u001b]0;title\u0007\u009b31m': 1 });
    // The name is said twice (where, and the field the rule is said of): 3,000 characters of it still fit in the header.
    await sendJson('POST', '/strict', { ['k'.repeat(3000)]: 1 });
    expect(logged).toHaveLength(3);
    for (const line of logged) expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(logged[0]).toContain('Request body property a\\n[shop] GET ~1forged → 200 (0.1 ms) is not a documented field');
    expect(logged[1]).toContain('Request body property \\u001b[2J\\u001b]0;title\\u0007\\u009b31m is not a documented field');
    // A 7,000-character name was a 7 kB line, each time it was sent.
    expect(logged[2]).toMatch(/request\.body\.k{100,}… \(\d+ characters\)$/);
    expect(logged[2]!.length).toBeLessThan(400);
  });
});

/**
 * Credentials in URLs and under names no credential's word tells, recorded over real HTTP.
 * In the URLs an answer's headers carry (a redirect's Location, a Link, a Refresh): a password in
 * a URL's user part, and a masked query value that must not take the header's own punctuation
 * with it. OAuth 2.0 and OIDC parameters that hold a secret (the authorization `code`, PKCE's
 * `code_verifier`, `device_code`, `assertion`, `client_assertion`, CIBA's `auth_req_id`,
 * `id_token_hint`): masked in a URL's query or fragment (a request's, a header's, a body's) and in
 * a token request's body, form or JSON. And the vendors' own fields named `code` (a Perx error's
 * number, a Footprints loyalty code, a XONVO discount attribute), which are no OAuth parameter,
 * recorded as they were sent.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createFootprintsClient } from '../footprints.js';
import { createPerxClient } from '../perx.js';
import { createXonvoClient } from '../xonvo.js';
import { createHarRecorder, isCredentialField, isCredentialParameter } from './har.js';
import { recordingFetch } from './recording-fetch.js';
import { recorded } from './recordings.js';

const closes: (() => void)[] = [];
afterEach(() => closes.splice(0).forEach((close) => close()));

interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** A server answering each request by its method and path (query left out), its request bodies kept. */
async function server(answer: (method: string, path: string) => Answer) {
  const bodies: string[] = [];
  const http = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      const { status, headers, body: text } = answer(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!);
      res.writeHead(status, headers).end(text);
    });
  });
  await new Promise<void>((listening) => http.listen(0, '127.0.0.1', listening));
  closes.push(() => http.close());
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, bodies };
}

/** A recording fetch over real HTTP, as a client's `record` option or `martech-contracts record` makes one. */
function recording() {
  const recorder = createHarRecorder();
  const send = recordingFetch(globalThis.fetch, recorder.record);
  const call = async (url: string, init?: RequestInit) => {
    const response = await send(new Request(url, { redirect: 'manual', ...init }));
    await response.arrayBuffer();
    await recorded(response);
  };
  return { recorder, call };
}

const CODE = 'SplxlOBeZQQYbYS6WxSbIA';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const DEVICE_CODE = 'GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS';
const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJhcHAxIn0.c2lnbmF0dXJlQQ';
const CLIENT_ASSERTION = 'eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJhcHAxIn0.Y2xpZW50c2ln';
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIyNDgyODkifQ.aWR0b2tlbnNpZw';
const AUTH_REQ_ID = '1c266114-a1be-4252-8ad1-04986c5b9ac1';

it("masks OAuth's code in a URL's query or fragment: a redirect's Location, a Refresh, a Link, the callback's own URL, a link in HTML or JSON, and an id_token_hint", async () => {
  const idp = await server((_, path): Answer => {
    if (path === '/authorize')
      return {
        status: 302,
        headers: {
          location: `https://app.example/cb?code=${CODE}&state=af0ifjsldkj`,
          refresh: '0; url="https://app.example/cb#code=HybridCode9xYq&state=s1"',
          link: '<https://app.example/cb?state=s2&code=LinkCode77Qz>; rel="next"',
        },
      };
    if (path === '/page') return { status: 200, headers: { 'content-type': 'text/html' }, body: '<a href="https://app.example/cb?state=s3&amp;code=HtmlCode42Zp">go on</a>' };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_to: 'https://app.example/cb?code=JsonUrlCode5W&state=s4' }) };
  });
  const { recorder, call } = recording();
  await call(`${idp.url}/authorize?response_type=code&client_id=app1&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM`);
  await call(`${idp.url}/cb?code=${CODE}&state=af0ifjsldkj`);
  await call(`${idp.url}/page`);
  await call(`${idp.url}/continue`);
  await call(`${idp.url}/logout?id_token_hint=${ID_TOKEN}&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F`);

  const [authorize, callback, page, next, logout] = recorder.entries;
  const header = (name: string) => authorize!.response.headers.find((h) => h.name === name)?.value;
  expect(header('location')).toBe('https://app.example/cb?code=[redacted]&state=af0ifjsldkj');
  expect(header('refresh')).toBe('0; url="https://app.example/cb#code=[redacted]&state=s1"');
  expect(header('link')).toBe('<https://app.example/cb?state=s2&code=[redacted]>; rel="next"');
  // A PKCE challenge is a hash, public by design; the state binds the redirect and grants nothing.
  expect(authorize!.request.url).toContain('state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  expect(callback!.request.url).toBe(`${idp.url}/cb?code=[redacted]&state=af0ifjsldkj`);
  expect(callback!.request.queryString).toEqual([
    { name: 'code', value: '[redacted]' },
    { name: 'state', value: 'af0ifjsldkj' },
  ]);
  expect(page!.response.content.text).toBe('<a href="https://app.example/cb?state=s3&amp;code=[redacted]">go on</a>');
  expect(JSON.parse(next!.response.content.text)).toEqual({ redirect_to: 'https://app.example/cb?code=[redacted]&state=s4' });
  expect(logout!.request.url).toBe(`${idp.url}/logout?id_token_hint=[redacted]&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F`);
  expect(JSON.stringify(recorder.entries)).not.toMatch(new RegExp([CODE, 'HybridCode9xYq', 'LinkCode77Qz', 'HtmlCode42Zp', 'JsonUrlCode5W', ID_TOKEN].join('|')));
});

it("masks a token request's secrets, form or JSON (code, code_verifier, assertion, client_assertion, device_code, auth_req_id), and the device_code a device authorization issues", async () => {
  const idp = await server((_, path): Answer =>
    path === '/device_authorization'
      ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device_code: DEVICE_CODE, user_code: 'WDJB-MJHT', verification_uri: 'https://idp.example/device', expires_in: 1800, interval: 5 }) }
      : { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_grant"}' },
  );
  const { recorder, call } = recording();
  const form = (body: string) => call(`${idp.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  await call(`${idp.url}/device_authorization`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=app1&scope=openid' });
  await form(`grant_type=authorization_code&code=${CODE}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=${VERIFIER}&client_id=app1`);
  await form(`grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${ASSERTION}`);
  await form(`grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=${CLIENT_ASSERTION}`);
  await form(`grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=${DEVICE_CODE}&client_id=app1`);
  await form(`grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=${AUTH_REQ_ID}`);
  await call(`${idp.url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', code: 'JsonGrantCode8Q', code_verifier: VERIFIER }) });

  const [device, ...tokens] = recorder.entries;
  expect(JSON.parse(device!.response.content.text)).toEqual({ device_code: '[redacted]', user_code: 'WDJB-MJHT', verification_uri: 'https://idp.example/device', expires_in: 1800, interval: 5 });
  expect(tokens.map((entry) => entry.request.postData?.text)).toEqual([
    'grant_type=authorization_code&code=[redacted]&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=[redacted]&client_id=app1',
    'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=[redacted]',
    'grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=[redacted]',
    'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=[redacted]&client_id=app1',
    'grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=[redacted]',
    '{"grant_type":"authorization_code","code":"[redacted]","code_verifier":"[redacted]"}',
  ]);
  expect(JSON.stringify(recorder.entries)).not.toMatch(new RegExp([CODE, VERIFIER, DEVICE_CODE, ASSERTION, CLIENT_ASSERTION, AUTH_REQ_ID, 'JsonGrantCode8Q'].join('|')));
});

it("records the vendors' own fields named code as sent: a Perx error's number, a Footprints loyalty code in a form and an answer, a XONVO discount attribute", async () => {
  const vendor = await server((method, path): Answer => {
    if (path === '/v4/oauth/token' || path === '/api/token') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":"tok-Perx0123456","token_type":"Bearer","expires_in":3600}' };
    if (path === '/v4/vouchers/12/redeem') return { status: 400, headers: { 'content-type': 'application/json' }, body: '{"code":405,"message":"Voucher state transition not permitted"}' };
    if (path === '/api/loyaltyCode/check') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"success","message":"redeem code found","code":"9E58EDIQ","prize_status":"associated"}' };
    return { status: method === 'POST' ? 200 : 404, headers: { 'content-type': 'application/json' }, body: '{"status":"success"}' };
  });
  const recorder = createHarRecorder();
  const perx = createPerxClient({ baseUrl: vendor.url, clientId: 'client-id-7Qx', clientSecret: 'client-secret-9Zt', record: recorder.record });
  await perx.asUser('66666').POST('/v4/vouchers/{voucher_id}/redeem', { params: { path: { voucher_id: 12 } } });
  const footprints = createFootprintsClient({ baseUrl: vendor.url, key: 'fp-key-123', secret: 'fp-secret-456', record: recorder.record });
  await footprints.POST('/api/loyaltyCode/change', { body: { userEmail: 'ann@example.com', campaignInternalId: 'msyfms5a9sd2', code: 'XFSTWK98HG' } });
  await footprints.POST('/api/loyaltyCode/check', { body: { userEmail: 'ann@example.com', campaignInternalId: 'msyfms5a9sd2' } });
  const xonvo = createXonvoClient({ username: 'user1', password: 'Pa55wordXyz', baseUrl: vendor.url, record: recorder.record });
  const lead = { firstName: 'John', lastName: 'Smith', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23', attributes: { code: 'TR44SAVE20', DISCOUNT_CODE: 'TR44' } };
  await xonvo.POST('/leads/bulk', { body: { leadsByAccountId: { '21': [lead] } } });

  const find = (path: string) => recorder.entries.find((entry) => new URL(entry.request.url).pathname.endsWith(path))!;
  expect(JSON.parse(find('/v4/vouchers/12/redeem').response.content.text)).toEqual({ code: 405, message: 'Voucher state transition not permitted' });
  expect(find('/api/loyaltyCode/change').request.postData?.text).toBe('userEmail=ann%40example.com&campaignInternalId=msyfms5a9sd2&code=XFSTWK98HG');
  expect(JSON.parse(find('/api/loyaltyCode/check').response.content.text)).toMatchObject({ code: '9E58EDIQ' });
  expect(JSON.parse(find('/leads/bulk').request.postData!.text).leadsByAccountId['21'][0].attributes).toEqual({ code: 'TR44SAVE20', DISCOUNT_CODE: 'TR44' });
});

it("masks the password of a URL's user part in an answer's headers, and learns it, so a later body quoting it is masked too", async () => {
  const password = 'Sup3rPassw0rd';
  const { url: baseUrl } = await server((_method, path): Answer =>
    path.endsWith('/1/statistics')
      ? { status: 302, headers: { location: `https://svc:${password}@idp.example/cb?state=x`, 'content-location': `ftp://svc:${password}@files.example/a` } }
      : { status: 500, headers: { 'content-type': 'text/plain' }, body: `upstream svc:${password} refused` },
  );
  const recorder = createHarRecorder();
  const xonvo = createXonvoClient({ username: 'user1', password: 'Pa55wordXyz', baseUrl, record: recorder.record });
  await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 } } });
  await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 2 } } });

  const [redirect, refusal] = recorder.entries;
  const header = (name: string) => redirect!.response.headers.find((h) => h.name === name)?.value;
  expect(header('location')).toBe('https://svc:[redacted]@idp.example/cb?state=x');
  expect(header('content-location')).toBe('ftp://svc:[redacted]@files.example/a');
  expect(refusal!.response.content.text).toBe('upstream svc:[redacted] refused');
  expect(JSON.stringify(recorder.entries)).not.toContain(password);
});

it("keeps a header's own punctuation after a masked query value: a Link's `>; rel=next`, a quoted URL's closing quote", async () => {
  const { url: baseUrl } = await server(() => ({
    status: 200,
    headers: { 'content-type': 'application/json', link: '<https://x.example/leads?page=2&api_key=LINKKEY777>; rel="next"', refresh: '0; url="/x?token=REFRESHTOK999"' },
    body: '{"engagedCount":0,"leadCount":1,"unsubscribeCount":0,"deliveredCount":0,"ctr":3}',
  }));
  const recorder = createHarRecorder();
  const xonvo = createXonvoClient({ username: 'user1', password: 'Pa55wordXyz', baseUrl, record: recorder.record });
  await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 } } });

  const header = (name: string) => recorder.entries[0]!.response.headers.find((h) => h.name === name)?.value;
  expect(header('link')).toBe('<https://x.example/leads?page=2&api_key=[redacted]>; rel="next"');
  expect(header('refresh')).toBe('0; url="/x?token=[redacted]"');
});

it("masks a credential in the URLs a JSON body's strings hold, as it does in a text body's: a page's `next` link carrying the token, a callback's password", async () => {
  const token = 'EAAGm0PX4ZCpsBAKZBqz9';
  const body = JSON.stringify({ paging: { next: `https://graph.example/v1/leads?access_token=${token}&after=QVFI` }, callback: 'https://svc:Sup3rPassw0rd@hooks.example/in' });
  const { url: baseUrl } = await server(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body }));
  const recorder = createHarRecorder();
  const xonvo = createXonvoClient({ username: 'user1', password: 'Pa55wordXyz', baseUrl, record: recorder.record });
  await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 } } });

  expect(JSON.parse(recorder.entries[0]!.response.content.text)).toEqual({
    paging: { next: 'https://graph.example/v1/leads?access_token=[redacted]&after=QVFI' },
    callback: 'https://svc:[redacted]@hooks.example/in',
  });
});

it("knows OAuth's secrets by name however a vendor spells them, and only those names: not a field that merely ends or starts with one", () => {
  const secrets = ['code_verifier', 'codeVerifier', 'code-verifier', 'CODE_VERIFIER', 'codeverifier', 'deviceCode', 'authReqId', 'auth-req-id', 'clientAssertion', 'idTokenHint', 'id-token-hint'];
  for (const name of secrets) expect({ name, field: isCredentialField(name), parameter: isCredentialParameter(name) }).toEqual({ name, field: true, parameter: true });
  // RFC 7523's client_assertion_type is a fixed URN; a flag that PKCE was used holds no verifier; user_code is typed by hand.
  const shown = ['client_assertion_type', 'has_code_verifier', 'device_code_expires_in', 'user_code', 'code_challenge', 'state', 'amp;state', 'promo_code'];
  for (const name of shown) expect({ name, field: isCredentialField(name), parameter: isCredentialParameter(name) }).toEqual({ name, field: false, parameter: false });
  // `code` and `assertion` are OAuth's only as its parameters, an HTML-escaped query's `&amp;code=` too.
  for (const name of ['code', 'assertion', 'amp;code', 'amp;assertion']) expect({ name, field: isCredentialField(name), parameter: isCredentialParameter(name) }).toEqual({ name, field: false, parameter: true });
});

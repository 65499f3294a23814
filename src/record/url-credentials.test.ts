/**
 * Credentials in the URLs an answer's headers carry (a redirect's Location, a Link, a Refresh),
 * recorded by a real client over real HTTP: a password in a URL's user part, and a masked query
 * value that must not take the header's own punctuation with it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createXonvoClient } from '../xonvo.js';
import { createHarRecorder } from './har.js';

const closes: (() => void)[] = [];
afterEach(() => closes.splice(0).forEach((close) => close()));

interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

async function vendor(answer: (path: string) => Answer) {
  const server = createServer((req, res) => {
    const { status, headers, body } = answer(req.url ?? '/');
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  closes.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it("masks the password of a URL's user part in an answer's headers, and learns it, so a later body quoting it is masked too", async () => {
  const password = 'Sup3rPassw0rd';
  const baseUrl = await vendor((path): Answer =>
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
  const baseUrl = await vendor(() => ({
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
  const baseUrl = await vendor(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body }));
  const recorder = createHarRecorder();
  const xonvo = createXonvoClient({ username: 'user1', password: 'Pa55wordXyz', baseUrl, record: recorder.record });
  await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 } } });

  expect(JSON.parse(recorder.entries[0]!.response.content.text)).toEqual({
    paging: { next: 'https://graph.example/v1/leads?access_token=[redacted]&after=QVFI' },
    callback: 'https://svc:[redacted]@hooks.example/in',
  });
});

import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath } from '../bundles.js';
import { startMocks, type RunningMocks } from '../index.js';
import { loadOperations, type Operation } from '../prism.js';
import { vendors } from '../../vendors.js';
import { encodeBody, requestsFor, validRequest, type FuzzRequest } from './requests.js';

/**
 * A bounded fuzz load on every vendor's mock over HTTP: the spec's own requests, each broken one
 * named thing at a time, then random ones (fast-check, fixed seed) up to 2,000 per vendor.
 * Nothing may crash the mock or get a 5xx; every broken field must be named in the refusal.
 */
const PER_VENDOR = 2000;
const served = vendors.filter((v) => v.operationCount > 0);
let mocks: RunningMocks;
const bugs: string[] = [];

beforeAll(async () => {
  mocks = await startMocks({ portBase: 0, log: (l) => l.includes('MOCK BUG') && bugs.push(l) });
});
afterAll(() => mocks?.stop());

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'polluted', 'name');
// What a developer may ask of the mock: a status, an example by name (one that exists or not),
// generated answers. Not a 5xx: a vendor's documented 500, asked for, is a right answer.
const preferHeader = fc.oneof(
  fc.constant(undefined),
  fc.record({ code: fc.constantFrom('', 'code=200', 'code=201', 'code=204', 'code=400', 'code=404'), example: fc.oneof(fc.constant(''), hostileKey.map((k) => `example=${k}`)), dynamic: fc.constantFrom('', 'dynamic=true') })
    .map(({ code, example, dynamic }) => [code, example, dynamic].filter(Boolean).join(', ') || undefined),
);
const { hostileBody } = fc.letrec((tie) => ({
  hostileBody: fc.dictionary(hostileKey, fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 4 }), fc.constantFrom(1e308, -1e308, '1e999'), tie('hostileBody')), { minKeys: 1, maxKeys: 3 }),
}));

function randomRequests(operations: Operation[], count: number, seed: number): FuzzRequest[] {
  const operation = fc.constantFrom(...operations);
  const segment = fc.oneof(fc.string(), fc.constantFrom('%', '%zz', '%ff', '%C0%AF', '%ED%A0%80', '..', '', '%00'));
  const arbitrary = fc.oneof(
    // A documented operation with a random body and random query.
    fc.record({ op: operation, body: fc.jsonValue({ maxDepth: 4 }), query: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }) }).map(({ op, body, query }): FuzzRequest => {
      const valid = validRequest(op);
      for (const [k, v] of Object.entries(query)) valid.query.append(k, v);
      const text = encodeBody(body, 'application/json');
      return { label: `${op.iid} random body`, method: op.method.toUpperCase(), path: `${valid.path}?${valid.query}`, headers: { ...valid.headers, 'content-type': 'application/json' }, body: text, expect: 'any' };
    }),
    // A documented operation whose body and query are keyed by the names that reach an object's
    // prototype, the body in the operation's own media type (bracketed fields for form operations).
    fc.record({ op: operation, body: hostileBody, key: hostileKey, prefer: preferHeader }).map(({ op, body, key, prefer }): FuzzRequest => {
      const valid = validRequest(op);
      valid.query.append(key, '1');
      valid.query.append(key, '2');
      const mediaType = valid.mediaType ?? 'application/json';
      const headers = { ...valid.headers, 'content-type': mediaType, ...(prefer ? { prefer } : {}) };
      return { label: `${op.iid} hostile keys`, method: op.method.toUpperCase(), path: `${valid.path}?${valid.query}`, headers, body: encodeBody(body, mediaType), expect: 'any' };
    }),
    // Random paths, methods and headers.
    fc.record({ parts: fc.array(segment, { maxLength: 5 }), method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE'), auth: fc.string({ maxLength: 30 }), type: fc.string({ maxLength: 30 }) }).map(
      ({ parts, method, auth, type }): FuzzRequest => ({
        label: 'random path',
        method,
        path: `/${parts.map((p) => p.replace(/[?#\s/]/g, '')).join('/')}`,
        headers: { authorization: auth.replace(/[^\x20-\x7e]/g, ''), ...(method === 'GET' || method === 'HEAD' ? {} : { 'content-type': type.replace(/[^\x20-\x7e]/g, '') || 'x' }) },
        body: method === 'GET' || method === 'HEAD' ? undefined : '{"a":1}',
        expect: 'any',
      }),
    ),
  );
  return fc.sample(arbitrary, { numRuns: count, seed });
}

/** node:http, not fetch: fetch refuses bodies on GET and HEAD, which a fuzz load must send. */
function send(base: string, request: FuzzRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // Framed by length: node sends DELETE and GET bodies unframed otherwise.
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    const req = httpRequest(`${base}${request.path}`, { method: request.method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, text: `${body}\n${res.headers['sl-violations'] ?? ''}` }));
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

async function pool<T>(items: T[], width: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

describe.each(served.map((v) => v.name))('fuzz load on the %s mock', (vendor) => {
  it(`answers ${PER_VENDOR} generated requests without a crash or a 5xx, naming every broken field`, async () => {
    const operations = await loadOperations(bundlePath(served.find((v) => v.name === vendor)!));
    const targeted = operations.flatMap(requestsFor);
    targeted.push({ label: 'unknown path', method: 'GET', path: '/no/such/path', headers: {}, expect: '4xx' });
    const requests = [...targeted, ...randomRequests(operations, Math.max(0, PER_VENDOR - targeted.length), 4242)];
    expect(requests.length).toBeGreaterThanOrEqual(PER_VENDOR);
    expect(targeted.filter((r) => r.names).length).toBeGreaterThan(0);

    const failures: string[] = [];
    await pool(requests, 16, async (request) => {
      const { status, text } = await send(mocks.urls[vendor]!, request);
      const where = `${request.label}: ${request.method} ${request.path.slice(0, 80)} → ${status}`;
      if (status >= 500) failures.push(`${where}: ${text.slice(0, 200)}`);
      else if (request.expect === '4xx' && (status < 400 || status > 499)) failures.push(`${where}: expected a 4xx`);
      else if (request.names && !text.toLowerCase().includes(request.names.toLowerCase())) failures.push(`${where}: the refusal does not name ${request.names}: ${text.slice(0, 200)}`);
    });
    expect(failures).toEqual([]);
    expect((await fetch(`${mocks.urls[vendor]}/__mock/health`)).status).toBe(200);
  });
});

it('the fuzz load found no answer that broke a spec', () => {
  expect(bugs).toEqual([]);
});

it('no request reached the prototype every object in the process shares', () => {
  const inherited: string[] = [];
  for (const key in {}) inherited.push(key);
  expect(inherited).toEqual([]);
});

/**
 * The contract guard against real drift: every response break of the drift fixture
 * (contract-tests/e2e/drift-violations.ts, the breaks the sandbox report must name) is served by
 * a local server, and the typed client's guard must name the same operation and field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { violations, type Upstream } from '../../contract-tests/e2e/drift-violations.js';
import { deref, escapePointer, loadSpec, resolve } from '../../contract-tests/lib/spec.js';
import { vendors } from '../vendors.js';
import { ContractViolationError } from '../errors.js';
import type { ContractViolation } from './violation.js';
import type { ValidatorModule } from './table.js';
import { createFootprintsClient } from '../footprints.js';
import { createImprzdClient } from '../imprzd.js';
import { createPerxClient, type paths, type PerxClient } from '../perx.js';
import { createPlacewiseClient } from '../placewise.js';
import { createXonvoClient } from '../xonvo.js';
import type { Client, CommonOptions } from '../client.js';

/** The app client with every operation typed: these tests send user-token operations through it to stand-ins that take any token. */
type EveryOperation = PerxClient & Client<paths>;

const factories: Record<string, (baseUrl: string, options: CommonOptions) => any> = {
  xonvo: (baseUrl, o) => createXonvoClient({ baseUrl, username: 'u', password: 'p', ...o }),
  footprints: (baseUrl, o) => createFootprintsClient({ baseUrl, key: 'k', secret: 's', ...o }),
  perx: (baseUrl, o) => createPerxClient({ baseUrl, clientId: 'id', clientSecret: 's', ...o }),
  placewise: (baseUrl, o) => createPlacewiseClient({ baseUrl, token: 't', userAgent: 'a', productName: 'p', ...o }),
  imprzd: (baseUrl, o) => createImprzdClient({ baseUrl, token: 't', ...o }),
};
const TOKEN_PATHS = ['/api/token', '/v4/oauth/token'];

/** What the mock answers for an operation: its first documented success with the first example. */
function faithful(vendorName: string, operationId: string) {
  const spec = loadSpec(vendors.find((v) => v.name === vendorName)!);
  const op = spec.operations.find((o) => o.operation.operationId === operationId)!;
  const [status] = Object.keys(op.operation.responses).filter((s) => s.startsWith('2'));
  const response = resolve(spec.doc, `#/paths/${escapePointer(op.path)}/${op.method}/responses/${status}`).value;
  const [contentType, media] = Object.entries<any>(response.content ?? {})[0] ?? ['', {}];
  const example = media.example ?? deref(spec.doc, Object.values<any>(media.examples ?? {})[0])?.value;
  // Binary media (Imprzd's image) documents no example: any bytes of that type are faithful.
  const bytes = contentType !== '' && !contentType.includes('json') ? 'stand-in bytes' : '';
  const upstream: Upstream = { status: Number(status), contentType, body: example === undefined ? bytes : JSON.stringify(example) };
  return { op, upstream };
}

/** One server for every case: the case under test is chosen by `serving`; token calls get a token. */
let serving: { upstream: Upstream; tokenOp: boolean } | undefined;
let baseUrl = '';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (TOKEN_PATHS.includes(path) && !serving?.tokenOp) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"access_token":"tok","token_type":"bearer","expires_in":3600}');
    }
    const { status, contentType, body } = serving!.upstream;
    res.writeHead(status, contentType && body ? { 'content-type': contentType } : {});
    res.end(body);
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Calls an operation through the vendor's typed client with dummy parameters. */
async function callThrough(vendorName: string, operationId: string, upstream: Upstream, options: CommonOptions) {
  const { op } = faithful(vendorName, operationId);
  serving = { upstream, tokenOp: TOKEN_PATHS.includes(op.path) };
  const client = factories[vendorName]!(vendorName === 'placewise' ? `${baseUrl}/v3/club` : baseUrl, options);
  const path = Object.fromEntries([...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1], '1']));
  return client.request(op.method, op.path, { params: { path }, ...(op.operation.requestBody ? { body: {} } : {}) });
}

const responseBreaks = violations.filter((v) => v.breakResponse);

describe('validate: report, on the drift fixture breaks', () => {
  it.each(responseBreaks.map((v) => [v.vendor, v.operationId, v.kind, v] as const))('%s %s: %s', async (vendor, operationId, _, violation) => {
    const { upstream } = faithful(vendor, operationId);
    const seen: ContractViolation[] = [];
    await callThrough(vendor, operationId, upstream, { validate: 'report', onViolation: (v) => seen.push(v) }).catch(() => undefined);
    expect(seen, 'the faithful (mock) answer breaks nothing').toEqual([]);

    const broken = violation.breakResponse!(upstream, { authorization: 'Basic dTpw' });
    await callThrough(vendor, operationId, broken, { validate: 'report', onViolation: (v) => seen.push(v) }).catch(() => undefined);
    expect(seen.length).toBeGreaterThan(0);
    for (const v of seen) expect(v).toMatchObject({ vendor, operationId, status: broken.status });
    expect(seen.map((v) => `${v.message} ${v.pointer ?? ''}`).join('\n')).toContain(violation.names);
  });
});

describe('validate: throw', () => {
  it('throws a ContractViolationError carrying the parsed body and each violation', async () => {
    const { upstream } = faithful('perx', 'listRewards');
    const broken = responseBreaks.find((v) => v.operationId === 'listRewards')!.breakResponse!(upstream, {});
    const error = await callThrough('perx', 'listRewards', broken, { validate: 'throw' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    const { violations: found, body, status } = error as ContractViolationError;
    expect(status).toBe(200);
    expect((body as any).data[0].id).toBe('205');
    expect(found[0]).toEqual({
      vendor: 'perx',
      operationId: 'listRewards',
      method: 'GET',
      path: '/v4/rewards',
      status: 200,
      pointer: '/data/0/id',
      rule: 'type',
      message: 'body /data/0/id must be integer',
    });
    expect((error as Error).message).toBe('perx: listRewards answered outside its contract: body /data/0/id must be integer');
  });

  // CLIENT-228: the generated validators keep each error's parameters, and the message says them.
  it('says the rule a value broke with what the spec allows: the enum\'s values, the format', async () => {
    const { upstream } = faithful('perx', 'getVoucher');
    const voucher = JSON.parse(upstream.body);
    Object.assign(voucher.data, { state: 'lost', valid_from: '03/12/2026' });
    const seen: ContractViolation[] = [];
    await callThrough('perx', 'getVoucher', { ...upstream, body: JSON.stringify(voucher) }, { validate: 'report', onViolation: (v) => seen.push(v) });
    expect(seen.map((v) => [v.pointer, v.rule, v.message])).toEqual([
      ['/data/state', 'enum', 'body /data/state must be one of "issued", "reserved", "redemption_in_progress", "redeemed", "released", "expired"'],
      ['/data/valid_from', 'format', 'body /data/valid_from must be a date and time as RFC 3339 writes it, e.g. 2026-12-01T10:00:00Z (format "date-time")'],
    ]);
  });

  it('names a break repeated in every item of a 500-item page once, counted among the errors judged', async () => {
    const { upstream } = faithful('perx', 'listRewards');
    const page = JSON.parse(upstream.body);
    page.data = Array.from({ length: 500 }, (_, i) => ({ ...page.data[0], id: String(i) }));
    const seen: ContractViolation[] = [];
    await callThrough('perx', 'listRewards', { ...upstream, body: JSON.stringify(page) }, { validate: 'report', onViolation: (v) => seen.push(v) });
    expect(seen.map((v) => [v.pointer, v.message])).toEqual([['/data/0/id', 'body /data/0/id must be integer (and 99 more like it at other indices); counting stopped at 100 schema errors']]);
  });

  it('logs without the credential: Footprints carries its token in the URL of the response the error holds', async () => {
    const { upstream } = faithful('footprints', 'listLeads');
    const error = (await callThrough('footprints', 'listLeads', { ...upstream, status: 418 }, { validate: 'throw' }).catch((e: unknown) => e)) as ContractViolationError;
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.response.url).toContain('access_token=tok');
    // What console.error(error) prints, and what a JSON logger writes.
    expect(inspect(error, { depth: 5 })).not.toContain('access_token=tok');
    expect(JSON.stringify(error)).not.toContain('access_token=tok');
  });

  it('masks a credential the vendor echoes in what it reports and throws (the message, the body, onViolation)', async () => {
    const seen: ContractViolation[] = [];
    const placewise = createPlacewiseClient({ baseUrl: `${baseUrl}/v3/club`, token: 'placewise-SECRET-123', userAgent: 'a', productName: 'p', validate: 'throw', onViolation: (v) => seen.push(v) });
    serving = { upstream: { status: 200, contentType: 'application/json', body: '{tok=placewise-SECRET-123 not json' }, tokenOp: false };
    const error = (await placewise.GET('/members').catch((e: unknown) => e)) as ContractViolationError;
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(inspect(error, { depth: 5 })).not.toContain('SECRET-123');
    expect(seen[0]!.message).toContain('[redacted]');
    serving = { upstream: { status: 200, contentType: 'application/json', body: '{"members":"x","access_token":"LEAKED-456"}' }, tokenOp: false };
    const thrown = (await placewise.GET('/members').catch((e: unknown) => e)) as ContractViolationError;
    expect(thrown.body).toMatchObject({ access_token: '[redacted]' });
    expect(inspect(thrown, { depth: 5 })).not.toContain('LEAKED-456');
  });

  it('masks the tokens Perx and Footprints issue and their configured secrets, a URL credential in any text, and a secret across the 80-character cut', async () => {
    const echoing = createServer((req, res) => {
      if (req.url!.startsWith('/v4/oauth/token') || req.url!.startsWith('/api/token')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"access_token":"ISSUED-TOKEN-789","token_type":"bearer","expires_in":3600}');
      }
      if (req.url!.startsWith('/v4/')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('{"error":401,"error_description":"token ISSUED-TOKEN-789 for client secret PERX-CLIENT-SECRET"}');
      }
      if (req.url!.startsWith('/api/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        // A credential parameter of a URL (whatever its value), and the issued token bare.
        return res.end(JSON.stringify({ debug: 'GET /api/lead?page=1&access_token=OTHER-SESSION-555', note: 'your token is ISSUED-TOKEN-789', leads: 'not a list' }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{${'x'.repeat(60)} pw=XONVO-LONG-PASSWORD-0123456789 not json`);
    });
    await new Promise<void>((r) => echoing.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(echoing.address() as { port: number }).port}`;
    try {
      const perx = createPerxClient({ baseUrl: url, clientId: 'perx-client', clientSecret: 'PERX-CLIENT-SECRET', validate: 'throw' });
      const perxError = await (perx as EveryOperation).GET('/v4/rewards').catch((e: unknown) => e);
      expect(perxError).toBeInstanceOf(ContractViolationError);
      expect(inspect(perxError, { depth: 8 })).not.toMatch(/ISSUED-TOKEN|PERX-CLIENT-SECRET/);
      const footprints = createFootprintsClient({ baseUrl: url, key: 'fp-key', secret: 'fp-secret', validate: 'throw' });
      const fpError = await footprints.GET('/api/lead').catch((e: unknown) => e);
      expect(fpError).toBeInstanceOf(ContractViolationError);
      expect(inspect(fpError, { depth: 8 })).not.toMatch(/ISSUED-TOKEN|OTHER-SESSION/);
      const seen: ContractViolation[] = [];
      const xonvo = createXonvoClient({ baseUrl: url, username: 'u', password: 'XONVO-LONG-PASSWORD-0123456789', validate: 'report', onViolation: (v) => seen.push(v) });
      await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} } } as never).catch(() => undefined);
      expect(seen.map((v) => v.rule)).toEqual(['json']);
      expect(seen[0]!.message).not.toContain('XONVO-LONG');
    } finally {
      echoing.closeAllConnections();
      await new Promise((r) => echoing.close(r));
    }
  });

  it('masks a Basic credential echoed whole (padded or not, whatever its parts) and a token used as a key in the pointer', async () => {
    const echoing = createServer((req, res) => {
      if (req.url!.startsWith('/accounts')) {
        const sent = String(req.headers.authorization);
        res.writeHead(418, { 'content-type': 'text/plain' });
        return res.end(`you sent ${sent} and ${sent.replace(/=+$/, '')}`);
      }
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Invalid parameters', details: { 'pw-TOKEN-a8F3kQ92': 'x' } }));
    });
    await new Promise<void>((r) => echoing.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(echoing.address() as { port: number }).port}`;
    try {
      const xonvo = createXonvoClient({ baseUrl: url, username: 'api', password: 'xonvoPassw0rdLong', validate: 'throw' });
      const basic = (await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} } } as never).catch((e: unknown) => e)) as ContractViolationError;
      expect(basic).toBeInstanceOf(ContractViolationError);
      expect(basic.body).toBe('you sent Basic [redacted] and Basic [redacted]');
      const seen: ContractViolation[] = [];
      const placewise = createPlacewiseClient({ baseUrl: `${url}/v3/club`, token: 'pw-TOKEN-a8F3kQ92', userAgent: 'a', productName: 'p', validate: 'report', onViolation: (v) => seen.push(v) });
      await placewise.PUT('/members/{member_id}/update_app_token', { params: { path: { member_id: 1 } }, body: { app_token: 'x' } });
      expect(seen.length).toBeGreaterThan(0);
      expect(JSON.stringify(seen)).not.toContain('a8F3kQ92');
    } finally {
      echoing.closeAllConnections();
      await new Promise((r) => echoing.close(r));
    }
  });

  it('names a body that is not JSON (and carries its text) instead of a SyntaxError', async () => {
    const { upstream } = faithful('perx', 'getCurrentCustomer');
    const html = { ...upstream, body: '<!doctype html><title>Maintenance</title>' };
    const error = (await callThrough('perx', 'getCurrentCustomer', html, { validate: 'throw' }).catch((e: unknown) => e)) as ContractViolationError;
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations.map((v) => v.rule)).toEqual(['json']);
    expect(error.body).toBe('<!doctype html><title>Maintenance</title>');
  });

  // Found 2026-12-01: a valid answer a recursive schema allows, nested past the validator's stack, failed the call with a RangeError in every mode but off.
  it.each(['report', 'throw'] as const)("%s: an answer nested deeper than the validator's stack goes is returned as it came, unchecked", async (validate) => {
    let category = 'null';
    for (let i = 0; i < 5000; i++) category = `{"id":${i},"title":"t","parent":${category}}`;
    const deep: Upstream = { status: 200, contentType: 'application/json', body: `{"data":[${category}]}` };
    const seen: ContractViolation[] = [];
    const { data, response } = await callThrough('perx', 'listCategories', deep, { validate, onViolation: (v) => seen.push(v) });
    expect(response.status).toBe(200);
    type Category = { parent: Category | null };
    let depth = 0;
    for (let node: Category | null = (data as { data: Category[] }).data[0]!; node; node = node.parent) depth++;
    expect(depth).toBe(5000);
    expect(seen).toEqual([]);
  });

  // openapi-fetch hands back a refused answer's body parsed: `"not found"` read as the text `not found` was "not JSON".
  it('judges a JSON string as an error body by its type, as the drift report does, whatever parseAs', async () => {
    const notFound: Upstream = { status: 404, contentType: 'application/json', body: '"not found"' };
    const rules: string[][] = [];
    for (const parseAs of [undefined, 'text'] as const) {
      const seen: ContractViolation[] = [];
      serving = { upstream: notFound, tokenOp: false };
      const xonvo = factories.xonvo!(baseUrl, { validate: 'report', onViolation: (v) => seen.push(v) });
      await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, ...(parseAs ? { parseAs } : {}) });
      rules.push(seen.map((v) => `${v.rule} ${v.message}`));
    }
    expect(rules).toEqual([['type body must be object'], ['type body must be object']]);
  });

  it('lets answers that keep the contract through untouched', async () => {
    const { upstream } = faithful('perx', 'listRewards');
    const { data, response } = await callThrough('perx', 'listRewards', upstream, { validate: 'throw' });
    expect(response.status).toBe(200);
    expect(data).toEqual(JSON.parse(upstream.body));
  });
});

// Found 2026-12-03 (TEST-92, "Left"): Perx's 4xx body is `{code, message}` or `{error}`; one in neither shape was a violation per missing field of both.
describe('an answer in none of its documented shapes', () => {
  it('is one violation at the composition saying what each shape needs; one broken inside its shape names the field', async () => {
    const seen: ContractViolation[] = [];
    const report: CommonOptions = { validate: 'report', onViolation: (v) => seen.push(v) };
    const refused = (body: unknown): Upstream => ({ status: 400, contentType: 'application/json', body: JSON.stringify(body) });
    await callThrough('perx', 'listRewards', refused({ errors: [{ code: 'E1', message: 'bad' }] }), report);
    expect(seen).toEqual([
      {
        vendor: 'perx',
        operationId: 'listRewards',
        method: 'GET',
        path: '/v4/rewards',
        status: 400,
        pointer: '',
        rule: 'anyOf',
        message: 'body matches none of the 2 documented shapes (anyOf): shape 1 needs /code, needs /message; shape 2 (closest) needs /error',
      },
    ]);
    seen.length = 0;
    await callThrough('perx', 'listRewards', refused({ code: 40, message: 'not enough points' }), report);
    await callThrough('perx', 'listRewards', refused({ error: 'invalid-token' }), report);
    expect(seen).toEqual([]);
  });
});

describe('other parseAs modes', () => {
  /** XONVO answering statistics that break the contract, to a client reporting what it sees. */
  function reportingOnBroken() {
    const { upstream } = faithful('xonvo', 'getAccountStatistics');
    const broken = responseBreaks.find((v) => v.operationId === 'getAccountStatistics')!.breakResponse!(upstream, {});
    serving = { upstream: broken, tokenOp: false };
    const seen: ContractViolation[] = [];
    const xonvo = factories.xonvo!(baseUrl, { validate: 'report', onViolation: (v) => seen.push(v) });
    return { broken, seen, xonvo };
  }

  it('checks the bytes and still hands the caller the text it asked for', async () => {
    const { broken, seen, xonvo } = reportingOnBroken();
    const { data } = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, parseAs: 'text' });
    expect(data).toBe(broken.body);
    expect(seen.map((v) => v.pointer)).toEqual(['/leadCount']);
    serving = { upstream: { ...broken, body: '<html>' }, tokenOp: false };
    const strict = factories.xonvo!(baseUrl, { validate: 'throw' });
    const error = await strict.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, parseAs: 'text' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
  });

  it("judges a streamed answer by status and content type and leaves its body to the caller: the call returns at the headers, as with the guard off", async () => {
    const { broken, seen, xonvo } = reportingOnBroken();
    const { data } = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, parseAs: 'stream' });
    expect(seen).toEqual([]);
    expect(await new Response(data).text()).toBe(broken.body);
    serving = { upstream: { ...broken, contentType: 'text/html' }, tokenOp: false };
    await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, parseAs: 'stream' });
    expect(seen.map((v) => v.rule)).toEqual(['content-type']);
    // No content type at all is as undocumented as the wrong one (it was judged so for every other parseAs only).
    serving = { upstream: { ...broken, contentType: '' }, tokenOp: false };
    await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} }, parseAs: 'stream' });
    expect(seen.map((v) => v.message)).toEqual([expect.any(String), 'content type "(none)" is not documented for 200 (application/json)']);
  });

  it('returns a streamed answer whose body never ends at its headers, with the guard on', async () => {
    const endless = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    });
    await new Promise<void>((r) => endless.listen(0, '127.0.0.1', r));
    try {
      const imprzd = createImprzdClient({ baseUrl: `http://127.0.0.1:${(endless.address() as { port: number }).port}`, token: 'jwt', validate: 'throw', timeoutMs: 5000 });
      const { data, response } = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } }, parseAs: 'stream' });
      expect(response.status).toBe(200);
      const reader = (data as ReadableStream<Uint8Array>).getReader();
      expect([...(await reader.read()).value!]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      await reader.cancel();
    } finally {
      endless.closeAllConnections();
      await new Promise((r) => endless.close(r));
    }
  });
});

describe('sample', () => {
  it('checks only the sampled fraction of calls', async () => {
    const { upstream } = faithful('xonvo', 'getAccountStatistics');
    const broken = responseBreaks.find((v) => v.operationId === 'getAccountStatistics')!.breakResponse!(upstream, {});
    const seen: ContractViolation[] = [];
    const random = vi.spyOn(Math, 'random');
    const options: CommonOptions = { validate: 'report', sample: 0.1, onViolation: (v) => seen.push(v) };
    random.mockReturnValue(0.05);
    await callThrough('xonvo', 'getAccountStatistics', broken, options); // 0.05 < 0.1: checked
    random.mockReturnValue(0.5);
    await callThrough('xonvo', 'getAccountStatistics', broken, options); // 0.5: not checked
    random.mockRestore();
    expect(seen).toHaveLength(1);
    await callThrough('xonvo', 'getAccountStatistics', broken, { ...options, sample: 0 });
    expect(seen).toHaveLength(1);
  });
});

describe('a long answer that breaks its schema', () => {
  const page = (items: number) => ({ status: 200, contentType: 'application/json', body: `[${Array.from({ length: items }, (_, i) => `{"_id":${i}}`).join(',')}]` });

  it('is judged by its first 100 schema errors, and the violation says counting stopped there', async () => {
    const seen: ContractViolation[] = [];
    await callThrough('footprints', 'listLeads', page(1000), { validate: 'report', onViolation: (v) => seen.push(v) });
    expect(seen.map((v) => [v.pointer, v.rule, v.message])).toEqual([
      ['/0/_id', 'type', 'body /0/_id must be string (and 99 more like it at other indices); counting stopped at 100 schema errors'],
    ]);
  });

  it('says nothing of a cut where there was none', async () => {
    const seen: ContractViolation[] = [];
    await callThrough('footprints', 'listLeads', page(99), { validate: 'report', onViolation: (v) => seen.push(v) });
    expect(seen.map((v) => v.message)).toEqual(['body /0/_id must be string (and 98 more like it at other indices)']);
  });

  it('is not searched past 100 errors by the generated validator', async () => {
    const { operations } = (await import('../../generated/footprints/validators.js')) as unknown as ValidatorModule;
    const validate = operations['GET /api/lead']![1]['200']!['application/json']!;
    expect(validate(JSON.parse(page(1000).body))).toBe(false);
    expect(validate.errors).toHaveLength(100);
  });

  it("is not masked whole for the error's body past 64 KiB, as a TokenError's is not: the error says so", async () => {
    const upstream = page(10_000);
    const error = await callThrough('footprints', 'listLeads', upstream, { validate: 'throw' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect((error as ContractViolationError).body).toBe(`(an answer of ${upstream.body.length} characters, over 65536: not shown, as only a whole answer is masked)`);
    const shorter = page(5_000);
    const shown = await callThrough('footprints', 'listLeads', shorter, { validate: 'throw' }).catch((e: unknown) => e);
    expect((shown as ContractViolationError).body).toEqual(JSON.parse(shorter.body));
  });
});

describe('the runtime compiles no schema', () => {
  it('no shipped src module imports Ajv; validators come from generated/<vendor>/validators.js', () => {
    const files = readdirSync(new URL('..', import.meta.url), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('mock'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')).not.toMatch(/from 'ajv|import\('ajv/);
    for (const vendor of vendors) {
      const code = readFileSync(new URL(`../../generated/${vendor.name}/validators.js`, import.meta.url), 'utf8');
      expect(code).not.toMatch(/\brequire\(|^import /m);
    }
  });
});

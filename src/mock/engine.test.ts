import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from './engine.js';
import { startMocks, type RunningMocks } from './index.js';
import { loadOperations } from './prism.js';

let mocks: RunningMocks;
const bugs: string[] = [];
beforeAll(async () => {
  mocks = await startMocks({ vendors: ['xonvo', 'footprints', 'perx'], portBase: 0, log: (line) => line.includes('MOCK BUG') && bugs.push(line) });
});
afterAll(() => mocks?.stop());
beforeEach(() => mocks.reset());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const xonvo = (path: string, init: RequestInit = {}) =>
  fetch(`${mocks.urls.xonvo}${path}`, { ...init, headers: { authorization: basic('u', 'p'), 'content-type': 'application/json', ...(init.headers as object) } });
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

  it('an unparseable Content-Type is a 415 naming the header', async () => {
    const answer = await problemOf(await xonvo('/lead', { method: 'POST', headers: { 'content-type': 'garbage;;;===' }, body: '{}' }));
    expect(answer.status).toBe(415);
    expect(answer.detail).toContain('Content-Type "garbage;;;==="');
  });

  it('a body that is not JSON is a 400 saying so', async () => {
    const answer = await problemOf(await xonvo('/lead', { method: 'POST', body: '{"firstName":' }));
    expect(answer).toMatchObject({ status: 400 });
    expect(answer.detail).toContain('not valid JSON');
  });

  it('unknown paths and methods are a 404 and a 405 with Allow', async () => {
    expect((await xonvo('/nothing-here')).status).toBe(404);
    const wrong = await xonvo('/accounts/21/statistics', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });
});

describe('what real clients send', () => {
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
});

describe('state', () => {
  it('a created XONVO account can be read, updated and paused; an unknown one is a 404', async () => {
    const created = (await (await xonvo('/accounts', { method: 'POST', body: JSON.stringify({ name: 'Acme', phoneNumber: '+1324353535', email: 'a@b.co' }) })).json()) as { id: number };
    expect(created.id).toBeGreaterThan(21);
    const stats = await xonvo(`/accounts/${created.id}/statistics`);
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ leadCount: 0, unsubscribeCount: 0 });
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
  beforeAll(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'engine-')), 'spec.json');
    await writeFile(file, JSON.stringify(spec));
    engine = createEngine({ vendor: 'fixture', document: spec, operations: await loadOperations(file), log: (l) => logged.push(l) });
  });

  it('answers a response that breaks the spec with a 500 naming the operation and the pointer', async () => {
    const answer = await engine.handle({ method: 'GET', path: '/things', query: '', headers: {} });
    expect(answer.status).toBe(500);
    const body = JSON.parse(answer.body);
    expect(body.violation).toMatchObject({ operationId: 'listThings', pointer: '/0/id', rule: 'type' });
    expect(logged.join('\n')).toContain('MOCK BUG: GET /things');
  });

  it('turns an exception inside the engine into a 500 problem, and keeps answering', async () => {
    const answer = await engine.handle({ method: 'POST', path: '/things', query: '', headers: {} });
    expect(answer).toMatchObject({ status: 500, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(answer.body).detail).toContain('a mock bug');
    expect((await engine.handle({ method: 'GET', path: '/nope', query: '', headers: {} })).status).toBe(404);
  });
});

afterAll(() => {
  // Every answer the real specs produced above was within the contract.
  expect(bugs).toEqual([]);
});

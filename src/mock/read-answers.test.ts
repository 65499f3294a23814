import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine.js';
import { startMocks, type RunningMocks } from './index.js';
import type { MockRequest, MockResponse } from './exchange.js';
import { loadOperations, type Operation } from './prism.js';
import { createReadAnswers } from './read-answers.js';
import type { MockBehaviour } from './state/behaviour.js';

const item = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };
const ok = (schema: object, example: unknown) => ({ description: 'ok', content: { 'application/json': { schema, example } } });
const spec = {
  openapi: '3.1.0',
  info: { title: 'shop', version: '1' },
  paths: {
    '/items': {
      get: { operationId: 'listItems', 'x-mock': { resource: 'items', action: 'list' }, responses: { '200': ok({ type: 'array', items: item }, [{ id: 1, name: 'seeded' }]) } },
      post: {
        operationId: 'createItem',
        'x-mock': { resource: 'items', action: 'create', merge: true },
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
        responses: { '200': ok(item, { id: 1, name: 'seeded' }) },
      },
    },
  },
};

describe('the engine gives a read its answer again while nothing it reads has changed', () => {
  let engine: ReturnType<typeof createEngine>;
  let dynamic: ReturnType<typeof createEngine>;
  const logged: string[] = [];
  beforeAll(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'read-answers-')), 'spec.json');
    await writeFile(file, JSON.stringify(spec));
    const operations = await loadOperations(file);
    engine = createEngine({ vendor: 'shop', document: spec, operations, log: (line) => logged.push(line) });
    dynamic = createEngine({ vendor: 'shop', document: spec, operations, dynamic: true });
  });
  const get = (session = 's', headers: Record<string, string> = {}, on = engine, query = '') => on.handle({ method: 'GET', path: '/items', query, headers: { 'x-mock-session': session, ...headers } });
  const create = (name: string, session = 's') =>
    engine.handle({ method: 'POST', path: '/items', query: '', headers: { 'x-mock-session': session, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ name })) });
  const names = (response: MockResponse) => (JSON.parse(String(response.body)) as { name: string }[]).map((entry) => entry.name);

  it('answers a read that comes again with the answer it built the second time, and logs each request', async () => {
    engine.reset();
    logged.length = 0;
    const first = await get();
    const second = await get();
    expect(second).not.toBe(first);
    expect(await get()).toBe(second);
    expect(await get()).toBe(second);
    expect(logged.filter((line) => line.startsWith('[shop] GET /items → 200'))).toHaveLength(4);
  });

  it('builds the answer again after a write in the session, and only in that session', async () => {
    engine.reset();
    await get('s');
    const before = await get('s');
    await get('t');
    const other = await get('t');
    expect(await get('s')).toBe(before);
    expect((await create('lamp', 's')).status).toBe(200);
    const after = await get('s');
    expect(after).not.toBe(before);
    expect(names(after)).toEqual(['seeded', 'lamp']);
    expect(await get('t')).toBe(other);
  });

  it("a session that has not written shares the seeds' answers: a new session's first read is a reuse", async () => {
    engine.reset();
    await get('a');
    const kept = await get('b');
    expect(await get('c')).toBe(kept);
    await create('lamp', 'a');
    expect(await get('a')).not.toBe(kept);
    engine.reset('a');
    expect(await get('a')).toBe(kept);
  });

  it('after a reset, the session reads the seeds again', async () => {
    engine.reset();
    await create('lamp', 's');
    await get('s');
    expect(names(await get('s'))).toEqual(['seeded', 'lamp']);
    engine.reset('s');
    expect(names(await get('s'))).toEqual(['seeded']);
    await create('desk', 's');
    await get('s');
    await get('s');
    engine.reset();
    expect(names(await get('s'))).toEqual(['seeded']);
  });

  it('tells requests apart by their headers (credentials, Prefer)', async () => {
    engine.reset();
    for (let i = 0; i < 2; i++) await get('s', { authorization: 'Bearer a' });
    expect(await get('s', { authorization: 'Bearer a' })).not.toBe(await get('s', { authorization: 'Bearer b' }));
  });

  it('builds a dynamic answer every time: asked for by Prefer, or by the engine option', async () => {
    const dynamicAnswers = [];
    for (let i = 0; i < 3; i++) dynamicAnswers.push(await get('s', { prefer: 'dynamic=true' }), await get('s', {}, dynamic));
    expect(new Set(dynamicAnswers).size).toBe(6);
  });

  it('builds a dynamic answer every time when the query asks for it (`__dynamic=true`, which Prism reads as the Prefer header)', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await get('s', {}, engine, '__dynamic=true'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(new Set(answers).size).toBe(3);
  });
});

describe('over HTTP, a kept read follows its session through the gateway and every reset route', () => {
  let mocks: RunningMocks;
  beforeAll(async () => {
    mocks = await startMocks({ vendors: ['placewise'], portBase: 0 });
    return () => mocks.stop();
  });
  const credentials = { 'x-client-authorization': 't', 'x-user-agent': 'tests', 'x-product-name': 'tests' };
  const send = (base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${base}${path}`, { method, headers: { ...credentials, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  /** Member 42's last name, read three times (so the answer is kept) on the vendor's own port. */
  const lastName = async (headers: Record<string, string> = {}, base = mocks.urls.placewise!) => {
    const names = [];
    for (let i = 0; i < 3; i++) names.push(((await (await send(base, 'GET', '/members/42', headers)).json()) as { properties: { last_name: string } }).properties.last_name);
    expect(new Set(names).size).toBe(1);
    return names[0];
  };
  const rename = async (base: string, session: string, name: string) =>
    expect((await send(base, 'PUT', '/members/42', { 'x-mock-session': session }, { properties: { last_name: name } })).status).toBe(200);

  it('a write through the gateway in the default session (an empty session header) is read on the port; resets on the port and the gateway bring the seed back', async () => {
    const gateway = `${mocks.gatewayUrl}/placewise`;
    const seeded = await lastName();
    await rename(gateway, '', 'Gateway');
    expect(await lastName()).toBe('Gateway');
    expect(await lastName({ 'x-mock-session': 'default' }, gateway)).toBe('Gateway');
    expect(await lastName({ 'x-mock-session': 'other' })).toBe(seeded);
    // The vendor's prefix on its own port, with an empty session header: every session.
    await send(mocks.urls.placewise!, 'POST', '/placewise/__mock/reset', { 'x-mock-session': '' });
    expect(await lastName()).toBe(seeded);

    await rename(mocks.urls.placewise!, 's1', 'S1');
    expect(await lastName({ 'x-mock-session': 's1' })).toBe('S1');
    await send(mocks.gatewayUrl, 'POST', '/__mock/reset?session=s1');
    expect(await lastName({ 'x-mock-session': 's1' })).toBe(seeded);
    const head = await send(mocks.urls.placewise!, 'HEAD', '/members/42', { 'x-mock-session': 's1' });
    expect({ status: head.status, body: await head.text() }).toEqual({ status: 200, body: '' });
  });
});

describe('createReadAnswers: which answers are kept', () => {
  const operation = (id: string, behaviour?: MockBehaviour) => ({ id, extensions: behaviour ? { 'x-mock': behaviour } : {} }) as unknown as Operation;
  const listing = operation('list', { resource: 'items', action: 'list' } as MockBehaviour);
  const clocked = operation('clocked', { resource: 'items', action: 'read', echo: { '/at': { now: true } } } as unknown as MockBehaviour);
  const writing = operation('writing', { resource: 'items', action: 'read', cases: [{ when: { query: 'x' }, action: 'delete' }] } as unknown as MockBehaviour);
  const minting = operation('minting', { resource: 'tokens', action: 'token' } as MockBehaviour);
  const plain = operation('plain');
  const operations = [listing, clocked, writing, minting, plain];
  const reads = () => createReadAnswers(operations, (o) => (o.extensions as { 'x-mock'?: MockBehaviour })['x-mock']);
  const request = (method = 'GET', body?: Uint8Array): MockRequest => ({ method, path: '/items', query: 'a=1', headers: {}, ...(body ? { body } : {}) });
  const answer = (status = 200, body = '[]'): MockResponse => ({ status, headers: {}, body });
  /** Builds the request's answer through a ticket twice, as the engine does, and asks again. */
  const kept = (r: ReturnType<typeof reads>, routedTo: Operation, response = answer(), between?: () => void) => {
    for (let i = 0; i < 2; i++) {
      const ticket = r.lookup(request(), 's')!;
      ticket.routed(routedTo);
      between?.();
      ticket.keep(response);
    }
    return r.lookup(request(), 's')?.answer === response;
  };

  it('keeps the answer of an operation that only reads, or has no behaviour', () => {
    expect(kept(reads(), listing)).toBe(true);
    expect(kept(reads(), plain)).toBe(true);
  });

  it('keeps no answer of an operation that reads the clock, mints a token or may write', () => {
    expect(kept(reads(), clocked)).toBe(false);
    expect(kept(reads(), minting)).toBe(false);
    expect(kept(reads(), writing)).toBe(false);
  });

  it('keeps an answer the second time its request comes, not the first', () => {
    const r = reads();
    const once = r.lookup(request(), 's')!;
    once.routed(listing);
    once.keep(answer());
    expect(r.lookup(request(), 's')?.answer).toBeUndefined();
    expect(kept(r, listing)).toBe(true);
  });

  it('keeps no 5xx and no body over 32 KiB', () => {
    expect(kept(reads(), listing, answer(500))).toBe(false);
    expect(kept(reads(), listing, answer(200, `"${'x'.repeat(40_000)}"`))).toBe(false);
  });

  it('keeps no answer built while any session was written or reset', () => {
    const r = reads();
    expect(kept(r, listing, answer(), () => r.written('other'))).toBe(false);
    expect(kept(r, listing, answer(), () => r.reset())).toBe(false);
  });

  it('a request that is not a bodyless GET or HEAD gets no ticket; nor one the engine did not route or asked dynamic', () => {
    const r = reads();
    expect(r.lookup(request('POST'), 's')).toBeUndefined();
    expect(r.lookup(request('GET', new Uint8Array([1])), 's')).toBeUndefined();
    expect(r.lookup(request('HEAD'), 's')).toBeDefined();
    for (let i = 0; i < 2; i++) r.lookup(request(), 's')!.keep(answer());
    expect(r.lookup(request(), 's')?.answer).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      const varied = r.lookup(request(), 's')!;
      varied.routed(listing);
      varied.varies();
      varied.keep(answer());
    }
    expect(r.lookup(request(), 's')?.answer).toBeUndefined();
  });
});

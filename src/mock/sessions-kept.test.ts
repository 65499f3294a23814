import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { vendors } from '../vendors.js';
import { bundlePath } from './bundles.js';
import { createEngine, RECORDS_KEPT, SESSIONS_KEPT, type Engine } from './engine.js';
import { close, createMockServer, listen } from './http.js';
import { startMocks, type RunningMocks } from './index.js';
import { loadOperations } from './prism.js';

// MOCK-182, MOCK-183: a load test writing in a new session on every request held each one's data for good
// (280 MB of heap after 100,000). Only the SESSIONS_KEPT sessions used most recently keep theirs.
let mocks: RunningMocks | undefined;
const logged: string[] = [];
beforeEach(async () => {
  mocks ??= await startMocks({ vendors: ['perx', 'xonvo'], portBase: 0, log: (line) => logged.push(line) });
  await mocks.reset();
  logged.length = 0;
});
afterAll(() => mocks?.stop());

const call = (method: 'GET' | 'POST', path: string, session?: string) =>
  fetch(`${mocks!.urls.perx}${path}`, {
    method,
    headers: { authorization: 'Bearer t', 'content-type': 'application/json', ...(session === undefined ? {} : { 'x-mock-session': session }) },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
const favourite = async (session?: string) => expect((await call('POST', '/v4/rewards/205/favorite', session)).status).toBe(200);
/** The rewards the session has marked as favourites: none in the seeds. */
const favourites = async (session?: string) => ((await (await call('GET', '/v4/rewards?favorite=true', session)).json()) as { data: { id: number }[] }).data.map((reward) => reward.id);
/** Each of `count` new sessions writes once, a few at a time. */
async function flood(prefix: string, count: number) {
  for (let i = 0; i < count; i += 20) await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, j) => favourite(`${prefix}-${i + j}`)));
}

describe('the sessions whose data the mock keeps (MOCK-182)', () => {
  it(`forgets the least recently used session once ${SESSIONS_KEPT} others have written since, and says so`, async () => {
    await favourite('first');
    expect(await favourites('first')).toEqual([205]);
    await flood('new', SESSIONS_KEPT - 1);
    // Still among the kept: these reads are a use, and the second one's answer is kept for reuse (MOCK-177).
    expect(await favourites('first')).toEqual([205]);
    expect(await favourites('first')).toEqual([205]);
    await flood('newer', SESSIONS_KEPT);
    // Read as the seeds, not the answer kept while it had its data.
    expect(await favourites('first')).toEqual([]);
    // Each session pushed out is told once, the first written before the one used since.
    const forgotten = logged.filter((line) => line.includes(' forgotten'));
    expect(forgotten).toHaveLength(SESSIONS_KEPT);
    expect(forgotten[0]).toContain(`session "new-0" forgotten, its data the seeds again as after a reset: the mock keeps the data of the ${SESSIONS_KEPT} sessions used most recently (MOCK-182)`);
    expect(forgotten.at(-1)).toContain('session "first" forgotten');
    // The session held on to was the one most recently used: the last one written.
    expect(await favourites(`newer-${SESSIONS_KEPT - 1}`)).toEqual([205]);
  }, 60_000);

  it('keeps a session a test is using, however many others write around it', async () => {
    await favourite('in-use');
    for (let round = 0; round < 3; round++) {
      await flood(`round${round}`, SESSIONS_KEPT - 1);
      expect(await favourites('in-use')).toEqual([205]);
    }
  }, 60_000);

  it("never forgets the default session's data, which a frontend on npm start writes", async () => {
    await favourite();
    await flood('load', SESSIONS_KEPT + 1);
    expect(await favourites()).toEqual([205]);
  }, 60_000);
});

const BASIC = `Basic ${Buffer.from('u:p').toString('base64')}`;
const sessionHeader = (session: string | undefined): Record<string, string> => (session === undefined ? {} : { 'x-mock-session': session });
// Xonvo's bulk create, each lead as short as its schema lets it be: 9,000 of them stay under the body's bound of 1 MiB.
const bulkTo = (base: string, from: number, count: number, session?: string) =>
  fetch(`${base}/leads/bulk`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/json', ...sessionHeader(session) },
    body: JSON.stringify({ leadsByAccountId: { 21: Array.from({ length: count }, (_, i) => ({ firstName: 'A', lastName: 'L', phone: '+1', timestamp: '06-23-2021 22:55:23', externalId: `L-${from + i}` })) } }),
  });

describe('the records one session holds (MOCK-183)', () => {
  const bulk = (from: number, count: number, session: string) => bulkTo(mocks!.urls.xonvo!, from, count, session);

  it(`refuses a write past ${RECORDS_KEPT} records in a session with a 507 naming the limit, keeping none of it, until a reset`, async () => {
    const CHUNK = 9_000;
    let held = 0;
    while (held + CHUNK <= RECORDS_KEPT - 1_000) expect((await bulk((held += CHUNK) - CHUNK, CHUNK, 'full')).status).toBe(200);
    const refused = await bulk(held, RECORDS_KEPT - held + 1, 'full');
    expect({ status: refused.status, type: refused.headers.get('content-type') }).toEqual({ status: 507, type: 'application/problem+json' });
    expect(await refused.json()).toMatchObject({ title: 'Session full', limit: RECORDS_KEPT, detail: expect.stringContaining('nothing of this write was kept; reset the session (POST /__mock/reset?session=full)') });
    // Refused whole: what is left below the limit still takes a write.
    expect((await bulk(held, 10, 'full')).status).toBe(200);
    // Another session writes as before; a reset empties this one.
    expect((await bulk(0, 10, 'other')).status).toBe(200);
    await mocks!.reset('full');
    expect((await bulk(0, CHUNK, 'full')).status).toBe(200);
  }, 60_000);
});


describe('the records all sessions hold together (MOCK-185)', () => {
  // Xonvo's engine over HTTP with bounds a few bulk writes fill: 30 records in a session, 50 in all.
  const SESSION = 30;
  const TOTAL = 50;
  let engine: Engine | undefined;
  let server: Server | undefined;
  let base = '';
  const said: string[] = [];
  beforeEach(async () => {
    if (!engine) {
      const file = bundlePath(vendors.find((vendor) => vendor.name === 'xonvo')!);
      const [document, operations] = await Promise.all([readFile(file, 'utf8').then(JSON.parse), loadOperations(file)]);
      const made = createEngine({ vendor: 'xonvo', document, operations, log: (line) => said.push(line), recordsKept: { session: SESSION, total: TOTAL } });
      server = createMockServer((path) => ({ engine: made, path }), { serves: (prefix) => prefix === '', routes: '/__mock/…', reset: (session) => made.reset(session) });
      base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1', 'xonvo')}`;
      engine = made;
    }
    engine.reset();
    said.length = 0;
  });
  afterAll(() => server && close(server));

  const bulk = async (count: number, session?: string) => (await bulkTo(base, 0, count, session)).status;
  /** The leads the session holds under account 21: the seeds' one, and those it wrote. */
  const leads = async (session?: string) => ((await (await fetch(`${base}/accounts/21/statistics`, { headers: { authorization: BASIC, ...sessionHeader(session) } })).json()) as { leadCount: number }).leadCount;
  const forgotten = () => said.filter((line) => line.includes(' forgotten'));

  it('pushes out the least recently used sessions, not the writer, once all together would hold more than the total, and says so', async () => {
    const before = await leads('a');
    expect(await bulk(20, 'a')).toBe(200);
    expect(await bulk(20, 'b')).toBe(200);
    expect(forgotten()).toEqual([]);
    expect(await bulk(20, 'c')).toBe(200);
    expect(forgotten()).toEqual([expect.stringContaining(`session "a" forgotten, its data the seeds again as after a reset: the mock keeps ${TOTAL} records and links in all its sessions together`)]);
    expect(await leads('a')).toBe(before);
    expect(await leads('c')).toBe(before + 20);
    expect(await leads('b')).toBe(before + 20);
    // A read is a use: b, read last, stays when a writes again, and c goes.
    expect(await bulk(20, 'a')).toBe(200);
    expect(forgotten().at(-1)).toContain('session "c" forgotten');
    expect(await leads('b')).toBe(before + 20);
  });

  it('refuses only a write the session alone cannot hold, pushing out no one and leaving the count as it was', async () => {
    expect(await bulk(20, 'a')).toBe(200);
    expect(await bulk(20, 'b')).toBe(200);
    // Past the session's own 30: refused whole, though the others could have been pushed out.
    expect(await bulk(SESSION + 1, 'c')).toBe(507);
    expect(forgotten()).toEqual([]);
    // Counted as if it had been kept, these few would push out a.
    expect(await bulk(5, 'c')).toBe(200);
    expect(forgotten()).toEqual([]);
    expect(await leads('a')).toBe((await leads('seeds-only')) + 20);
  });

  it('counts what a reset frees', async () => {
    expect(await bulk(20, 'a')).toBe(200);
    expect(await bulk(20, 'b')).toBe(200);
    await fetch(`${base}/__mock/reset?session=a`, { method: 'POST' });
    expect(await bulk(20, 'c')).toBe(200);
    expect(forgotten()).toEqual([]);
    expect(await leads('b')).toBe((await leads('seeds-only')) + 20);
  });

  it('keeps all sessions while together they hold exactly the total', async () => {
    expect(await bulk(20, 'a')).toBe(200);
    expect(await bulk(20, 'b')).toBe(200);
    expect(await bulk(TOTAL - 40, 'c')).toBe(200);
    expect(forgotten()).toEqual([]);
    // One more is past it.
    expect(await bulk(1, 'd')).toBe(200);
    expect(forgotten()).toEqual([expect.stringContaining('session "a" forgotten')]);
  });

  it("counts what the default session's reset frees, and a named session's reset leaves the default's data", async () => {
    const before = await leads();
    expect(await bulk(25)).toBe(200);
    await fetch(`${base}/__mock/reset?session=a`, { method: 'POST' });
    expect(await leads()).toBe(before + 25);
    // The default session named as such (a header's or the route's `default`) is the one written without a name.
    await fetch(`${base}/__mock/reset?session=default`, { method: 'POST' });
    expect(await leads()).toBe(before);
    // Its 25 freed: these 40 are under the total, and push out no one.
    expect(await bulk(20, 'a')).toBe(200);
    expect(await bulk(20, 'b')).toBe(200);
    expect(forgotten()).toEqual([]);
  });

  it("counts the default session's records but never pushes it out", async () => {
    const before = await leads();
    expect(await bulk(25)).toBe(200);
    // The default session and the writer hold more than the total together: neither goes.
    expect(await bulk(SESSION, 'x')).toBe(200);
    expect(forgotten()).toEqual([]);
    expect(await bulk(5, 'y')).toBe(200);
    expect(forgotten()).toEqual([expect.stringContaining('session "x" forgotten')]);
    expect(await leads()).toBe(before + 25);
    expect(await leads('y')).toBe(before + 5);
  });
});

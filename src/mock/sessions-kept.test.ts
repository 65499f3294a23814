import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { RECORDS_KEPT, SESSIONS_KEPT } from './engine.js';
import { startMocks, type RunningMocks } from './index.js';

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
    expect(forgotten[0]).toContain('session "new-0" forgotten');
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

describe('the records one session holds (MOCK-183)', () => {
  // Xonvo's bulk create, each lead as short as its schema lets it be: 9,000 of them stay under the body's bound of 1 MiB.
  const bulk = (from: number, count: number, session: string) =>
    fetch(`${mocks!.urls.xonvo}/leads/bulk`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, 'content-type': 'application/json', 'x-mock-session': session },
      body: JSON.stringify({ leadsByAccountId: { 21: Array.from({ length: count }, (_, i) => ({ firstName: 'A', lastName: 'L', phone: '+1', timestamp: '06-23-2021 22:55:23', externalId: `L-${from + i}` })) } }),
    });

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


import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSIONS_KEPT } from './engine.js';
import { startMocks, type RunningMocks } from './index.js';

// MOCK-182: a load test writing in a new session on every request held each one's data for good
// (280 MB of heap after 100,000). Only the SESSIONS_KEPT sessions used most recently keep theirs.
let mocks: RunningMocks | undefined;
const logged: string[] = [];
beforeEach(async () => {
  mocks ??= await startMocks({ vendors: ['perx'], portBase: 0, log: (line) => logged.push(line) });
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

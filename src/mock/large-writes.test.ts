import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMocks, type RunningMocks } from './index.js';

/**
 * A large write costs the mock a bounded number of passes over what it writes, counted here rather
 * than timed (timings belong to `npm run bench`): a pass per field or per record crept in before.
 */
let mocks: RunningMocks;
const bugs: string[] = [];
beforeAll(async () => {
  mocks = await startMocks({ vendors: ['placewise'], portBase: 0, log: (line) => line.includes('MOCK BUG') && bugs.push(line) });
});
afterAll(async () => {
  await mocks?.stop();
  expect(bugs).toEqual([]);
});
beforeEach(() => mocks.reset());

const headers = { 'x-client-authorization': 'token', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json' };
const update = (body: unknown) => fetch(`${mocks.urls.placewise}/members/42`, { method: 'PUT', headers, body: JSON.stringify(body) });

describe('a Placewise member update of many properties', () => {
  it('copies the member whole at most twice (its working copy and the answer), not again to tell whether it changed', async () => {
    const properties = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`p${i}`, `value ${i}`]));
    expect((await update({ properties })).status).toBe(200);
    // A deep copy of the member, or of its properties, holds the last property sent.
    const ofMember = (value: unknown) => {
      const held = value as { p1999?: unknown; properties?: { p1999?: unknown } } | null;
      return held !== null && typeof held === 'object' && (Object.hasOwn(held, 'p1999') || (typeof held.properties === 'object' && held.properties !== null && Object.hasOwn(held.properties, 'p1999')));
    };
    const copies = vi.spyOn(globalThis, 'structuredClone');
    try {
      // The same again changes nothing: the update compares the member before and after, undated.
      const again = await update({ properties });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { properties: Record<string, unknown> }).properties).toMatchObject(properties);
      expect(copies.mock.calls.filter(([value]) => ofMember(value)).length).toBeLessThanOrEqual(2);
    } finally {
      copies.mockRestore();
    }
  });
});

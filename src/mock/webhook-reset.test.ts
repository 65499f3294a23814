import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DELIVERY_LIMITS } from './webhooks.js';
import { startMocks, type RunningMocks } from './index.js';

/** A receiver that holds its answers until released: what it was sent, by session, in the order it came. */
const arrived: { session: string; lastName: string }[] = [];
const held: ServerResponse[] = [];
let answering = false;
let receiver: Server;
let hooks: string;
let mocks: RunningMocks;
const lines: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      arrived.push({ session: String(req.headers['x-mock-session']), lastName: JSON.parse(body).events[0].member.properties.last_name });
      if (answering) res.writeHead(200).end();
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hooks = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  mocks = await startMocks({ vendors: ['placewise', 'perx'], portBase: 0, gatewayPort: 0, subscribers: { placewise: [{ url: hooks, secret: 's' }] }, log: (line) => lines.push(line) });
});
afterAll(async () => {
  await mocks?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const headers = { 'x-client-authorization': 'token', 'x-user-agent': 'tests', 'x-product-name': 'tests', 'content-type': 'application/json' };
async function rename(session: string, lastName: string) {
  const answer = await fetch(`${mocks.urls.placewise}/members/42`, { method: 'PUT', headers: { ...headers, 'x-mock-session': session }, body: JSON.stringify({ properties: { last_name: lastName } }) });
  expect(answer.status).toBe(200);
}
async function subscribe(session: string, id: number) {
  const answer = await fetch(`${mocks.urls.placewise}/members_changes_subscriptions/${id}`, { method: 'PUT', headers: { ...headers, 'x-mock-session': session }, body: JSON.stringify({ url: `${hooks}?${id}`, event_schema_version: 2 }) });
  expect(answer.status).toBe(200);
}
/** A backstop for each wait on deliveries, not a measure: vi.waitFor's own 1 s failed under load (TEST-74). */
const UNTIL = { timeout: 10_000 };
const resetAt = async (url: string, session: string) => expect((await fetch(`${url}/__mock/reset`, { method: 'POST', headers: { 'x-mock-session': session } })).status).toBe(204);

// Found 2026-12-03: a test's `beforeEach(reset)` left the last test's announcements waiting, and the
// next test's receiver got them first (57 old updates before its own, with a receiver taking 300 ms).
it("a reset drops its session's deliveries waiting and ends those under way; other sessions' and vendors' resets leave them, and later changes are announced", async () => {
  const waiting = 8;
  // One change to the receiver given to the mock and to enough subscriptions that some wait: its
  // deliveries start at once, and the reset comes well within their 5 s timeout. With 40 changes made
  // one after another, under load, the first deliveries had timed out by then and those waiting had
  // gone out (41 arrived, TEST-74).
  for (let id = 1; id < DELIVERY_LIMITS.inFlight + waiting; id++) await subscribe('a', id);
  await rename('a', 'a0');
  await rename('b', 'b0');
  await vi.waitFor(() => expect(arrived).toHaveLength(DELIVERY_LIMITS.inFlight + 1), UNTIL);

  // Perx's reset of session a, and Placewise's of another session, are not this one's.
  await resetAt(`${mocks.gatewayUrl}/perx`, 'a');
  await resetAt(mocks.urls.placewise!, 'c');
  await resetAt(mocks.urls.placewise!, 'a');
  const seen = arrived.length;
  expect(lines).toContain(`[placewise] ${waiting} webhook deliveries of session a dropped unsent: its session was reset`);
  answering = true;
  held.splice(0).forEach((res) => res.writeHead(200).end());
  await vi.waitFor(() => expect(lines.filter((line) => line.endsWith('not answered: its session was reset first'))).toHaveLength(DELIVERY_LIMITS.inFlight), UNTIL);

  await rename('a', 'after');
  await vi.waitFor(() => expect(arrived.at(-1)).toEqual({ session: 'a', lastName: 'after' }), UNTIL);
  // Nothing of session a from before the reset came after it.
  expect(arrived.slice(seen)).toEqual([{ session: 'a', lastName: 'after' }]);
  // Session b's delivery and the last one were answered: a delivery's line is logged once its answer is
  // back at the mock, a turn or more after the receiver had it, so it is waited for (TEST-74).
  await vi.waitFor(() => expect(lines.filter((line) => line.includes(': 200 (delivered)'))).toHaveLength(2), UNTIL);
});

/**
 * What a typed call's own code costs, with the network taken out (run in its own process by
 * client.ts): globalThis.fetch is replaced by one that builds the Request undici would build from
 * its arguments and answers a ready response. Raw fetch, raw fetch with a timeout signal, and the
 * XONVO client (guard off) each make the same call; µs of CPU per call, best of 5 runs. Far
 * steadier than the network figures, it shows what the client adds beyond a cancellable fetch.
 */
import { rawFetches } from './raw-fetch.js';

const body = JSON.stringify({ accountId: 21, engagedCount: 0, leadCount: 1, unsubscribeCount: 0, deliveredCount: 1, ctr: 0 });
const answer = {
  status: 200,
  ok: true,
  headers: new Headers({ 'content-type': 'application/json', 'content-length': String(body.length) }),
  json: async () => JSON.parse(body) as unknown,
  text: async () => body,
} as unknown as Response;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => (new Request(input, init), answer);

const { createXonvoClient } = await import('../../src/xonvo.js');
const client = createXonvoClient({ baseUrl: 'http://127.0.0.1:9', username: 'u', password: 'p' });
const url = 'http://127.0.0.1:9/accounts/21/statistics';
const headers = { authorization: 'Basic dTpw' };

const variants: Record<string, () => Promise<unknown>> = {
  ...rawFetches(url, headers),
  client: () => client.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 }, query: {} } }),
};

const calls = 50_000;
const result: Record<string, number> = {};
for (const [name, run] of Object.entries(variants)) {
  for (let i = 0; i < 10_000; i++) await run();
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const started = process.cpuUsage();
    for (let i = 0; i < calls; i++) await run();
    const used = process.cpuUsage(started);
    runs.push((used.user + used.system) / calls);
  }
  result[name] = Math.min(...runs);
}
process.stdout.write(JSON.stringify(result));

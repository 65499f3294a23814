/**
 * What a typed call's own code costs, with the network taken out: µs of CPU per call of one
 * variant of one case (best of 5 runs), in a process of its own (client.ts runs one per variant,
 * see call-worker.ts for why). globalThis.fetch is replaced by one that builds the Request undici
 * would build from its arguments and answers a real Response with the case's example body (the
 * token endpoint with a token). A stand-in is not Node's own fetch, so calls here are cancelled
 * by their signal, as they are wherever the global fetch is replaced (call-abort.ts): the
 * "+ cancellation" row is the signal's cost, which calls on Node's fetch no longer pay (the network
 * rows show theirs). Node's fetch run whole against a stand-in dispatcher was tried instead: its
 * hot loop spent a third of its time collecting garbage and read 80–100 µs a call, too noisy to
 * split. Far steadier than the network figures, it shows where a call's
 * time goes; but it is a lower bound: in a hot loop the code and data stay in the CPU's caches,
 * and with the network in between the same code measures about 2–3× slower (the Perx guard's
 * validator: 1.6 µs in a loop, 5 µs timed inside real calls).
 *   argv: <vendor> <variant> <built package dir (built.ts)>
 */
import { callCases, callVariant, caseOf, runtimeOf, tokenAnswer, type Variant } from './cases.js';

const [vendor, variant, built] = process.argv.slice(2) as [string, Variant, string];
if (!built) throw new Error(`usage: client-cpu.ts <vendor> <variant> <built package dir> (got ${process.argv.slice(2).join(' ')})`);
const found = caseOf(vendor);
const cases = callCases();

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  const path = new URL(request.url).pathname;
  const answered = cases.find((c) => c.urlPath === path)?.answer ?? { status: 200, contentType: 'application/json', body: tokenAnswer };
  const headers = { 'content-type': answered.contentType, 'content-length': String(Buffer.byteLength(answered.body)) };
  return new Response(answered.body, { status: answered.status, headers });
};

const run = callVariant(found, variant, 'http://127.0.0.1:9', await runtimeOf(built));
const calls = 10_000;
for (let i = 0; i < calls; i++) await run();
const runs: number[] = [];
for (let r = 0; r < 5; r++) {
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) await run();
  const used = process.cpuUsage(started);
  runs.push((used.user + used.system) / calls);
}
process.stdout.write(JSON.stringify(Math.min(...runs)));

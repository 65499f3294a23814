/**
 * One variant of one call case, in a process of its own (client.ts forks one per variant): it
 * warms up, then on each `{ calls }` message makes that many calls against the server at
 * `baseUrl` and answers the µs per call. Each variant gets its own JIT state: in one shared
 * process, the clients' code paths (guard on and off, and the raw fetches through the same
 * undici code) make each other's inline caches polymorphic, which slows whichever runs the
 * more varied code, and what was measured was the mix rather than the variant.
 *   argv: <vendor> <variant> <baseUrl> <built package dir (built.ts)>
 */
import { callVariant, caseOf, runtimeOf, type Variant } from './cases.js';

const [vendor, variant, baseUrl, built] = process.argv.slice(2) as [string, Variant, string, string];
if (!built) throw new Error(`usage: call-worker.ts <vendor> <raw|rawControl|rawTimeout|library|off|on> <baseUrl> <built package dir> (got ${process.argv.slice(2).join(' ')})`);
const run = callVariant(caseOf(vendor), variant, baseUrl, await runtimeOf(built));

// Warm up: the JIT takes some 4000 calls to settle (µs per call falls by two thirds until then).
for (let i = 0; i < 5000; i++) await run();
process.on('message', async ({ calls }: { calls: number }) => {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await run();
  process.send!({ us: ((performance.now() - started) * 1000) / calls });
});
process.send!({ ready: true });

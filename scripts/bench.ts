/**
 * npm run bench: the mock (throughput as a ratio to a bare node:http server, latency, start-up,
 * memory) and the clients (per-call cost, bundle bytes, type-check cost). Every speed figure is a
 * ratio to a baseline measured in the same run: these machines are noisy. Not a test: it reports.
 *   BENCH_SECONDS=5 (per load) · BENCH_ONLY=mock|clients
 */
import { benchClients, formatRows } from './bench/client.js';
import { benchMock } from './bench/mock.js';
import { readArgs } from './lib/args.js';

// A mistyped choice would run both parts, ten minutes and more, before anyone noticed.
const only = readArgs('bench', 'usage: [BENCH_ONLY=mock|clients] [BENCH_SECONDS=<seconds per load>] npm run bench', () => {
  const value = process.env.BENCH_ONLY;
  if (value !== undefined && value !== 'mock' && value !== 'clients') throw new Error(`BENCH_ONLY must be mock or clients (got "${value}")`);
  const seconds = process.env.BENCH_SECONDS;
  if (seconds !== undefined && !(Number(seconds) > 0)) throw new Error(`BENCH_SECONDS must be a number of seconds above 0 (got "${seconds}")`);
  if (process.argv.length > 2) throw new Error(`it takes no arguments (got "${process.argv.slice(2).join(' ')}"); choose a part with BENCH_ONLY`);
  return value;
});
const missed: string[] = [];

if (only !== 'clients') {
  console.log('== mock');
  const mock = await benchMock((line) => console.log(`  ${line}`));
  console.log(`\n${'target'.padEnd(16)}  req/s   floor req/s  ratio (≥0.25×)  p50 ms  p99 ms (≤10)  non-2xx`);
  for (const row of mock.rows) {
    console.log(
      `${row.target.padEnd(16)}  ${String(row.reqPerSec).padStart(6)}  ${String(row.floorReqPerSec).padStart(11)}  ${`${row.ratio.toFixed(2)}×`.padStart(14)}  ${String(row.p50).padStart(6)}  ${String(row.p99).padStart(13)}  ${row.non2xx}`,
    );
    if (row.ratio < 0.25 && !row.reference) missed.push(`${row.target}: ${row.ratio.toFixed(2)}× < 0.25×`);
    if (row.p99 > 10) missed.push(`${row.target}: p99 ${row.p99} ms > 10 ms`);
    if (row.non2xx > 0) missed.push(`${row.target}: ${row.non2xx} answers were not 2xx`);
  }
  console.log('(no reuse: each request with a token of its own, so no answer is given again; shown for reference, no target)');
  console.log(`\nall vendors ready in ${Math.round(mock.readyMs)} ms (target ≤1000); whole mock RSS ${mock.rssMb.toFixed(0)} MB (target ≤250)`);
  if (mock.readyMs > 1000) missed.push(`ready ${Math.round(mock.readyMs)} ms > 1000 ms`);
  if (mock.rssMb > 250) missed.push(`RSS ${mock.rssMb.toFixed(0)} MB > 250 MB`);
}

if (only !== 'mock') {
  console.log('\n== clients');
  const rows = await benchClients((line) => console.log(`  ${line}`));
  console.log(formatRows(rows));
  for (const row of rows) if (row.ok === false) missed.push(`${row.measure}: ${row.ratio?.toFixed(3)}× > ${row.target}×`);
}

console.log(missed.length ? `\nTargets missed on this run:\n- ${missed.join('\n- ')}` : '\nEvery target met on this run.');

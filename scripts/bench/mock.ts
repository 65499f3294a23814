/**
 * npm run bench (mock part): throughput of each vendor's mock and of the gateway as a ratio to a
 * bare node:http server answering the same bytes, measured in the same run (these machines are
 * noisy: only ratios compare), plus p50/p99 latency, time to ready and RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const serveScript = fileURLToPath(new URL('./serve.ts', import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 20;

/** One representative authorised read per vendor: what a frontend calls most. */
const PROBES: Record<string, { path: string; headers: Record<string, string> }> = {
  xonvo: { path: '/accounts/21/statistics', headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` } },
  footprints: { path: '/api/lead?access_token=t', headers: {} },
  perx: { path: '/v4/vouchers', headers: { authorization: 'Bearer t' } },
  placewise: { path: '/members_groups', headers: { 'x-client-authorization': 't', 'x-user-agent': 'bench', 'x-product-name': 'bench' } },
};

interface Server {
  child: ChildProcess;
  ask(line: string): Promise<Record<string, unknown>>;
  first: Promise<Record<string, unknown>>;
}

function serve(mode: 'mock' | 'floor'): Server {
  const child = spawn(process.execPath, ['--import', 'tsx', serveScript, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((value: Record<string, unknown>) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const next = () => new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve));
  const first = next();
  return { child, first, ask: (line) => (child.stdin!.write(`${line}\n`), next()) };
}

/**
 * Load on one URL; `fresh`: each request with a bearer token of its own (as many users' reads),
 * so the mock has answered none of them before and reuses no answer (MOCK-177).
 */
function load(url: string, headers: Record<string, string>, fresh = false) {
  let user = 0;
  const requests = fresh ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer bench-${++user}` } }) }] : undefined;
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION, ...(requests ? { requests } : {}) }, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

export interface MockRow {
  target: string;
  reqPerSec: number;
  floorReqPerSec: number;
  ratio: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Shown beside the targets, not held to them: what a request the mock has not answered before costs. */
  reference?: boolean;
}

export async function benchMock(log: (line: string) => void = console.log) {
  const mock = serve('mock');
  const floor = serve('floor');
  try {
    const started = (await mock.first) as { ready: number; urls: Record<string, string>; gatewayUrl: string };
    const { url: floorUrl } = (await floor.first) as { url: string };
    log(`mock ready in ${Math.round(started.ready)} ms; ${DURATION}s per target, ${CONNECTIONS} connections`);
    const rows: MockRow[] = [];
    const targets: { target: string; url: string; headers: Record<string, string>; fresh?: boolean }[] = [
      ...Object.entries(PROBES).map(([vendor, probe]) => ({ target: vendor, url: `${started.urls[vendor]}${probe.path}`, headers: probe.headers })),
      { target: 'gateway (perx)', url: `${started.gatewayUrl}/perx${PROBES.perx!.path}`, headers: PROBES.perx!.headers },
      // A polling frontend repeats its reads, and the mock gives a repeated read its answer again; this
      // row's reads are each new to it, as many users' first reads are.
      { target: 'perx (no reuse)', url: `${started.urls.perx}${PROBES.perx!.path}`, headers: PROBES.perx!.headers, fresh: true },
    ];
    for (const { target, url, headers, fresh } of targets) {
      const sample = await fetch(url, { headers });
      const body = await sample.text();
      if (!sample.ok) throw new Error(`${target}: the probe ${url} answered ${sample.status}: ${body.slice(0, 200)}`);
      await floor.ask(JSON.stringify({ body, headers: { 'content-type': sample.headers.get('content-type') ?? 'application/json' } }));
      log(`${target}: floor…`);
      const base = await load(floorUrl, {});
      log(`${target}: mock…`);
      const measured = await load(url, headers, fresh);
      rows.push({
        target,
        reqPerSec: Math.round(measured.requests.average),
        floorReqPerSec: Math.round(base.requests.average),
        ratio: measured.requests.average / base.requests.average,
        p50: measured.latency.p50,
        p99: measured.latency.p99,
        non2xx: measured.non2xx + measured.errors,
        ...(fresh ? { reference: true } : {}),
      });
    }
    const { rss } = (await mock.ask('rss')) as { rss: number };
    return { readyMs: started.ready, rssMb: rss / 2 ** 20, rows };
  } finally {
    mock.child.kill();
    floor.child.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchMock();
  console.table(result.rows.map((r) => ({ ...r, ratio: `${r.ratio.toFixed(2)}×` })));
  console.log(`ready ${Math.round(result.readyMs)} ms (target ≤1000), RSS ${result.rssMb.toFixed(0)} MB (target ≤250), ratio target ≥0.25×, p99 target ≤10 ms`);
}

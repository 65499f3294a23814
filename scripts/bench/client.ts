/**
 * npm run bench (client part): what the typed clients cost.
 *   1. per call: a typed client call vs a raw fetch of the same URL (same headers, body parsed),
 *      against a local server in its own process, guard off and guard on (validate every call);
 *   2. the same call's CPU with the network taken out (client-cpu.ts): what the client's own
 *      code adds beyond a cancellable fetch, steadier than the network figures;
 *   3. bytes per vendor entry point, minified and gzipped as a bundler ships it (esbuild), plus
 *      the lazily loaded validators chunk the guard adds;
 *   4. tsc time of a consumer that imports every vendor and calls one operation each, as a
 *      ratio to an empty project with the same compiler options.
 * Machines are noisy: rounds of each variant are interleaved and medians compared.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadSpec } from '../../contract-tests/lib/spec.js';
import { exampleAnswer } from '../traffic/example-server.js';
import { rawFetches } from './raw-fetch.js';
import { createPerxClient } from '../../src/perx.js';
import { createXonvoClient } from '../../src/xonvo.js';
import { findVendor, vendors } from '../../src/vendors.js';

export interface Row {
  /** What was measured. */
  measure: string;
  value: number;
  unit: string;
  /** The comparison's value (raw fetch, empty project), when the row is a ratio. */
  baseline?: number;
  ratio?: number;
  /** The target ratio (or byte budget), when there is one. */
  target?: number;
  ok?: boolean;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * A bare node:http server in its own process answering every request with the given bytes, and
 * the token endpoint (when given) with a token, so the clients run on their default fetch.
 */
async function answerServer(status: number, contentType: string, body: string, tokenPath?: string) {
  const token = '{"access_token":"app-token","expires_in":3600}';
  const script = `
    const answer = { status: ${status}, type: ${JSON.stringify(contentType)}, body: ${JSON.stringify(body)} };
    const token = { status: 200, type: 'application/json', body: ${JSON.stringify(token)} };
    const server = require('node:http').createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const { status, type, body } = req.url === ${JSON.stringify(tokenPath ?? null)} ? token : answer;
        res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/**
 * µs per call of each variant, and each variant's cost as a ratio to `raw`. Rounds of each variant
 * are interleaved (order rotated each round); a round's ratio compares runs made moments apart, so
 * a slow spell of the shared machine hits both sides, and the median ratio over rounds is the figure.
 */
async function perCall(variants: Record<string, () => Promise<unknown>>, rounds = 80, calls = 50) {
  const names = Object.keys(variants);
  const times: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (const run of Object.values(variants)) for (let i = 0; i < 300; i++) await run(); // warm up JIT and sockets
  for (let round = 0; round < rounds; round++) {
    const took: Record<string, number> = {};
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      const run = variants[name]!;
      const started = performance.now();
      for (let i = 0; i < calls; i++) await run();
      took[name] = ((performance.now() - started) * 1000) / calls;
    }
    for (const name of names) {
      times[name]!.push(took[name]!);
      ratios[name]!.push(took[name]! / took.raw!);
    }
  }
  return Object.fromEntries(names.map((k) => [k, { us: median(times[k]!), ratio: median(ratios[k]!) }]));
}

export async function callCost(): Promise<Row[]> {
  const rows: Row[] = [];
  const cases = [
    {
      vendor: 'perx',
      operationId: 'listRewards',
      path: '/v4/rewards',
      headers: { authorization: 'Bearer app-token' },
      tokenPath: '/v4/oauth/token',
      client: (baseUrl: string, validate: 'off' | 'throw') => createPerxClient({ baseUrl, clientId: 'id', clientSecret: 's', validate }),
    },
    {
      vendor: 'xonvo',
      operationId: 'getAccountStatistics',
      path: '/accounts/{accountId}/statistics',
      headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
      client: (baseUrl: string, validate: 'off' | 'throw') => createXonvoClient({ baseUrl, username: 'u', password: 'p', validate }),
    },
  ];
  for (const c of cases) {
    const answer = exampleAnswer(loadSpec(findVendor(c.vendor)!), c.operationId);
    const server = await answerServer(answer.status, answer.contentType, String(answer.body), 'tokenPath' in c ? c.tokenPath : undefined);
    try {
      const url = `${server.url}${c.path.replace('{accountId}', '21')}`;
      const off = c.client(server.url, 'off') as any;
      const on = c.client(server.url, 'throw') as any;
      const params = { params: { path: { accountId: 21 }, query: {} } };
      const { raw, rawTimeout } = rawFetches(url, c.headers);
      const times = await perCall({
        raw,
        rawTimeout,
        off: () => off.GET(c.path, params),
        on: () => on.GET(c.path, params),
      });
      const row = (what: string, name: string, target?: number): Row => ({
        measure: `${c.vendor} ${c.operationId}: ${what}`,
        value: times[name]!.us,
        unit: 'µs/call',
        baseline: times.raw!.us,
        ratio: times[name]!.ratio,
        ...(target ? { target } : {}),
      });
      rows.push(
        { measure: `${c.vendor} ${c.operationId}: raw fetch`, value: times.raw!.us, unit: 'µs/call' },
        row('raw fetch with a timeout signal (reference)', 'rawTimeout'),
        row('typed client, guard off', 'off', 1.1),
        row('typed client, guard on (every call)', 'on', 1.3),
      );
    } finally {
      server.stop();
    }
  }
  return rows;
}

/** µs of CPU per call with the network taken out (client-cpu.ts, in its own process). */
function codeCost(): Row[] {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/client-cpu.ts')], { encoding: 'utf8', cwd: root });
  if (run.status !== 0) throw new Error(`client-cpu.ts failed:\n${run.stdout}${run.stderr}`);
  const us = JSON.parse(run.stdout) as Record<'raw' | 'rawTimeout' | 'client', number>;
  const row = (measure: string, value: number): Row => ({ measure: `no network, CPU per call: ${measure}`, value, unit: 'µs' });
  return [
    row('raw fetch', us.raw),
    row('raw fetch with a timeout signal', us.rawTimeout),
    row('xonvo typed client, guard off', us.client),
    row('  what the client adds beyond the cancellable fetch', us.client - us.rawTimeout),
  ];
}

/** Bytes a bundler ships per entry point (the entry and its static imports), min+gz. */
async function bundleBytes(): Promise<Row[]> {
  const { build } = await import('esbuild');
  const outdir = mkdtempSync(join(tmpdir(), 'martech-bench-bundle-'));
  try {
    const result = await build({
      entryPoints: vendors.map((v) => join(root, 'src', `${v.name}.ts`)),
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      platform: 'neutral',
      external: ['node:*'],
      outdir,
      metafile: true,
      absWorkingDir: root,
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const gz = (file: string) => gzipSync(readFileSync(join(root, file))).length;
    const closure = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement') closure(imported.path, seen);
      return seen;
    };
    const rows: Row[] = [];
    for (const [file, output] of Object.entries(outputs)) {
      if (!output.entryPoint?.startsWith('src/')) continue;
      const vendor = output.entryPoint.replace(/^.*src\//, '').replace(/\.ts$/, '');
      const files = [...closure(file)];
      const bytes = files.reduce((sum, f) => sum + gz(f), 0);
      rows.push({ measure: `martech-contracts/${vendor} (min+gz, with openapi-fetch)`, value: bytes, unit: 'bytes' });
      const validators = Object.keys(outputs).find((f) => outputs[f]!.entryPoint === `generated/${vendor}/validators.js`);
      if (validators) rows.push({ measure: `  + its validators, loaded once validate is on`, value: gz(validators), unit: 'bytes' });
    }
    return rows;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const CONSUMER = `
import { createXonvoClient } from 'martech-contracts/xonvo';
import { createFootprintsClient } from 'martech-contracts/footprints';
import { createPerxClient } from 'martech-contracts/perx';
import { createPlacewiseClient } from 'martech-contracts/placewise';
import { createImprzdClient } from 'martech-contracts/imprzd';

export async function main() {
  const xonvo = createXonvoClient({ username: 'u', password: 'p' });
  const stats = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 }, query: {} } });
  const footprints = createFootprintsClient({ key: 'k', secret: 's' });
  const channels = await footprints.GET('/api/channels');
  const perx = createPerxClient({ clientId: 'i', clientSecret: 's' });
  const rewards = await perx.asUser('u').GET('/v4/rewards', { params: { query: { page: 1 } } });
  const placewise = createPlacewiseClient({ clubSlug: 'c', token: 't', userAgent: 'a', productName: 'p' });
  const groups = await placewise.GET('/members_groups', { params: { query: {} } });
  const imprzd = createImprzdClient({ token: 't' });
  const image = await imprzd.GET('/BroadcastImpression/api/file/displayImageV2/{fileId}', { params: { path: { fileId: 'x' } } });
  return [stats.data?.leadCount, channels.data, rewards.data?.data, groups.data, image.response.status];
}
`;

/** A consumer project against the package's declarations (as `npm run build:lib` emits them). */
function typecheckCost(runs = 5): Row[] {
  const work = mkdtempSync(join(tmpdir(), 'martech-bench-tsc-'));
  try {
    const pkg = join(work, 'node_modules', 'martech-contracts');
    mkdirSync(pkg, { recursive: true });
    const emit = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist'), '--emitDeclarationOnly'],
      { encoding: 'utf8' },
    );
    if (emit.status !== 0) throw new Error(`declarations did not build:\n${emit.stdout}${emit.stderr}`);
    symlinkSync(join(root, 'generated'), join(pkg, 'generated'));
    writeFileSync(join(pkg, 'package.json'), readFileSync(join(root, 'package.json')));
    symlinkSync(join(root, 'node_modules', 'openapi-fetch'), join(work, 'node_modules', 'openapi-fetch'));
    symlinkSync(join(root, 'node_modules', 'openapi-typescript-helpers'), join(work, 'node_modules', 'openapi-typescript-helpers'));
    symlinkSync(join(root, 'node_modules', '@types'), join(work, 'node_modules', '@types'));
    const options = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, lib: ['ES2022', 'DOM'], types: ['node'] };
    const project = (name: string, source: string) => {
      const dir = join(work, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'index.ts'), source);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['index.ts'] }));
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      return dir;
    };
    const consumer = project('consumer', CONSUMER);
    const empty = project('empty', 'export {};\n');
    const time = (dir: string) => {
      const started = performance.now();
      const run = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`tsc failed in ${dir}:\n${run.stdout}${run.stderr}`);
      return performance.now() - started;
    };
    const samples = { consumer: [] as number[], empty: [] as number[] };
    for (let i = 0; i < runs; i++) {
      samples.empty.push(time(empty));
      samples.consumer.push(time(consumer));
    }
    const [c, e] = [median(samples.consumer), median(samples.empty)];
    return [
      { measure: 'tsc: empty project', value: c && e, unit: 'ms' },
      { measure: 'tsc: consumer of every vendor, one call each', value: c, unit: 'ms', baseline: e, ratio: c / e, target: 1.3 },
    ].map((row, i) => (i === 0 ? { ...row, value: e } : row));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function benchClients(): Promise<Row[]> {
  const rows = [...(await callCost()), ...codeCost(), ...(await bundleBytes()), ...typecheckCost()];
  return rows.map((row) => (row.ratio !== undefined && row.target !== undefined ? { ...row, ok: row.ratio <= row.target } : row));
}

export function formatRows(rows: Row[]): string {
  const width = Math.max(...rows.map((r) => r.measure.length));
  return rows
    .map((r) => {
      const value = `${r.unit === 'bytes' ? Math.round(r.value) : r.value.toFixed(1)} ${r.unit}`.padStart(14);
      const target = r.target === undefined ? '' : ` (target ≤${r.target}×) ${r.ok ? 'ok' : 'MISSED'}`;
      const ratio = r.ratio === undefined ? '' : `  ${r.ratio.toFixed(2)}×${target}`;
      return `${r.measure.padEnd(width)}  ${value}${ratio}`;
    })
    .join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(formatRows(await benchClients()));
}

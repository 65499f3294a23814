/**
 * Dredd, as a second and independent check of each vendor against its spec.
 *   npm run test:dredd [-- vendor...]                   against the mocks (started here)
 *   CONTRACT_TARGET=sandbox npm run test:dredd          against the sandboxes configured in the env
 *                                                       (none configured: it fails, naming the variables)
 * Auth is whatever the vendor's typed client adds (tokens are fetched from the target), handed to
 * the generic hooks file in a plan that lives in a private temp folder for the run only.
 * Dredd's body checks are shallow (see DESIGN.md): its transactions are smoke checks of the
 * target, not contract tests; the authoritative check is the vitest suite.
 * A vendor fails on any failing transaction, on a run with none passing, and on any documented
 * response dredd dropped without running it (it drops operations it cannot build a URI for).
 * Writes reports/dredd.json (or `--report <file>`): per vendor, passing/failing/skipped
 * transactions, the dropped ones, notes on what was left out, or a skip reason; a vendor that
 * could not be run (settings its client refuses, a token refused) fails alone, saying why.
 */
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleRequest, toMultipart, type ContractRequest } from '../contract-tests/lib/request.js';
import { createAuthProbe } from '../contract-tests/lib/probe-auth.js';
import { loadRuntime } from '../contract-tests/lib/runtime.js';
import { loadSpec } from '../contract-tests/lib/spec.js';
import { matchOperation } from '../contract-tests/lib/match.js';
import { createStallBreaker, stalledEarlier } from '../contract-tests/lib/stalls.js';
import { notCheckedFor, UNAVAILABLE_STATUSES } from '../contract-tests/lib/unavailable.js';
import { ANSWER_TIMEOUT_MS, chosenVendors, contractTarget, isWrite, notChecked, nothingToCheck, stalledHint, targetFor, vendorClients, type Target } from '../contract-tests/lib/target.js';
import { toFormBody } from '../src/form.js';
import type { VendorRuntime } from '../src/vendor-runtime.js';
import { findVendor } from '../src/vendors.js';
import { droppedTransactions, forDredd } from './lib/dredd-input.js';
import { startVendorMocks, type VendorMocks } from './lib/mocks.js';
import { readArgs, readCommandLine } from './lib/args.js';
import { onStop } from './lib/on-stop.js';
import { run } from './lib/run.js';
import { startSameOriginProxy } from './lib/same-origin-proxy.js';
import { reportsDir, writeJson } from './lib/reports.js';
import { selectVendors } from './lib/vendors.js';

export interface DreddResult {
  passing: number;
  failing: number;
  skipped: number;
  /** Documented responses (`METHOD path status`) dredd never ran. */
  dropped?: string[];
  /** What was deliberately left out of dredd's requests, and why. */
  notes?: string[];
  /** Why the vendor was not run at all. */
  reason?: string;
  /** Why it could not be run, which fails it: settings its client refuses, a token refused. */
  error?: string;
  /** Calls the vendor could not answer for now (429, 502, 503, 504), each `METHOD path: why`: failed, not drift. */
  notChecked?: string[];
}

/** Dredd sends no body for form and multipart requests; the hooks send the spec's first example. */
async function encodedBody(request: ContractRequest): Promise<{ body?: string; contentType?: string }> {
  if (request.mediaType === 'application/x-www-form-urlencoded') {
    return { body: toFormBody(request.body).toString(), contentType: request.mediaType };
  }
  if (request.mediaType === 'multipart/form-data') {
    const encoded = new Response(toMultipart(request));
    return { body: await encoded.text(), contentType: encoded.headers.get('content-type')! };
  }
  return {};
}

/** What dredd's lines for a transaction the hooks did not judge carry (its title and its reason); this script says which call, and why. */
const NOT_CHECKED_BY_HOOKS = 'not checked: the vendor could not answer for now';

async function planFor(name: string, runtime: VendorRuntime, target: Target, seenFile: string, notCheckedFile: string) {
  const spec = loadSpec(findVendor(name)!);
  const auth = createAuthProbe(globalThis.fetch);
  const clientFor = vendorClients(runtime, target.settings!, auth.fetch);
  const operations = [];
  for (const op of spec.operations) {
    const request = exampleRequest(spec, op);
    const skip = notChecked(target, spec, op) ?? (isWrite(op.method) && !target.allowWrites ? 'writes need CONTRACT_ALLOW_WRITES=1' : undefined);
    const runs = skip === undefined;
    operations.push({
      method: op.method,
      path: op.path,
      skip,
      auth: runs ? await auth.probe(clientFor(spec, op), op.method, op.path, request) : { headers: {}, query: {} },
      ...(await encodedBody(request)),
    });
  }
  // Against the mock, non-2xx responses are asked for with Prefer; a sandbox cannot be steered.
  // Dredd judges a body by the keys of the spec's example, every one taken as required: the mock
  // answers with the examples, but a vendor leaves out optional fields, and a sandbox failed for
  // doing what its spec allows. There its bodies are the contract suite's to judge, by the schema.
  const isMock = target.kind === 'mock';
  // Against a sandbox only success transactions run, so an answer saying the vendor cannot answer
  // for now is never the one expected: the hooks do not judge it, and note the call here.
  const unavailable = isMock ? [] : UNAVAILABLE_STATUSES;
  return { preferStatus: isMock, exampleBodies: isMock, seenFile, unavailable, notCheckedFile, notCheckedFail: NOT_CHECKED_BY_HOOKS, operations };
}

function summary(output: string): DreddResult {
  const line = output.split('\n').find((l) => /complete: .*total/.test(l)) ?? '';
  const count = (word: string) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  return { passing: count('passing'), failing: count('failing') + count('errors'), skipped: count('skipped') };
}

const DREDD_FLAGS = { report: { type: 'string' } } as const;
const { args, vendors, onMock } = readArgs('test:dredd', 'usage: npm run test:dredd [-- [--report <file>] [vendor...]]', () => {
  const { values, positionals } = readCommandLine({ options: DREDD_FLAGS, allowPositionals: true });
  chosenVendors(process.env, selectVendors([]).map((v) => v.name));
  return { args: values, vendors: selectVendors(positionals), onMock: contractTarget(process.env) === 'mock' };
}, { scripts: ['test:dredd'], flags: DREDD_FLAGS });
const reportFile = args.report ?? join(reportsDir(), 'dredd.json');
const work = await mkdtemp(join(tmpdir(), 'martech-dredd-'));
await chmod(work, 0o700); // the plans hold live tokens during a sandbox run
// Stopped (Ctrl-C, the sandbox runner stopping), the plans go with the run: they hold credentials.
onStop(() => rmSync(work, { recursive: true, force: true }));
const results: Record<string, DreddResult> = {};
let mocks: VendorMocks | undefined;
let crashed: unknown;

async function runVendor(name: string, log: (line: string) => void): Promise<DreddResult> {
  const runtime = await loadRuntime(name);
  const target = targetFor(runtime, mocks?.urls ?? {});
  if (target.skip) {
    log(`[${name}] skipped: ${target.skip}`);
    return { passing: 0, failing: 0, skipped: 0, reason: target.skip };
  }
  if (target.refused) return cannotRun(name, target.refused, log);
  // An earlier part of the sandbox run found it not answering: dredd would wait for it 3 times again.
  const earlier = stalledEarlier(name);
  if (earlier) return cannotRun(name, `earlier in this run, the vendor ${earlier}; ${stalledHint(name)}`, log);
  const url = target.settings!.baseUrl;
  log(`[${name}] dredd against the ${target.kind}${onMock ? ` at ${url}` : ''}`);
  const spec = loadSpec(findVendor(name)!);
  const input = forDredd(spec.doc);
  const dereferenced = join(work, `${name}.json`);
  const planFile = join(work, `${name}.plan.json`);
  const seenFile = join(work, `${name}.seen.txt`);
  const notCheckedFile = join(work, `${name}.not-checked.jsonl`);
  await writeFile(dereferenced, JSON.stringify(input.doc));
  await writeFile(seenFile, '');
  await writeFile(notCheckedFile, '');
  await writeFile(planFile, JSON.stringify(await planFor(name, runtime, target, seenFile, notCheckedFile)), { mode: 0o600 });
  // Dredd's own timeout restarts at every byte: the pass-through bounds each exchange whole, and
  // after a few in a row that got no answer, answers the vendor's remaining ones at once.
  const via = await startSameOriginProxy(url, {
    log: (line) => log(`[${name}]   ✗ ${line}`),
    deadlineMs: ANSWER_TIMEOUT_MS,
    stalls: createStallBreaker({ timeoutMs: ANSWER_TIMEOUT_MS, hint: stalledHint(name), vendor: name }),
    callName: (method, path) => `${method} ${matchOperation(spec, method, path)?.path ?? path}`,
  });
  const dredd = await run(
    'dredd',
    [dereferenced, via.url, '--hookfiles', 'contract-tests/dredd-hooks.cjs', '--loglevel', 'warning', '--no-color'],
    { MARTECH_DREDD_PLAN: planFile },
  ).finally(() => via.stop());
  const dropped = droppedTransactions(spec.doc, (await readFile(seenFile, 'utf8')).split('\n').filter(Boolean));
  const notChecked = (await readFile(notCheckedFile, 'utf8')).split('\n').filter(Boolean).map((line) => {
    const { call, status, retryAfter } = JSON.parse(line) as { call: string; status: number; retryAfter?: string };
    return `${call}: ${notCheckedFor(status, retryAfter)}`;
  });
  const result: DreddResult = { ...summary(dredd.output), dropped, notes: input.notes, ...(notChecked.length > 0 ? { notChecked } : {}) };
  if (dredd.code !== 0 && result.failing === 0) result.failing = 1; // dredd failed without saying what
  for (const note of input.notes) log(`[${name}]   note: ${note}`);
  for (const missing of dropped) log(`[${name}]   ✗ dropped by dredd, never run: ${missing}`);
  for (const call of notChecked) log(`[${name}]   ✗ ${call}`);
  if (failed(result)) {
    // Dredd's own report of failures; it prints requests, so only lines that say what failed. Its
    // lines for the calls not checked (each carries the hooks' words) are said above, in full.
    const said = (l: string) => /^(fail|error):/.test(l.trim()) && !/authorization|access_token|token/i.test(l) && !l.includes(NOT_CHECKED_BY_HOOKS);
    log(dredd.output.split('\n').filter(said).slice(0, 40).join('\n'));
  }
  return result;
}

/** A vendor that fails without a transaction run, and why: its own row, the others' results kept. */
function cannotRun(name: string, why: string, log: (line: string) => void): DreddResult {
  log(`[${name}] ✗ not run: ${why}`);
  return { passing: 0, failing: 1, skipped: 0, error: why };
}

try {
  const servable = vendors.filter((v) => (findVendor(v.name)?.operationCount ?? 0) > 0);
  for (const vendor of vendors.filter((v) => !servable.includes(v))) {
    results[vendor.name] = { passing: 0, failing: 0, skipped: 0, reason: 'no documented operations' };
  }
  if (onMock) mocks = await startVendorMocks(servable.map((v) => v.name), { stateless: true });

  // Two dredd processes at a time: each spends most of its time parsing the spec, on its own core.
  const queue = [...servable];
  const concurrency = Number(process.env.DREDD_CONCURRENCY ?? 2);
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      for (let vendor = queue.shift(); vendor; vendor = queue.shift()) {
        // Its lines come together when it ends (about 40 s): said now, so the wait is not silent.
        console.log(`[${vendor.name}] dredd started…`);
        const lines: string[] = [];
        const log = (line: string) => lines.push(line);
        // One vendor's refused token ended the whole run, and every vendor's result with it.
        results[vendor.name] = await runVendor(vendor.name, log).catch((error: unknown) => cannotRun(vendor.name, error instanceof Error ? error.message : String(error), log));
        console.log(lines.join('\n')); // a vendor's lines together, whatever finished first
      }
    }),
  );
} catch (error) {
  crashed = error;
} finally {
  await mocks?.stop();
  await rm(work, { recursive: true, force: true });
}

function failed(r: DreddResult): boolean {
  return !r.reason && (r.failing > 0 || r.passing === 0 || (r.dropped?.length ?? 0) > 0);
}

// One row per vendor: the transactions are smoke checks, the vendor is the check.
console.log(`\n${'vendor'.padEnd(11)} ${'result'.padEnd(8)} ${'passing'.padStart(7)} ${'failing'.padStart(7)} ${'skipped'.padStart(7)} ${'dropped'.padStart(7)}  note`);
// In the vendor list's order, whichever dredd finished first.
const ordered: Record<string, DreddResult> = Object.fromEntries(vendors.filter((v) => results[v.name]).map((v) => [v.name, results[v.name]!]));
for (const [name, r] of Object.entries(ordered)) {
  const verdict = r.reason ? 'skipped' : failed(r) ? 'FAILED' : 'passed';
  const notChecked = r.notChecked?.length ? `${r.notChecked.length} call(s) not checked: the vendor could not answer them for now (see above)` : undefined;
  const note = r.reason ?? r.error ?? notChecked ?? (r.notes?.length ? `${r.notes.length} optional parameter(s) left out (see above)` : '');
  console.log(`${name.padEnd(11)} ${verdict.padEnd(8)} ${String(r.passing).padStart(7)} ${String(r.failing).padStart(7)} ${String(r.skipped).padStart(7)} ${String(r.dropped?.length ?? 0).padStart(7)}  ${note}`);
}
await writeJson(reportFile, ordered);
if (mocks?.bugs.length) {
  console.error(`the mock broke its own contract ${mocks.bugs.length} time(s):\n${mocks.bugs.slice(0, 20).join('\n')}`);
  process.exit(1);
}
if (crashed) {
  console.error(crashed);
  process.exit(1);
}
const nothing = onMock ? undefined : nothingToCheck(vendors.filter((v) => findVendor(v.name)?.operationCount).map((v) => [v.name, results[v.name]?.reason]));
if (nothing) {
  console.error(nothing);
  process.exit(1);
}
process.exit(Object.values(results).some(failed) ? 1 : 0);

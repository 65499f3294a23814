/**
 * Dredd, as a second and independent check of each vendor against its spec.
 *   npm run test:dredd [-- vendor...]                   against the mocks (started here)
 *   CONTRACT_TARGET=sandbox npm run test:dredd          against the sandboxes configured in the env
 * Auth is whatever the vendor's typed client adds (tokens are fetched from the target), handed to
 * the generic hooks file in a plan that lives in a private temp folder for the run only.
 * Dredd's body checks are shallow (see DESIGN.md); the authoritative check is the vitest suite.
 * Writes reports/dredd.json: per vendor, passing/failing/skipped transactions or a skip reason.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleRequest, toMultipart, type ContractRequest } from '../contract-tests/lib/request.js';
import { createAuthProbe } from '../contract-tests/lib/probe-auth.js';
import { loadRuntime } from '../contract-tests/lib/runtime.js';
import { loadSpec } from '../contract-tests/lib/spec.js';
import { isWrite, targetFor, vendorClients, type Target } from '../contract-tests/lib/target.js';
import { startMocks, type RunningMocks } from '../src/mock/launcher.js';
import { toFormBody } from '../src/form.js';
import type { VendorRuntime } from '../src/vendor-runtime.js';
import { findVendor } from '../src/vendors.js';
import { dereference } from './lib/dereference.js';
import { run } from './lib/run.js';
import { writeReport } from './lib/reports.js';
import { selectVendors } from './lib/vendors.js';

interface Result {
  passing: number;
  failing: number;
  skipped: number;
  reason?: string;
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

async function planFor(name: string, runtime: VendorRuntime, target: Target) {
  const spec = loadSpec(findVendor(name)!);
  const auth = createAuthProbe(globalThis.fetch);
  const clientFor = vendorClients(runtime, target.settings!, auth.fetch);
  const operations = [];
  for (const op of spec.operations) {
    const request = exampleRequest(spec, op);
    const runs = !isWrite(op.method) || target.allowWrites;
    operations.push({
      method: op.method,
      path: op.path,
      skip: runs ? undefined : 'writes need CONTRACT_ALLOW_WRITES=1',
      auth: runs ? await auth.probe(clientFor(spec, op), op.method, op.path, request) : { headers: {}, query: {} },
      ...(await encodedBody(request)),
    });
  }
  // Against the mock, non-2xx responses are asked for with Prefer; a sandbox cannot be steered.
  return { preferStatus: target.kind === 'mock', operations };
}

function summary(output: string): Result {
  const line = output.split('\n').find((l) => /complete: .*total/.test(l)) ?? '';
  const count = (word: string) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  return { passing: count('passing'), failing: count('failing') + count('errors'), skipped: count('skipped') };
}

const onMock = (process.env.CONTRACT_TARGET ?? 'mock') === 'mock';
const vendors = selectVendors(process.argv.slice(2));
const work = await mkdtemp(join(tmpdir(), 'martech-dredd-'));
await chmod(work, 0o700); // the plans hold live tokens during a sandbox run
const results: Record<string, Result> = {};
let mocks: RunningMocks | undefined;
try {
  const servable = vendors.filter((v) => (findVendor(v.name)?.operationCount ?? 0) > 0);
  for (const vendor of vendors.filter((v) => !servable.includes(v))) {
    results[vendor.name] = { passing: 0, failing: 0, skipped: 0, reason: 'no documented operations' };
    console.log(`[${vendor.name}] skipped: no documented operations`);
  }
  if (onMock) mocks = await startMocks({ vendors: servable.map((v) => v.name), portBase: 0, logLevel: 'error' });
  const mockUrls = Object.fromEntries((mocks?.servers ?? []).map((s) => [s.vendor, s.url]));

  for (const vendor of servable) {
    const runtime = await loadRuntime(vendor.name);
    const target = targetFor(runtime, mockUrls);
    if (target.skip) {
      results[vendor.name] = { passing: 0, failing: 0, skipped: 0, reason: target.skip };
      console.log(`[${vendor.name}] skipped: ${target.skip}`);
      continue;
    }
    const url = target.settings!.baseUrl;
    console.log(`[${vendor.name}] dredd against the ${target.kind}${onMock ? ` at ${url}` : ''}`);
    const dereferenced = join(work, `${vendor.name}.json`);
    const planFile = join(work, `${vendor.name}.plan.json`);
    await writeFile(dereferenced, JSON.stringify(dereference(loadSpec(findVendor(vendor.name)!).doc)));
    await writeFile(planFile, JSON.stringify(await planFor(vendor.name, runtime, target)), { mode: 0o600 });
    const dredd = await run(
      'dredd',
      [dereferenced, url, '--hookfiles', 'contract-tests/dredd-hooks.cjs', '--loglevel', 'warning', '--no-color'],
      { MARTECH_DREDD_PLAN: planFile },
    );
    const result = summary(dredd.output);
    results[vendor.name] = result;
    console.log(`[${vendor.name}] ${result.passing} passing, ${result.failing} failing, ${result.skipped} skipped`);
    if (dredd.code !== 0 || result.failing > 0 || result.passing === 0) {
      // Dredd's own report of failures; it prints requests, so only lines that say what failed.
      console.log(dredd.output.split('\n').filter((l) => /^(fail|error):/.test(l.trim()) && !/authorization|access_token|token/i.test(l)).slice(0, 40).join('\n'));
    }
  }
} finally {
  await mocks?.stop();
  await rm(work, { recursive: true, force: true });
}
await writeReport('dredd.json', results);
const failed = Object.values(results).some((r) => !r.reason && (r.failing > 0 || r.passing === 0));
process.exit(failed ? 1 : 0);

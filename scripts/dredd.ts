/**
 * Dredd, as a second and independent check of each vendor's mock against its spec.
 *   npm run test:dredd [-- vendor...]
 * Dredd's body checks are shallow (see DESIGN.md); the authoritative check is the vitest suite.
 * Writes reports/dredd.json: per vendor, passing/failing/skipped transaction counts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startMocks } from '../src/mock/launcher.js';
import { basicAuthorization } from '../src/auth/basic.js';
import { toFormBody } from '../src/form.js';
import { listOperations, type OpenApiDocument, type SecurityScheme } from './lib/openapi.js';
import { dereference } from './lib/dereference.js';
import { run } from './lib/run.js';
import { root, selectVendors } from './lib/vendors.js';
import { exampleRequest, toMultipart, type ContractRequest } from '../contract-tests/lib/request.js';
import { loadSpec } from '../contract-tests/lib/spec.js';
import { findVendor } from '../src/vendors.js';

interface Credential {
  in: 'header' | 'query';
  name: string;
  value: string;
}

/** Placeholder credentials the mock accepts (Prism checks presence, not validity). */
function mockCredential(scheme: SecurityScheme): Credential | undefined {
  if (scheme.type === 'http' && scheme.scheme === 'basic') {
    return { in: 'header', name: 'Authorization', value: basicAuthorization({ username: 'mock', password: 'mock' }) };
  }
  if (scheme.type === 'http') return { in: 'header', name: 'Authorization', value: 'Bearer mock-token' };
  if (scheme.type === 'apiKey' && (scheme.in === 'header' || scheme.in === 'query')) {
    return { in: scheme.in, name: scheme.name!, value: 'mock-key' };
  }
  return undefined;
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

async function planFor(name: string) {
  const info = findVendor(name)!;
  const spec = loadSpec(info);
  const doc: OpenApiDocument = spec.doc;
  const credentials = Object.fromEntries(
    Object.entries(doc.components?.securitySchemes ?? {}).map(([id, scheme]) => [id, mockCredential(scheme)]),
  );
  const operations = await Promise.all(
    listOperations(doc).map(async (op) => {
      const requirements = (op.operation.security ?? doc.security ?? []) as Record<string, string[]>[];
      const request = exampleRequest(spec, op);
      return { method: op.method, path: op.path, schemes: Object.keys(requirements[0] ?? {}), ...(await encodedBody(request)) };
    }),
  );
  return { preferStatus: true, credentials, operations };
}

function summary(output: string) {
  const line = output.split('\n').find((l) => /complete: .*total/.test(l)) ?? '';
  const count = (word: string) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  return { passing: count('passing'), failing: count('failing') + count('errors'), skipped: count('skipped'), line };
}

const vendors = selectVendors(process.argv.slice(2)).filter((v) => (findVendor(v.name)?.operationCount ?? 0) > 0);
const work = await mkdtemp(join(tmpdir(), 'martech-dredd-'));
const mocks = await startMocks({ vendors: vendors.map((v) => v.name), portBase: 0, logLevel: 'error' });
const results: Record<string, ReturnType<typeof summary>> = {};
try {
  for (const vendor of vendors) {
    const url = mocks.servers.find((s) => s.vendor === vendor.name)!.url;
    const dereferenced = join(work, `${vendor.name}.json`);
    const planFile = join(work, `${vendor.name}.plan.json`);
    console.log(`[${vendor.name}] dredd against the mock at ${url}`);
    await writeFile(dereferenced, JSON.stringify(dereference(loadSpec(findVendor(vendor.name)!).doc)));
    await writeFile(planFile, JSON.stringify(await planFor(vendor.name)));
    const dredd = await run(
      'dredd',
      [dereferenced, url, '--hookfiles', 'contract-tests/dredd-hooks.cjs', '--loglevel', 'warning', '--no-color'],
      { MARTECH_DREDD_PLAN: planFile },
    );
    results[vendor.name] = summary(dredd.output);
    const { passing, failing, skipped } = results[vendor.name]!;
    console.log(`[${vendor.name}] ${passing} passing, ${failing} failing, ${skipped} skipped`);
    if (dredd.code !== 0 || failing > 0 || passing === 0) {
      console.log(dredd.output.split('\n').filter((l) => /fail|error/i.test(l)).slice(0, 40).join('\n'));
    }
  }
} finally {
  await mocks.stop();
  await rm(work, { recursive: true, force: true });
}
await mkdir(join(root, 'reports'), { recursive: true });
await writeFile(join(root, 'reports/dredd.json'), `${JSON.stringify(results, null, 2)}\n`);
const failed = Object.values(results).some((r) => r.failing > 0 || r.passing === 0);
process.exit(failed ? 1 : 0);

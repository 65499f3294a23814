/**
 * `npm run test:sandbox` end to end: against mocks standing in for the sandboxes it
 * passes; without configuration it says why each vendor is skipped, and fails; stopped, it stops what it started.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestPath } from '../../scripts/build/manifest.js';
import { startVendorMocks, type VendorMocks } from '../../scripts/lib/mocks.js';
import { vendors } from '../../src/vendors.js';
import { loadSpec } from '../lib/spec.js';
import { isWrite } from '../lib/target.js';
import { listWorkflowFiles, noWorkflowReason, stepsOf } from '../../scripts/workflows.js';
import { fakeSecrets, runSandbox, runWithSandboxEnv } from './sandbox-run.js';

const workflowSteps = (vendor: string) => {
  const file = listWorkflowFiles().find((f) => f.vendor === vendor);
  return file && stepsOf(file).length;
};

const served = vendors.filter((v) => v.operationCount > 0).map((v) => v.name);
const root = fileURLToPath(new URL('../../', import.meta.url));

async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
let mocks: VendorMocks;
let stateful: VendorMocks;
let urls: Record<string, string>;
beforeAll(async () => {
  // Stateless for the contract suite: each scenario sees the spec's examples, whatever another
  // wrote. The journeys need a stand-in that keeps what they write, as a sandbox does.
  [mocks, stateful] = await Promise.all([startVendorMocks(undefined, { stateless: true }), startVendorMocks()]);
  urls = mocks.urls;
});
afterAll(async () => {
  await mocks?.stop();
  await stateful?.stop();
});

describe('npm run test:sandbox', () => {
  // Dredd over every vendor runs once, in npm test's own step; here its sandbox mode gets a
  // test of its own on one vendor (below).
  it('passes the contract suite for every vendor against stand-in sandboxes, writes included', async () => {
    const run = await runSandbox(urls, { CONTRACT_ALLOW_WRITES: '1' }, ['--parts', 'contract']);
    expect(run.code, run.output).toBe(0);
    for (const vendor of served) {
      const { contract, dredd, workflows } = run.report[vendor];
      expect(contract, vendor).toMatchObject({ failed: 0, skipped: 0 });
      expect(contract.passed, vendor).toBeGreaterThan(0);
      expect(dredd, vendor).toBeUndefined();
      expect(workflows, vendor).toBeUndefined();
    }
  });

  it('runs every vendor journey against stand-in sandboxes that keep what it writes', async () => {
    stateful.reset();
    const run = await runSandbox(stateful.urls, { CONTRACT_ALLOW_WRITES: '1' }, ['--parts', 'workflows']);
    expect(run.code, run.output).toBe(0);
    for (const vendor of served) {
      const { workflows } = run.report[vendor];
      // A vendor without a journey says so; one with a journey ran all of it.
      const steps = workflowSteps(vendor);
      if (steps === undefined) expect(workflows, vendor).toMatchObject({ passed: 0, failed: 0, reason: noWorkflowReason(loadSpec(vendors.find((v) => v.name === vendor)!)) });
      else expect(workflows, vendor).toMatchObject({ passed: steps, failed: 0, skipped: 0 });
    }
    expect(stateful.bugs, 'mock bugs').toEqual([]);
  });

  // IMPRZD-13: the one known Imprzd call is public, so its base URL alone is enough to check it.
  it('checks Imprzd with IMPRZD_BASE_URL alone, naming the token as not set', async () => {
    const run = await runSandbox({ imprzd: urls.imprzd! }, { IMPRZD_TOKEN: '' }, ['--parts', 'contract']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('imprzd      configured (IMPRZD_BASE_URL); IMPRZD_TOKEN not set, so operations under bearerAuth are not checked');
    expect(run.report.imprzd.contract).toMatchObject({ failed: 0, skipped: 0 });
    expect(run.report.imprzd.contract.passed).toBeGreaterThan(0);
  });

  it("runs dredd's sandbox mode: the success transactions, the error ones skipped (a sandbox cannot be steered)", async () => {
    const run = await runWithSandboxEnv('scripts/dredd.ts', { xonvo: urls.xonvo! }, { CONTRACT_TARGET: 'sandbox', CONTRACT_ALLOW_WRITES: '1' }, ['xonvo']);
    expect(run.code, run.output).toBe(0);
    const { xonvo } = JSON.parse(run.files['dredd.json']!);
    const spec = loadSpec(vendors.find((v) => v.name === 'xonvo')!);
    const documented = spec.operations.flatMap((op) => Object.keys(op.operation.responses ?? {}));
    const successes = documented.filter((status) => status.startsWith('2')).length;
    // `dropped` can name transactions: scripts/lib/dredd-input.test.ts has dredd drop some.
    expect(xonvo).toMatchObject({ passing: successes, failing: 0, skipped: documented.length - successes, dropped: [] });
  });

  // The read-only rule is the contract suite's (dredd and workflows follow the same isWrite);
  // running only that part keeps dredd and respect to one run each.
  it('runs only reads unless writes are allowed', async () => {
    const run = await runSandbox(urls, {}, ['--parts', 'contract']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Writes: skipped; set CONTRACT_ALLOW_WRITES=1 to run them');
    for (const vendor of served) {
      const spec = loadSpec(vendors.find((v) => v.name === vendor)!);
      const { tests } = JSON.parse(readFileSync(join(root, manifestPath(spec.vendor.bundle)), 'utf8')) as { tests: Record<string, string[]> };
      const writeTests = spec.operations.filter((op) => isWrite(op.method)).reduce((n, op) => n + tests[op.operation.operationId]!.length, 0);
      expect(run.report[vendor].contract.failed, vendor).toBe(0);
      // Every test of a write operation is skipped, and nothing else: counted in operations, a
      // read test skipped by mistake went unseen.
      expect(run.report[vendor].contract.skipped, vendor).toBe(writeTests);
    }
  });

  // Found 2026-12-01: a setting one vendor's client refuses (thrown as the suite collected its
  // tests) or one vendor's refused token (thrown out of dredd's run) lost every vendor's results.
  it("fails only the vendor whose settings or token are refused, saying why, and keeps the others' results", async () => {
    const refusing = createServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const footprints = `http://127.0.0.1:${(refusing.address() as { port: number }).port}`;
      const run = await runSandbox({ xonvo: urls.xonvo!, footprints, imprzd: urls.imprzd! }, { XONVO_USERNAME: 'bad:user' }, ['--parts', 'contract,dredd']);
      expect(run.code, run.output).toBe(1);
      const refused = "XONVO_USERNAME must not contain ':' (HTTP Basic ends the user name at the first ':')";
      expect(run.output).toContain(`its client refuses them, so it fails: ${refused}`);
      const { xonvo, footprints: fp, imprzd } = run.report;
      expect(xonvo.contract).toMatchObject({ passed: 0, failed: 1, skipped: 0, failures: [{ message: `AssertionError: ${refused}` }] });
      expect(xonvo.dredd).toEqual({ passing: 0, failing: 1, skipped: 0, error: refused });
      expect(fp.dredd).toEqual({ passing: 0, failing: 1, skipped: 0, error: 'footprints: token request failed (HTTP 401)' });
      expect(imprzd.contract).toMatchObject({ failed: 0 });
      expect(imprzd.contract.passed).toBeGreaterThan(0);
      expect(imprzd.dredd).toMatchObject({ failing: 0 });
      expect(imprzd.dredd.passing).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it.each([['contract'], ['dredd', 'workflows']])('stopped by SIGTERM during %s, stops the part under way (its calls end, its scratch folder goes), starts no other, exits 143', async (...parts) => {
    const open = new Set<Socket>();
    const hang = createServer(() => undefined);
    hang.on('connection', (socket) => (open.add(socket), socket.on('close', () => open.delete(socket))));
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    // A temporary folder of its own: in the shared one, any other run's folder (another test's
    // dredd, runWithSandboxEnv's reports) made while this one ran was counted as left by it.
    const tmp = mkdtempSync(join(tmpdir(), 'sandbox-stop-'));
    const scratch = () => readdirSync(tmp).filter((name) => /^martech-(sandbox|dredd)-/.test(name));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, CONTRACT_VENDORS: 'xonvo', XONVO_BASE_URL: `http://127.0.0.1:${(hang.address() as { port: number }).port}`, ...fakeSecrets };
    const runner = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/sandbox.ts', '--parts', parts.join(',')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    runner.stdout.on('data', (c) => (output += c));
    runner.stderr.on('data', (c) => (output += c));
    try {
      await waitUntil(() => open.size > 0, 60_000);
      expect(scratch(), 'the run made its scratch folder where it was told').not.toEqual([]);
      const exited = new Promise<number | null>((resolve) => runner.once('exit', (code) => resolve(code)));
      runner.kill('SIGTERM');
      expect(await exited).toBe(143);
      // What it started went with it: nothing is left calling the vendor, or holding its credentials on disk.
      await waitUntil(() => open.size === 0, 10_000);
      expect(scratch()).toEqual([]);
      expect(output).not.toContain('=== workflows');
      // Nor does it read or write reports after the signal (a report cut off half-written).
      expect(output).not.toContain('wrote no report');
      expect(output).not.toContain('Sandbox report');
    } finally {
      runner.kill('SIGKILL');
      open.forEach((socket) => socket.destroy());
      await new Promise((resolve) => hang.close(resolve));
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('names every vendor it skips, with a one-line reason, and fails when that leaves nothing to run', async () => {
    const run = await runSandbox({});
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('xonvo       skipped: set XONVO_BASE_URL, XONVO_USERNAME, XONVO_PASSWORD');
    expect(run.output).toContain('placewise   skipped: set PLACEWISE_BASE_URL, PLACEWISE_TOKEN');
    expect(run.output).toContain('Nothing to run: no vendor is configured. Set the variables named above (.env.example lists them all).');
    expect(run.output).not.toContain('=== contract suite');
    expect(run.output).not.toContain('Sandbox run passed');
  });

  // Found 2026-12-01: run alone against the sandboxes with nothing configured, each checked nothing and exited 0.
  it.each([
    ['test:dredd', 'scripts/dredd.ts', []],
    ['test:workflows', 'scripts/workflows.ts', []],
    ['the contract suite', 'node_modules/vitest/vitest.mjs', ['run', '--project', 'contract']],
  ])('%s alone fails when no vendor is configured, with one line naming the variables', async (_, script, args) => {
    const run = await runWithSandboxEnv(script, {}, { CONTRACT_TARGET: 'sandbox' }, args);
    expect(run.code, run.output).toBe(1);
    const line = stripVTControlCharacters(run.output).split('\n').find((l) => l.includes('Nothing to run against the sandboxes'));
    expect(line).toMatch(/no vendor is configured \(xonvo: set XONVO_BASE_URL, XONVO_USERNAME, XONVO_PASSWORD; .*imprzd: set IMPRZD_BASE_URL\)\. \.env\.example lists every variable\.$/);
  });

  it('refuses a configured base URL the clients refuse (a query would swallow every path), before running anything', async () => {
    const run = await runSandbox({ xonvo: 'http://127.0.0.1:1/api?region=eu' });
    expect(run.code).toBe(2);
    expect(run.output).toContain(`test:sandbox: XONVO_BASE_URL must not have a query or fragment: each call's path is appended to it (got "http://127.0.0.1:1/api?…")`);
    expect(run.output).not.toContain('=== contract suite');
  });

  it('refuses a configured base URL fetch cannot call, once, before running anything (the password never shown)', async () => {
    const run = await runSandbox({ perx: 'http://ops:hunter2@127.0.0.1:1' });
    expect(run.code).toBe(2);
    expect(run.output).toContain('test:sandbox: PERX_BASE_URL must not contain a user name or password (got "http://…@127.0.0.1:1")');
    expect(run.output).not.toContain('hunter2');
    expect(run.output).not.toContain('=== contract suite');
  });

  it.each([
    [['perx'], "Unexpected argument 'perx'"],
    [['--parts', 'contract,bogus'], '--parts: unknown part "bogus"; known: contract, dredd, workflows'],
    [['--parts='], '--parts: unknown part ""; known: contract, dredd, workflows'],
  ])('refuses %j with what is wrong and the usage, exit 2, no stack trace', async (args, message) => {
    const run = await runSandbox({}, {}, args);
    expect(run.code).toBe(2);
    expect(run.output).toContain(`test:sandbox: ${message}`);
    expect(run.output).toContain('usage: npm run test:sandbox');
    expect(run.output).not.toMatch(/\n\s+at /);
  });
});

/**
 * The sandbox run's parts against a vendor that misbehaves on purpose: a real local HTTP server
 * standing in for the sandbox, configured as a user configures one (the environment).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runWorkflows } from '../../scripts/workflows.js';
import { ANSWER_TIMEOUT_MS } from '../lib/target.js';
import { STALL_LIMIT } from '../lib/stalls.js';
import { spawnGroup } from '../../scripts/lib/process-group.js';
import { fakeSecrets, runSandbox, runWithSandboxEnv } from './sandbox-run.js';

/** A stand-in vendor on a free port; every request it gets is kept, headers and all. */
async function standIn(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    answer(req, res);
  });
  server.on('connection', (socket) => (sockets.add(socket), socket.on('close', () => sockets.delete(socket))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const close = () => {
    sockets.forEach((socket) => socket.destroy());
    return new Promise((resolve) => server.close(resolve));
  };
  opened.push(close);
  return { url, seen };
}
const opened: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});

describe('a sandbox that misbehaves', () => {
  // Found 2026-12-03: dredd waits for an answer for ever, so test:sandbox hung in its dredd part
  // until it was killed (respect had --max-fetch-timeout, the contract suite vitest's timeout); then,
  // bounded, a vendor that had stopped answering still cost 20 s for every transaction.
  it(`that never answers: dredd's exchanges end after the answer timeout, naming the operation, and after ${STALL_LIMIT} in a row the rest end at once`, { timeout: ANSWER_TIMEOUT_MS * 8 }, async () => {
    const vendor = await standIn(() => undefined);
    const started = performance.now();
    const run = await runWithSandboxEnv('scripts/dredd.ts', { placewise: vendor.url }, { CONTRACT_TARGET: 'sandbox' }, ['placewise']);
    const took = performance.now() - started;
    expect(run.code, run.output).toBe(1);
    const s = ANSWER_TIMEOUT_MS / 1000;
    const ended = run.output.split('\n').filter((l) => l.includes(`got no answer within ${s} s, first byte to last`));
    expect(ended, run.output).toHaveLength(STALL_LIMIT);
    // Named by the documented path, never by the query (it may hold a token).
    expect(ended[0]).toMatch(new RegExp(`^\\[placewise\\]   ✗ GET /[^ ?]+ got no answer within ${s} s, first byte to last: answered 504 in its place, and the run goes on$`));
    expect(run.output).toMatch(new RegExp(`\\[placewise\\]   ✗ ${STALL_LIMIT} calls in a row got no answer within ${s} s \\(the last: GET /[^)]+\\): the vendor's remaining calls are not sent and fail at once; check that PLACEWISE_BASE_URL points at a sandbox that is up, then run again`));
    expect(vendor.seen).toHaveLength(STALL_LIMIT);
    const result = JSON.parse(run.files['dredd.json']!).placewise;
    expect(result.passing).toBe(0);
    expect(result.failing).toBeGreaterThan(STALL_LIMIT);
    // Without the stop, every one of its ~18 transactions waited the whole bound.
    expect(took).toBeLessThan(ANSWER_TIMEOUT_MS * (STALL_LIMIT + 4));
    expect(run.output).not.toContain(fakeSecrets.PLACEWISE_TOKEN);
  });

  // Found 2026-12-03: each part of the sandbox run found a vendor that had stopped answering again,
  // STALL_LIMIT bounds apiece: the contract suite, dredd, then every workflow.
  it('that stops answering: the whole sandbox run calls it only until the contract part finds it so, and the later parts say why they did not', { timeout: ANSWER_TIMEOUT_MS * 10 }, async () => {
    const vendor = await standIn(() => undefined);
    const run = await runSandbox({ placewise: vendor.url }, { CONTRACT_ALLOW_WRITES: '1' });
    expect(run.code, run.output).toBe(1);
    expect(vendor.seen, run.output).toHaveLength(STALL_LIMIT);
    const earlier = `earlier in this run, the vendor left ${STALL_LIMIT} calls in a row without an answer within ${ANSWER_TIMEOUT_MS / 1000} s (the last: `;
    expect(run.output).toContain(`[placewise] ✗ not run: ${earlier}`);
    expect(run.output).toContain(`[placewise] FAILED, not run: ${earlier}`);
    // The report says the contract checks' shared reason once, with how many more it failed.
    const report = run.output.slice(run.output.lastIndexOf('Sandbox report'));
    expect(report.split('not sent: the vendor left').length - 1, report).toBe(1);
    expect(report).toMatch(/\(\d+ more of placewise's checks failed with the same message; reports\/sandbox.json lists them\)/);
    expect(run.report.placewise.dredd).toMatchObject({ passing: 0, failing: 1 });
    expect(run.report.placewise.workflows.failed).toBeGreaterThan(0);
    expect(run.output).not.toContain(fakeSecrets.PLACEWISE_TOKEN);
  });

  // Found 2026-12-03 (TEST-60 left it): respect's own bound ended each step that got no answer, and
  // none of them counted, so a hung vendor cost every workflow its full answer timeout.
  it(`that never answers: the workflows' steps count toward the stop, and after ${STALL_LIMIT} in a row the rest end at once, handed on to the run`, { timeout: ANSWER_TIMEOUT_MS * 8 }, async () => {
    const vendor = await standIn(() => undefined);
    const work = await mkdtemp(join(tmpdir(), 'hostile-workflows-'));
    // More one-step journeys than the stop allows (the real file's two end at their first step).
    const journeys = STALL_LIMIT + 2;
    const bundle = resolve('generated/placewise/openapi.json');
    const workflows = Array.from({ length: journeys }, (_, i) => `
  - workflowId: list${i}
    inputs: { type: object, properties: { token: { type: string, format: password } } }
    x-security: [{ schemeName: clientToken, values: { apiKey: $inputs.token } }]
    parameters: [{ name: X-User-Agent, in: header, value: hung-test }, { name: X-Product-Name, in: header, value: default }]
    steps:
      - stepId: listGroups${i}
        operationId: listMembersGroups
        successCriteria: [{ condition: $statusCode == 200 }]`).join('');
    await writeFile(join(work, 'placewise.arazzo.yaml'), `arazzo: 1.0.1\ninfo: { title: hung, version: 1.0.0 }\nsourceDescriptions:\n  - { name: placewise, url: ${bundle}, type: openapi }\nworkflows:${workflows}\n`);
    const stalledFile = join(work, 'stalled.txt');
    const lines: string[] = [];
    const s = ANSWER_TIMEOUT_MS / 1000;
    const stopLine = `[placewise]   ✗ ${STALL_LIMIT} calls in a row got no answer within ${s} s (the last: GET /members_groups): the vendor's remaining calls are not sent and fail at once; check that PLACEWISE_BASE_URL points at a sandbox that is up, then run again`;
    // The pass-through logs the stop as it happens, so the time after it is the rest's alone.
    let stoppedAt: number | undefined;
    const log = (line: string) => {
      lines.push(line);
      if (line === stopLine) stoppedAt ??= performance.now();
    };
    try {
      const env = { CONTRACT_TARGET: 'sandbox', PLACEWISE_BASE_URL: `${vendor.url}/v3/club`, PLACEWISE_TOKEN: fakeSecrets.PLACEWISE_TOKEN, CONTRACT_STALLED_FILE: stalledFile };
      const { results, exitCode } = await runWorkflows({ dir: work, vendors: ['placewise'], env, reportFile: join(work, 'workflows.json'), log });
      const endedAt = performance.now();
      expect(exitCode).toBe(1);
      expect(vendor.seen, lines.join('\n')).toHaveLength(STALL_LIMIT);
      expect(lines.filter((l) => l.includes(`got no answer within ${s} s, first byte to last`))).toHaveLength(STALL_LIMIT);
      expect(lines).toContain(stopLine);
      expect(results.placewise).toMatchObject({ passed: 0, failed: journeys });
      expect(results.placewise!.reason).toMatch(/^not sent: the vendor left 3 calls in a row/);
      // A later part of the same run (none follows the workflows now, but the file is the run's) is told.
      expect(await readFile(stalledFile, 'utf8')).toMatch(/^placewise\tleft 3 calls in a row without an answer/);
      // The journeys left after the stop ended at once: one more exchange left to a bound (the
      // pass-through's 20 s, respect's 40 s) would take a bound at least. Timed from the stop, not
      // from the start, which also counted respect's start-up: 13 s of the 30 s the old bound
      // (3.5 bounds from the start) left for it, on a loaded 2-core machine (TEST-81).
      expect(stoppedAt, lines.join('\n')).toBeDefined();
      expect(endedAt - stoppedAt!).toBeLessThan(ANSWER_TIMEOUT_MS);
      expect(lines.join('\n')).not.toContain(fakeSecrets.PLACEWISE_TOKEN);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  // Found 2026-12-03: the request library's timeout, which dredd's was, restarts at every byte.
  it('that trickles its answer a byte a second: dredd\'s exchange ends after the answer timeout, first byte to last', { timeout: ANSWER_TIMEOUT_MS * 4 }, async () => {
    const vendor = await standIn((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 1000);
      res.on('close', () => clearInterval(drip));
    });
    const started = performance.now();
    const run = await runWithSandboxEnv('scripts/dredd.ts', { imprzd: vendor.url }, { CONTRACT_TARGET: 'sandbox' }, ['imprzd']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`[imprzd]   ✗ GET /BroadcastImpression/api/file/displayImageV2/{fileId} got no answer within ${ANSWER_TIMEOUT_MS / 1000} s, first byte to last: its answer was cut off there, and the run goes on`);
    expect(JSON.parse(run.files['dredd.json']!).imprzd).toMatchObject({ passing: 0, failing: 1 });
    expect(performance.now() - started).toBeLessThan(ANSWER_TIMEOUT_MS * 2.5);
    expect(run.output).not.toContain(fakeSecrets.IMPRZD_TOKEN);
  });

  // Found 2026-12-03: respect follows every redirect; fetch dropped Authorization on the way to
  // another host but kept Placewise's X-Client-Authorization, which reached that host.
  it('that redirects to another host: the workflows do not follow it, the credential stays, and the step fails naming the redirect', async () => {
    const elsewhere = await standIn((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const vendor = await standIn((req, res) => res.writeHead(307, { location: `${elsewhere.url.replace('127.0.0.1', 'localhost')}${req.url}` }).end());
    const token = fakeSecrets.PLACEWISE_TOKEN;
    const lines: string[] = [];
    const work = await mkdtemp(join(tmpdir(), 'hostile-workflows-'));
    try {
      const env = { CONTRACT_TARGET: 'sandbox', CONTRACT_ALLOW_WRITES: '1', PLACEWISE_BASE_URL: `${vendor.url}/v3/club`, PLACEWISE_TOKEN: token };
      const { results, exitCode } = await runWorkflows({ vendors: ['placewise'], env, reportFile: join(work, 'workflows.json'), log: (line) => lines.push(line) });
      expect(exitCode).toBe(1);
      expect(elsewhere.seen.map((r) => r.headers['x-client-authorization'])).not.toContain(token);
      expect(vendor.seen[0]?.headers['x-client-authorization']).toBe(token);
      expect(results.placewise!.reason).toMatch(/\(HTTP 307\)/);
      expect(lines).toContain(`[placewise]   ✗ GET /v3/club/members_groups answered 307, a redirect to ${elsewhere.url.replace('127.0.0.1', 'localhost')}: not followed, so the credentials sent with it stay with the vendor`);
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  // Found 2026-12-03 (TEST-45 left it): respect followed a redirect within the vendor's origin,
  // which the clients, dredd and the contract suite do not: the journey checked another call.
  it("that redirects within its own origin: the workflows do not follow it either, and the step fails naming the redirect", async () => {
    const vendor = await standIn((req, res) => {
      if (req.url?.startsWith('/moved/')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      res.writeHead(301, { location: `/moved${req.url}` }).end();
    });
    const lines: string[] = [];
    const work = await mkdtemp(join(tmpdir(), 'hostile-workflows-'));
    try {
      const env = { CONTRACT_TARGET: 'sandbox', CONTRACT_ALLOW_WRITES: '1', PLACEWISE_BASE_URL: `${vendor.url}/v3/club`, PLACEWISE_TOKEN: fakeSecrets.PLACEWISE_TOKEN };
      const { results, exitCode } = await runWorkflows({ vendors: ['placewise'], env, reportFile: join(work, 'workflows.json'), log: (line) => lines.push(line) });
      expect(exitCode).toBe(1);
      expect(vendor.seen.map((r) => r.url).filter((url) => url.includes('/moved/'))).toEqual([]);
      expect(results.placewise!.reason).toMatch(/\(HTTP 301\)/);
      expect(lines).toContain(`[placewise]   ✗ GET /v3/club/members_groups answered 301, a redirect to /moved/v3/club/members_groups on the vendor's own origin: not followed, as the clients, dredd and the contract suite follow none (no spec documents one)`);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  // Found 2026-12-03: vitest's default reporter, its output a pipe, prints a file's tests when the
  // file ends, and every vendor's contract tests are one file: a run slowed by a vendor said nothing
  // until the whole contract part was over.
  it('that is slow: the contract part prints each check as it ends, not all at the end', async () => {
    let requests = 0;
    const vendor = await standIn((_req, res) => {
      // The second call hangs (until the answer timeout): what came before it must show meanwhile.
      if (++requests === 2) return;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, XONVO_BASE_URL: vendor.url, XONVO_USERNAME: fakeSecrets.XONVO_USERNAME, XONVO_PASSWORD: fakeSecrets.XONVO_PASSWORD, MARTECH_REPORTS_DIR: await mkdtemp(join(tmpdir(), 'hostile-reports-')) };
    const { child } = spawnGroup(process.execPath, [join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'scripts/sandbox.ts', '--parts', 'contract'], { cwd: process.cwd(), env });
    let output = '';
    let firstCheckAt: number | undefined;
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (firstCheckAt === undefined && /xonvo \(sandbox\).*(✓|×)|(✓|×).*xonvo \(sandbox\)/.test(output)) firstCheckAt = performance.now();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    await new Promise((resolve) => child.on('close', resolve));
    const endedAt = performance.now();
    await rm(env.MARTECH_REPORTS_DIR, { recursive: true, force: true });
    expect(firstCheckAt, output).toBeDefined();
    expect(endedAt - firstCheckAt!, output).toBeGreaterThan(ANSWER_TIMEOUT_MS / 2);
  });
});

/**
 * The Arazzo workflows and their runner (scripts/workflows.ts): the workflow files agree with the
 * bundles and the vendor descriptors, the runner passes them against the mocks, reports a failing
 * workflow as failed, skips sandbox vendors it cannot or may not run, and keeps credentials out
 * of everything it prints.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMocks, type RunningMocks } from '../src/mock/index.js';
import { loadRuntime } from '../contract-tests/lib/runtime.js';
import { vendors } from '../src/vendors.js';
import { spawnGroup } from './lib/process-group.js';
import { root } from './lib/vendors.js';
import { countSteps, listWorkflowFiles, noWorkflowReason, operationMethods, runWorkflows, stepsOf, workflowsDir, type RespectStep } from './workflows.js';
import { loadSpec } from '../contract-tests/lib/spec.js';
import { notCheckedFor } from '../contract-tests/lib/unavailable.js';

const files = listWorkflowFiles();
const stepCount = Object.fromEntries(files.map((f) => [f.vendor, stepsOf(f).length]));

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'workflows-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('workflow files', () => {
  it('exist for every vendor with documented JSON operations', () => {
    const expected = vendors.filter((v) => noWorkflowReason(loadSpec(v)) === undefined).map((v) => v.name).sort();
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(files.map((f) => f.vendor).sort()).toEqual(expected);
  });

  // The skip's reason is all npm test's summary shows of it: it must say why, and what lifts it.
  it("say why a vendor has none: Imprzd's one operation answers an image, not JSON", async () => {
    const { results } = await runWorkflows({ vendors: ['imprzd'], env: { CONTRACT_TARGET: 'mock' }, reportFile: join(work, 'none.json'), log: () => {} });
    expect(results.imprzd).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      reason:
        "no workflow: imprzd's documented operations (getDisplayImage) answer no JSON, and respect checks a step by its JSON answer (it reads an image as {}, which fails its schema check); a documented operation that answers JSON lifts this",
    });
  });

  for (const file of files) {
    describe(file.vendor, () => {
      it('describes the vendor bundle under the vendor name (the runner passes --server <vendor>=<url>)', () => {
        expect(file.doc.sourceDescriptions).toEqual([
          expect.objectContaining({ name: file.vendor, url: `../../generated/${file.vendor}/openapi.json` }),
        ]);
      });

      it("uses only operationIds of the vendor's bundle", () => {
        const known = operationMethods(file);
        const steps = stepsOf(file);
        expect(steps.length).toBeGreaterThan(0);
        for (const step of steps) expect([...known.keys()], `step ${step.stepId}`).toContain(step.operationId);
      });

      it('takes every descriptor setting as an input, and nothing the runner does not supply but runId', async () => {
        const runtime = await loadRuntime(file.vendor);
        const workflows = file.doc.workflows ?? [];
        expect(workflows.length).toBeGreaterThan(0);
        for (const workflow of workflows) {
          const inputs = (workflow as { inputs?: { properties?: Record<string, unknown> } }).inputs;
          const declared = Object.keys(inputs?.properties ?? {}).filter((name) => name !== 'runId');
          expect(declared.sort(), workflow.workflowId).toEqual(Object.keys(runtime.env).sort());
        }
      });
    });
  }
});

describe("counting steps from respect's JSON log", () => {
  const logOf = (steps: RespectStep[]) => ({ files: { 'x.arazzo.yaml': { executedWorkflows: [{ workflowId: 'journey', status: 'done', executedSteps: steps }] } } });
  const step = (stepId: string, status: string, extra: Partial<RespectStep> = {}): RespectStep => ({ type: 'step', stepId, status, ...extra });
  const failedCheck = { name: 'success criteria check', passed: false, message: 'expected 200\nmore' };

  it.for<[string, RespectStep[], number, ReturnType<typeof countSteps>]>([
    [
      'passes, warnings and failures, and the steps that never ran',
      [step('a', 'success'), step('b', 'warn', { checks: [{ ...failedCheck, severity: 'warn' }] }), step('c', 'error', { response: { statusCode: 500 }, checks: [failedCheck] })],
      4,
      { passed: 1, failed: 1, warnings: 1, skipped: 1, failures: ['c (HTTP 500): success criteria check — expected 200'], warningLines: ['b: success criteria check — expected 200 (warning)'] },
    ],
    [
      'only the final attempt of a retried step',
      [step('a', 'error', { retriesLeft: 1, checks: [failedCheck] }), step('a', 'success', { retriesLeft: 0 })],
      1,
      { passed: 1, failed: 0, warnings: 0, skipped: 0, failures: [], warningLines: [] },
    ],
    // Found 2026-12-01: a schema check's message opens with a reset code and a line break, and was shown as nothing.
    [
      "a schema check's message as respect writes it: its first line with text, without colour codes, and the field it points at",
      [step('a', 'error', { response: { statusCode: 200 }, checks: [{ name: 'schema check', passed: false, message: '\x1b[0m\nTYPE must be integer\n\n  1 | {\n> 2 |   "deliveredCount": "x",\n    |                     ^^^ 👈🏽  type must be integer\n  3 |   "qualified": false\n  4 | }\x1b[0m\n' }] })],
      1,
      { passed: 0, failed: 1, warnings: 0, skipped: 0, failures: ['a (HTTP 200): schema check — TYPE must be integer (at "deliveredCount": "x",)'], warningLines: [] },
    ],
    // Found 2026-12-03 (TEST-92 left it): a sandbox down for maintenance failed each step on its
    // criteria and its status, which read as drift.
    [
      'a step answered 503 (the vendor down) as not checked, not by the checks its answer failed',
      [step('a', 'error', { response: { statusCode: 503 }, checks: [failedCheck, { name: 'status code check', passed: false, message: '' }, { name: 'unexpected error', passed: false, message: 'JSON Pointer "/id" reaches no value.' }] })],
      2,
      { passed: 0, failed: 1, warnings: 0, skipped: 1, notChecked: [`a (HTTP 503): ${notCheckedFor(503)}`], failures: [`a (HTTP 503): ${notCheckedFor(503)}`], warningLines: [] },
    ],
    // Found 2026-12-03 (TEST-95 left it): the workflows' line gave no Retry-After where the contract
    // suite's and dredd's did, though respect's log keeps the answer's headers.
    [
      "a step answered 503 with Retry-After, which its line names as the other parts' lines do",
      [step('a', 'error', { response: { statusCode: 503, headers: { 'content-type': 'text/html', 'retry-after': '3600' } }, checks: [failedCheck] })],
      1,
      { passed: 0, failed: 1, warnings: 0, skipped: 0, notChecked: [`a (HTTP 503): ${notCheckedFor(503, '3600')}`], failures: [`a (HTTP 503): ${notCheckedFor(503, '3600')}`], warningLines: [] },
    ],
    [
      'a 503 its operation documents, whose body breaks it, as drift',
      [step('a', 'error', { response: { statusCode: 503 }, checks: [failedCheck, { name: 'schema check', passed: false, message: 'REQUIRED must have required property \'maintenance\'' }] })],
      1,
      { passed: 0, failed: 1, warnings: 0, skipped: 0, failures: ['a (HTTP 503): success criteria check — expected 200', "a (HTTP 503): schema check — REQUIRED must have required property 'maintenance'"], warningLines: [] },
    ],
    [
      'a status respect has not used before as a failure, never a pass',
      [step('a', 'success'), step('b', 'pending')],
      2,
      { passed: 1, failed: 1, warnings: 0, skipped: 0, failures: ['b: respect reported status "pending"'], warningLines: [] },
    ],
  ])('%s', ([, steps, total, expected], { expect }) => {
    expect(countSteps(logOf(steps), total)).toEqual(expected);
  });
});

function runCli(env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const { child } = spawnGroup(join(root, 'node_modules/.bin/tsx'), ['scripts/workflows.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

describe('against the mocks', () => {
  // The CLI as npm run test:workflows runs it, for one vendor into its own report (npm test's
  // workflows step runs every vendor; running them all here too would only double the time).
  it('passes a vendor workflow from the command line, writing the report it is given, and exits 0', { timeout: 120_000 }, async () => {
    const report = join(work, 'cli.json');
    const { code, output } = await runCli({ CONTRACT_TARGET: 'mock' }, ['footprints', '--report', report]);
    expect(code, output).toBe(0);
    expect(JSON.parse(await readFile(report, 'utf8'))).toEqual({ footprints: { passed: stepCount.footprints, failed: 0, warnings: 0, skipped: 0 } });
    expect(output).toContain('[footprints] passed:');
  });

  it('reports a workflow whose success criteria cannot hold as failed, with exit code 1', { timeout: 60_000 }, async () => {
    const dir = join(work, 'failing');
    await mkdir(dir);
    const original = await readFile(join(workflowsDir, 'xonvo.arazzo.yaml'), 'utf8');
    // The copy lives elsewhere, so its bundle path must be absolute; createAccount answers 200.
    const broken = original
      .replace('../../generated/xonvo/openapi.json', resolve(root, 'generated/xonvo/openapi.json'))
      .replace('$statusCode == 200', '$statusCode == 201');
    expect(broken).not.toBe(original);
    await writeFile(join(dir, 'xonvo.arazzo.yaml'), broken);

    const lines: string[] = [];
    const { results, exitCode } = await runWorkflows({
      dir,
      vendors: ['xonvo'],
      env: { CONTRACT_TARGET: 'mock' },
      reportFile: join(work, 'failing.json'),
      log: (line) => lines.push(line),
    });
    expect(exitCode).toBe(1);
    expect(results.xonvo).toMatchObject({ passed: 0, failed: 1, skipped: stepCount.xonvo! - 1 });
    expect(results.xonvo!.reason).toMatch(/^createAccount \(HTTP 200\): success criteria check/);
    expect(lines.join('\n')).toContain('[xonvo] FAILED');
    expect(JSON.parse(await readFile(join(work, 'failing.json'), 'utf8')).xonvo.failed).toBe(1);
  });
  // Why Imprzd has no workflow (IMPRZD-17): respect fails its image call even when the mock answers
  // it as documented. Should respect learn to read a binary answer, this fails and the skip can go.
  it("cannot pass Imprzd's image call answered as documented: respect reads the PNG as {}", { timeout: 60_000 }, async () => {
    const dir = join(work, 'imprzd');
    await mkdir(dir);
    const journey = [
      'arazzo: 1.0.1',
      'info: { title: image, version: 1.0.0 }',
      'sourceDescriptions:',
      `  - { name: imprzd, url: ${resolve(root, 'generated/imprzd/openapi.json')}, type: openapi }`,
      'workflows:',
      '  - workflowId: showImage',
      '    inputs: { type: object, properties: { token: { type: string, format: password } } }',
      '    steps:',
      '      - stepId: showImage',
      '        operationId: getDisplayImage',
      '        parameters: [{ name: fileId, in: path, value: aW1hZ2U= }]',
      '        successCriteria: [{ condition: $statusCode == 200 }]',
    ].join('\n');
    await writeFile(join(dir, 'imprzd.arazzo.yaml'), journey);
    const { results } = await runWorkflows({ dir, vendors: ['imprzd'], env: { CONTRACT_TARGET: 'mock' }, reportFile: join(work, 'imprzd.json'), log: () => {} });
    expect(results.imprzd).toMatchObject({ passed: 0, failed: 1 });
    expect(results.imprzd!.reason).toBe('showImage (HTTP 200): schema check — TYPE must be string (at {})');
  });
});

describe('against sandboxes', () => {
  // Found 2026-12-01: it exited 0 here, having checked nothing (a nightly job whose secrets are gone).
  it('skips every vendor, naming the missing variables, and fails, when none are set', async () => {
    const lines: string[] = [];
    const { results, exitCode } = await runWorkflows({
      env: { CONTRACT_TARGET: 'sandbox' },
      reportFile: join(work, 'skipped.json'),
      log: (line) => lines.push(line),
    });
    expect(exitCode).toBe(1);
    expect(lines.at(-1)).toMatch(/^Nothing to run against the sandboxes: no vendor is configured \(xonvo: set XONVO_BASE_URL, XONVO_USERNAME, XONVO_PASSWORD; .*\)\. \.env\.example lists every variable\.$/);
    expect(results.xonvo).toEqual({ passed: 0, failed: 0, skipped: stepCount.xonvo, reason: 'set XONVO_BASE_URL, XONVO_USERNAME, XONVO_PASSWORD' });
    expect(results.perx!.reason).toContain('PERX_USER_IDENTIFIER');
    for (const file of files) {
      expect(results[file.vendor]).toMatchObject({ passed: 0, failed: 0, skipped: stepCount[file.vendor] });
      expect(lines).toContain(`[${file.vendor}] skipped: ${results[file.vendor]!.reason}`);
    }
  });

  it('fails, without running it, a vendor whose settings its client refuses, naming the variable', async () => {
    const env = { CONTRACT_TARGET: 'sandbox', CONTRACT_ALLOW_WRITES: '1', XONVO_BASE_URL: 'http://127.0.0.1:9', XONVO_USERNAME: 'bad:user', XONVO_PASSWORD: 'p' };
    const lines: string[] = [];
    const { results, exitCode } = await runWorkflows({ vendors: ['xonvo'], env, reportFile: join(work, 'refused.json'), log: (line) => lines.push(line) });
    expect(exitCode).toBe(1);
    const refused = "XONVO_USERNAME must not contain ':' (HTTP Basic ends the user name at the first ':')";
    expect(results.xonvo).toEqual({ passed: 0, failed: stepCount.xonvo, skipped: 0, reason: refused });
    expect(lines).toEqual([`[xonvo] FAILED, not run: ${refused}`]);
  });

  it('skips a journey that writes unless CONTRACT_ALLOW_WRITES=1', async () => {
    const env = { CONTRACT_TARGET: 'sandbox', XONVO_BASE_URL: 'http://127.0.0.1:9', XONVO_USERNAME: 'u', XONVO_PASSWORD: 'p' };
    const { results, exitCode } = await runWorkflows({ vendors: ['xonvo'], env, reportFile: join(work, 'writes.json'), log: () => {} });
    expect(exitCode).toBe(0);
    expect(results.xonvo!.reason).toContain('CONTRACT_ALLOW_WRITES=1');
  });

  describe('with a mock standing in for the sandbox', () => {
    let mocks: RunningMocks;
    beforeAll(async () => {
      mocks = await startMocks({ vendors: ['xonvo'], portBase: 0 });
    }, 60_000);
    afterAll(() => mocks?.stop());

    it('fails a run whose masked log shows fewer steps than the workflow has (a one-letter credential garbles it), though respect passed', { timeout: 60_000 }, async () => {
      const env = { CONTRACT_TARGET: 'sandbox', CONTRACT_ALLOW_WRITES: '1', XONVO_BASE_URL: mocks.urls.xonvo!, XONVO_USERNAME: 't', XONVO_PASSWORD: 'p' };
      const lines: string[] = [];
      const { results, exitCode } = await runWorkflows({ vendors: ['xonvo'], env, reportFile: join(work, 'garbled.json'), log: (l) => lines.push(l) });
      expect(exitCode, lines.join('\n')).toBe(1);
      expect(results.xonvo).toEqual({
        passed: 0,
        failed: stepCount.xonvo,
        skipped: 0,
        reason: `respect passed but its log shows 0 of ${stepCount.xonvo} steps run (a very short credential garbles its masked log)`,
      });
    });

    it("runs with the environment's credentials and never prints them", { timeout: 60_000 }, async () => {
      const username = 'wf-user-7d1c9e';
      const password = 'wf-pass-4b2a8f';
      const env = {
        CONTRACT_TARGET: 'sandbox',
        CONTRACT_ALLOW_WRITES: '1',
        XONVO_BASE_URL: mocks.urls.xonvo!,
        XONVO_USERNAME: username,
        XONVO_PASSWORD: password,
      };
      const lines: string[] = [];
      const reportFile = join(work, 'masked.json');
      const { results, exitCode } = await runWorkflows({ vendors: ['xonvo'], env, reportFile, verbose: true, log: (l) => lines.push(l) });
      expect(exitCode, lines.join('\n')).toBe(0);
      expect(results.xonvo).toEqual({ passed: stepCount.xonvo, failed: 0, warnings: 0, skipped: 0 });
      // Verbose respect output includes every request's headers: the Basic credential is masked.
      const printed = lines.join('\n') + (await readFile(reportFile, 'utf8'));
      expect(printed).toContain('authorization: Basic ********');
      const basic = Buffer.from(`${username}:${password}`).toString('base64');
      for (const secret of [username, password, basic]) expect(printed).not.toContain(secret);
    });
  });
});

describe('a workflow file that cannot run as written', () => {
  // Found 2026-12-03 with a copy of XONVO's journey: an unknown operationId was found only after
  // createAccount had run (a write, against a sandbox); a goto back to createAccount created 2,000
  // accounts before respect stopped, then wrote no results; an output naming a step that is not
  // there, or a file that is not YAML, said only "wrote no results", or ended in a stack trace.
  const bundle = resolve(root, 'generated/xonvo/openapi.json');
  const journey = readFileSync(join(workflowsDir, 'xonvo.arazzo.yaml'), 'utf8').replace('../../generated/xonvo/openapi.json', bundle);
  const at = 'xonvo.arazzo.yaml, workflow accountLeadStatistics';
  const loop = "        onSuccess:\n          - name: again\n            type: goto\n            stepId: createAccount\n        outputs:\n          accountId: $response.body#/id";
  it.for<[string, (text: string) => string, string]>([
    ['an operationId the bundle lacks', (t) => t.replace('operationId: addLead', 'operationId: addLeed'), `${at}, step addLead: operationId "addLeed" is not an operation of its sourceDescriptions' bundle`],
    ['a goto that loops', (t) => t.replace('        outputs:\n          accountId: $response.body#/id', loop), `${at}, step createAccount: goto "createAccount" runs a step again, a loop`],
    ['a goto to no step', (t) => t.replace('        outputs:\n          accountId: $response.body#/id', loop.replace('stepId: createAccount', 'stepId: nowhere')), `${at}, step createAccount: goto "nowhere" names no step of the workflow`],
    ['outputs naming a step that is not there', (t) => t.replace('$steps.leadStatistics.outputs.qualified', '$steps.ghost.outputs.qualified'), `${at}, outputs: $steps.ghost names no step of the workflow`],
    ['a step reading a step not run yet', (t) => t.replace('name: Contract workflow {$inputs.runId}', 'name: Contract workflow {$steps.leadStatistics.outputs.qualified}'), `${at}, step createAccount: $steps.leadStatistics is not run before this step, so its outputs are not there yet`],
    ['a file that is not YAML', () => 'arazzo: [unclosed\n  - : :', 'xonvo.arazzo.yaml is not YAML that can be read: Implicit keys of flow sequence pairs need to be on a single line at line 1, column 10:'],
    ['a bundle that is not there', (t) => t.replace(bundle, `${bundle}.gone`), 'xonvo.arazzo.yaml: a sourceDescriptions bundle cannot be read (ENOENT'],
  ])('%s: fails the vendor before any call, naming the file, workflow, step and rule', async ([name, edit, problem], { expect }) => {
    const dir = join(work, `malformed-${name.replace(/\W+/g, '-')}`);
    await mkdir(dir);
    await writeFile(join(dir, 'xonvo.arazzo.yaml'), edit(journey));
    let calls = 0;
    const vendor = createServer((req, res) => (calls++, req.resume(), res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}')));
    await new Promise<void>((done) => vendor.listen(0, '127.0.0.1', done));
    try {
      const env = { CONTRACT_TARGET: 'sandbox', CONTRACT_ALLOW_WRITES: '1', XONVO_BASE_URL: `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`, XONVO_USERNAME: 'wf-user-5e1', XONVO_PASSWORD: 'wf-pass-9c3' };
      const lines: string[] = [];
      const { results, exitCode } = await runWorkflows({ dir, vendors: ['xonvo'], env, reportFile: join(dir, 'report.json'), log: (line) => lines.push(line) });
      expect(exitCode).toBe(1);
      expect(results.xonvo!.reason).toContain(problem);
      expect(results.xonvo!.failed).toBeGreaterThan(0);
      expect(lines.some((line) => line.startsWith(`[xonvo] FAILED, not run: ${problem}`)), lines.join('\n')).toBe(true);
      expect(calls).toBe(0);
    } finally {
      vendor.closeAllConnections();
      await new Promise((done) => vendor.close(done));
    }
  });
});

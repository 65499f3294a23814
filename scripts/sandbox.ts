/**
 * npm run test:sandbox — the contract suite, dredd and the workflows against the vendors' live
 * sandboxes, configured only from the environment (see .env.example). Vendors without their
 * variables are skipped with the reason; only reads run unless CONTRACT_ALLOW_WRITES=1.
 * Everything this prints or writes passes through a redactor holding the configured secrets.
 * Ends with a per-vendor report, also written to reports/sandbox.json.
 *   --parts contract,dredd,workflows   run only some of the three (default: all)
 * A vendor runs when its variables are set; a bad argument exits 2 with the usage.
 * Each part writes its own report into a private folder; a part that wrote none is a failure.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuntime } from '../contract-tests/lib/runtime.js';
import { STALLED_FILE_VARIABLE } from '../contract-tests/lib/stalls.js';
import { chosenVendors, envPrefix, targetFor } from '../contract-tests/lib/target.js';
import type { ContractViolation } from '../src/guard/violation.js';
import type { VendorRuntime } from '../src/vendor-runtime.js';
import { url } from '../src/options.js';
import { vendors } from '../src/vendors.js';
import { readArgs, readCommandLine } from './lib/args.js';
import { onStop } from './lib/on-stop.js';
import { spawnGroup } from './lib/process-group.js';
import { createRedactor } from './lib/redact.js';
import { writeReport } from './lib/reports.js';
import { root } from './lib/vendors.js';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const PARTS = ['contract', 'dredd', 'workflows'] as const;
const USAGE = `usage: npm run test:sandbox [-- --parts ${PARTS.join(',')}]
A vendor runs when its variables are set (see .env.example): to run one vendor, set only its own.`;

const SANDBOX_FLAGS = { parts: { type: 'string', default: PARTS.join(',') } } as const;
const parts = readArgs('test:sandbox', USAGE, () => {
  const { values } = readCommandLine({ options: SANDBOX_FLAGS });
  const chosen = values.parts!.split(',').map((p) => p.trim());
  const unknown = chosen.find((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown !== undefined) throw new Error(`--parts: unknown part "${unknown}"; known: ${PARTS.join(', ')}`);
  chosenVendors(process.env, vendors.map((v) => v.name));
  return chosen;
}, { scripts: ['test:sandbox'], flags: SANDBOX_FLAGS });

const env: NodeJS.ProcessEnv = { ...process.env, CONTRACT_TARGET: 'sandbox' };
const runtimes = new Map<string, VendorRuntime>();
for (const vendor of vendors) runtimes.set(vendor.name, await loadRuntime(vendor.name));

// Every configured value except base URLs is treated as a secret.
const secrets = [...runtimes.values()].flatMap((r) => Object.values(r.env).map((name) => env[name] ?? '')).filter(Boolean);
const redact = createRedactor(secrets);
const print = (text: string) => process.stdout.write(redact(text));

/** The part running now, in a process group of its own: a signal to the runner stops all of it. */
let running: ReturnType<typeof spawnGroup> | undefined;
/** Set by a signal: no further part starts. */
let stopping = false;

function runChild(label: string, args: string[]): Promise<number> {
  if (stopping) return Promise.resolve(1);
  print(`\n=== ${label}\n`);
  return new Promise((resolve) => {
    running = spawnGroup(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const { child } = running;
    // Redact per chunk boundary-safely: hold back a partial last line until the next chunk.
    let pending = '';
    const onData = (chunk: Buffer) => {
      const text = pending + chunk.toString();
      const cut = text.lastIndexOf('\n') + 1;
      print(text.slice(0, cut));
      pending = text.slice(cut);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('close', (code) => {
      print(pending);
      resolve(code ?? 1);
    });
  });
}

print('Sandbox run: vendors and their configuration (values are never shown)\n');
const configured = new Map<string, string | undefined>();
for (const vendor of vendors) {
  const runtime = runtimes.get(vendor.name)!;
  const target = vendor.operationCount === 0 ? undefined : targetFor(runtime, {}, env);
  const reason = target ? target.skip : 'no documented operations';
  configured.set(vendor.name, reason);
  // The variables it runs with; one left unset names the operations that go unchecked for it.
  const unset = Object.entries(target?.unsetSchemes ?? {});
  const vars = [`${envPrefix(vendor.name)}_BASE_URL`, ...Object.values(runtime.env).filter((name) => !unset.some(([, v]) => v === name))].join(', ');
  const partly = unset.map(([scheme, name]) => `; ${name} not set, so operations under ${scheme} are not checked`).join('');
  // Each part fails a vendor whose settings its client refuses, and runs the others.
  const refused = target?.refused ? `; its client refuses them, so it fails: ${target.refused}` : '';
  print(`  ${vendor.name.padEnd(11)} ${reason ? `skipped: ${reason}` : `configured (${vars})${partly}${refused}`}\n`);
}
// A run that checks nothing must not read as passed (a nightly job whose secrets are gone).
if ([...configured.values()].every((reason) => reason !== undefined)) {
  print('\nNothing to run: no vendor is configured. Set the variables named above (.env.example lists them all).\n');
  process.exit(1);
}
// A base URL the clients refuse would fail every test of the vendor with the same error: say it once, before anything runs.
const badUrls = vendors
  .filter((vendor) => !configured.get(vendor.name))
  .flatMap((vendor) => {
    const name = `${envPrefix(vendor.name)}_BASE_URL`;
    const problem = url().check(env[name] ?? '');
    return problem ? [`${name} ${problem}`] : [];
  });
if (badUrls.length > 0) {
  process.stderr.write(`test:sandbox: ${badUrls.join('; ')}\n${USAGE}\n`);
  process.exit(2);
}
print(`Writes: ${env.CONTRACT_ALLOW_WRITES === '1' ? 'allowed (CONTRACT_ALLOW_WRITES=1)' : 'skipped; set CONTRACT_ALLOW_WRITES=1 to run them'}\n`);

const work = await mkdtemp(join(tmpdir(), 'martech-sandbox-'));
// Stopped (Ctrl-C, a CI job cancelled), the part under way stops with it and the scratch folder goes.
onStop(async (signal) => {
  stopping = true;
  print(`\n${signal}: stopping the run…\n`);
  await running?.stop('SIGTERM', 5000);
  await rm(work, { recursive: true, force: true });
});
const vitestJson = join(work, 'contract.json');
// Each violation the contract suite finds, in the guard's shape (contract-tests/lib/checks.ts).
const violationsFile = join(work, 'violations.jsonl');
env.CONTRACT_VIOLATIONS_FILE = violationsFile;
// A vendor one part found not answering is not waited for again by the next (contract-tests/lib/stalls.ts).
env[STALLED_FILE_VARIABLE] = join(work, 'stalled.tsv');
const dreddJson = join(work, 'dredd.json');
const workflowsJson = join(work, 'workflows.json');
const bin = (tool: string) => join(root, 'node_modules', tool);
const codes: Partial<Record<(typeof PARTS)[number], number>> = {};
if (parts.includes('contract')) {
  codes.contract = await runChild('contract suite (vitest)', [
    bin('vitest/vitest.mjs'), 'run', '--project', 'contract', '--reporter=verbose', '--reporter=json', `--outputFile.json=${vitestJson}`,
  ]);
}
if (parts.includes('dredd')) codes.dredd = await runChild('dredd', [bin('tsx/dist/cli.mjs'), 'scripts/dredd.ts', '--report', dreddJson]);
if (parts.includes('workflows')) {
  codes.workflows = await runChild('workflows (redocly respect)', [bin('tsx/dist/cli.mjs'), 'scripts/workflows.ts', '--report', workflowsJson]);
}

// Stopped: the signal's handler ends the run; no report is read or written after it.
if (stopping) await new Promise(() => undefined);

/** Per-vendor counts and failures from vitest's JSON report; tests sit under "<vendor> (sandbox)". */
async function contractByVendor() {
  if (codes.contract === undefined) return {};
  const text = await readFile(vitestJson, 'utf8').catch(() => undefined);
  if (text === undefined) {
    codes.contract ||= 1; // no report: never a pass
    print('contract suite wrote no report\n');
    return {};
  }
  const report = JSON.parse(text);
  const byVendor: Record<string, Counts & { failures: { test: string; message: string }[]; violations: ContractViolation[] }> = {};
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      const vendor = String(test.ancestorTitles[0] ?? '').split(' ')[0]!;
      const entry = (byVendor[vendor] ??= { passed: 0, failed: 0, skipped: 0, failures: [], violations: [] });
      if (test.status === 'passed') entry.passed += 1;
      else if (test.status === 'failed') {
        entry.failed += 1;
        entry.failures.push({ test: redact(test.fullName), message: redact(String(test.failureMessages?.[0] ?? '').split('\n    at ')[0]!.slice(0, 1000)) });
      } else entry.skipped += 1;
    }
  }
  // The drift itself, as the clients' guard reports it: vendor, operationId, method, path, status, pointer, rule, message.
  const lines = (await readFile(violationsFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  for (const violation of lines.map((line) => JSON.parse(line) as ContractViolation)) byVendor[violation.vendor]?.violations.push(violation);
  return byVendor;
}

/** A part's report; a part that ran and wrote none fails the run. */
async function readReport(part: 'dredd' | 'workflows', file: string) {
  if (codes[part] === undefined) return {};
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined) return JSON.parse(text);
  codes[part] ||= 1;
  print(`${part} wrote no report\n`);
  return {};
}
const contract = await contractByVendor();
const dredd = await readReport('dredd', dreddJson);
const workflows = await readReport('workflows', workflowsJson);
await writeReport('dredd.json', JSON.parse(redact(JSON.stringify(dredd))));
await writeReport('workflows.json', JSON.parse(redact(JSON.stringify(workflows))));
await rm(work, { recursive: true, force: true });

// A part that failed may give a reason too (the workflows' first failure): only one that ran nothing was skipped.
const fmt = (c?: Partial<Counts> & { passing?: number; failing?: number; reason?: string }) =>
  !c ? '—' : c.reason && !(c.failed || c.failing) ? 'skipped' : `${c.passed ?? c.passing ?? 0}✓ ${c.failed ?? c.failing ?? 0}✗ ${c.skipped ?? 0}–`;
print(`\nSandbox report (✓ passed, ✗ failed, – skipped)\n${'vendor'.padEnd(11)} ${'contract'.padEnd(14)} ${'dredd'.padEnd(14)} ${'workflows'.padEnd(14)} note\n`);
const report: Record<string, unknown> = {};
for (const vendor of vendors) {
  const reason = configured.get(vendor.name);
  const c = contract[vendor.name];
  print(`${vendor.name.padEnd(11)} ${fmt(reason ? undefined : c).padEnd(14)} ${fmt(dredd[vendor.name]).padEnd(14)} ${fmt(workflows[vendor.name]).padEnd(14)} ${reason ? `skipped: ${reason}` : ''}\n`);
  // A vendor that stopped answering fails every check left in the same words: said once, with the count.
  const byMessage = new Map<string, string[]>();
  for (const failure of c?.failures ?? []) {
    const message = failure.message.split('\n')[0]!;
    byMessage.set(message, [...(byMessage.get(message) ?? []), failure.test]);
  }
  for (const [message, tests] of byMessage) {
    print(`  ✗ ${tests[0]}\n    ${message}\n`);
    if (tests.length > 1) print(`    (${tests.length - 1} more of ${vendor.name}'s checks failed with the same message; reports/sandbox.json lists them)\n`);
  }
  // Dredd's and the workflows' calls the vendor could not answer for now: an outage, said as one, not drift.
  for (const part of ['dredd', 'workflows'] as const) {
    const notChecked: string[] = (part === 'dredd' ? dredd : workflows)[vendor.name]?.notChecked ?? [];
    if (notChecked.length > 0) print(`  ✗ ${part}: ${notChecked.length} call(s) not checked, the first: ${notChecked[0]}\n`);
  }
  report[vendor.name] = { skipped: reason, contract: c, dredd: dredd[vendor.name], workflows: workflows[vendor.name] };
}
await writeReport('sandbox.json', JSON.parse(redact(JSON.stringify(report))));
const failed = Object.values(codes).some((code) => code !== 0);
const verdicts = PARTS.map((part) => `${part} ${codes[part] === undefined ? 'not run' : codes[part] ? 'failed' : 'ok'}`);
print(`\n${failed ? 'Sandbox run found problems' : 'Sandbox run passed'}: ${verdicts.join(', ')}\n`);
await rm(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

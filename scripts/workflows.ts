/**
 * Each vendor's main journey as an Arazzo workflow (contract-tests/workflows/<vendor>.arazzo.yaml),
 * run by `redocly respect`.
 *   npm run test:workflows [-- vendor...]
 *
 * Target: the Prism mocks (default; started here on free ports and stopped on the way out), or
 * with CONTRACT_TARGET=sandbox the vendors' sandboxes, configured exactly as for the contract
 * suite: <VENDOR>_BASE_URL plus the `env` map of the `vendor` descriptor in src/<vendor>.ts. A
 * vendor whose variables are missing is skipped with a reason naming them; a journey that writes
 * (any step whose method is not GET/HEAD/OPTIONS) runs against a sandbox only with
 * CONTRACT_ALLOW_WRITES=1.
 *
 * Credentials reach respect as workflow inputs (one per descriptor setting, e.g. `username`), in
 * the REDOCLY_CLI_RESPECT_INPUT environment variable — yargs' binding of `--input` — so they never
 * sit on a command line where `ps` would show them. The workflows mark them `format: password`,
 * which makes respect mask them in its output and JSON log. WORKFLOWS_VERBOSE=1 prints respect's
 * own (masked) output for every vendor.
 *
 * Writes reports/workflows.json (or `--report <file>`): {vendor: {passed, failed, warnings,
 * skipped, reason?}}, counting workflow STEPS. A step whose checks only warn (respect's `warn`
 * severity) counts as a warning, not a pass, and is listed. `skipped` counts the steps that did
 * not run: all of them when the vendor was skipped (`reason` says why), the ones after a failed
 * step otherwise (respect ends a workflow at its first failed step). Exit code 1 when any
 * workflow failed, or when a run against the sandboxes has no vendor configured.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { parse, stringify } from 'yaml';
import { loadRuntime } from '../contract-tests/lib/runtime.js';
import { matchOperation } from '../contract-tests/lib/match.js';
import { deref, loadSpec, type LoadedSpec } from '../contract-tests/lib/spec.js';
import { createStallBreaker, stalledEarlier } from '../contract-tests/lib/stalls.js';
import { ANSWER_TIMEOUT_MS, chosenVendors, contractTarget, isWrite, notChecked, nothingToCheck, stalledHint, targetFor, type Target } from '../contract-tests/lib/target.js';
import { notCheckedFor } from '../contract-tests/lib/unavailable.js';
import { findVendor } from '../src/vendors.js';
import { readArgs, readCommandLine } from './lib/args.js';
import { startVendorMocks, type VendorMocks } from './lib/mocks.js';
import { reportsDir } from './lib/reports.js';
import { arazzoProblems, type ArazzoStep, type ArazzoWorkflow } from './lib/arazzo-problems.js';
import { openSchemas } from './lib/open-schemas.js';
import { run } from './lib/run.js';
import { startSameOriginProxy } from './lib/same-origin-proxy.js';
import { loadVendors, root, selectVendors } from './lib/vendors.js';

export const workflowsDir = join(root, 'contract-tests/workflows');
const SUFFIX = '.arazzo.yaml';

export interface VendorResult {
  passed: number;
  failed: number;
  /** Steps that ran and whose only failed checks have severity `warn`. */
  warnings?: number;
  skipped: number;
  reason?: string;
  /** Failed steps the vendor could not answer for now (429, 502, 503, 504), each `stepId (HTTP status): why`: not drift. */
  notChecked?: string[];
}

export interface RunOptions {
  /** Folder of `<vendor>.arazzo.yaml` files; default contract-tests/workflows. */
  dir?: string;
  /** Vendor names; default every vendor of redocly.yaml. */
  vendors?: string[];
  /** Where CONTRACT_TARGET, CONTRACT_ALLOW_WRITES and the sandbox variables are read. */
  env?: Record<string, string | undefined>;
  /** Default reports/workflows.json. */
  reportFile?: string;
  /** Print respect's own output for every vendor, not only for failures. */
  verbose?: boolean;
  log?: (line: string) => void;
}

export interface WorkflowFile {
  vendor: string;
  path: string;
  doc: {
    sourceDescriptions?: { name: string; url: string }[];
    workflows?: ArazzoWorkflow[];
  };
  /** Why the file cannot be read as YAML: that vendor fails, naming it, and the others run. */
  unreadable?: string;
}

export function loadWorkflowFile(path: string): WorkflowFile {
  const vendor = basename(path, SUFFIX);
  try {
    const doc = parse(readFileSync(path, 'utf8')) as unknown;
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return { vendor, path, doc };
    return { vendor, path, doc: {}, unreadable: `${basename(path)} is not an Arazzo document (its YAML is not a mapping)` };
  } catch (error) {
    // The parser's message quotes the line; its stack says nothing to the file's author.
    return { vendor, path, doc: {}, unreadable: `${basename(path)} is not YAML that can be read: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Everything that keeps a file from being run as written (arazzo-problems.ts), found before any call. */
export function workflowFileProblems(file: WorkflowFile): string[] {
  if (file.unreadable) return [file.unreadable];
  let operations: Map<string, string>;
  try {
    operations = operationMethods(file);
  } catch (error) {
    return [`${basename(file.path)}: a sourceDescriptions bundle cannot be read (${(error as Error).message.split('\n')[0]})`];
  }
  return arazzoProblems(file.path, file.doc.workflows ?? [], new Set(operations.keys()));
}

export function listWorkflowFiles(dir = workflowsDir): WorkflowFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(SUFFIX))
    .sort()
    .map((name) => loadWorkflowFile(join(dir, name)));
}

export function stepsOf(file: WorkflowFile): ArazzoStep[] {
  return (file.doc.workflows ?? []).flatMap((w) => w.steps ?? []);
}

/** operationId → HTTP method, from the bundle(s) the workflow file's sourceDescriptions name. */
export function operationMethods(file: WorkflowFile): Map<string, string> {
  const methods = new Map<string, string>();
  for (const source of file.doc.sourceDescriptions ?? []) {
    const bundle = JSON.parse(readFileSync(resolve(dirname(file.path), source.url), 'utf8')) as {
      paths?: Record<string, Record<string, { operationId?: string }>>;
    };
    for (const item of Object.values(bundle.paths ?? {})) {
      for (const [method, operation] of Object.entries(item)) {
        if (operation?.operationId) methods.set(operation.operationId, method);
      }
    }
  }
  return methods;
}

function writes(file: WorkflowFile): boolean {
  const methods = operationMethods(file);
  // An operation the bundle does not know counts as a write: never run blind against a sandbox.
  return stepsOf(file).some((step) => isWrite(methods.get(step.operationId ?? '') ?? 'post'));
}

/** Why a vendor's workflow does not run against this target, if it does not. */
function skipReason(target: Target, file: WorkflowFile): string | undefined {
  if (target.skip) return target.skip;
  if (!target.allowWrites && writes(file)) return 'the journey writes data: set CONTRACT_ALLOW_WRITES=1 to run it against the sandbox';
  if (!target.unsetSchemes) return undefined;
  // A step whose security needs a setting left unset would fail as drift; the journey is not checked.
  const spec = loadSpec(findVendor(file.vendor)!);
  const steps = new Set(stepsOf(file).map((step) => step.operationId));
  const op = spec.operations.find((candidate) => steps.has(candidate.operation.operationId) && notChecked(target, spec, candidate));
  return op && `${op.operation.operationId} is ${notChecked(target, spec, op)}`;
}

/**
 * Why a vendor has no workflow when that is no omission: it documents no operation, or none that
 * answers JSON. Respect checks a step's answer as JSON: it reads an image as `{}`, and its schema
 * check then fails a faithful answer (IMPRZD-17). Undefined when a workflow file is owed.
 */
export function noWorkflowReason(spec: LoadedSpec): string | undefined {
  const ids = spec.operations.map((op) => op.operation.operationId);
  if (ids.length === 0) return 'no documented operations, so no workflow';
  const answersJson = spec.operations.some((op) =>
    Object.values<unknown>(op.operation.responses ?? {}).some((response) => Object.keys(deref(spec.doc, response)?.content ?? {}).some((type) => /json/i.test(type))),
  );
  if (answersJson) return undefined;
  return `no workflow: ${spec.vendor.name}'s documented operations (${ids.join(', ')}) answer no JSON, and respect checks a step by its JSON answer (it reads an image as {}, which fails its schema check); a documented operation that answers JSON lifts this`;
}

export interface RespectStep {
  type: string;
  stepId: string;
  status: string;
  /** Set on the attempts respect retries; only the final attempt (0 or absent) counts. */
  retriesLeft?: number;
  /** The answer's headers as fetch gives them (names lower-case); `{}` for a step that got none. */
  response?: { statusCode?: number; headers?: Record<string, string> };
  checks?: { name: string; passed: boolean; severity?: string; message?: string }[];
}
interface RespectLog {
  files?: Record<string, { executedWorkflows?: { workflowId: string; status: string; executedSteps?: RespectStep[] }[] }>;
}

/**
 * What a respect check says, in one line: the first line of its message with text in it, without
 * colour codes (a schema check's message opens with a reset code and a line break, and was shown
 * as nothing), and the line of the body its code frame points at, which names the field.
 */
export function checkMessage(message = ''): string {
  const lines = stripVTControlCharacters(message).split('\n').map((line) => line.trim());
  const first = lines.find(Boolean) ?? '';
  const pointed = lines.find((line) => /^>\s*\d+\s*\|/.test(line))?.replace(/^>\s*\d+\s*\|\s*/, '');
  return pointed ? `${first} (at ${pointed})` : first;
}

/** Respect's checks of an answer against the response its status documents (they run only when it documents one). */
const JUDGES_THE_ANSWER = new Set(['schema check', 'content-type check']);

/** Counts from respect's --json-output rather than from its console text. */
export function countSteps(log: RespectLog, total: number): VendorResult & { failures: string[]; warningLines: string[] } {
  const executed = Object.values(log.files ?? {})
    .flatMap((f) => f.executedWorkflows ?? [])
    .flatMap((w) => w.executedSteps ?? [])
    .filter((s) => s.type === 'step' && !s.retriesLeft);
  const failedSteps = executed.filter((s) => s.status === 'error');
  const warnedSteps = executed.filter((s) => s.status === 'warn');
  // Anything but an explicit success is not a pass: an unknown status fails loudly.
  const unknown = executed.filter((s) => !['success', 'warn', 'error'].includes(s.status));
  // The status is what a sandbox investigation starts from; respect's messages do not carry it.
  const notCheckedLines: string[] = [];
  const failures = failedSteps.flatMap((s) => {
    const failed = (s.checks ?? []).filter((c) => !c.passed);
    const notChecked = s.response?.statusCode === undefined ? undefined : notCheckedFor(s.response.statusCode, s.response.headers?.['retry-after']);
    // Answered that the vendor cannot answer for now, the step is not checked, and what failed with
    // it (its criteria, the status, what it meant to read from the body) is not drift; a documented
    // answer of that status is still judged, by respect's schema and content-type checks.
    if (notChecked && !failed.some((c) => JUDGES_THE_ANSWER.has(c.name))) {
      const line = `${s.stepId} (HTTP ${s.response!.statusCode}): ${notChecked}`;
      notCheckedLines.push(line);
      return [line];
    }
    return failed.map((c) => `${s.stepId} (HTTP ${s.response?.statusCode ?? 'no response'}): ${c.name} — ${checkMessage(c.message)}`);
  });
  failures.push(...unknown.map((s) => `${s.stepId}: respect reported status "${s.status}"`));
  const warnings = warnedSteps.flatMap((s) =>
    (s.checks ?? []).filter((c) => !c.passed).map((c) => `${s.stepId}: ${c.name} — ${checkMessage(c.message)} (warning)`),
  );
  return {
    passed: executed.filter((s) => s.status === 'success').length,
    failed: failedSteps.length + unknown.length,
    warnings: warnedSteps.length,
    skipped: Math.max(0, total - executed.length),
    ...(notCheckedLines.length > 0 ? { notChecked: notCheckedLines } : {}),
    failures,
    warningLines: warnings,
  };
}

/**
 * The workflow file as respect is given it, in the run's scratch folder: the same file, its
 * bundles copied with every object schema's openness said aloud (lib/open-schemas.ts), as respect
 * otherwise takes an open object for a closed one.
 */
async function forRespect(file: WorkflowFile, work: string): Promise<WorkflowFile> {
  const dir = await mkdtemp(join(work, `${file.vendor}-`));
  const sourceDescriptions = await Promise.all(
    (file.doc.sourceDescriptions ?? []).map(async (source, i) => {
      const bundle = JSON.parse(await readFile(resolve(dirname(file.path), source.url), 'utf8')) as unknown;
      const url = join(dir, `source-${i}.json`);
      await writeFile(url, JSON.stringify(openSchemas(bundle)));
      return { ...source, url };
    }),
  );
  const path = join(dir, basename(file.path));
  await writeFile(path, stringify({ ...file.doc, sourceDescriptions }));
  return { ...file, path };
}

async function runRespect(written: WorkflowFile, target: Target, work: string, options: RunOptions) {
  const log = options.log ?? console.log;
  const { baseUrl, ...settings } = target.settings!;
  const file = await forRespect(written, work);
  const jsonFile = join(work, `${file.vendor}.json`);
  if (target.kind !== 'sandbox') return respectVia(baseUrl, file, settings, jsonFile, options, ANSWER_TIMEOUT_MS);
  // Respect follows every redirect, to any host, and a custom header or a query token with it. The
  // pass-through also bounds each exchange, as it does dredd's, and counts those it ended toward the
  // stop (TEST-57): respect's own bound ended them unseen, so a hung vendor cost every workflow it.
  const stalls = createStallBreaker({ timeoutMs: ANSWER_TIMEOUT_MS, hint: stalledHint(file.vendor), vendor: file.vendor, env: options.env });
  const spec = loadSpec(findVendor(file.vendor)!);
  const guard = await startSameOriginProxy(baseUrl, {
    log: (line) => log(`[${file.vendor}]   ✗ ${line}`),
    deadlineMs: ANSWER_TIMEOUT_MS,
    stalls,
    callName: (method, path) => `${method} ${matchOperation(spec, method, path)?.path ?? path}`,
  });
  try {
    // Respect's own bound only backs the pass-through's up: were it the first to end, the exchange would not count.
    const result = await respectVia(guard.url, file, settings, jsonFile, options, ANSWER_TIMEOUT_MS * 2);
    const stopped = stalls.stopped();
    return stopped && result.failed > 0 ? { ...result, reason: stopped } : result;
  } finally {
    await guard.stop();
  }
}

async function respectVia(baseUrl: string, file: WorkflowFile, settings: Record<string, string>, jsonFile: string, options: RunOptions, fetchTimeoutMs: number): Promise<VendorResult> {
  const log = options.log ?? console.log;
  // runId keeps repeated sandbox runs apart (a fresh lead id, e-mail…); workflows that do not
  // declare it drop it (respect removes undeclared inputs).
  const inputs = { ...settings, runId: `wf${Date.now().toString(36)}` };
  // JSON, because respect splits the `name=url` form at every ',' and '='. No trailing slash:
  // respect appends the operation's path to the URL as it is.
  const server = JSON.stringify({ [file.vendor]: baseUrl.replace(/\/+$/, '') });
  const args = ['respect', file.path, '--server', server, '--json-output', jsonFile];
  args.push('--max-fetch-timeout', String(fetchTimeoutMs), '--execution-timeout', '300000');
  if (options.verbose) args.push('--verbose');
  const respect = await run('redocly', args, {
    REDOCLY_CLI_RESPECT_INPUT: JSON.stringify(inputs),
    // An inherited REDOCLY_CLI_RESPECT_NO_SECRETS_MASKING=true would turn masking off; pin it.
    REDOCLY_CLI_RESPECT_NO_SECRETS_MASKING: 'false',
  });
  const total = stepsOf(file).length;
  if (!existsSync(jsonFile)) {
    log(respect.output);
    return { passed: 0, failed: total, skipped: 0, reason: `respect exited with code ${respect.code} and wrote no results` };
  }
  const { failures, warningLines, ...counts } = countSteps(JSON.parse(await readFile(jsonFile, 'utf8')) as RespectLog, total);
  if (options.verbose) log(respect.output);
  for (const failure of failures) log(`[${file.vendor}]   ✗ ${failure}`);
  for (const warning of warningLines) log(`[${file.vendor}]   ! ${warning}`);
  if (failures.length > 0 && !options.verbose) log(`[${file.vendor}]   (WORKFLOWS_VERBOSE=1 prints respect's full, masked output)`);
  if (counts.failed > 0 || respect.code !== 0) {
    const failed = Math.max(counts.failed, 1);
    return { ...counts, failed, reason: failures[0] ?? `respect exited with code ${respect.code}` };
  }
  if (counts.skipped > 0) {
    // Respect masks every occurrence of a secret in its log, so a very short credential (say
    // "t") mangles the log itself; never let an unreadable log pass as a success.
    const reason = `respect passed but its log shows ${counts.passed} of ${total} steps run (a very short credential garbles its masked log)`;
    log(`[${file.vendor}]   ✗ ${reason}`);
    return { passed: counts.passed, failed: counts.skipped, skipped: 0, reason };
  }
  return counts;
}

/** Runs every vendor's workflow against the chosen target; returns per-vendor results and the exit code. */
export async function runWorkflows(options: RunOptions = {}) {
  const log = options.log ?? console.log;
  const env = options.env ?? process.env;
  const kind = contractTarget(env);
  const dir = options.dir ?? workflowsDir;
  const known = loadVendors().map((v) => v.name);
  const unknown = (options.vendors ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`unknown vendor ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const names = options.vendors?.length ? options.vendors : known;
  const files = new Map(listWorkflowFiles(dir).filter((f) => names.includes(f.vendor)).map((f) => [f.vendor, f]));

  const results: Record<string, VendorResult> = {};
  let mocks: VendorMocks | undefined;
  const work = await mkdtemp(join(tmpdir(), 'martech-workflows-'));
  try {
    if (kind === 'mock' && files.size > 0) {
      mocks = await startVendorMocks([...files.keys()]);
    }
    const mockUrls = mocks?.urls ?? {};
    for (const name of names) {
      const file = files.get(name);
      if (!file) {
        const reason = noWorkflowReason(loadSpec(findVendor(name)!)) ?? `no ${name}${SUFFIX} in ${relative(root, dir) || '.'}`;
        results[name] = { passed: 0, failed: 0, skipped: 0, reason };
        log(`[${name}] skipped: ${reason}`);
        continue;
      }
      const problems = workflowFileProblems(file);
      if (problems.length > 0) {
        results[name] = { passed: 0, failed: Math.max(1, stepsOf(file).length), skipped: 0, reason: problems.join('; ') };
        for (const problem of problems) log(`[${name}] FAILED, not run: ${problem}`);
        continue;
      }
      const target = targetFor(await loadRuntime(name), mockUrls, env);
      if (target.refused) {
        results[name] = { passed: 0, failed: stepsOf(file).length, skipped: 0, reason: target.refused };
        log(`[${name}] FAILED, not run: ${target.refused}`);
        continue;
      }
      const reason = skipReason(target, file);
      if (reason) {
        results[name] = { passed: 0, failed: 0, skipped: stepsOf(file).length, reason };
        log(`[${name}] skipped: ${reason}`);
        continue;
      }
      // An earlier part of the sandbox run found it not answering: each workflow would wait for it again.
      const earlier = stalledEarlier(name, env);
      if (earlier) {
        results[name] = { passed: 0, failed: stepsOf(file).length, skipped: 0, reason: `earlier in this run, the vendor ${earlier}; ${stalledHint(name)}` };
        log(`[${name}] FAILED, not run: ${results[name]!.reason}`);
        continue;
      }
      log(`[${name}] ${basename(file.path)} against the ${kind} at ${target.settings!.baseUrl}`);
      const result = await runRespect(file, target, work, options);
      results[name] = result;
      const verdict = result.failed > 0 ? 'FAILED' : result.warnings ? 'warning' : 'passed';
      log(`[${name}] ${verdict}: ${result.passed} steps passed, ${result.failed} failed, ${result.warnings ?? 0} warnings, ${result.skipped} skipped`);
    }
  } finally {
    await mocks?.stop();
    await rm(work, { recursive: true, force: true });
  }

  const reportFile = options.reportFile ?? join(reportsDir(), 'workflows.json');
  await mkdir(dirname(reportFile), { recursive: true });
  await writeFile(reportFile, `${JSON.stringify(results, null, 2)}\n`);
  if (mocks?.bugs.length) log(`the mock broke its own contract ${mocks.bugs.length} time(s):\n${mocks.bugs.slice(0, 20).join('\n')}`);
  const nothing = kind === 'sandbox' ? nothingToCheck(await Promise.all(names.map(async (name) => [name, targetFor(await loadRuntime(name), {}, env).skip] as [string, string | undefined]))) : undefined;
  if (nothing) log(nothing);
  const exitCode = Object.values(results).some((r) => r.failed > 0) || mocks?.bugs.length || nothing ? 1 : 0;
  return { results, exitCode };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const flags = { report: { type: 'string' } } as const;
  const { values, positionals } = readArgs('test:workflows', 'usage: npm run test:workflows [-- [--report <file>] [vendor...]]', () => {
    const parsed = readCommandLine({ options: flags, allowPositionals: true });
    selectVendors(parsed.positionals);
    chosenVendors(process.env, selectVendors([]).map((v) => v.name));
    contractTarget(process.env);
    return parsed;
  }, { scripts: ['test:workflows'], flags });
  const { exitCode } = await runWorkflows({ vendors: positionals, reportFile: values.report, verbose: process.env.WORKFLOWS_VERBOSE === '1' });
  process.exit(exitCode);
}

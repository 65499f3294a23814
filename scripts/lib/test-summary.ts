/**
 * How `npm test` turns each step's own report into checks, each counted once, and the closing
 * line. Kept apart from scripts/test.ts so every rule here is unit-tested (test-summary.test.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import type { SuiteError } from './vitest-report.js';

export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'warning';
export type StepKind = 'plain' | 'vitest' | 'dredd' | 'workflows' | 'breaking';

export interface Check {
  name: string;
  status: CheckStatus;
  /** Why it failed, was skipped or warned. */
  reason?: string;
}

export type ReadReport = { ok: true; value: any } | { ok: false; problem: string };

/** A step's report, only if it was written after the step started (a stale one is a failure). */
export async function readFreshReport(file: string, startedMs: number): Promise<ReadReport> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return { ok: false, problem: `no report at ${file}` };
  // File systems keep mtimes at a coarser grain than Date.now(); allow one second.
  if (info.mtimeMs < startedMs - 1000) return { ok: false, problem: `${file} is older than the step (stale)` };
  try {
    return { ok: true, value: JSON.parse(await readFile(file, 'utf8')) };
  } catch (error) {
    return { ok: false, problem: `${file} is not JSON: ${(error as Error).message}` };
  }
}

interface VitestAssertion {
  fullName: string;
  title: string;
  ancestorTitles: string[];
  status: string;
  failureMessages?: string[];
}
interface VitestFile {
  name: string;
  status: string;
  message?: string;
  assertionResults: VitestAssertion[];
  /** Added by scripts/lib/vitest-report.ts: the suites whose own hook crashed, and the error. */
  suiteErrors?: SuiteError[];
}

/** The reason a skipped vitest test carries: the nearest title that says "skipped: …". */
function statedSkip(test: VitestAssertion): string | undefined {
  return [...test.ancestorTitles, test.title].reverse().find((t) => /skipped:/.test(t));
}

const under = (error: SuiteError, test: VitestAssertion) => error.titles.every((title, i) => test.ancestorTitles[i] === title);
const hookFailed = (error: SuiteError) => `a hook of "${error.titles.join(' > ')}" failed: ${error.message}`;

/**
 * Why a test vitest calls skipped, with no stated reason, never ran in a file that failed: a
 * crashed hook of a suite it is in (vitest writes that error nowhere in its JSON: the reporter
 * adds it), or its file's own error. It is then a failure, not a skip.
 */
function notRun(test: VitestAssertion, file: VitestFile, failedTests: boolean): string | undefined {
  if (file.status !== 'failed') return undefined;
  const crashed = file.suiteErrors?.find((error) => under(error, test));
  if (crashed) return `not run: ${hookFailed(crashed)}`;
  if (file.message) return `not run: its file failed: ${file.message.split('\n')[0]}`;
  // Vitest's own JSON: the file failed, no test in it did, and it does not say why.
  return failedTests ? undefined : "not run: its file failed outside its tests (a hook?), saying why only in vitest's output";
}

function vitestFileChecks(file: VitestFile): Check[] {
  const checks: Check[] = [];
  const tests = file.assertionResults ?? [];
  const failedTests = tests.some((t) => t.status === 'failed');
  for (const test of tests) {
    const name = `vitest: ${test.fullName}`;
    if (test.status === 'passed') checks.push({ name, status: 'passed' });
    else if (test.status === 'failed') checks.push({ name, status: 'failed', reason: (test.failureMessages?.[0] ?? '').split('\n')[0] });
    else {
      const stated = statedSkip(test);
      const never = stated ? undefined : notRun(test, file, failedTests);
      checks.push(never ? { name, status: 'failed', reason: never } : { name, status: 'skipped', reason: stated ?? `${test.fullName} (skipped without a stated reason)` });
    }
  }
  // A hook that crashed with no test left unrun by it (an afterAll) fails on its own.
  for (const error of file.suiteErrors ?? []) {
    if (!tests.some((test) => test.status === 'skipped' && !statedSkip(test) && under(error, test))) {
      checks.push({ name: `vitest: ${file.name} > ${error.titles.join(' > ')}`, status: 'failed', reason: hookFailed(error) });
    }
  }
  // A file that failed to load fails without any test in it.
  if (file.status === 'failed' && !checks.some((c) => c.status === 'failed')) {
    checks.push({ name: `vitest: ${file.name}`, status: 'failed', reason: (file.message || 'the file failed').split('\n')[0] });
  }
  return checks;
}

function vitestChecks(report: { testResults?: VitestFile[] }, code: number): Check[] {
  const checks = (report.testResults ?? []).flatMap(vitestFileChecks);
  if (checks.length === 0) checks.push({ name: 'vitest', status: 'failed', reason: 'the report lists no tests' });
  if (code !== 0 && !checks.some((c) => c.status === 'failed')) {
    checks.push({ name: 'vitest', status: 'failed', reason: `exited with code ${code} with no failing test (the coverage gate, or an error outside the tests)` });
  }
  return checks;
}

interface DreddVendor {
  passing: number;
  failing: number;
  skipped: number;
  dropped?: string[];
  reason?: string;
  /** Why the vendor could not be run (scripts/dredd.ts): its one failure is that, not a transaction. */
  error?: string;
}

function dreddCheck(vendor: string, r: DreddVendor): Check {
  const name = `dredd: ${vendor}`;
  if (r.reason) return { name, status: 'skipped', reason: r.reason };
  if (r.error) return { name, status: 'failed', reason: `not run: ${r.error}` };
  if (r.failing > 0) return { name, status: 'failed', reason: `${r.failing} failing transaction(s)` };
  if (r.dropped?.length) return { name, status: 'failed', reason: `dredd dropped ${r.dropped.join(', ')}` };
  if (r.passing === 0) return { name, status: 'failed', reason: 'no transaction passed' };
  if (r.skipped > 0) return { name, status: 'warning', reason: `${r.skipped} transaction(s) skipped` };
  return { name, status: 'passed' };
}

interface WorkflowVendor {
  passed: number;
  failed: number;
  warnings?: number;
  skipped: number;
  reason?: string;
}

function workflowCheck(vendor: string, r: WorkflowVendor): Check {
  const name = `workflows: ${vendor}`;
  if (r.failed > 0) return { name, status: 'failed', reason: r.reason ?? `${r.failed} step(s) failed` };
  if (r.reason) return { name, status: 'skipped', reason: r.reason };
  if (r.passed === 0 && !r.warnings) return { name, status: 'failed', reason: 'no step ran' };
  if (r.warnings) return { name, status: 'warning', reason: `${r.warnings} step(s) passed with warnings` };
  if (r.skipped > 0) return { name, status: 'failed', reason: `${r.skipped} step(s) never ran` };
  return { name, status: 'passed' };
}

/**
 * The breaking-change gate is one check: failed by its exit code, a warning when it passes with
 * findings to look at (a default server moved, a default changed, a bump short of what the
 * changes need), each listed; a gate warning that ended as a plain pass went unseen.
 */
function breakingCheck(step: string, report: { warnings?: unknown }, code: number): Check {
  const warnings = Array.isArray(report.warnings) ? report.warnings.map(String) : undefined;
  if (!warnings) return { name: step, status: 'failed', reason: `the report lists no "warnings" (exit code ${code})` };
  const listed = warnings.map((warning) => `\n      - ${warning}`).join('');
  if (code !== 0) return { name: step, status: 'failed', reason: `exited with code ${code}${warnings.length ? `; also ${warnings.length} to look at:${listed}` : ''}` };
  if (warnings.length) return { name: step, status: 'warning', reason: `${warnings.length} to look at:${listed}` };
  return { name: step, status: 'passed' };
}

function perVendor(report: Record<string, any>, step: string, check: (vendor: string, r: any) => Check, code: number): Check[] {
  const checks = Object.entries(report).map(([vendor, r]) => check(vendor, r));
  if (checks.length === 0) checks.push({ name: step, status: 'failed', reason: 'the report lists no vendors' });
  if (code !== 0 && !checks.some((c) => c.status === 'failed')) {
    checks.push({ name: step, status: 'failed', reason: `exited with code ${code} although no vendor failed` });
  }
  return checks;
}

/** The checks one step contributes, from its exit code and (for runners) its fresh report. */
export function stepChecks(step: string, kind: StepKind, code: number, report?: ReadReport): Check[] {
  if (kind === 'plain') return [code === 0 ? { name: step, status: 'passed' } : { name: step, status: 'failed', reason: `exited with code ${code}` }];
  if (!report?.ok) return [{ name: step, status: 'failed', reason: `${report?.problem ?? 'no report'} (exit code ${code})` }];
  if (kind === 'vitest') return vitestChecks(report.value, code);
  if (kind === 'breaking') return [breakingCheck(step, report.value ?? {}, code)];
  if (kind === 'dredd') return perVendor(report.value, step, dreddCheck, code);
  return perVendor(report.value, step, workflowCheck, code);
}

/** The closing line and the lines above it that name every failure, skip (with reason) and warning. */
export function summarise(checks: Check[]) {
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  const passed = count('passed');
  const failed = count('failed');
  const skipped = count('skipped');
  const warnings = count('warning');
  const details: string[] = [];
  const skips = new Map<string, number>();
  for (const c of checks.filter((c) => c.status === 'skipped')) skips.set(c.reason ?? c.name, (skips.get(c.reason ?? c.name) ?? 0) + 1);
  if (skips.size) details.push('\nSkipped:', ...[...skips].map(([reason, n]) => `  – ${n} × ${reason}`));
  const warned = checks.filter((c) => c.status === 'warning');
  if (warned.length) details.push('\nWarnings:', ...warned.map((c) => `  ! ${c.name}: ${c.reason}`));
  const failures = checks.filter((c) => c.status === 'failed');
  if (failures.length) details.push('\nFailed:', ...failures.map((c) => `  ✗ ${c.name}${c.reason ? `: ${c.reason}` : ''}`));
  const line = `${passed} passed, ${failed} failed, ${skipped} skipped${warnings ? `, ${warnings} warnings` : ''}`;
  return { passed, failed, skipped, warnings, details, line };
}

/**
 * npm test: every check the project has, in order, each with its own heading; all run even when
 * one fails, so a single run shows everything that is wrong. Ends with the plain line
 * `N passed, N failed, N skipped` (`, N warnings` when there are any), where each check counts
 * once: a vitest test, a dredd or respect vendor (their transactions and steps are smoke checks
 * of the mock, shown in their own per-vendor tables), the breaking-change gate (a warning when it
 * lists changes to look at), or a step with no tests of its own.
 *
 * Each step writes its own report file, deleted before the step runs; a report that is missing
 * or older than the step is a failure, never a count carried over from an earlier run.
 *   npm test -- dredd workflows    only some steps (by name); the others show as skipped
 */
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readArgs } from './lib/args.js';
import { reportsDir } from './lib/reports.js';
import { readFreshReport, stepChecks, summarise, type Check, type StepKind } from './lib/test-summary.js';
import { root } from './lib/vendors.js';

interface Step {
  title: string;
  /** Short name: the check's name for plain steps, and the report file's name. */
  name: string;
  kind: StepKind;
  /** The command; `report` is replaced by this step's own report path. */
  command: (report: string) => string[];
}

const reports = reportsDir();
const bin = (tool: string) => join(root, 'node_modules/.bin', tool);

const steps: Step[] = [
  { name: 'generated', kind: 'plain', title: 'specs: lint, and generated/ matches a fresh build', command: () => [bin('tsx'), 'scripts/build.ts', '--check'] },
  { name: 'typecheck', kind: 'plain', title: 'typecheck (src, scripts, tests, generated types)', command: () => [bin('tsc'), '-p', 'tsconfig.json'] },
  {
    name: 'breaking',
    kind: 'breaking',
    title: 'breaking changes: specs and types against the last release (release-baseline/), covered by pending change files',
    command: (report) => [bin('tsx'), 'scripts/breaking.ts', '--check', '--report', report],
  },
  {
    name: 'vitest',
    kind: 'vitest',
    title: 'vitest: unit, contract suite against the mocks, end-to-end runs (the packed package with attw + publint, the coverage gate on src/)',
    // Vitest's JSON, with the error of each suite whose hook crashed (which vitest's own leaves out).
    command: (report) => [bin('vitest'), 'run', '--coverage', '--reporter=default', '--reporter=./scripts/lib/vitest-report.ts', `--outputFile.json=${report}`],
  },
  { name: 'dredd', kind: 'dredd', title: 'dredd: a smoke check of every vendor mock against its spec', command: (report) => [bin('tsx'), 'scripts/dredd.ts', '--report', report] },
  {
    name: 'workflows',
    kind: 'workflows',
    title: 'workflows: each vendor journey (Arazzo) with redocly respect against the mocks',
    command: (report) => [bin('tsx'), 'scripts/workflows.ts', '--report', report],
  },
];

function runStep(command: string[]): Promise<number> {
  return new Promise((resolve) => {
    const [tool, ...args] = command;
    const child = spawn(tool!, args, { cwd: root, stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off' } });
    child.on('close', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

const names = steps.map((s) => s.name);
const chosen = readArgs('test', `usage: npm test [-- <step…>]   every step, or only the steps named\nsteps: ${names.join(', ')}`, () => {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !names.includes(name));
  if (unknown.length) throw new Error(`unknown step ${unknown.join(', ')}`);
  return asked;
});

const stepReports = join(reports, 'steps');
await mkdir(stepReports, { recursive: true });
const checks: Check[] = [];
const timings: string[] = [];
for (const [index, step] of steps.entries()) {
  if (chosen.length && !chosen.includes(step.name)) {
    checks.push({ name: step.name, status: 'skipped', reason: `step not selected (npm test -- ${chosen.join(' ')})` });
    continue;
  }
  console.log(`\n=== ${index + 1}/${steps.length} ${step.title}`);
  const report = join(stepReports, `${index + 1}-${step.name}.json`);
  await rm(report, { force: true });
  const started = Date.now();
  const code = await runStep(step.command(report));
  timings.push(`${step.name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const read = step.kind === 'plain' ? undefined : await readFreshReport(report, started);
  checks.push(...stepChecks(step.name, step.kind, code, read));
}

const summary = summarise(checks);
for (const line of summary.details) console.log(line);
console.log(`\nStep times: ${timings.join(', ')}`);
console.log(summary.line);
process.exit(summary.failed > 0 ? 1 : 0);

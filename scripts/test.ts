/**
 * npm test: every check the project has, in order, each with its own heading; all run even when
 * one fails, so a single run shows everything that is wrong. Ends with the plain line
 * `N passed, N failed` (vitest tests + dredd transactions + the checks that have no tests of
 * their own, one each).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { reportsDir } from './lib/reports.js';
import { root } from './lib/vendors.js';

interface Step {
  title: string;
  command: string[];
  /** Counts read from a report file; without one, the step counts as one check. */
  counts?: () => Promise<{ passed: number; failed: number }>;
}

const reports = reportsDir();
const bin = (tool: string) => join(root, 'node_modules/.bin', tool);

async function vitestCounts() {
  const report = JSON.parse(await readFile(join(reports, 'vitest.json'), 'utf8'));
  return { passed: report.numPassedTests as number, failed: report.numFailedTests as number };
}

/** Sums a per-vendor report: { vendor: { <passed>: n, <failed>: n } }. */
async function perVendorCounts(file: string, passedKey: string, failedKey: string) {
  const report = JSON.parse(await readFile(join(reports, file), 'utf8')) as Record<string, Record<string, number>>;
  const sum = (key: string) => Object.values(report).reduce((n, r) => n + (r[key] ?? 0), 0);
  return { passed: sum(passedKey), failed: sum(failedKey) };
}

const steps: Step[] = [
  { title: 'specs: lint, and generated/ matches a fresh build', command: [bin('tsx'), 'scripts/build.ts', '--check'] },
  { title: 'typecheck (src, scripts, tests, generated types)', command: [bin('tsc'), '-p', 'tsconfig.json'] },
  { title: 'package: attw (types for every subpath) and publint', command: ['npm', 'run', '--silent', 'check:package'] },
  {
    title: 'vitest: unit, contract suite against the mocks, end-to-end runs (with the coverage gate on src/)',
    command: [bin('vitest'), 'run', '--coverage', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`],
    counts: vitestCounts,
  },
  { title: 'dredd: every vendor mock against its spec', command: [bin('tsx'), 'scripts/dredd.ts'], counts: () => perVendorCounts('dredd.json', 'passing', 'failing') },
  {
    title: 'workflows: each vendor journey (Arazzo) with redocly respect against the mocks',
    command: [bin('tsx'), 'scripts/workflows.ts'],
    counts: () => perVendorCounts('workflows.json', 'passed', 'failed'),
  },
];

function runStep(step: Step): Promise<number> {
  return new Promise((resolve) => {
    const [command, ...args] = step.command;
    const child = spawn(command!, args, { cwd: root, stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off' } });
    child.on('close', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

await rm(reports, { recursive: true, force: true });
await mkdir(reports, { recursive: true });
let passed = 0;
let failed = 0;
const failedSteps: string[] = [];
for (const [index, step] of steps.entries()) {
  console.log(`\n=== ${index + 1}/${steps.length} ${step.title}`);
  const code = await runStep(step);
  const counts = step.counts ? await step.counts().catch(() => undefined) : undefined;
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    // A runner that crashed before reporting any failure still fails the step.
    if (code !== 0 && counts.failed === 0) failed += 1;
  } else if (code === 0) {
    passed += 1;
  } else {
    failed += 1;
  }
  if (code !== 0) failedSteps.push(step.title);
}
console.log(failedSteps.length ? `\nFailed: ${failedSteps.join('; ')}` : '\nAll checks passed.');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);

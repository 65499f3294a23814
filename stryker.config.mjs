// Mutation testing (npm run test:mutation; CI: .github/workflows/mutation.yml). Two scopes, each
// with its own threshold, run one after the other by the npm script:
//   STRYKER_SCOPE=src      the shipped runtime (src/, the mock's engine included; without the CLI,
//                          which runs as a process, and the fuzz load's request generator) — break below 80 %
//   STRYKER_SCOPE=harness  the contract harness (contract-tests/lib/) — break below 70 %
// STRYKER_MUTATE=<glob,...> narrows a run (a quick local look at one module); STRYKER_RUN=<name>
// gives such a run reports and a sandbox of its own, so two narrowed runs can go side by side.
const scopes = {
  src: {
    mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/mock/fuzz/**', '!src/cli.ts', '!src/cli/**', '!src/vendor-runtime.ts', '!src/public.ts'],
    thresholds: { high: 90, low: 80, break: 80 },
  },
  harness: {
    // example-server.ts is the stand-in vendor the harness is tested against, not harness logic;
    // retry-after.ts is moving into src/ (mutated there).
    mutate: ['contract-tests/lib/**/*.ts', '!contract-tests/lib/**/*.test.ts', '!contract-tests/lib/example-server.ts', '!contract-tests/lib/retry-after.ts'],
    thresholds: { high: 85, low: 70, break: 70 },
  },
};
const scope = process.env.STRYKER_SCOPE ?? 'src';
const run = process.env.STRYKER_RUN ? `${scope}-${process.env.STRYKER_RUN}` : scope;
if (!scopes[scope]) throw new Error(`STRYKER_SCOPE must be one of ${Object.keys(scopes).join(', ')} (got "${scope}")`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: process.env.STRYKER_MUTATE ? process.env.STRYKER_MUTATE.split(',') : scopes[scope].mutate,
  thresholds: scopes[scope].thresholds,
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  // A mutant that makes a request hang would otherwise cost the whole test timeout.
  timeoutMS: 5_000,
  timeoutFactor: 1.5,
  incremental: true,
  incrementalFile: `reports/stryker/${run}-incremental.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/stryker/${run}.json` },
  htmlReporter: { fileName: `reports/stryker/${run}.html` },
  tempDirName: `.stryker-tmp/${run}`,
  // Anchored: a bare 'build' would also drop scripts/build/.
  ignorePatterns: ['/reports', '/build', '/dist', '/.stryker-tmp', '/etc'],
  cleanTempDir: true,
};

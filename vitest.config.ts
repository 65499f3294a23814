import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every project's tests, and the processes they start, make their folders in one the run removes at its end (TEST-100).
    globalSetup: ['contract-tests/lib/run-tmp.ts'],
    // A gate on the shipped runtime (src/), as the package's consumers run it. The CLI is
    // exercised as a real process (cli.test.ts, the package test), which v8 cannot see into.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/cli.ts', 'src/vendor-runtime.ts', 'src/supplied-headers.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'reports/coverage',
      thresholds: { lines: 90, statements: 85, functions: 85, branches: 75 },
    },
    projects: [
      {
        // Modules on their own, against real local HTTP servers where they talk HTTP.
        // Some start real processes (the mock CLI, the runners): a 2-core machine needs seconds.
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'contract-tests/lib/**/*.test.ts'],
          // Concurrent tests (scripts/traffic.test.ts) each start processes that want a core: more at
          // once only slows each, and vitest queues them before a test's timeout starts (TEST-80).
          maxConcurrency: availableParallelism(),
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The contract suite: every operation of every vendor, against the mocks or sandboxes.
        test: {
          name: 'contract',
          include: ['contract-tests/*.test.ts'],
          globalSetup: ['contract-tests/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Whole runs as a user makes them (the sandbox run against stand-ins, the drift fixture).
        test: { name: 'e2e', include: ['contract-tests/e2e/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 120_000 },
      },
    ],
  },
});

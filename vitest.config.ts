import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // Modules on their own, against real local HTTP servers where they talk HTTP.
        // Some start real processes (the mock CLI, the runners): a 2-core machine needs seconds.
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'contract-tests/lib/**/*.test.ts'],
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

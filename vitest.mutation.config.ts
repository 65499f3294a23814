import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs for each mutant (stryker.config.mjs): the in-process unit tests of the
 * code it mutates. Tests that start real processes (the CLI, the runners) or drive a browser
 * would make every mutant cost seconds; what they cover is covered by npm test.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'contract-tests/lib/**/*.test.ts'],
    // The fuzz load (2,000 requests a vendor) is too slow to repeat per mutant; the mock's own
    // engine, state and webhook tests run.
    exclude: ['src/cli.test.ts', 'src/mock/fuzz/**', 'src/package.test.ts', '**/node_modules/**'],
    testTimeout: 30_000,
  },
});

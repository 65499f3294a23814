import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs for each mutant (stryker.config.mjs): the in-process unit tests of the
 * code it mutates. Tests that start real processes (the CLI, the runners) or drive a browser
 * would make every mutant cost seconds; what they cover is covered by npm test.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'contract-tests/lib/**/*.test.ts'],
    exclude: ['src/cli.test.ts', 'src/mock/**', 'src/package.test.ts', '**/node_modules/**'],
    testTimeout: 30_000,
  },
});

import { defineConfig } from 'vitest/config';

/**
 * The unit tests: the `*.test.ts(x)` files next to the code they test (nodes/, workflows/, core/, server/,
 * custom-nodes/, editor/src/). They need no service (no Temporal, no store, no browser), so this config has no
 * globalSetup; `npm run test:unit` runs them alone, and .ci/run runs them once more on Node 24. Cross-process tests
 * on the real services live in test/ and run with the main config only.
 */
export const UNIT_TESTS = ['nodes/**/*.test.ts', 'workflows/**/*.test.ts', 'server/**/*.test.ts', 'core/**/*.test.ts', 'custom-nodes/**/*.test.ts', 'editor/src/**/*.test.{ts,tsx}'];

export default defineConfig({
  test: {
    include: UNIT_TESTS,
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});

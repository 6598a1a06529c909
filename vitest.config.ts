import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The chaos suite (own services on spare ports, ~2 min with the 500-event kill-all scenario) runs here too; `npm run chaos` runs it alone.
    include: ['test/chaos/**/*.chaos.ts', 'nodes/**/*.test.ts', 'workflows/**/*.test.ts', 'server/**/*.test.ts', 'core/**/*.test.ts', 'test/**/*.test.ts', 'custom-nodes/**/*.test.ts', 'editor/src/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});

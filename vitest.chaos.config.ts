import { defineConfig } from 'vitest/config';

/** `npm run chaos`: kills and restarts the worker, the Temporal server and the store under load. */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    globalSetup: ['test/chaos/chaos-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});

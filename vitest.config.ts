import { defineConfig } from 'vitest/config';
import { UNIT_TESTS } from './vitest.unit.config';

export default defineConfig({
  test: {
    // The chaos suite (own services on spare ports, ~2 min with the 500-event kill-all scenario) runs here too; `npm run chaos` runs it alone.
    // The unit tests next to the code (vitest.unit.config.ts), then the cross-process tests on the real services.
    include: ['test/chaos/**/*.chaos.ts', ...UNIT_TESTS, 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    // Each answer must be exactly what its handler returned: a response schema that drops or coerces a field fails (server/http/response-check.ts).
    env: { JOURNEYS_CHECK_RESPONSES: '1' },
  },
});

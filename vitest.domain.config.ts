// The pure-domain unit tests only: no globalSetup (the main config starts NATS and Redis), so this
// config runs anywhere. Stryker uses it (stryker.config.json) to measure src/domain's mutation score.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/domain/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});

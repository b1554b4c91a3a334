import { defineConfig } from 'vitest/config';

/**
 * The full fault suite (`npm run test:faults`, issue 9.1): every file under test/faults/full, each with
 * its own private nats-server and redis-server (the faults restart them), one file at a time (the
 * machine has two cores and each file runs a whole installation of processes). The CI subset
 * (test/faults/ci-subset.test.ts) runs inside `npm test` instead.
 */
export default defineConfig({
  test: {
    include: ['test/faults/full/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    isolate: true,
    fileParallelism: false,
    env: { CORETEX_FAULT_SUITE: 'full' },
  },
});

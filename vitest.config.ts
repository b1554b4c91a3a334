import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The full fault suite has its own config (vitest.faults.config.ts, `npm run test:faults`).
    exclude: [...configDefaults.exclude, 'test/faults/full/**'],
    globalSetup: ['test/harness/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each file in a fresh process: files start servers, arm crash points and hold module state, so
    // reusing a worker across files would let one file's leftovers reach the next.
    isolate: true,
  },
});

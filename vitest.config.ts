import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Channel tests start servers on loopback; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
});

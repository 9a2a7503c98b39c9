import { defineConfig } from 'vitest/config';

// The hanging-connector test loads the machine (a server child process under 4,000 requests):
// it runs on its own, after every other test, so that it neither slows the others past their
// timeouts nor has its figures skewed by them.
const LOAD_TESTS = ['test/channels/teams/hanging-connector.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Channel tests start servers on loopback; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'tests', include: ['test/**/*.test.ts'], exclude: LOAD_TESTS, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'load', include: LOAD_TESTS, sequence: { groupOrder: 1 } } },
    ],
  },
});

import { defineConfig } from 'vitest/config';

/**
 * Two projects (`npm test` runs both, fast first):
 * - fast: unit and in-process integration tests (real files, real loopback ports), meant to
 *   finish in well under a minute on 2 cores: `npm run test:fast`.
 * - slow: `*.slow.test.ts`, the tests that start processes (serve, crash writers, lock racers, a
 *   real docker-registry), kill them, generate 100,000-repo catalogues, fill disks, run property
 *   sequences or wait on real timeouts: `npm run test:slow`.
 */
const SLOW = ['**/*.slow.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Store and HTTP tests use real files and real ports; two workers fit a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    // Seeds every random choice and prints the seed when a test fails (test/support/seed.ts).
    setupFiles: ['test/support/setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['main/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts'], exclude: SLOW },
      },
      {
        extends: true,
        test: { name: 'slow', include: SLOW },
      },
    ],
  },
});

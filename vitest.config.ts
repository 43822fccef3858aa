import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs the fast projects, then the slow one:
 * - fast: unit and in-process integration tests (real files, real loopback ports), about 20 s on
 *   2 cores; fast-mocked: the few that replace a module (`vi.mock('electron')`) and so need
 *   modules of their own. Both: `npm run test:fast`.
 * - slow: `*.slow.test.ts`, the tests that start processes (serve, crash writers, lock racers, a
 *   real docker-registry), kill them, generate 100,000-repo catalogues, fill disks, run property
 *   sequences or wait on real timeouts: `npm run test:slow`.
 */
const SLOW = ['**/*.slow.test.ts'];
/** Test files that mock a module: a new one with `vi.mock` belongs in this list. */
const MOCKING = ['test/ipc/electron-glue.test.ts', 'test/ipc/electron-refusal.test.ts', 'test/ipc/preload.test.ts'];

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
        test: {
          name: 'fast',
          include: ['main/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts'],
          exclude: [...SLOW, ...MOCKING],
          // The files of a worker share its loaded modules instead of each importing main/ afresh
          // (about 0.5 s a file): the project runs in a third of the time. Tests keep their state
          // in their own files and temp folders, never in module state, so sharing changes nothing.
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'fast-mocked', include: MOCKING },
      },
      {
        extends: true,
        test: { name: 'slow', include: SLOW },
      },
    ],
  },
});

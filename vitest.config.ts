import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Store and HTTP tests use real files and real ports; two workers fit a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});

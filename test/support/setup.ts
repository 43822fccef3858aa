/**
 * Runs before every test file (vitest setupFiles): fast-check draws from the file's seed, and a
 * failing test prints the seed to replay it with.
 */
import fc from 'fast-check';
import { beforeEach } from 'vitest';
import { TEST_SEED } from './seed';

fc.configureGlobal({ seed: TEST_SEED });

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    console.error(`Random choices in this test file were drawn from seed ${TEST_SEED}: replay with BERTH_TEST_SEED=${TEST_SEED}.`);
  });
});

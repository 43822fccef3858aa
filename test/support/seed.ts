/**
 * Every random choice a test makes comes from one seed per test file: BERTH_TEST_SEED when set
 * (to replay a failure), else a fresh one. The setup file (./setup.ts) prints it when a test
 * fails and hands it to fast-check, so `BERTH_TEST_SEED=<seed> npx vitest run <file>` replays
 * the same choices.
 */
import { Random } from '../../bench/random';

function seedFromEnvironment(): number {
  const given = process.env.BERTH_TEST_SEED;
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`BERTH_TEST_SEED must be a whole number, not ${JSON.stringify(given)}.`);
  return seed;
}

export const TEST_SEED = seedFromEnvironment();

/** A generator for a test's random choices, from the file's seed and a label (so each use has its own stream). */
export function seededRandom(label: string): Random {
  let hash = TEST_SEED >>> 0;
  for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return new Random(hash);
}

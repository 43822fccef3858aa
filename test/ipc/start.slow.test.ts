/** `npm start` on a machine without the Electron binary: one clear line, exit 1, how to run serve instead. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const start = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

it.skipIf(Boolean(electronBinary()))('npm start without the Electron binary says so in one line and exits 1', () => {
  const run = spawnSync(process.execPath, [start], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ELECTRON_EXEC_PATH: '' } });
  expect(run.status).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/Electron binary is not installed/);
  expect(lines[0]).toContain('npm run serve -- --data-dir ./data --port 5080');
  expect(run.stdout).toBe('');
});

/**
 * The trash keeps a deleted repo 30 days (README, "History, undo and the trash"): what has passed
 * its time is purged when the backend starts, and periodically while it runs.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type BerthBackend } from '../../main/backend';
import { TOKEN_HOLDER } from '../../main/registry/service';
import { tempDir } from './serve-process';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(dataDir: string, trashPurgeIntervalMs?: number): Promise<BerthBackend> {
  const backend = await createBackend({ dataDir, port: 0, trashPurgeIntervalMs });
  cleanups.push(() => backend.close());
  return backend;
}

/** A folder whose trash holds one deleted repo, expiring at `expiresAt`. */
async function folderWithTrash(expiresAt: string): Promise<string> {
  const dir = await tempDir('berth-trash-');
  cleanups.push(dir.cleanup);
  const dataDir = join(dir.path, 'data');
  const backend = await createBackend({ dataDir, port: 0 });
  await backend.registry.createRepo('acme', { repo_name: 'web' });
  await backend.registry.deleteRepo('acme', 'web');
  await backend.close();
  const [file] = readdirSync(join(dataDir, 'trash'));
  const path = join(dataDir, 'trash', file ?? '');
  // As if the repo had been deleted 30 days before `expiresAt`.
  writeFileSync(path, JSON.stringify({ ...(JSON.parse(readFileSync(path, 'utf8')) as object), expires_at: expiresAt }));
  return dataDir;
}

describe('purging the trash', () => {
  it('purges entries past their time at start', async () => {
    const dataDir = await folderWithTrash('2020-01-01T00:00:00.000Z');
    const backend = await start(dataDir);
    expect((await backend.registry.listTrash(TOKEN_HOLDER, {})).count).toBe(0);
    await backend.close();
    expect(readdirSync(join(dataDir, 'trash'))).toEqual([]);
  });

  it('purges entries as their time passes while it runs', async () => {
    const dataDir = await folderWithTrash(new Date(Date.now() + 4000).toISOString());
    const backend = await start(dataDir, 100);
    expect((await backend.registry.listTrash(TOKEN_HOLDER, {})).count).toBe(1);
    await expect.poll(() => readdirSync(join(dataDir, 'trash')), { timeout: 15_000 }).toEqual([]);
  });
});

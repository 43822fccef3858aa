/**
 * `check` reads a schema-2 folder whole: repo files, history chunks, the trash and the journal
 * (whose records also carry chunks and trash files), and names what open would trip over.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from '../../test/fixtures/store-temp';
import { createRegistry } from '../registry';
import { checkDataFolder } from './check';
import { openStore } from './index';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
  await h.registry.createRepo('acme', { repo_name: 'web' });
  // More pushes than a history tail holds: older entries are sealed into a chunk file.
  for (let i = 0; i < 40; i++) await h.registry.putTag('acme', 'web', `v${i}`, i.toString(16).padStart(64, '0'));
  await h.registry.createRepo('acme', { repo_name: 'old' });
  await h.registry.deleteRepo('acme', 'old');
});
afterEach(async () => {
  await h.close();
});

const chunkFiles = (dir: string) =>
  readdirSync(join(dir, 'history')).flatMap((id) => readdirSync(join(dir, 'history', id)).map((f) => join(dir, 'history', id, f)));

describe('check of a folder with history and a trash', () => {
  it('finds nothing wrong in what Berth wrote, journal included', async () => {
    // A close with no time to write files leaves the changes in the journal: a chunk sealed, a repo trashed.
    await h.store.close();
    const store = await openStore(h.dir, { closeWriteBudgetMs: 0 });
    const registry = createRegistry(store);
    for (let i = 0; i < 40; i++) await registry.putTag('acme', 'web', `w${i}`, i.toString(16).padStart(64, 'f'));
    await registry.deleteRepo('acme', 'web');
    await store.close();
    const report = await checkDataFolder(h.dir);
    expect(report.journalRecords).toBeGreaterThan(0);
    expect(report.problems).toEqual([]);
    expect(chunkFiles(h.dir).length).toBeGreaterThan(0);
    expect(readdirSync(join(h.dir, 'trash')).length).toBeGreaterThan(0);
    h.store = await openStore(h.dir);
  });

  it('names a missing history chunk and a trash file that does not parse', async () => {
    await h.store.close();
    rmSync(chunkFiles(h.dir)[0] as string);
    const trashFile = readdirSync(join(h.dir, 'trash'))[0] as string;
    writeFileSync(join(h.dir, 'trash', trashFile), '{"schema_version": 2, "namespace": ');
    const report = await checkDataFolder(h.dir);
    expect(report.problems).toEqual([
      { file: `trash/${trashFile}`, reason: expect.any(String) as string },
      { file: 'namespaces/acme/repos/web.json', reason: expect.stringMatching(/^its history chunk history\/.+ is missing$/) as string },
    ]);
    h.store = await openStore(h.dir);
  });
});

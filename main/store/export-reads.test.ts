/**
 * An export reads namespaces not in memory from their files, the next one in a worker while it
 * works on this one, and leaves the history tails out: it must read what the store would load.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { exportDocument } from '../registry/portability/export';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { openStore, type Store } from './index';

const HEX = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const NAMESPACES = ['alpha', 'bravo', 'charlie', 'delta'];

let dir: string;
const opened: Store[] = [];
const open = async (backgroundLoad: boolean) => {
  const store = await openStore(dir, { backgroundLoad });
  opened.push(store);
  return store;
};

beforeEach(async () => {
  dir = await makeTempDir();
  const registry = createRegistry(await open(true));
  for (const ns of NAMESPACES) {
    for (const name of ['web', 'api', `${ns}-only`]) {
      await registry.createRepo(ns, { repo_name: name, description: `${ns}/${name}` });
      for (const tag of ['1.0', '1.1', 'latest']) await registry.putTag(ns, name, tag, HEX);
      await registry.updateRepo(ns, name, { full_description: `# ${name}\n\n  "history": [` });
    }
  }
  for (const store of opened.splice(0)) await store.close();
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await removeDir(dir);
});

describe('reading a folder for an export', () => {
  it('reads each namespace as the store loads it, but for the history, reading the next one ahead', async () => {
    const store = await open(false);
    const exported = [];
    for (const [i, ns] of NAMESPACES.entries()) {
      const read = await store.readNamespaceForExport(ns, NAMESPACES[i + 1]);
      exported.push([...(read?.repos.values() ?? [])]);
      expect(store.loadedNamespace(ns), 'not kept in memory').toBeUndefined();
    }
    // Read without parsing the tails: no entry in what the export got.
    expect(exported.flat().map((repo) => (repo as { history?: unknown[] }).history?.length)).toEqual(exported.flat().map(() => 0));
    await store.loadAll();
    const withoutHistory = (repo: object) => ({ ...repo, history: undefined });
    for (const [i, ns] of NAMESPACES.entries()) {
      const loaded = [...store.loadedNamespace(ns)!.repos.values()];
      expect(loaded.every((repo) => repo.history.length >= 5)).toBe(true);
      expect(exported[i]!.map(withoutHistory)).toEqual(loaded.map(withoutHistory));
    }
  });

  it('lets go of what it read ahead when the export stops early', async () => {
    // Enough text in the first namespace that the document's first piece is handed on within it.
    const writer = createRegistry(await open(true));
    for (let i = 0; i < 12; i++) {
      await writer.createRepo('alpha', { repo_name: `big-${i}`, full_description: `# big\n\n${'x'.repeat(24_000)}` });
    }
    for (const store of opened.splice(0)) await store.close();
    const store = await open(false);
    const document = exportDocument(store, { now: () => '2026-12-01T00:00:00.000Z' });
    const first = await document.next();
    expect(first.done).toBe(false);
    // The next namespace is being read ahead while this piece is handed on...
    expect(store.exportReadAheadHeld).toBe(1);
    // ...and the export stops here (its file could not be written): nothing stays held.
    await document.return(undefined);
    expect(store.exportReadAheadHeld).toBe(0);
  });
});

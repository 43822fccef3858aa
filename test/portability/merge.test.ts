/**
 * What an import does to a catalogue that already holds repos: merge (newer wins, counters never
 * go down, a newer local change is kept and reported), replace (the catalogue becomes the
 * document's), and dry runs (the same answer, nothing changed).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportedRepo } from '../../main/contract/portability';
import type { ChangeEvent } from '../../main/contract/types';
import { openHarness, type Harness } from '../fixtures/store-temp';
import { seededRandom } from '../support/seed';
import { collect, piecesOf } from './support';

const HEX_A = 'a'.repeat(64);
const HEX_B = 'b'.repeat(64);
const viewer = { authenticated: true };

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

function document(repos: Partial<ExportedRepo>[], namespaces = ['acme']): string {
  return JSON.stringify({
    format: 'berth-export',
    version: 1,
    exported_at: '2030-01-01T00:00:00.000Z',
    namespaces: namespaces.map((namespace) => ({ namespace, created_at: '2020-01-01T00:00:00.000Z' })),
    repos,
    registries: [],
  });
}

/** The repo as exported now, changed by `change`. */
async function exported(ns: string, name: string, change: Partial<ExportedRepo> = {}): Promise<ExportedRepo> {
  const doc = JSON.parse(await collect(h.registry.exportCatalogue())) as { repos: ExportedRepo[] };
  const repo = doc.repos.find((r) => r.namespace === ns && r.repo_name === name);
  if (!repo) throw new Error(`${ns}/${name} not exported`);
  return { ...repo, ...change };
}

const feed = (text: string) => piecesOf(text, seededRandom('merge-pieces'), 512);

/** Every file of the data folder's catalogue with a hash of its bytes. */
function catalogueFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = join(rel, name);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else
        out[path] = createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex');
    }
  };
  walk('namespaces');
  return out;
}

describe('merge', () => {
  beforeEach(async () => {
    await h.registry.createRepo('acme', { repo_name: 'web', description: 'local' });
    await h.registry.putTag('acme', 'web', 'latest', HEX_A);
    for (let i = 0; i < 5; i++) await h.registry.recordPull('acme', 'web', 'latest');
  });

  it('takes a copy whose updated_at is later, and never lowers a counter', async () => {
    const local = await h.registry.getRepo(viewer, 'acme', 'web');
    const newer = await exported('acme', 'web', {
      description: 'imported',
      updated_at: '2099-01-01T00:00:00.000Z',
      download: 2,
      upload: 9,
    });
    const result = await h.registry.importCatalogue(feed(document([newer])));
    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 0, conflicts: [] });
    const after = await h.registry.getRepo(viewer, 'acme', 'web');
    expect(after).toMatchObject({ description: 'imported', updated_at: '2099-01-01T00:00:00.000Z', download: local.download, upload: 9 });
    expect(local.download).toBe(5);
  });

  it('keeps a local copy changed after the imported one, and lists it as a conflict', async () => {
    const older = await exported('acme', 'web', { description: 'stale', updated_at: '2000-01-01T00:00:00.000Z', download: 99 });
    const before = await h.registry.getRepo(viewer, 'acme', 'web');
    const result = await h.registry.importCatalogue(feed(document([older])));
    expect(result.updated).toBe(0);
    expect(result.conflicts).toEqual([{ repo: 'acme/web', detail: expect.stringContaining('Kept the local copy') as string }]);
    expect(await h.registry.getRepo(viewer, 'acme', 'web')).toEqual(before);
  });

  it('keeps the local copy when both were changed at the same moment but differ', async () => {
    const same = await exported('acme', 'web', { description: 'other' });
    const result = await h.registry.importCatalogue(feed(document([same])));
    expect(result.conflicts).toEqual([{ repo: 'acme/web', detail: expect.any(String) as string }]);
    expect((await h.registry.getRepo(viewer, 'acme', 'web')).description).toBe('local');
  });

  it('counts identical content as unchanged and writes nothing', async () => {
    const same = await exported('acme', 'web');
    await h.store.checkpoint();
    const files = catalogueFiles(h.dir);
    const events: ChangeEvent[] = [];
    h.registry.onChange((e) => events.push(e));
    const result = await h.registry.importCatalogue(feed(document([same])));
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 1, conflicts: [] });
    await h.store.checkpoint();
    expect(catalogueFiles(h.dir)).toEqual(files);
    expect(events).toEqual([]);
  });

  it('creates repos and namespaces the catalogue lacks, keeps what the document lacks, and says so', async () => {
    const tagged = {
      namespace: 'acme',
      repo_name: 'api',
      created_at: '2021-01-01T00:00:00.000Z',
      updated_at: '2021-01-02T00:00:00.000Z',
      tags: [{ tag: 'v1', image_id: HEX_B, created_at: '2021-01-02T00:00:00.000Z', updated_at: '2021-01-02T00:00:00.000Z' }],
    };
    const elsewhere = {
      namespace: 'globex',
      repo_name: 'db',
      created_at: '2021-01-01T00:00:00.000Z',
      updated_at: '2021-01-01T00:00:00.000Z',
    };
    const events: ChangeEvent[] = [];
    h.registry.onChange((e) => events.push(e));
    const result = await h.registry.importCatalogue(feed(document([tagged, elsewhere], ['acme', 'globex'])));
    expect(result).toMatchObject({ created: 2, updated: 0, unchanged: 0, deleted: 0, conflicts: [] });
    expect(events).toEqual(
      expect.arrayContaining([
        { entity: 'namespace', action: 'created', namespace: 'globex' },
        { entity: 'namespace', action: 'updated', namespace: 'acme' },
      ]),
    );
    await h.reopen();
    expect(await h.registry.listTags(viewer, 'acme', 'api')).toEqual([
      { tag: 'v1', image_id: HEX_B, created_at: tagged.updated_at, updated_at: tagged.updated_at },
    ]);
    expect(await h.registry.getRepo(viewer, 'globex', 'db')).toMatchObject({ is_public: true, download: 0, description: '' });
    expect((await h.registry.getNamespace(viewer, 'globex')).created_at).toBe('2020-01-01T00:00:00.000Z');
    expect((await h.registry.getRepo(viewer, 'acme', 'web')).description).toBe('local');
  });
});

describe('replace', () => {
  it('makes the catalogue exactly the document: what it lacks is gone, what it has is its copy', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    await h.registry.createRepo('acme', { repo_name: 'old' });
    await h.registry.createRepo('initech', { repo_name: 'tps' });
    const kept = await exported('acme', 'web');
    const older = await exported('acme', 'web', { description: 'older but wins', updated_at: '2000-01-01T00:00:00.000Z' });
    const result = await h.registry.importCatalogue(
      feed(document([older, { ...kept, repo_name: 'new', repo_path: 'acme/new' }], ['acme', 'hooli'])),
      { mode: 'replace' },
    );
    expect(result).toMatchObject({ created: 1, updated: 1, unchanged: 0, deleted: 2, conflicts: [], mode: 'replace' });
    expect(h.store.namespaceNames()).toEqual(['acme', 'hooli']);
    expect((await h.registry.listRepos(viewer, 'acme', {})).results.map((r) => r.repo_name)).toEqual(['new', 'web']);
    expect((await h.registry.getRepo(viewer, 'acme', 'web')).description).toBe('older but wins');
    await h.reopen();
    expect(h.store.namespaceNames()).toEqual(['acme', 'hooli']);
    expect((await h.registry.listRepos(viewer, 'acme', {})).count).toBe(2);
    expect(readdirSync(join(h.dir, 'tmp')).filter((f) => !f.startsWith('lock-'))).toEqual([]);
  });

  it('is refused whole when the catalogue changes while the document is read, and the change is kept', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    const text = document([], ['fresh']);
    // A local tool pushes a tag and creates a repo while the import reads the document's first half.
    async function* meanwhile(): AsyncGenerator<Buffer> {
      yield Buffer.from(text.slice(0, 60));
      await h.registry.putTag('acme', 'web', 'pushed-meanwhile', HEX_A);
      await h.registry.createRepo('acme', { repo_name: 'created-meanwhile' });
      yield Buffer.from(text.slice(60));
    }
    await expect(h.registry.importCatalogue(meanwhile(), { mode: 'replace' })).rejects.toMatchObject({
      code: 'conflict',
      message:
        'The catalogue changed while the import was being read, and replacing it would undo those changes: nothing was imported. Import again.',
    });
    expect(h.store.namespaceNames()).toEqual(['acme']);
    expect((await h.registry.listRepos(viewer, 'acme', {})).results.map((r) => r.repo_name)).toEqual(['created-meanwhile', 'web']);
    expect((await h.registry.listTags(viewer, 'acme', 'web')).map((t) => t.tag)).toEqual(['pushed-meanwhile']);
    expect(h.store.trash().size).toBe(0);
    expect(readdirSync(join(h.dir, 'tmp')).filter((f) => !f.startsWith('lock-'))).toEqual([]);
    // Imported again with nothing changing meanwhile, it replaces; what it removes goes to the trash.
    const result = await h.registry.importCatalogue(feed(text), { mode: 'replace' });
    expect(result).toMatchObject({ deleted: 2, mode: 'replace' });
    expect(h.store.namespaceNames()).toEqual(['fresh']);
    expect([...h.store.trash().values()].map((t) => t.repo.repo_name).sort()).toEqual(['created-meanwhile', 'web']);
  });

  it('goes on taking writes after the swap, and they survive a restart', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    await h.registry.importCatalogue(feed(document([], ['fresh'])), { mode: 'replace' });
    await h.registry.createRepo('fresh', { repo_name: 'after' });
    await h.reopen();
    expect((await h.registry.listRepos(viewer, 'fresh', {})).results.map((r) => r.repo_name)).toEqual(['after']);
    expect(h.store.namespaceNames()).toEqual(['fresh']);
  });
});

describe('dry run', () => {
  for (const mode of ['merge', 'replace'] as const) {
    it(`answers what a ${mode} would do and changes nothing`, async () => {
      await h.registry.createRepo('acme', { repo_name: 'web' });
      await h.registry.createRepo('acme', { repo_name: 'gone' });
      const newer = await exported('acme', 'web', { description: 'new', updated_at: '2099-01-01T00:00:00.000Z' });
      const text = document([newer, { ...newer, repo_name: 'fresh', repo_path: 'acme/fresh' }], ['acme', 'hooli']);
      await h.store.checkpoint();
      const files = catalogueFiles(h.dir);
      const exportBefore = await collect(h.registry.exportCatalogue());
      const dry = await h.registry.importCatalogue(feed(text), { mode, dry_run: true });
      expect(dry).toMatchObject({ created: 1, updated: 1, deleted: mode === 'replace' ? 1 : 0, dry_run: true });
      await h.store.checkpoint();
      expect(catalogueFiles(h.dir)).toEqual(files);
      expect((await collect(h.registry.exportCatalogue())).slice(100)).toBe(exportBefore.slice(100));
      expect(h.store.namespaceNames()).toEqual(['acme']);
      // The real import answers the same.
      const real = await h.registry.importCatalogue(feed(text), { mode });
      expect({ ...real, dry_run: true }).toEqual(dry);
    });
  }
});

/**
 * An import is recorded in the history like any other write, as made by `import`: repos and tags
 * it creates or changes, and the repos a replace removes (which go to the trash, restorable).
 * A repo the import changes keeps the history it had; a dry run records nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntryView } from '../../main/contract/history';
import type { ExportedRepo } from '../../main/contract/portability';
import { openHarness, type Harness } from '../fixtures/store-temp';
import { seededRandom } from '../support/seed';
import { collect, piecesOf } from './support';

const HEX_A = 'a'.repeat(64);
const HEX_B = 'b'.repeat(64);
const HEX_C = 'c'.repeat(64);
const viewer = { authenticated: true };
const LATER = '2031-01-01T00:00:00.000Z';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
  // Local: acme/web (tags latest and old, made over the API), acme/gone (to be removed by a replace).
  await h.registry.createRepo('acme', { repo_name: 'web', description: 'local' });
  await h.registry.putTag('acme', 'web', 'latest', HEX_A);
  await h.registry.putTag('acme', 'web', 'old', HEX_A);
  await h.registry.createRepo('acme', { repo_name: 'gone' });
});
afterEach(async () => {
  await h.close();
});

function document(repos: Partial<ExportedRepo>[], namespaces = ['acme']): string {
  return JSON.stringify({
    format: 'berth-export',
    version: 1,
    exported_at: LATER,
    namespaces: namespaces.map((namespace) => ({ namespace, created_at: '2020-01-01T00:00:00.000Z' })),
    repos,
    registries: [],
  });
}

const repo = (namespace: string, repo_name: string, more: Partial<ExportedRepo> = {}): Partial<ExportedRepo> => ({
  namespace,
  repo_name,
  created_at: '2020-01-01T00:00:00.000Z',
  updated_at: LATER,
  ...more,
});

/** acme/web as the document has it: edited, latest moved, old deleted, stable created, starred. */
const changedWeb = repo('acme', 'web', {
  description: 'from the backup',
  is_repo_starred: true,
  tags: [
    { tag: 'latest', image_id: HEX_B, created_at: LATER, updated_at: LATER },
    { tag: 'stable', image_id: HEX_C, created_at: LATER, updated_at: LATER },
  ],
});

const feed = (text: string) => piecesOf(text, seededRandom('history-pieces'), 512);

async function historyOf(ns: string, name: string): Promise<HistoryEntryView[]> {
  return (await h.registry.listRepoHistory(viewer, ns, name, { page_size: 100 })).results;
}

const brief = (entries: HistoryEntryView[]) =>
  entries.map((e) => ({ actor: e.actor, action: e.action, ...(e.tag ? { tag: e.tag } : {}), before: e.before, after: e.after }));

describe('history of an import', () => {
  it('records a merge: the changed repo keeps its history and gains the import’s entries', async () => {
    const result = await h.registry.importCatalogue(
      feed(document([changedWeb, repo('acme', 'api', { tags: [{ tag: 'v1', image_id: HEX_A, created_at: LATER, updated_at: LATER }] })])),
    );
    expect(result).toMatchObject({ created: 1, updated: 1, conflicts: [] });

    const web = await historyOf('acme', 'web');
    const byImport = web.filter((e) => e.actor === 'import');
    expect(brief(byImport).sort((a, b) => (a.action + (a.tag ?? '')).localeCompare(b.action + (b.tag ?? '')))).toEqual([
      { actor: 'import', action: 'repo.star', before: { is_repo_starred: false }, after: { is_repo_starred: true } },
      {
        actor: 'import',
        action: 'repo.update',
        before: expect.objectContaining({ description: 'local' }) as unknown,
        after: expect.objectContaining({ description: 'from the backup' }) as unknown,
      },
      { actor: 'import', action: 'tag.create', tag: 'stable', before: null, after: HEX_C },
      { actor: 'import', action: 'tag.delete', tag: 'old', before: HEX_A, after: null },
      { actor: 'import', action: 'tag.move', tag: 'latest', before: HEX_A, after: HEX_B },
    ]);
    // What the API did before is still there, older than the import's entries.
    expect(web.filter((e) => e.actor === 'api').map((e) => e.action)).toEqual(['tag.create', 'tag.create', 'repo.create']);
    expect(web.findIndex((e) => e.actor === 'api')).toBe(byImport.length);

    const api = await historyOf('acme', 'api');
    expect(brief(api)).toEqual([
      { actor: 'import', action: 'tag.create', tag: 'v1', before: null, after: HEX_A },
      { actor: 'import', action: 'repo.create', before: undefined, after: { description: '', full_description: '', is_public: true } },
    ]);
  });

  it('records the repos of a namespace the merge moves in whole, across a restart', async () => {
    await h.registry.importCatalogue(
      feed(
        document(
          [repo('fresh', 'one', { tags: [{ tag: 'v1', image_id: HEX_B, created_at: LATER, updated_at: LATER }] })],
          ['acme', 'fresh'],
        ),
      ),
    );
    await h.reopen();
    expect(brief(await historyOf('fresh', 'one'))).toEqual([
      { actor: 'import', action: 'tag.create', tag: 'v1', before: null, after: HEX_B },
      { actor: 'import', action: 'repo.create', before: undefined, after: { description: '', full_description: '', is_public: true } },
    ]);
    // The long tail an import leaves is sealed by the repo's next ordinary write, nothing lost.
    await h.registry.putTag('fresh', 'one', 'v2', HEX_C);
    expect((await historyOf('fresh', 'one')).map((e) => `${e.actor} ${e.action}`)).toEqual([
      'api tag.create',
      'import tag.create',
      'import repo.create',
    ]);
  });

  it('records a replace, and its removed repos go to the trash with an entry, restorable', async () => {
    const result = await h.registry.importCatalogue(feed(document([changedWeb, repo('other', 'new')], ['acme', 'other'])), {
      mode: 'replace',
    });
    expect(result).toMatchObject({ created: 1, updated: 1, deleted: 1 });

    const global = (await h.registry.listHistory(viewer, { page_size: 100 })).results.filter((e) => e.actor === 'import');
    const summary = global.map((e) => `${e.action} ${e.namespace}/${e.repo}${e.tag ? `:${e.tag}` : ''}`).sort();
    expect(summary).toEqual([
      'repo.create other/new',
      'repo.delete acme/gone',
      'repo.star acme/web',
      'repo.update acme/web',
      'tag.create acme/web:stable',
      'tag.delete acme/web:old',
      'tag.move acme/web:latest',
    ]);
    // The replaced repo kept its earlier history.
    expect((await historyOf('acme', 'web')).some((e) => e.actor === 'api' && e.action === 'repo.create')).toBe(true);

    // The removed repo is in the trash, survives a restart, and comes back with its history.
    await h.reopen();
    const trash = (await h.registry.listTrash(viewer, {})).results;
    expect(trash.map((t) => `${t.namespace}/${t.repo_name}`)).toEqual(['acme/gone']);
    await h.registry.restoreFromTrash('acme', 'gone');
    expect((await historyOf('acme', 'gone')).map((e) => `${e.actor} ${e.action}`)).toEqual([
      'api repo.restore',
      'import repo.delete',
      'api repo.create',
    ]);
  });

  it('records nothing on a dry run, nor for a repo that is already the same', async () => {
    const before = (await h.registry.listHistory(viewer, { page_size: 100 })).count;
    await h.registry.importCatalogue(feed(document([changedWeb])), { dry_run: true });
    await h.registry.importCatalogue(feed(document([changedWeb])), { mode: 'replace', dry_run: true });
    expect((await h.registry.listHistory(viewer, { page_size: 100 })).count).toBe(before);

    const same = JSON.parse(await collect(h.registry.exportCatalogue())) as { repos: ExportedRepo[] };
    await h.registry.importCatalogue(feed(document(same.repos)), { mode: 'replace' });
    expect((await h.registry.listHistory(viewer, { page_size: 100 })).count).toBe(before);
  });

  it('attributes the import to import whoever asks for it', async () => {
    await h.registry.as('window').importCatalogue(feed(document([repo('acme', 'from-window')])));
    expect((await historyOf('acme', 'from-window')).map((e) => e.actor)).toEqual(['import']);
  });
});

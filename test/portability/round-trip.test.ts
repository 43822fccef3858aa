/**
 * Export → import into an empty folder → export gives the same document, byte for byte but for
 * exported_at: names, fields, counters, times, tags (and their times), stars and build settings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from '../fixtures/store-temp';
import { seededRandom } from '../support/seed';
import { collect, fillCatalogue, piecesOf, withoutExportedAt } from './support';

const open: Harness[] = [];
async function harness(): Promise<Harness> {
  const h = await openHarness();
  open.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

describe('round trip', () => {
  for (const mode of ['merge', 'replace'] as const) {
    it(`export → ${mode} into an empty folder → export is the same document`, async () => {
      const random = seededRandom(`round-trip-${mode}`);
      const source = await harness();
      await fillCatalogue(source.registry, random, 15);
      const first = await collect(source.registry.exportCatalogue());

      const target = await harness();
      const result = await target.registry.importCatalogue(piecesOf(first, random), { mode });
      expect(result).toMatchObject({ created: 15, updated: 0, unchanged: 0, deleted: 0, conflicts: [], mode, dry_run: false });
      const second = await collect(target.registry.exportCatalogue());
      expect(withoutExportedAt(second)).toBe(withoutExportedAt(first));

      // And after a restart, from the files alone.
      await target.reopen();
      expect(withoutExportedAt(await collect(target.registry.exportCatalogue()))).toBe(withoutExportedAt(first));
    });
  }

  it('carries every field of the detail, tags with their times, stars and build settings', async () => {
    const random = seededRandom('fields');
    const source = await harness();
    await fillCatalogue(source.registry, random, 6);
    const target = await harness();
    await target.registry.importCatalogue(piecesOf(await collect(source.registry.exportCatalogue()), random));
    const viewer = { authenticated: true };
    for (const ns of ['acme', 'constructor', 'tostring']) {
      const page = await source.registry.listRepos(viewer, ns, { page_size: 100 });
      for (const repo of page.results) {
        expect(await target.registry.getRepo(viewer, ns, repo.repo_name)).toEqual(repo);
        expect(await target.registry.listTags(viewer, ns, repo.repo_name)).toEqual(
          await source.registry.listTags(viewer, ns, repo.repo_name),
        );
      }
    }
    expect(await target.registry.getNamespace(viewer, 'empty-ns')).toEqual(await source.registry.getNamespace(viewer, 'empty-ns'));
  });

  it('exports an empty catalogue as a document that imports as nothing', async () => {
    const source = await harness();
    const text = await collect(source.registry.exportCatalogue());
    expect(JSON.parse(text)).toMatchObject({ format: 'berth-export', version: 1, namespaces: [], repos: [], registries: [] });
    const target = await harness();
    expect(await target.registry.importCatalogue(piecesOf(text, seededRandom('empty')))).toMatchObject({ created: 0, conflicts: [] });
  });
});

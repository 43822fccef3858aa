/**
 * An imported repository (docs/registries.md, "Links, imports and sync"): the local repo is
 * created, linked and given its tags in one store transaction, recorded as made by `import`; a
 * repo of that name made meanwhile is refused unless it has the same link.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../contract/errors';
import type { HistoryEntryView } from '../contract/history';
import { openHarness, type Harness } from '../../test/fixtures/store-temp';
import type { LinkRecord, RemoteTagChanges } from './remote-writes';
import { TOKEN_HOLDER } from './service';

const HEX_A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const HEX_B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';
const AT = '2026-01-02T03:04:05.000Z';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

const remote = { registry: 'hub', repository: 'team/app' };
const link: LinkRecord = { ...remote, pull_ref: 'registry.example/team/app', last_synced_at: AT, last_sync_error: null };
const image = (hex: string) => ({
  digest: `sha256:${hex}`,
  media_type: 'application/vnd.oci.image.manifest.v1+json',
  size: 400,
  platforms: [],
  image_created: null,
});
const changes: RemoteTagChanges = {
  link: remote,
  put: [
    { tag: '1.0', image_id: HEX_A, image: image(HEX_A) },
    { tag: 'latest', image_id: HEX_B, image: image(HEX_B) },
  ],
  remove: [],
  source: 'registry:hub',
  synced: { at: AT, error: null },
};

const said = (e: HistoryEntryView) => [e.actor, e.action, e.tag ?? null];

describe('an imported repository', () => {
  it('is created, linked and given its tags in one journal record, recorded as made by import', async () => {
    const before = h.store.stats.journalRecords;
    const result = await h.registry.as('import').importRemoteRepo('team', 'app', link, changes);
    expect(result).toEqual({ changed: 2, written: true });
    expect(h.store.stats.journalRecords - before).toBe(1);

    const repo = await h.registry.getRepo(TOKEN_HOLDER, 'team', 'app');
    expect(repo).toMatchObject({ upload: 2, link: { ...link } });
    expect((await h.registry.listTags(TOKEN_HOLDER, 'team', 'app')).map((t) => [t.tag, t.image_id]).sort()).toEqual([
      ['1.0', HEX_A],
      ['latest', HEX_B],
    ]);
    const history = (await h.registry.listRepoHistory(TOKEN_HOLDER, 'team', 'app', { page_size: 10 })).results;
    expect(history.map(said).sort()).toEqual(
      [
        ['import', 'repo.create', null],
        ['import', 'repo.update', null],
        ['import', 'tag.create', '1.0'],
        ['import', 'tag.create', 'latest'],
      ].sort(),
    );
    expect(history.find((e) => e.action === 'repo.update')).toMatchObject({ before: { link: null }, after: { link: 'hub:team/app' } });

    // It survives a restart as one whole.
    await h.reopen();
    expect((await h.registry.listTags(TOKEN_HOLDER, 'team', 'app')).length).toBe(2);
  });

  it('is refused, changing nothing, when a repo of that name was made meanwhile without the link', async () => {
    await h.registry.createRepo('team', { repo_name: 'app' });
    const before = h.store.stats.journalRecords;
    const err = await h.registry
      .as('import')
      .importRemoteRepo('team', 'app', link, changes)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).code).toBe('conflict');
    expect(h.store.stats.journalRecords).toBe(before);
    expect(await h.registry.listTags(TOKEN_HOLDER, 'team', 'app')).toEqual([]);
  });

  it('takes the changes as a sync when the repo was made meanwhile with the same link', async () => {
    await h.registry.as('import').importRemoteRepo('team', 'app', link, { ...changes, put: changes.put.slice(0, 1) });
    const result = await h.registry.as('import').importRemoteRepo('team', 'app', link, changes);
    expect(result).toEqual({ changed: 1, written: true });
    expect((await h.registry.listTags(TOKEN_HOLDER, 'team', 'app')).map((t) => t.tag).sort()).toEqual(['1.0', 'latest']);
  });
});

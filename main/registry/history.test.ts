/**
 * History (README, "History, undo and the trash"): every change to the catalogue but a pull is
 * recorded with who made it, what and when, newest first; a tag can be put back as it was after
 * one of its entries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntryView } from '../contract/history';
import { openHarness, type Harness } from '../../test/fixtures/store-temp';
import { expectCode } from '../../test/support/expect-error';
import { ANONYMOUS, TOKEN_HOLDER } from './service';

const HEX_A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const HEX_B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

/** A repo's whole history, newest first. */
async function historyOf(ns: string, repo: string): Promise<HistoryEntryView[]> {
  return (await h.registry.listRepoHistory(TOKEN_HOLDER, ns, repo, { page_size: 100 })).results;
}

/** What an entry says, without its id and time. */
const said = (e: HistoryEntryView) => {
  const { id: _id, at: _at, ...rest } = e;
  return rest;
};

describe('what is recorded', () => {
  it('records each kind of change, newest first, with before and after', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web', description: 'Shop' });
    await h.registry.updateRepo('acme', 'web', { description: 'Shop front', is_public: false });
    await h.registry.updateRepo('acme', 'web', { build_config: { code_repo_client: 'Simple' } });
    await h.registry.putTag('acme', 'web', 'latest', HEX_A);
    await h.registry.putTag('acme', 'web', 'latest', HEX_B);
    await h.registry.putTag('acme', 'web', 'latest', HEX_B);
    await h.registry.setStar('acme', 'web', true);
    await h.registry.setStar('acme', 'web', false);
    await h.registry.deleteTag('acme', 'web', 'latest');

    const base = { actor: 'api', namespace: 'acme', repo: 'web' };
    expect((await historyOf('acme', 'web')).map(said)).toEqual([
      { ...base, action: 'tag.delete', tag: 'latest', before: HEX_B, after: null },
      { ...base, action: 'repo.unstar', before: { is_repo_starred: true }, after: { is_repo_starred: false } },
      { ...base, action: 'repo.star', before: { is_repo_starred: false }, after: { is_repo_starred: true } },
      { ...base, action: 'tag.push', tag: 'latest', before: HEX_B, after: HEX_B },
      { ...base, action: 'tag.move', tag: 'latest', before: HEX_A, after: HEX_B },
      { ...base, action: 'tag.create', tag: 'latest', before: null, after: HEX_A },
      { ...base, action: 'repo.update', before: { build_config: null }, after: { build_config: { code_repo_client: 'Simple' } } },
      {
        ...base,
        action: 'repo.update',
        before: { description: 'Shop', is_public: true },
        after: { description: 'Shop front', is_public: false },
      },
      { ...base, action: 'repo.create', after: { description: 'Shop', full_description: '', is_public: true } },
    ]);
  });

  it('gives each entry a time-sortable id and the time of the change', async () => {
    const at = h.clock.peek();
    await h.registry.createRepo('acme', { repo_name: 'web' });
    await h.registry.putTag('acme', 'web', 'v1', HEX_A);
    const [tag, create] = await historyOf('acme', 'web');
    expect(create?.at).toBe(at);
    expect(create?.id).toMatch(/^[0-9a-z]{26}$/);
    expect((tag?.id ?? '') > (create?.id ?? '')).toBe(true);
    expect((await h.registry.getTag(TOKEN_HOLDER, 'acme', 'web', 'v1')).updated_at).toBe(tag?.at);
  });

  it('does not record pulls, edits that change nothing, or a star already given', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web', description: 'Shop' });
    await h.registry.putTag('acme', 'web', 'latest', HEX_A);
    await h.registry.recordPull('acme', 'web', 'latest');
    await h.registry.updateRepo('acme', 'web', { description: 'Shop' });
    await h.registry.setStar('acme', 'web', false);
    expect((await historyOf('acme', 'web')).map((e) => e.action)).toEqual(['tag.create', 'repo.create']);
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web')).download).toBe(1);
  });

  it('names who acted: api, window, a registry, an import', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    await h.registry.as('window').putTag('acme', 'web', 'a', HEX_A);
    await h.registry.as('registry:hub').putTag('acme', 'web', 'b', HEX_A);
    await h.registry.as('import').putTag('acme', 'web', 'c', HEX_A);
    await h.registry.as('window').updateRepo('acme', 'web', { description: 'from the window' });
    expect((await historyOf('acme', 'web')).map((e) => [e.action, e.tag ?? null, e.actor])).toEqual([
      ['repo.update', null, 'window'],
      ['tag.create', 'c', 'import'],
      ['tag.create', 'b', 'registry:hub'],
      ['tag.create', 'a', 'window'],
      ['repo.create', null, 'api'],
    ]);
    expect(h.registry.as('window').actor).toBe('window');
    expect(h.registry.as('window')).toBe(h.registry.as('window'));
    expect(() => h.registry.as('registry:Not Valid' as 'api')).toThrow(/Not an actor/);
  });

  it('records a full description edit whole, and keeps the repo file small afterwards', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    const readme = '# web\n'.repeat(4000);
    await h.registry.updateRepo('acme', 'web', { full_description: readme });
    const [edit] = await historyOf('acme', 'web');
    expect(edit?.after).toEqual({ full_description: readme });
    for (let i = 0; i < 3; i++) await h.registry.putTag('acme', 'web', `v${i}`, HEX_A);
    // The edit's entry was sealed into a chunk: the repo record keeps only a short tail.
    const record = h.store.loadedNamespace('acme')?.repos.get('web');
    expect(JSON.stringify(record?.history).length).toBeLessThan(16 * 1024);
    expect((await historyOf('acme', 'web')).find((e) => e.action === 'repo.update')?.after).toEqual({ full_description: readme });
  });
});

describe('reading the history', () => {
  it('pages a repo history newest first, as visible as the repo itself', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    for (let i = 0; i < 25; i++) await h.registry.putTag('acme', 'web', `v${i}`, HEX_A);
    const page2 = await h.registry.listRepoHistory(ANONYMOUS, 'acme', 'web', { page: 2, page_size: 10 });
    expect(page2).toMatchObject({ count: 26, page: 2, num_pages: 3 });
    expect(page2.results.map((e) => e.tag)).toEqual(['v14', 'v13', 'v12', 'v11', 'v10', 'v9', 'v8', 'v7', 'v6', 'v5']);
    await expectCode(h.registry.listRepoHistory(ANONYMOUS, 'acme', 'web', { page: 4 }), 'not_found');

    await h.registry.updateRepo('acme', 'web', { is_public: false });
    await expectCode(h.registry.listRepoHistory(ANONYMOUS, 'acme', 'web', {}), 'not_found');
    expect((await h.registry.listRepoHistory(TOKEN_HOLDER, 'acme', 'web', {})).count).toBe(27);
    await expectCode(h.registry.listRepoHistory(TOKEN_HOLDER, 'acme', 'nothing', {}), 'not_found');
  });

  it("merges every repo's history newest first, deleted repos included, for token holders only", async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    await h.registry.createRepo('tools', { repo_name: 'cli' });
    await h.registry.putTag('acme', 'web', 'v1', HEX_A);
    await h.registry.putTag('tools', 'cli', 'v1', HEX_A);
    await h.registry.deleteRepo('tools', 'cli');
    await h.registry.putTag('acme', 'web', 'v2', HEX_B);

    const all = await h.registry.listHistory(TOKEN_HOLDER, { page_size: 100 });
    expect(all.results.map((e) => `${e.namespace}/${e.repo} ${e.action}`)).toEqual([
      'acme/web tag.create',
      'tools/cli repo.delete',
      'tools/cli tag.create',
      'acme/web tag.create',
      'tools/cli repo.create',
      'acme/web repo.create',
    ]);
    const ids = all.results.map((e) => e.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const page = await h.registry.listHistory(TOKEN_HOLDER, { page: 2, page_size: 4 });
    expect(page).toMatchObject({ count: 6, num_pages: 2 });
    expect(page.results.map((e) => e.id)).toEqual(ids.slice(4));
    const err = await expectCode(h.registry.listHistory(ANONYMOUS, {}), 'unauthorized');
    expect(err.status).toBe(401);
  });
});

describe('restoring a tag from its history', () => {
  async function entryFor(action: string, tag: string): Promise<HistoryEntryView> {
    const found = (await historyOf('acme', 'web')).find((e) => e.action === action && e.tag === tag);
    if (!found) throw new Error(`no ${action} of ${tag}`);
    return found;
  }

  beforeEach(async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    await h.registry.putTag('acme', 'web', 'latest', HEX_A);
    await h.registry.putTag('acme', 'web', 'latest', HEX_B);
    await h.registry.putTag('acme', 'web', 'old', HEX_A);
  });

  it('moves a tag back (200) and brings a deleted one back (201), each a push', async () => {
    const created = await entryFor('tag.create', 'latest');
    const moved = await h.registry.as('window').restoreTag('acme', 'web', 'latest', created.id);
    expect(moved).toMatchObject({ created: false, tag: { tag: 'latest', image_id: HEX_A } });

    await h.registry.deleteTag('acme', 'web', 'old');
    const before = await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web');
    const back = await h.registry.restoreTag('acme', 'web', 'old', (await entryFor('tag.create', 'old')).id.toUpperCase());
    expect(back).toMatchObject({ created: true, tag: { tag: 'old', image_id: HEX_A } });
    const after = await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web');
    expect(after.upload).toBe(before.upload + 1);
    expect(after.pushed_at).toBe(back.tag.updated_at);

    const [last, previous] = await historyOf('acme', 'web');
    expect(last).toMatchObject({ action: 'tag.restore', actor: 'api', tag: 'old', before: null, after: HEX_A });
    expect(previous).toMatchObject({ action: 'tag.delete', tag: 'old' });
    const restoredByWindow = (await historyOf('acme', 'web')).find((e) => e.action === 'tag.restore' && e.tag === 'latest');
    expect(restoredByWindow).toMatchObject({ actor: 'window', before: HEX_B, after: HEX_A });
  });

  it('refuses an entry of another tag, of the repo itself, after which the tag was gone, or not in this repo', async () => {
    await h.registry.deleteTag('acme', 'web', 'old');
    await h.registry.createRepo('acme', { repo_name: 'api' });
    await h.registry.putTag('acme', 'api', 'latest', HEX_B);
    const elsewhere = (await historyOf('acme', 'api'))[0] as HistoryEntryView;
    const cases: [string, RegExp][] = [
      [(await entryFor('tag.create', 'old')).id, /about tag old, not tag latest/],
      [(await historyOf('acme', 'web')).find((e) => e.action === 'repo.create')?.id ?? '', /about the repository itself/],
      [elsewhere.id, /no entry .* in the history of acme\/web/],
      ['01hzzzzzzzzzzzzzzzzzzzzzzz', /no entry/],
      ['not an id', /no entry/],
    ];
    for (const [id, message] of cases) {
      const err = await expectCode(h.registry.restoreTag('acme', 'web', 'latest', id), 'validation_error');
      expect(err.errors?.history_id?.[0]).toMatch(message);
    }
    const gone = await expectCode(
      h.registry.restoreTag('acme', 'web', 'old', (await entryFor('tag.delete', 'old')).id),
      'validation_error',
    );
    expect(gone.errors?.history_id?.[0]).toMatch(/did not exist after entry/);
    await expectCode(h.registry.restoreTag('acme', 'web', 'latest', ''), 'validation_error');
    await expectCode(h.registry.restoreTag('acme', 'nothing', 'latest', elsewhere.id), 'not_found');
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web')).upload).toBe(3);
  });

  it("refuses an entry of the repo's earlier life, after it was deleted and made again", async () => {
    const created = await entryFor('tag.create', 'latest');
    await h.registry.deleteRepo('acme', 'web');
    await h.registry.createRepo('acme', { repo_name: 'web' });
    const err = await expectCode(h.registry.restoreTag('acme', 'web', 'latest', created.id), 'validation_error');
    expect(err.errors?.history_id?.[0]).toMatch(/no entry/);
    expect((await historyOf('acme', 'web')).map((e) => e.action)).toEqual(['repo.create']);
  });
});

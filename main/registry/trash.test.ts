/**
 * The trash (README, "History, undo and the trash"): a deleted repo is gone from every list at
 * once, kept whole for 30 days, restorable as it was (409 when its name is taken again), and
 * purged on demand or when its time is up.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../contract/types';
import { openHarness, type Harness } from '../../test/fixtures/store-temp';
import { expectCode } from '../../test/support/expect-error';
import { ANONYMOUS, TOKEN_HOLDER } from './service';

const HEX_A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const HEX_B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';
const DAY = 24 * 60 * 60 * 1000;

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

/** A repo with tags, a star, counters, build settings and enough history to have sealed chunks. */
async function busyRepo(ns: string, name: string): Promise<void> {
  await h.registry.createRepo(ns, { repo_name: name, description: 'Shop', is_public: false, build_config: { code_repo_client: 'Simple' } });
  for (let i = 0; i < 40; i++) await h.registry.putTag(ns, name, `v${i % 5}`, i % 2 ? HEX_A : HEX_B);
  await h.registry.setStar(ns, name, true);
  await h.registry.recordPull(ns, name, 'v1');
}

const chunkFiles = (): string[] =>
  readdirSync(join(h.dir, 'history'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);

describe('deleting a repo', () => {
  it('takes it out of every list at once and puts it in the trash for 30 days', async () => {
    await busyRepo('acme', 'web');
    await h.registry.createRepo('acme', { repo_name: 'api' });
    const events: ChangeEvent[] = [];
    h.registry.onChange((e) => events.push(e));
    const at = h.clock.peek();
    await h.registry.deleteRepo('acme', 'web');

    await expectCode(h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web'), 'not_found');
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'acme', {})).results.map((r) => r.repo_name)).toEqual(['api']);
    expect((await h.registry.search(TOKEN_HOLDER, { q: 'web' })).num_results).toBe(0);
    expect((await h.registry.getNamespace(TOKEN_HOLDER, 'acme')).repo_count).toBe(1);
    expect(events).toEqual([{ entity: 'repo', action: 'deleted', namespace: 'acme', repo_name: 'web' }]);

    const trash = await h.registry.listTrash(TOKEN_HOLDER, {});
    expect(trash).toMatchObject({ count: 1, num_pages: 1 });
    expect(trash.results).toEqual([
      { namespace: 'acme', repo_name: 'web', deleted_at: at, expires_at: new Date(Date.parse(at) + 30 * DAY).toISOString(), tag_count: 5 },
    ]);
    await expectCode(h.registry.listTrash(ANONYMOUS, {}), 'unauthorized');
  });
});

describe('restoring from the trash', () => {
  it('brings the repo back as it was: record, counters, star, tags and history', async () => {
    await busyRepo('acme', 'web');
    const detail = await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web');
    const tags = await h.registry.listTags(TOKEN_HOLDER, 'acme', 'web');
    const history = (await h.registry.listRepoHistory(TOKEN_HOLDER, 'acme', 'web', { page_size: 100 })).results;
    await h.store.checkpoint();
    expect(chunkFiles().length).toBeGreaterThan(0);

    await h.registry.deleteRepo('acme', 'web');
    await h.reopen();
    const restored = await h.registry.as('window').restoreFromTrash('acme', 'web');
    expect(restored).toEqual(detail);
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web')).toEqual(detail);
    expect(await h.registry.listTags(TOKEN_HOLDER, 'acme', 'web')).toEqual(tags);
    const after = (await h.registry.listRepoHistory(TOKEN_HOLDER, 'acme', 'web', { page_size: 100 })).results;
    expect(after.slice(2)).toEqual(history);
    expect(after.slice(0, 2).map((e) => [e.action, e.actor])).toEqual([
      ['repo.restore', 'window'],
      ['repo.delete', 'api'],
    ]);
    expect((await h.registry.listTrash(TOKEN_HOLDER, {})).count).toBe(0);
    // Its history entries still restore its tags.
    const v1 = history.find((e) => e.tag === 'v1' && typeof e.after === 'string');
    await h.registry.restoreTag('acme', 'web', 'v1', v1?.id ?? '');
  });

  it('restores the most recent deletion of a name, refuses while the name is taken (409), recreates a gone namespace', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web', description: 'first' });
    await h.registry.deleteRepo('acme', 'web');
    await h.registry.createRepo('acme', { repo_name: 'web', description: 'second' });
    const err = await expectCode(h.registry.restoreFromTrash('acme', 'web'), 'conflict');
    expect(err.message).toMatch(/acme\/web exists again/);
    await h.registry.deleteRepo('acme', 'web');
    expect((await h.registry.listTrash(TOKEN_HOLDER, {})).results.map((t) => t.repo_name)).toEqual(['web', 'web']);

    await h.registry.deleteNamespace('acme');
    expect((await h.registry.restoreFromTrash('acme', 'web')).description).toBe('second');
    expect((await h.registry.getNamespace(TOKEN_HOLDER, 'acme')).repo_count).toBe(1);
    await expectCode(h.registry.restoreFromTrash('acme', 'web'), 'conflict');
    await h.registry.deleteRepo('acme', 'web');
    expect((await h.registry.restoreFromTrash('acme', 'web')).description).toBe('second');
    await h.registry.deleteRepo('acme', 'web');
    await h.registry.purgeTrash('acme', 'web');
    await expectCode(h.registry.restoreFromTrash('acme', 'web'), 'not_found');
    await expectCode(h.registry.restoreFromTrash('acme', 'Bad Name'), 'not_found');
  });

  it("keeps a force-deleted namespace's repos in the trash", async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    await h.registry.createRepo('acme', { repo_name: 'api' });
    await h.registry.putTag('acme', 'api', 'latest', HEX_A);
    await h.registry.deleteNamespace('acme', { force: true });
    await expectCode(h.registry.getNamespace(TOKEN_HOLDER, 'acme'), 'not_found');
    expect((await h.registry.listTrash(TOKEN_HOLDER, {})).results.map((t) => [t.repo_name, t.tag_count]).sort()).toEqual([
      ['api', 1],
      ['web', 0],
    ]);
    expect((await h.registry.listHistory(TOKEN_HOLDER, {})).results.slice(0, 2).map((e) => e.action)).toEqual([
      'repo.delete',
      'repo.delete',
    ]);
    await h.reopen();
    await h.registry.restoreFromTrash('acme', 'api');
    expect((await h.registry.listTags(TOKEN_HOLDER, 'acme', 'api')).map((t) => t.image_id)).toEqual([HEX_A]);
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'acme', {})).results.map((r) => r.repo_name)).toEqual(['api']);
  });
});

describe('purging', () => {
  it('deletes the entry and its history files for good', async () => {
    await busyRepo('acme', 'web');
    await h.registry.createRepo('acme', { repo_name: 'api' });
    await h.registry.deleteRepo('acme', 'web');
    await h.store.checkpoint();
    expect(readdirSync(join(h.dir, 'trash'))).toHaveLength(1);
    expect(chunkFiles().length).toBeGreaterThan(0);

    const events: ChangeEvent[] = [];
    h.registry.onChange((e) => events.push(e));
    await h.registry.purgeTrash('acme', 'web');
    expect(events).toEqual([{ entity: 'trash', action: 'deleted', namespace: 'acme', repo_name: 'web' }]);
    await h.store.checkpoint();
    expect(readdirSync(join(h.dir, 'trash'))).toEqual([]);
    expect(readdirSync(join(h.dir, 'history'))).toEqual([]);
    expect((await h.registry.listHistory(TOKEN_HOLDER, {})).results.every((e) => e.repo === 'api')).toBe(true);
    await expectCode(h.registry.purgeTrash('acme', 'web'), 'not_found');
  });

  it('purges what has passed its 30 days, and hides it until then', async () => {
    await h.registry.createRepo('acme', { repo_name: 'old' });
    await h.registry.deleteRepo('acme', 'old');
    h.clock.advance(20 * DAY);
    await h.registry.createRepo('acme', { repo_name: 'recent' });
    await h.registry.deleteRepo('acme', 'recent');
    h.clock.advance(11 * DAY);
    expect((await h.registry.listTrash(TOKEN_HOLDER, {})).results.map((t) => t.repo_name)).toEqual(['recent']);
    await expectCode(h.registry.restoreFromTrash('acme', 'old'), 'not_found');
    expect(h.store.trash().size).toBe(2);

    expect(await h.registry.purgeExpiredTrash()).toBe(1);
    expect(await h.registry.purgeExpiredTrash()).toBe(0);
    expect([...h.store.trash().values()].map((t) => t.repo.repo_name)).toEqual(['recent']);
    await h.reopen();
    expect([...h.store.trash().values()].map((t) => t.repo.repo_name)).toEqual(['recent']);
    expect(existsSync(join(h.dir, 'trash'))).toBe(true);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../contract/types';
import { openHarness, type Harness } from '../../test/fixtures/store-temp';
import { expectCode } from '../../test/support/expect-error';
import { createRegistry } from './registry';
import { MESSAGES } from '../contract/names';
import { ANONYMOUS, TOKEN_HOLDER } from './service';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEX_A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const HEX_B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

describe('namespaces', () => {
  it('creates a namespace with no repos and its creation time', async () => {
    const at = h.clock.peek();
    const ns = await h.registry.createNamespace('madams');
    expect(ns).toEqual({ namespace: 'madams', repo_count: 0, created_at: at });
    expect(await h.registry.getNamespace(ANONYMOUS, 'madams')).toEqual(ns);
  });

  it('refuses a duplicate namespace as a conflict', async () => {
    await h.registry.createNamespace('madams');
    const err = await expectCode(h.registry.createNamespace('madams'), 'conflict');
    expect(err.status).toBe(409);
    expect(err.message).toContain('madams');
  });

  it('refuses an invalid namespace name, naming the field', async () => {
    const err = await expectCode(h.registry.createNamespace('Madams'), 'validation_error');
    expect(err.errors).toEqual({ namespace: ['Use lowercase: madams'] });
  });

  it('answers not_found for a namespace that does not exist (or cannot)', async () => {
    await expectCode(h.registry.getNamespace(TOKEN_HOLDER, 'nobody'), 'not_found');
    await expectCode(h.registry.getNamespace(TOKEN_HOLDER, '../etc'), 'not_found');
    await expectCode(h.registry.listRepos(TOKEN_HOLDER, 'nobody', {}), 'not_found');
  });

  it('lists namespaces by name, paged, with repo counts the viewer may see', async () => {
    for (const ns of ['zeta', 'alpha', 'mid']) await h.registry.createNamespace(ns);
    await h.registry.createRepo('alpha', { repo_name: 'open' });
    await h.registry.createRepo('alpha', { repo_name: 'secret', is_public: false });
    const all = await h.registry.listNamespaces(TOKEN_HOLDER, {});
    expect(all.results.map((n) => n.namespace)).toEqual(['alpha', 'mid', 'zeta']);
    expect(all.results[0]?.repo_count).toBe(2);
    expect(all).toMatchObject({ count: 3, page: 1, page_size: 10, num_pages: 1 });
    const anon = await h.registry.listNamespaces(ANONYMOUS, {});
    expect(anon.results[0]?.repo_count).toBe(1);
    expect((await h.registry.getNamespace(ANONYMOUS, 'alpha')).repo_count).toBe(1);
    const page2 = await h.registry.listNamespaces(TOKEN_HOLDER, { page: 2, page_size: 2 });
    expect(page2.results.map((n) => n.namespace)).toEqual(['zeta']);
    expect(page2.num_pages).toBe(2);
  });

  it('deletes an empty namespace, and refuses one with repos unless forced', async () => {
    await h.registry.createNamespace('empty');
    await h.registry.deleteNamespace('empty');
    await expectCode(h.registry.getNamespace(TOKEN_HOLDER, 'empty'), 'not_found');

    await h.registry.createRepo('full', { repo_name: 'one' });
    await h.registry.putTag('full', 'one', 'latest', HEX_A);
    const err = await expectCode(h.registry.deleteNamespace('full'), 'conflict');
    expect(err.message).toContain('1 repository');
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'full', 'one')).tag_count).toBe(1);

    await h.registry.deleteNamespace('full', { force: true });
    await expectCode(h.registry.getNamespace(TOKEN_HOLDER, 'full'), 'not_found');
    await expectCode(h.registry.getRepo(TOKEN_HOLDER, 'full', 'one'), 'not_found');
    await h.reopen();
    await expectCode(h.registry.getNamespace(TOKEN_HOLDER, 'full'), 'not_found');
    // A namespace of the same name starts fresh.
    await h.registry.createRepo('full', { repo_name: 'two' });
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'full', {})).results.map((r) => r.repo_name)).toEqual(['two']);
  });

  it('answers not_found when deleting a namespace that does not exist', async () => {
    await expectCode(h.registry.deleteNamespace('ghost'), 'not_found');
    await expectCode(h.registry.deleteNamespace('NOT VALID'), 'not_found');
  });
});

describe('creating repos', () => {
  it('fills the defaults the seed shows and times them now', async () => {
    const at = h.clock.peek();
    const repo = await h.registry.createRepo('madams', {
      repo_name: 'repo',
      description: 'A docker image repository',
      namespace: 'madams',
      is_public: true,
    });
    expect(repo).toEqual({
      namespace: 'madams',
      repo_name: 'repo',
      repo_path: 'madams/repo',
      logo_file: '/static/images/user/default-logo.png',
      description: 'A docker image repository',
      full_description: '',
      repo_starred_count: 0,
      created_at: at,
      updated_at: at,
      is_public: true,
      logo: 'default-icon.jpg',
      is_automated: false,
      download: 0,
      upload: 0,
      pulled_at: null,
      pushed_at: null,
      is_repo_starred: false,
      build_config: null,
      tag_count: 0,
      link: null,
    });
    expect(repo.created_at).toMatch(ISO_MS);
  });

  it('uses the real clock by default: ISO 8601 UTC with milliseconds', async () => {
    const registry = createRegistry(h.store);
    const before = Date.now();
    const repo = await registry.createRepo('clock', { repo_name: 'now' });
    expect(repo.created_at).toMatch(ISO_MS);
    expect(Date.parse(repo.created_at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(repo.created_at)).toBeLessThanOrEqual(Date.now());
  });

  it('defaults is_public to true and description to empty; keeps a private flag', async () => {
    expect(await h.registry.createRepo('ns', { repo_name: 'plain' })).toMatchObject({
      is_public: true,
      description: '',
      full_description: '',
    });
    expect(await h.registry.createRepo('ns', { repo_name: 'hidden', is_public: false })).toMatchObject({ is_public: false });
  });

  it('creates the namespace with the first repo in it', async () => {
    const at = h.clock.peek();
    await h.registry.createRepo('fresh', { repo_name: 'first' });
    expect(await h.registry.getNamespace(TOKEN_HOLDER, 'fresh')).toEqual({ namespace: 'fresh', repo_count: 1, created_at: at });
  });

  it('refuses a body namespace that differs from the path', async () => {
    const err = await expectCode(h.registry.createRepo('madams', { repo_name: 'repo', namespace: 'other' }), 'validation_error');
    expect(Object.keys(err.errors ?? {})).toEqual(['namespace']);
    await expectCode(h.registry.getNamespace(TOKEN_HOLDER, 'madams'), 'not_found');
  });

  it('refuses a duplicate repo as a conflict', async () => {
    await h.registry.createRepo('ns', { repo_name: 'dup' });
    await expectCode(h.registry.createRepo('ns', { repo_name: 'dup' }), 'conflict');
  });

  it('refuses unknown or read-only fields instead of ignoring them', async () => {
    const input = { repo_name: 'x1', download: 5 } as unknown as Parameters<typeof h.registry.createRepo>[1];
    const err = await expectCode(h.registry.createRepo('ns', input), 'validation_error');
    expect(Object.keys(err.errors ?? {})).toEqual(['download']);
  });

  it('names every bad field at once', async () => {
    const err = await expectCode(
      h.registry.createRepo('ns', { repo_name: 'X', description: 'd'.repeat(101), full_description: 'f'.repeat(25_001) }),
      'validation_error',
    );
    expect(err.errors).toEqual({
      repo_name: [MESSAGES.nameTooShort],
      description: ['Must be at most 100 characters (this is 101).'],
      full_description: ['Must be at most 25,000 characters (this is 25,001).'],
    });
  });

  it('requires repo_name, and a valid namespace in the path', async () => {
    const missing = {} as Parameters<typeof h.registry.createRepo>[1];
    expect((await expectCode(h.registry.createRepo('ns', missing), 'validation_error')).errors).toHaveProperty('repo_name');
    expect((await expectCode(h.registry.createRepo('-ns', { repo_name: 'ok' }), 'validation_error')).errors).toEqual({
      namespace: [MESSAGES.nameEdges],
    });
  });

  it('reports a repo_path over 255 characters under repo_name', async () => {
    const ns = 'n'.repeat(200);
    const err = await expectCode(h.registry.createRepo(ns, { repo_name: 'r'.repeat(55) }), 'validation_error');
    expect(err.errors).toEqual({
      repo_name: ['The repository path (namespace/name) must be at most 255 characters (this is 256); choose a shorter name.'],
    });
    const ok = await h.registry.createRepo(ns, { repo_name: 'r'.repeat(54) });
    expect(ok.repo_path).toHaveLength(255);
  });

  it('accepts descriptions at their limits', async () => {
    const repo = await h.registry.createRepo('ns', {
      repo_name: 'full',
      description: 'd'.repeat(100),
      full_description: 'f'.repeat(25_000),
    });
    expect(repo.description).toHaveLength(100);
    expect(repo.full_description).toHaveLength(25_000);
  });
});

describe('updating and deleting repos', () => {
  it('changes the given fields and updated_at, never created_at', async () => {
    const created = await h.registry.createRepo('ns', { repo_name: 'app', description: 'old' });
    h.clock.advance(1000);
    const at = h.clock.peek();
    const updated = await h.registry.updateRepo('ns', 'app', { description: 'new', is_public: false, full_description: '# Hi' });
    expect(updated).toMatchObject({
      description: 'new',
      is_public: false,
      full_description: '# Hi',
      created_at: created.created_at,
      updated_at: at,
    });
    const partial = await h.registry.updateRepo('ns', 'app', { description: '' });
    expect(partial).toMatchObject({ description: '', is_public: false, full_description: '# Hi' });
    await h.reopen();
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toEqual(partial);
  });

  it('refuses read-only fields and bad values', async () => {
    await h.registry.createRepo('ns', { repo_name: 'app' });
    for (const field of ['repo_name', 'upload', 'namespace', 'created_at']) {
      const patch = { [field]: 'x' } as Parameters<typeof h.registry.updateRepo>[2];
      expect(Object.keys((await expectCode(h.registry.updateRepo('ns', 'app', patch), 'validation_error')).errors ?? {})).toEqual([field]);
    }
    const bad = { is_public: 'yes' } as unknown as Parameters<typeof h.registry.updateRepo>[2];
    expect((await expectCode(h.registry.updateRepo('ns', 'app', bad), 'validation_error')).errors).toEqual({
      is_public: [MESSAGES.notBoolean],
    });
    await expectCode(h.registry.updateRepo('ns', 'app', { description: 'd'.repeat(101) }), 'validation_error');
  });

  it('answers not_found when updating or deleting a repo that does not exist', async () => {
    await expectCode(h.registry.updateRepo('ns', 'ghost', { description: 'x' }), 'not_found');
    await expectCode(h.registry.deleteRepo('ns', 'ghost'), 'not_found');
    await h.registry.createRepo('ns', { repo_name: 'real' });
    await expectCode(h.registry.deleteRepo('ns', 'ghost'), 'not_found');
  });

  it('deletes a repo with its tags, for good', async () => {
    await h.registry.createRepo('ns', { repo_name: 'gone' });
    await h.registry.putTag('ns', 'gone', 'latest', HEX_A);
    await h.registry.deleteRepo('ns', 'gone');
    await expectCode(h.registry.getRepo(TOKEN_HOLDER, 'ns', 'gone'), 'not_found');
    await expectCode(h.registry.listTags(TOKEN_HOLDER, 'ns', 'gone'), 'not_found');
    await h.reopen();
    await expectCode(h.registry.getRepo(TOKEN_HOLDER, 'ns', 'gone'), 'not_found');
    expect((await h.registry.getNamespace(TOKEN_HOLDER, 'ns')).repo_count).toBe(0);
  });
});

describe('tags, pushes and pulls', () => {
  beforeEach(async () => {
    await h.registry.createRepo('ns', { repo_name: 'app' });
    h.clock.advance(1000);
  });

  it('a new tag is a push: upload + 1, pushed_at and updated_at now, created', async () => {
    const at = h.clock.peek();
    const result = await h.registry.putTag('ns', 'app', 'latest', HEX_A);
    expect(result).toEqual({ created: true, tag: { tag: 'latest', image_id: HEX_A, created_at: at, updated_at: at } });
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toMatchObject({
      upload: 1,
      download: 0,
      pushed_at: at,
      updated_at: at,
      pulled_at: null,
      tag_count: 1,
    });
  });

  it('moving a tag keeps its created_at and changes updated_at', async () => {
    const first = await h.registry.putTag('ns', 'app', 'latest', HEX_A);
    h.clock.advance(1000);
    const at = h.clock.peek();
    const moved = await h.registry.putTag('ns', 'app', 'latest', `sha256:${HEX_B}`);
    expect(moved).toEqual({ created: false, tag: { tag: 'latest', image_id: HEX_B, created_at: first.tag.created_at, updated_at: at } });
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toMatchObject({ upload: 2, pushed_at: at, updated_at: at });
  });

  it('pushing the same image again counts a push but is not an update of the repo', async () => {
    const first = await h.registry.putTag('ns', 'app', 'latest', HEX_A);
    h.clock.advance(1000);
    const at = h.clock.peek();
    const again = await h.registry.putTag('ns', 'app', 'latest', HEX_A);
    expect(again.created).toBe(false);
    expect(again.tag.updated_at).toBe(at);
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toMatchObject({
      upload: 2,
      pushed_at: at,
      updated_at: first.tag.updated_at,
    });
  });

  it('strips sha256: and refuses bad image ids and tags', async () => {
    expect((await h.registry.putTag('ns', 'app', 'v1', `sha256:${HEX_A}`)).tag.image_id).toBe(HEX_A);
    expect((await expectCode(h.registry.putTag('ns', 'app', 'v2', HEX_A.toUpperCase()), 'validation_error')).errors).toEqual({
      image_id: [MESSAGES.imageIdUppercase],
    });
    expect((await expectCode(h.registry.putTag('ns', 'app', '-bad', HEX_A), 'validation_error')).errors).toEqual({
      tag: [MESSAGES.tagStart],
    });
    expect((await expectCode(h.registry.putTag('ns', 'app', 't'.repeat(129), HEX_A), 'validation_error')).errors).toEqual({
      tag: ['Must be at most 128 characters (this is 129).'],
    });
    await expectCode(h.registry.putTag('ns', 'ghost', 'v1', HEX_A), 'not_found');
    await expectCode(h.registry.putTag('nobody', 'app', 'v1', HEX_A), 'not_found');
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).upload).toBe(1);
  });

  it('lists tags most recently pushed first, ties by tag name', async () => {
    const fixed = '2026-06-01T00:00:00.000Z';
    const sameTime = createRegistry(h.store, { now: () => fixed });
    await sameTime.putTag('ns', 'app', 'zz', HEX_A);
    await sameTime.putTag('ns', 'app', 'aa', HEX_A);
    await h.registry.putTag('ns', 'app', 'old', HEX_A); // clock is in 2026-01: older
    const later = createRegistry(h.store, { now: () => '2026-07-01T00:00:00.000Z' });
    await later.putTag('ns', 'app', 'newest', HEX_B);
    expect((await h.registry.listTags(TOKEN_HOLDER, 'ns', 'app')).map((t) => t.tag)).toEqual(['newest', 'aa', 'zz', 'old']);
    // Re-pushing an old tag brings it to the top.
    await createRegistry(h.store, { now: () => '2026-08-01T00:00:00.000Z' }).putTag('ns', 'app', 'old', HEX_A);
    expect((await h.registry.listTags(TOKEN_HOLDER, 'ns', 'app')).map((t) => t.tag)[0]).toBe('old');
  });

  it('gets one tag, and answers not_found for a missing one', async () => {
    const put = await h.registry.putTag('ns', 'app', 'v1', HEX_A);
    // A tag pushed over the API has no registry details; its source is the pusher.
    expect(await h.registry.getTag(TOKEN_HOLDER, 'ns', 'app', 'v1')).toEqual({
      ...put.tag,
      digest: null,
      media_type: null,
      size: null,
      platforms: [],
      image_created: null,
      source: 'api',
    });
    await expectCode(h.registry.getTag(TOKEN_HOLDER, 'ns', 'app', 'v2'), 'not_found');
    await expectCode(h.registry.getTag(TOKEN_HOLDER, 'ns', 'app', '..'), 'not_found');
  });

  it('deleting a tag updates the repo; a missing tag is not_found', async () => {
    await h.registry.putTag('ns', 'app', 'v1', HEX_A);
    await h.registry.putTag('ns', 'app', 'v2', HEX_A);
    h.clock.advance(1000);
    const at = h.clock.peek();
    await h.registry.deleteTag('ns', 'app', 'v1');
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toMatchObject({ updated_at: at, tag_count: 1, upload: 2 });
    expect((await h.registry.listTags(TOKEN_HOLDER, 'ns', 'app')).map((t) => t.tag)).toEqual(['v2']);
    await expectCode(h.registry.deleteTag('ns', 'app', 'v1'), 'not_found');
    await expectCode(h.registry.deleteTag('ns', 'ghost', 'v1'), 'not_found');
  });

  it('a pull counts a download and its time, and changes nothing else', async () => {
    const pushed = await h.registry.putTag('ns', 'app', 'latest', HEX_A);
    h.clock.advance(1000);
    const at = h.clock.peek();
    const repo = await h.registry.recordPull('ns', 'app', 'latest');
    expect(repo).toMatchObject({
      download: 1,
      pulled_at: at,
      upload: 1,
      updated_at: pushed.tag.updated_at,
      pushed_at: pushed.tag.updated_at,
    });
    expect((await h.registry.recordPull('ns', 'app', 'latest')).download).toBe(2);
    await expectCode(h.registry.recordPull('ns', 'app', 'missing'), 'not_found');
    await expectCode(h.registry.recordPull('ns', 'ghost', 'latest'), 'not_found');
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).download).toBe(2);
  });

  it('stars are idempotent, count the local user only, and leave updated_at alone', async () => {
    const before = await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app');
    expect(await h.registry.setStar('ns', 'app', true)).toEqual({ repo_starred_count: 1, is_repo_starred: true });
    expect(await h.registry.setStar('ns', 'app', true)).toEqual({ repo_starred_count: 1, is_repo_starred: true });
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toMatchObject({
      repo_starred_count: 1,
      is_repo_starred: true,
      updated_at: before.updated_at,
    });
    await h.reopen();
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).repo_starred_count).toBe(1);
    expect(await h.registry.setStar('ns', 'app', false)).toEqual({ repo_starred_count: 0, is_repo_starred: false });
    expect(await h.registry.setStar('ns', 'app', false)).toEqual({ repo_starred_count: 0, is_repo_starred: false });
    await expectCode(h.registry.setStar('ns', 'ghost', true), 'not_found');
  });

  it('counters and times survive a restart', async () => {
    await h.registry.putTag('ns', 'app', 'latest', HEX_A);
    await h.registry.recordPull('ns', 'app', 'latest');
    const before = await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app');
    const tags = await h.registry.listTags(TOKEN_HOLDER, 'ns', 'app');
    await h.reopen();
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toEqual(before);
    expect(await h.registry.listTags(TOKEN_HOLDER, 'ns', 'app')).toEqual(tags);
  });
});

describe('visibility', () => {
  beforeEach(async () => {
    await h.registry.createRepo('ns', { repo_name: 'public-app', description: 'shared' });
    await h.registry.createRepo('ns', { repo_name: 'private-app', description: 'shared', is_public: false });
    await h.registry.putTag('ns', 'private-app', 'latest', HEX_A);
  });

  it('an anonymous reader cannot see a private repo, nor tell it exists', async () => {
    const hidden = await expectCode(h.registry.getRepo(ANONYMOUS, 'ns', 'private-app'), 'not_found');
    const missing = await expectCode(h.registry.getRepo(ANONYMOUS, 'ns', 'no-such-app'), 'not_found');
    expect(hidden.message.replace('private-app', 'X')).toBe(missing.message.replace('no-such-app', 'X'));
    await expectCode(h.registry.listTags(ANONYMOUS, 'ns', 'private-app'), 'not_found');
    await expectCode(h.registry.getTag(ANONYMOUS, 'ns', 'private-app', 'latest'), 'not_found');
  });

  it('lists, counts and search leave private repos out for anonymous readers', async () => {
    const anon = await h.registry.listRepos(ANONYMOUS, 'ns', {});
    expect(anon.count).toBe(1);
    expect(anon.results.map((r) => r.repo_name)).toEqual(['public-app']);
    expect((await h.registry.listRepos(ANONYMOUS, 'ns', { is_public: false })).count).toBe(0);
    expect((await h.registry.getNamespace(ANONYMOUS, 'ns')).repo_count).toBe(1);
    const search = await h.registry.search(ANONYMOUS, { q: 'shared' });
    expect(search.results.map((r) => r.name)).toEqual(['ns/public-app']);
  });

  it('the token holder sees everything', async () => {
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'private-app')).is_public).toBe(false);
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'ns', {})).count).toBe(2);
    expect((await h.registry.getNamespace(TOKEN_HOLDER, 'ns')).repo_count).toBe(2);
    expect((await h.registry.search(TOKEN_HOLDER, { q: 'shared' })).num_results).toBe(2);
    expect(await h.registry.listTags(TOKEN_HOLDER, 'ns', 'private-app')).toHaveLength(1);
  });

  it('making a repo public shows it to anonymous readers at once', async () => {
    await h.registry.updateRepo('ns', 'private-app', { is_public: true });
    expect((await h.registry.listRepos(ANONYMOUS, 'ns', {})).count).toBe(2);
    expect((await h.registry.getNamespace(ANONYMOUS, 'ns')).repo_count).toBe(2);
  });
});

describe('namespaces that hold only private repos', () => {
  beforeEach(async () => {
    await h.registry.createRepo('open', { repo_name: 'app' });
    await h.registry.createRepo('open', { repo_name: 'secret-plan', is_public: false });
    await h.registry.createRepo('secret-org', { repo_name: 'launch-codes', description: 'shh', is_public: false });
    await h.registry.createNamespace('empty');
  });

  it('do not exist for an anonymous reader: not listed, not counted, not found, not searched', async () => {
    const list = await h.registry.listNamespaces(ANONYMOUS, {});
    expect(list.results.map((n) => n.namespace)).toEqual(['empty', 'open']);
    expect(list.count).toBe(2);
    const asMissing = await expectCode(h.registry.getNamespace(ANONYMOUS, 'secret-org'), 'not_found');
    const missing = await expectCode(h.registry.getNamespace(ANONYMOUS, 'no-such-org'), 'not_found');
    expect(asMissing.message.replace('secret-org', 'X')).toBe(missing.message.replace('no-such-org', 'X'));
    await expectCode(h.registry.listRepos(ANONYMOUS, 'secret-org', {}), 'not_found');
    expect((await h.registry.search(ANONYMOUS, { q: 'secret' })).num_results).toBe(0);
    expect((await h.registry.search(ANONYMOUS, { q: 'shh' })).num_results).toBe(0);
  });

  it('are there for the token holder, and for everyone once one of their repos is public', async () => {
    expect((await h.registry.listNamespaces(TOKEN_HOLDER, {})).count).toBe(3);
    expect((await h.registry.getNamespace(TOKEN_HOLDER, 'secret-org')).repo_count).toBe(1);
    await h.registry.updateRepo('secret-org', 'launch-codes', { is_public: true });
    expect((await h.registry.listNamespaces(ANONYMOUS, {})).count).toBe(3);
    expect((await h.registry.getNamespace(ANONYMOUS, 'secret-org')).repo_count).toBe(1);
  });
});

describe('an update that changes nothing', () => {
  it('leaves updated_at alone and announces no change (fields given as undefined, or equal to the stored ones)', async () => {
    const created = await h.registry.createRepo('ns', { repo_name: 'app', description: 'same' });
    const events: ChangeEvent[] = [];
    h.registry.onChange((e) => events.push(e));
    h.clock.advance(60_000);
    for (const patch of [{ description: undefined }, { description: 'same' }, { description: undefined, is_public: true }]) {
      const after = await h.registry.updateRepo('ns', 'app', patch);
      expect(after.updated_at).toBe(created.updated_at);
    }
    expect(events).toEqual([]);
    expect((await h.registry.updateRepo('ns', 'app', { description: 'changed' })).updated_at).not.toBe(created.updated_at);
    expect(events).toHaveLength(1);
  });
});

describe('paging, ordering and filters', () => {
  async function seed(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await h.registry.createRepo('many', { repo_name: `repo-${String(i).padStart(2, '0')}` });
  }

  it('pages by 10 by default and refuses pages past the last', async () => {
    await seed(25);
    const p1 = await h.registry.listRepos(TOKEN_HOLDER, 'many', {});
    expect(p1).toMatchObject({ count: 25, page: 1, page_size: 10, num_pages: 3 });
    expect(p1.results.map((r) => r.repo_name)[0]).toBe('repo-00');
    const p3 = await h.registry.listRepos(TOKEN_HOLDER, 'many', { page: 3 });
    expect(p3.results.map((r) => r.repo_name)).toEqual(['repo-20', 'repo-21', 'repo-22', 'repo-23', 'repo-24']);
    const err = await expectCode(h.registry.listRepos(TOKEN_HOLDER, 'many', { page: 4 }), 'not_found');
    expect(err.message).toBe('Invalid page.');
  });

  it('clamps page_size above 100 to 100', async () => {
    await h.registry.createRepo('many', { repo_name: 'only' });
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'many', { page_size: 1000 })).page_size).toBe(100);
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'many', { page_size: 100 })).page_size).toBe(100);
    expect((await h.registry.listNamespaces(TOKEN_HOLDER, { page_size: 101 })).page_size).toBe(100);
  });

  it('refuses a page or page_size that is not a positive whole number', async () => {
    await h.registry.createRepo('many', { repo_name: 'only' });
    for (const query of [{ page: 0 }, { page: -1 }, { page: 1.5 }, { page_size: 0 }]) {
      const err = await expectCode(h.registry.listRepos(TOKEN_HOLDER, 'many', query), 'validation_error');
      expect(Object.keys(err.errors ?? {})).toEqual(Object.keys(query));
    }
  });

  it('answers page 1 of an empty list, and not_found for page 2', async () => {
    await h.registry.createNamespace('empty');
    expect(await h.registry.listRepos(TOKEN_HOLDER, 'empty', {})).toEqual({ count: 0, page: 1, page_size: 10, num_pages: 0, results: [] });
    expect((await expectCode(h.registry.listRepos(TOKEN_HOLDER, 'empty', { page: 2 }), 'not_found')).message).toBe('Invalid page.');
  });

  it('orders by name, last update, pulls and stars, ties by name', async () => {
    // b is updated last, c pulled twice, a pulled once, c starred; d untouched.
    for (const name of ['dd', 'cc', 'bb', 'aa']) await h.registry.createRepo('oo', { repo_name: name });
    for (const name of ['aa', 'cc']) await h.registry.putTag('oo', name, 'latest', HEX_A);
    await h.registry.recordPull('oo', 'cc', 'latest');
    await h.registry.recordPull('oo', 'cc', 'latest');
    await h.registry.recordPull('oo', 'aa', 'latest');
    await h.registry.setStar('oo', 'cc', true);
    await h.registry.updateRepo('oo', 'bb', { description: 'touched' });
    const order = async (ordering: Parameters<typeof h.registry.listRepos>[2]['ordering']) =>
      (await h.registry.listRepos(TOKEN_HOLDER, 'oo', { ordering })).results.map((r) => r.repo_name);
    expect(await order(undefined)).toEqual(['aa', 'bb', 'cc', 'dd']);
    expect(await order('name')).toEqual(['aa', 'bb', 'cc', 'dd']);
    expect(await order('-name')).toEqual(['dd', 'cc', 'bb', 'aa']);
    // updated_at: dd < aa(push) ... creation order dd, cc, bb, aa; then pushes aa, cc; then bb edited.
    expect(await order('last_updated')).toEqual(['dd', 'aa', 'cc', 'bb']);
    expect(await order('-last_updated')).toEqual(['bb', 'cc', 'aa', 'dd']);
    expect(await order('pull_count')).toEqual(['bb', 'dd', 'aa', 'cc']);
    expect(await order('-pull_count')).toEqual(['cc', 'aa', 'bb', 'dd']);
    expect(await order('star_count')).toEqual(['aa', 'bb', 'dd', 'cc']);
    expect(await order('-star_count')).toEqual(['cc', 'aa', 'bb', 'dd']);
  });

  it('refuses an unknown ordering', async () => {
    await h.registry.createRepo('oo', { repo_name: 'aa' });
    const query = { ordering: 'size' } as unknown as Parameters<typeof h.registry.listRepos>[2];
    expect(Object.keys((await expectCode(h.registry.listRepos(TOKEN_HOLDER, 'oo', query), 'validation_error')).errors ?? {})).toEqual([
      'ordering',
    ]);
  });

  it('filters by a case-insensitive substring of name or description, and by visibility', async () => {
    await h.registry.createRepo('ff', { repo_name: 'web-server', description: 'Nginx build' });
    await h.registry.createRepo('ff', { repo_name: 'db', description: 'PostgreSQL for the WEB app', is_public: false });
    await h.registry.createRepo('ff', { repo_name: 'cache', description: 'redis' });
    const names = async (query: Parameters<typeof h.registry.listRepos>[2]) =>
      (await h.registry.listRepos(TOKEN_HOLDER, 'ff', query)).results.map((r) => r.repo_name);
    expect(await names({ name: 'WEB' })).toEqual(['db', 'web-server']);
    expect(await names({ name: 'nginx' })).toEqual(['web-server']);
    expect(await names({ name: 'zzz' })).toEqual([]);
    expect(await names({ is_public: false })).toEqual(['db']);
    expect(await names({ is_public: true })).toEqual(['cache', 'web-server']);
    expect(await names({ name: 'web', is_public: true, ordering: '-name' })).toEqual(['web-server']);
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'ff', { name: 'e' })).count).toBe(3);
  });

  it('sees a write in the next page it lists (no stale cached order)', async () => {
    await seed(3);
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'many', { ordering: '-name' })).results[0]?.repo_name).toBe('repo-02');
    await h.registry.createRepo('many', { repo_name: 'repo-99' });
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'many', { ordering: '-name' })).results[0]?.repo_name).toBe('repo-99');
    await h.registry.deleteRepo('many', 'repo-99');
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'many', { ordering: '-name' })).results[0]?.repo_name).toBe('repo-02');
  });
});

describe('search', () => {
  beforeEach(async () => {
    await h.registry.createRepo('madams', { repo_name: 'webapp', description: 'The front end' });
    await h.registry.createRepo('madams', { repo_name: 'tools', description: 'Build TOOLS for web' });
    await h.registry.createRepo('zed', { repo_name: 'redis', description: 'cache' });
    await h.registry.putTag('zed', 'redis', 'latest', HEX_A);
    await h.registry.recordPull('zed', 'redis', 'latest');
    await h.registry.setStar('zed', 'redis', true);
  });

  it('matches namespace/repo and description, case-insensitively, across namespaces', async () => {
    const web = await h.registry.search(TOKEN_HOLDER, { q: 'WEB' });
    expect(web.results.map((r) => r.name)).toEqual(['madams/tools', 'madams/webapp']);
    expect((await h.registry.search(TOKEN_HOLDER, { q: 'madams/we' })).results.map((r) => r.name)).toEqual(['madams/webapp']);
    expect((await h.registry.search(TOKEN_HOLDER, { q: 's/t' })).results.map((r) => r.name)).toEqual(['madams/tools']);
    const redis = await h.registry.search(TOKEN_HOLDER, { q: 'zed/' });
    expect(redis).toEqual({
      num_results: 1,
      num_pages: 1,
      page: 1,
      page_size: 10,
      query: 'zed/',
      results: [{ name: 'zed/redis', description: 'cache', is_public: true, star_count: 1, pull_count: 1 }],
    });
  });

  it('answers an empty page 1 when nothing matches', async () => {
    expect(await h.registry.search(TOKEN_HOLDER, { q: 'nothing-like-this' })).toEqual({
      num_results: 0,
      num_pages: 0,
      page: 1,
      page_size: 10,
      query: 'nothing-like-this',
      results: [],
    });
  });

  it('pages its results like lists', async () => {
    const p2 = await h.registry.search(TOKEN_HOLDER, { q: '', page: 2, page_size: 2 });
    expect(p2).toMatchObject({ num_results: 3, num_pages: 2, page: 2, page_size: 2 });
    expect(p2.results.map((r) => r.name)).toEqual(['zed/redis']);
    await expectCode(h.registry.search(TOKEN_HOLDER, { q: 'web', page: 2 }), 'not_found');
  });

  it('finds repos written after an earlier search', async () => {
    expect((await h.registry.search(TOKEN_HOLDER, { q: 'newcomer' })).num_results).toBe(0);
    await h.registry.createRepo('other', { repo_name: 'newcomer' });
    expect((await h.registry.search(TOKEN_HOLDER, { q: 'newcomer' })).num_results).toBe(1);
  });
});

describe('names that look like JavaScript internals', () => {
  it('constructor, tostring, prototype and hasownproperty are plain names that persist', async () => {
    const names = ['constructor', 'tostring', 'prototype', 'hasownproperty', 'valueof'];
    for (const ns of names) {
      await h.registry.createNamespace(ns);
      for (const repo of names) {
        await h.registry.createRepo(ns, { repo_name: repo, description: `${ns}/${repo}` });
        await h.registry.putTag(ns, repo, 'constructor', HEX_A);
        await h.registry.putTag(ns, repo, '__proto__', HEX_B);
      }
    }
    await h.reopen();
    expect((await h.registry.listNamespaces(TOKEN_HOLDER, {})).results.map((n) => [n.namespace, n.repo_count])).toEqual(
      [...names].sort().map((n) => [n, names.length]),
    );
    const repo = await h.registry.getRepo(TOKEN_HOLDER, 'constructor', 'prototype');
    expect(repo.description).toBe('constructor/prototype');
    expect((await h.registry.listTags(TOKEN_HOLDER, 'tostring', 'constructor')).map((t) => t.tag).sort()).toEqual([
      '__proto__',
      'constructor',
    ]);
    expect((await h.registry.getTag(TOKEN_HOLDER, 'valueof', 'hasownproperty', '__proto__')).image_id).toBe(HEX_B);
    // Nothing leaked into the prototypes of plain objects.
    expect(({} as Record<string, unknown>).image_id).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'image_id')).toBe(false);
    expect(typeof ({} as { constructor: unknown }).constructor).toBe('function');
  });

  it('__proto__ is not a valid namespace or repo name, and looking it up finds nothing', async () => {
    expect((await expectCode(h.registry.createNamespace('__proto__'), 'validation_error')).errors).toEqual({
      namespace: [MESSAGES.nameEdges],
    });
    expect((await expectCode(h.registry.createRepo('ns', { repo_name: '__proto__' }), 'validation_error')).errors).toEqual({
      repo_name: [MESSAGES.nameEdges],
    });
    await h.registry.createRepo('ns', { repo_name: 'real' });
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await expectCode(h.registry.getNamespace(TOKEN_HOLDER, name), 'not_found');
      await expectCode(h.registry.getRepo(TOKEN_HOLDER, 'ns', name), 'not_found');
      await expectCode(h.registry.getRepo(TOKEN_HOLDER, name, 'real'), 'not_found');
    }
    await expectCode(h.registry.getTag(TOKEN_HOLDER, 'ns', 'real', '__proto__'), 'not_found');
    await expectCode(h.registry.getTag(TOKEN_HOLDER, 'ns', 'real', 'constructor'), 'not_found');
  });
});

describe('change events', () => {
  it('emits one event per write, after the write is on disk', async () => {
    const events: ChangeEvent[] = [];
    const onDisk: boolean[] = [];
    // On disk = in the store's write-ahead journal, which its checkpoints copy into repo files.
    const journal = join(h.dir, 'journal');
    const inJournal = (text: string) => readdirSync(journal).some((f) => readFileSync(join(journal, f), 'utf8').includes(text));
    const off = h.registry.onChange((e) => {
      events.push(e);
      if (e.entity === 'tag' && e.action === 'created') onDisk.push(inJournal(HEX_A));
    });
    await h.registry.createNamespace('ns');
    await h.registry.createRepo('ns', { repo_name: 'app' });
    await h.registry.updateRepo('ns', 'app', { description: 'x' });
    await h.registry.putTag('ns', 'app', 'v1', HEX_A);
    await h.registry.putTag('ns', 'app', 'v1', HEX_B);
    await h.registry.recordPull('ns', 'app', 'v1');
    await h.registry.setStar('ns', 'app', true);
    await h.registry.deleteTag('ns', 'app', 'v1');
    await h.registry.deleteRepo('ns', 'app');
    await h.registry.deleteNamespace('ns');
    expect(events).toEqual([
      { entity: 'namespace', action: 'created', namespace: 'ns' },
      { entity: 'repo', action: 'created', namespace: 'ns', repo_name: 'app' },
      { entity: 'repo', action: 'updated', namespace: 'ns', repo_name: 'app' },
      { entity: 'tag', action: 'created', namespace: 'ns', repo_name: 'app', tag: 'v1' },
      { entity: 'tag', action: 'updated', namespace: 'ns', repo_name: 'app', tag: 'v1' },
      { entity: 'repo', action: 'updated', namespace: 'ns', repo_name: 'app' },
      { entity: 'repo', action: 'updated', namespace: 'ns', repo_name: 'app' },
      { entity: 'tag', action: 'deleted', namespace: 'ns', repo_name: 'app', tag: 'v1' },
      { entity: 'repo', action: 'deleted', namespace: 'ns', repo_name: 'app' },
      { entity: 'namespace', action: 'deleted', namespace: 'ns' },
    ]);
    expect(onDisk).toEqual([true]);
    off();
    await h.registry.createNamespace('quiet');
    expect(events).toHaveLength(10);
  });

  it('emits nothing for a refused write, and a failing listener does not fail the write', async () => {
    const events: ChangeEvent[] = [];
    h.registry.onChange(() => {
      throw new Error('listener bug');
    });
    h.registry.onChange((e) => events.push(e));
    await h.registry.createRepo('ns', { repo_name: 'app' });
    await expectCode(h.registry.createRepo('ns', { repo_name: 'app' }), 'conflict');
    await expectCode(h.registry.deleteRepo('ns', 'ghost'), 'not_found');
    await h.registry.setStar('ns', 'app', false); // already unstarred: nothing written
    expect(events).toEqual([{ entity: 'repo', action: 'created', namespace: 'ns', repo_name: 'app' }]);
  });
});

describe('concurrent writes', () => {
  it('applies every one of many simultaneous pushes, each counted once', async () => {
    await h.registry.createRepo('ns', { repo_name: 'busy' });
    await h.registry.createRepo('ns', { repo_name: 'other' });
    const pushes = Array.from({ length: 60 }, (_, i) => h.registry.putTag('ns', i % 2 ? 'busy' : 'other', `t${i}`, HEX_A));
    const dupes = [h.registry.createRepo('ns', { repo_name: 'new1' }), h.registry.createRepo('ns', { repo_name: 'new1' })];
    const results = await Promise.allSettled([...pushes, ...dupes]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'busy')).upload).toBe(30);
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'other')).tag_count).toBe(30);
    await h.reopen();
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'ns', 'busy')).tag_count).toBe(30);
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'ns', {})).count).toBe(3);
  });
});

/**
 * A data folder written by the builds of store schema 1 (before history and the trash) opens in
 * this one: its files are migrated as they are read (each repo gains an id derived from its name
 * and creation time, and an empty history), a schema-1 journal record left by a crash is replayed,
 * and everything works on it, deletions to the trash included. The folder is written here exactly
 * as schema 1 wrote it: pretty JSON files, and the journal's checksummed, padded records.
 */
import { SCHEMA_VERSION } from './records';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { TOKEN_HOLDER } from '../registry/service';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { serialize } from '../files/durable-file';
import { openStore, type Store } from './index';
import { encodeRecord, padGroup } from './journal';

const HEX_A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const HEX_B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';

/** A repo file as schema 1 wrote it: every field of its day, no id, no history. */
function schema1Repo(namespace: string, repoName: string, extra: Record<string, unknown> = {}) {
  return {
    schema_version: 1,
    namespace,
    repo_name: repoName,
    description: `about ${repoName}`,
    full_description: '',
    is_public: true,
    is_automated: false,
    logo: 'default-icon.jpg',
    logo_file: '/static/images/user/default-logo.png',
    created_at: '2026-02-01T10:00:00.000Z',
    updated_at: '2026-02-02T10:00:00.000Z',
    download: 7,
    upload: 2,
    pulled_at: '2026-02-03T10:00:00.000Z',
    pushed_at: '2026-02-02T10:00:00.000Z',
    starred: true,
    tags: [{ tag: 'latest', image_id: HEX_A, created_at: '2026-02-02T10:00:00.000Z', updated_at: '2026-02-02T10:00:00.000Z' }],
    ...extra,
  };
}

let dir: string;
let store: Store | undefined;

async function writeSchema1Folder(): Promise<void> {
  await writeFile(join(dir, 'berth.json'), serialize({ schema_version: 1, created_at: '2026-02-01T09:00:00.000Z' }));
  await mkdir(join(dir, 'namespaces/acme/repos'), { recursive: true });
  await writeFile(
    join(dir, 'namespaces/acme/namespace.json'),
    serialize({ schema_version: 1, namespace: 'acme', created_at: '2026-02-01T09:00:00.000Z' }),
  );
  await writeFile(join(dir, 'namespaces/acme/repos/web.json'), serialize(schema1Repo('acme', 'web')));
  await writeFile(
    join(dir, 'namespaces/acme/repos/api.json'),
    serialize(schema1Repo('acme', 'api', { is_automated: true, build_config: { code_repo_client: 'Simple' } })),
  );
  // A crash left one acknowledged write in the journal: a new repo, not yet in its file.
  await mkdir(join(dir, 'journal'));
  const record = encodeRecord(1, [{ path: 'namespaces/acme/repos/worker.json', data: schema1Repo('acme', 'worker') }]);
  await writeFile(join(dir, 'journal/000000000001.log'), padGroup([record]));
}

beforeEach(async () => {
  dir = await makeTempDir();
  await writeSchema1Folder();
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await removeDir(dir);
});

describe('a data folder of store schema 1', () => {
  it('opens with every repo, its fields, an id and an empty history', async () => {
    store = await openStore(dir);
    expect(store.recovery.records).toBe(1);
    const registry = createRegistry(store);
    const repos = await registry.listRepos(TOKEN_HOLDER, 'acme', {});
    expect(repos.results.map((r) => r.repo_name)).toEqual(['api', 'web', 'worker']);
    expect(await registry.getRepo(TOKEN_HOLDER, 'acme', 'api')).toMatchObject({
      is_automated: true,
      build_config: { code_repo_client: 'Simple', docker_repo_path: 'acme/api' },
      download: 7,
      upload: 2,
      is_repo_starred: true,
      tag_count: 1,
    });
    expect((await registry.listRepoHistory(TOKEN_HOLDER, 'acme', 'web', {})).count).toBe(0);
    expect(store.problems).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'berth.json'), 'utf8'))).toMatchObject({ schema_version: SCHEMA_VERSION });
  });

  it('gives each old repo the same id at every read, and stores it with the first write', async () => {
    store = await openStore(dir);
    const idOf = async () => (await store?.namespace('acme'))?.repos.get('web')?.id;
    const id = await idOf();
    expect(id).toMatch(/^[0-9a-z]{26}$/);
    await store.close();
    store = await openStore(dir);
    expect(await idOf()).toBe(id);

    const registry = createRegistry(store);
    await registry.putTag('acme', 'web', 'latest', HEX_B);
    await store.close();
    const file = JSON.parse(readFileSync(join(dir, 'namespaces/acme/repos/web.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({
      schema_version: SCHEMA_VERSION,
      id,
      upload: 3,
      history: [{ action: 'tag.move', before: HEX_A, after: HEX_B }],
      history_chunks: [],
    });
    store = await openStore(dir);
    expect(await idOf()).toBe(id);
  });

  it('sends an old repo to the trash and back with its history', async () => {
    store = await openStore(dir);
    const registry = createRegistry(store);
    const before = await registry.getRepo(TOKEN_HOLDER, 'acme', 'worker');
    await registry.putTag('acme', 'worker', 'next', HEX_B);
    await registry.deleteRepo('acme', 'worker');
    await store.close();
    store = await openStore(dir);
    const reopened = createRegistry(store);
    const restored = await reopened.restoreFromTrash('acme', 'worker');
    expect(restored).toMatchObject({
      ...before,
      upload: 3,
      tag_count: 2,
      updated_at: expect.any(String) as unknown,
      pushed_at: expect.any(String) as unknown,
    });
    expect((await reopened.listRepoHistory(TOKEN_HOLDER, 'acme', 'worker', {})).results.map((e) => e.action)).toEqual([
      'repo.restore',
      'repo.delete',
      'tag.create',
    ]);
  });
});

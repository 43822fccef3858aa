/**
 * A data folder written by the builds of store schema 2 (history and the trash, before links and
 * tag details) opens in this one: each tag gains its source (the actor of its newest history
 * entry, else `api`), each repo `link: null`, a trashed repo the same, and a schema-2 journal
 * record left by a crash is replayed. The folder is written here exactly as schema 2 wrote it.
 */
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
import { SCHEMA_VERSION } from './records';

const HEX_A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const HEX_B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';
const T1 = '2026-02-02T10:00:00.000Z';
const T2 = '2026-02-03T10:00:00.000Z';
const tag = (name: string, image: string, at: string) => ({ tag: name, image_id: image, created_at: at, updated_at: at });

/** A repo file as schema 2 wrote it: an id, a history tail naming actors, tags without a source, no link. */
function schema2Repo(namespace: string, repoName: string, id: string) {
  return {
    schema_version: 2,
    namespace,
    repo_name: repoName,
    description: `about ${repoName}`,
    full_description: '',
    is_public: true,
    is_automated: false,
    logo: 'default-icon.jpg',
    logo_file: '/static/images/user/default-logo.png',
    created_at: '2026-02-01T10:00:00.000Z',
    updated_at: T2,
    download: 3,
    upload: 3,
    pulled_at: null,
    pushed_at: T2,
    starred: false,
    tags: [tag('latest', HEX_B, T1), tag('1.0', HEX_A, T1), tag('old', HEX_A, T1)],
    id,
    history: [
      { id: '01kh0000000000000000000001', at: T1, actor: 'api', action: 'tag.create', tag: 'latest', before: null, after: HEX_A },
      { id: '01kh0000000000000000000002', at: T1, actor: 'api', action: 'tag.create', tag: '1.0', before: null, after: HEX_A },
      { id: '01kh0000000000000000000003', at: T2, actor: 'window', action: 'tag.move', tag: 'latest', before: HEX_A, after: HEX_B },
    ],
    history_chunks: [],
  };
}

let dir: string;
let store: Store | undefined;

async function writeSchema2Folder(): Promise<void> {
  await writeFile(join(dir, 'berth.json'), serialize({ schema_version: 2, created_at: '2026-02-01T09:00:00.000Z' }));
  await mkdir(join(dir, 'namespaces/acme/repos'), { recursive: true });
  await mkdir(join(dir, 'trash'));
  await writeFile(
    join(dir, 'namespaces/acme/namespace.json'),
    serialize({ schema_version: 2, namespace: 'acme', created_at: '2026-02-01T09:00:00.000Z' }),
  );
  await writeFile(join(dir, 'namespaces/acme/repos/web.json'), serialize(schema2Repo('acme', 'web', '01kh00000000000000000000aa')));
  const { schema_version: _v, namespace: _ns, ...gone } = schema2Repo('acme', 'gone', '01kh00000000000000000000bb');
  await writeFile(
    join(dir, 'trash/01kh00000000000000000000bb.json'),
    serialize({ schema_version: 2, namespace: 'acme', deleted_at: T2, expires_at: '2999-01-01T00:00:00.000Z', repo: gone }),
  );
  // A crash left one acknowledged write in the journal: a new repo, not yet in its file.
  await mkdir(join(dir, 'journal'));
  const record = encodeRecord(1, [
    { path: 'namespaces/acme/repos/worker.json', data: schema2Repo('acme', 'worker', '01kh00000000000000000000cc') },
  ]);
  await writeFile(join(dir, 'journal/000000000001.log'), padGroup([record]));
}

beforeEach(async () => {
  dir = await makeTempDir();
  await writeSchema2Folder();
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await removeDir(dir);
});

describe('a data folder of store schema 2', () => {
  it('opens with every repo unlinked and each tag sourced from its newest history entry', async () => {
    store = await openStore(dir);
    expect(store.recovery.records).toBe(1);
    expect(store.problems).toEqual([]);
    const registry = createRegistry(store);
    const repos = await registry.listRepos(TOKEN_HOLDER, 'acme', {});
    expect(repos.results.map((r) => [r.repo_name, r.link, r.tag_count])).toEqual([
      ['web', null, 3],
      ['worker', null, 3],
    ]);
    const latest = await registry.getTag(TOKEN_HOLDER, 'acme', 'web', 'latest');
    expect(latest).toEqual({
      ...tag('latest', HEX_B, T1),
      digest: null,
      media_type: null,
      size: null,
      platforms: [],
      image_created: null,
      source: 'window',
    });
    expect((await registry.getTag(TOKEN_HOLDER, 'acme', 'web', '1.0')).source).toBe('api');
    // No entry names it (older than the history): pushed over the API, the only door then.
    expect((await registry.getTag(TOKEN_HOLDER, 'acme', 'worker', 'old')).source).toBe('api');
    // The seed's tag list is unchanged.
    expect(await registry.listTags(TOKEN_HOLDER, 'acme', 'web')).toHaveLength(3);
  });

  it('restores a trashed schema-2 repo with its tags sourced', async () => {
    store = await openStore(dir);
    const registry = createRegistry(store);
    const restored = await registry.restoreFromTrash('acme', 'gone');
    expect(restored).toMatchObject({ repo_name: 'gone', link: null, tag_count: 3 });
    expect((await registry.getTag(TOKEN_HOLDER, 'acme', 'gone', 'latest')).source).toBe('window');
  });

  it('writes schema 3 with the first change, and reads the same after', async () => {
    store = await openStore(dir);
    await createRegistry(store).putTag('acme', 'web', 'next', HEX_A);
    await store.close();
    store = undefined;
    expect(JSON.parse(readFileSync(join(dir, 'berth.json'), 'utf8'))).toMatchObject({ schema_version: SCHEMA_VERSION });
    const file = JSON.parse(readFileSync(join(dir, 'namespaces/acme/repos/web.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({
      schema_version: SCHEMA_VERSION,
      link: null,
      tags: [
        { tag: 'latest', source: 'window' },
        { tag: '1.0', source: 'api' },
        { tag: 'old', source: 'api' },
        { tag: 'next', source: 'api' },
      ],
    });
    store = await openStore(dir);
    expect((await createRegistry(store).getTag(TOKEN_HOLDER, 'acme', 'web', 'latest')).source).toBe('window');
  });
});

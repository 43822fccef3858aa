/**
 * Data folders written before a field existed still open: optional fields are simply absent from
 * their files. Here, a folder as the builds before build settings (build_config) wrote it.
 */
import { SCHEMA_VERSION } from './records';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { TOKEN_HOLDER } from '../registry/service';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { openStore, type Store } from './index';

const HEX = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';

/** A repo file exactly as an older build wrote it: every field of its day, no build_config. */
const OLD_REPO_FILE = {
  schema_version: 1,
  namespace: 'madams',
  repo_name: 'test',
  description: 'test',
  full_description: 'test contain 2 tags',
  is_public: false,
  is_automated: false,
  logo: 'default-icon.jpg',
  logo_file: '/static/images/user/default-logo.png',
  created_at: '2015-05-13T01:04:48.246Z',
  updated_at: '2015-06-07T10:41:31.882Z',
  download: 103,
  upload: 4,
  pulled_at: '2015-06-07T10:41:31.881Z',
  pushed_at: '2015-05-24T00:54:26.452Z',
  starred: false,
  tags: [{ tag: 'latest', image_id: HEX, created_at: '2015-05-24T00:54:26.452Z', updated_at: '2015-05-24T00:54:26.452Z' }],
};

let dir: string;
let store: Store | undefined;

async function writeOldFolder(repoFile: Record<string, unknown>): Promise<string> {
  await writeFile(join(dir, 'berth.json'), `${JSON.stringify({ schema_version: 1, created_at: '2015-05-13T01:00:00.000Z' }, null, 2)}\n`);
  const reposDir = join(dir, 'namespaces/madams/repos');
  await mkdir(reposDir, { recursive: true });
  await writeFile(
    join(dir, 'namespaces/madams/namespace.json'),
    `${JSON.stringify({ schema_version: 1, namespace: 'madams', created_at: '2015-05-13T01:00:00.000Z' }, null, 2)}\n`,
  );
  const path = join(reposDir, 'test.json');
  await writeFile(path, `${JSON.stringify(repoFile, null, 2)}\n`);
  return path;
}

beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await removeDir(dir);
});

describe('a repo file from before build settings', () => {
  it('loads as a plain (not automated) repo with every field it had', async () => {
    await writeOldFolder(OLD_REPO_FILE);
    store = await openStore(dir);
    const repo = await createRegistry(store).getRepo(TOKEN_HOLDER, 'madams', 'test');
    expect(store.problems).toEqual([]);
    expect(repo).toMatchObject({
      repo_path: 'madams/test',
      full_description: 'test contain 2 tags',
      is_public: false,
      is_automated: false,
      build_config: null,
      download: 103,
      upload: 4,
      tag_count: 1,
    });
  });

  it('takes build settings afterwards and writes them into the same file', async () => {
    const path = await writeOldFolder(OLD_REPO_FILE);
    store = await openStore(dir);
    const config = { code_repo_client: 'Simple', code_repo_clone_url: 'https://git.example.com/madams/test.git' };
    await createRegistry(store).updateRepo('madams', 'test', { build_config: config });
    await store.close();
    store = await openStore(dir);
    expect(store.problems).toEqual([]);
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({
      ...OLD_REPO_FILE,
      schema_version: SCHEMA_VERSION,
      is_automated: true,
      build_config: config,
      updated_at: expect.any(String),
      history: [{ action: 'repo.update', before: { build_config: null }, after: { build_config: config } }],
    });
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'madams', 'test')).build_config).toMatchObject(config);
  });

  it('reads a null build_config as none, and drops a __proto__ key inside one edited by hand', async () => {
    const path = await writeOldFolder({ ...OLD_REPO_FILE, build_config: null });
    store = await openStore(dir);
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'madams', 'test')).build_config).toBeNull();
    await store.close();
    const edited = readFileSync(path, 'utf8').replace(
      '"build_config": null',
      '"build_config": {"code_repo_client": "Simple", "x": [{"__proto__": {"polluted": true}}]}',
    );
    await writeFile(path, edited);
    store = await openStore(dir);
    const config = (await createRegistry(store).getRepo(TOKEN_HOLDER, 'madams', 'test')).build_config as Record<string, unknown>;
    expect(store.problems).toEqual([]);
    expect(config.code_repo_client).toBe('Simple');
    expect(config.x).toEqual([{}]);
    expect(Object.hasOwn((config.x as object[])[0]!, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('moves aside a file whose build_config is not an object, like any field of the wrong type', async () => {
    await writeOldFolder({ ...OLD_REPO_FILE, build_config: 'Simple' });
    store = await openStore(dir);
    await store.loadAll();
    expect(store.loadedNamespace('madams')?.repos.size).toBe(0);
    expect(store.problems.map((p) => p.file)).toEqual(['namespaces/madams/repos/test.json']);
    expect(store.problems[0]?.message).toMatch(/build_config/);
    expect(existsSync(join(dir, 'quarantine')) && readdirSync(join(dir, 'quarantine')).length).toBe(1);
  });
});

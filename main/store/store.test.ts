import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../contract/errors';
import { createRegistry } from '../registry';
import { TOKEN_HOLDER } from '../registry/service';
import { firstJsonLine, spawnFixture, waitForExit, type Child } from '../../test/fixtures/store-child';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { newRepoRecord } from './bulk';
import { nodeFileOps, type FileOps } from './file-ops';
import { openStore, type Store } from './index';
import { repoFileName } from './layout';

const HEX = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';

let dir: string;
const opened: Store[] = [];
const children: Child[] = [];

async function open(options?: Parameters<typeof openStore>[1]): Promise<Store> {
  const store = await openStore(dir, options);
  opened.push(store);
  return store;
}

beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await waitForExit(child);
  }
  for (const store of opened.splice(0)) await store.close();
  await removeDir(dir);
});

async function seedRepos(store: Store, ns: string, names: string[]): Promise<void> {
  const registry = createRegistry(store);
  for (const name of names) {
    await registry.createRepo(ns, { repo_name: name, description: `about ${name.slice(0, 50)}` });
    await registry.putTag(ns, name, 'latest', HEX);
  }
}

function quarantined(): string[] {
  return readdirSync(join(dir, 'quarantine'));
}

describe('files on disk', () => {
  it('keeps one human-readable file per namespace and per repo, each with a schema version', async () => {
    const store = await open();
    await seedRepos(store, 'madams', ['repo', 'other']);
    await store.close();
    const meta = JSON.parse(readFileSync(join(dir, 'berth.json'), 'utf8')) as { schema_version: number };
    expect(meta.schema_version).toBe(1);
    const ns = JSON.parse(readFileSync(join(dir, 'namespaces/madams/namespace.json'), 'utf8')) as Record<string, unknown>;
    expect(ns).toMatchObject({ schema_version: 1, namespace: 'madams' });
    expect(readdirSync(join(dir, 'namespaces/madams/repos')).sort()).toEqual(['other.json', 'repo.json']);
    const text = readFileSync(join(dir, 'namespaces/madams/repos/repo.json'), 'utf8');
    expect(text).toContain('\n  "repo_name": "repo",\n');
    expect(JSON.parse(text)).toMatchObject({ schema_version: 1, namespace: 'madams', repo_name: 'repo', upload: 1, tags: [{ tag: 'latest', image_id: HEX }] });
    expect(existsSync(join(dir, 'berth.lock'))).toBe(false);
  });

  it('data survives a restart, repos with very long names included', async () => {
    const long = `${'a'.repeat(240)}-${'b'.repeat(11)}`; // 252 characters: longer than a file name may be
    let store = await open();
    await seedRepos(store, 'ns', ['short', long]);
    const before = await createRegistry(store).listRepos(TOKEN_HOLDER, 'ns', {});
    await store.close();
    expect(repoFileName(long).length).toBeLessThanOrEqual(255);
    expect(readdirSync(join(dir, 'namespaces/ns/repos'))).toContain(repoFileName(long));
    store = await open();
    const after = await createRegistry(store).listRepos(TOKEN_HOLDER, 'ns', {});
    expect(after).toEqual(before);
    expect(after.results.map((r) => r.repo_name)).toEqual([long, 'short']);
    expect(store.problems).toEqual([]);
  });

  it('loads every namespace in the background after open', async () => {
    let store = await open();
    for (const ns of ['one', 'two', 'three']) await seedRepos(store, ns, ['app']);
    await store.close();
    store = await open();
    await store.whenLoaded();
    for (const ns of ['one', 'two', 'three']) expect(store.loadedNamespace(ns)?.repos.size).toBe(1);
  });
});

describe('start-up with repos not yet loaded', () => {
  it('answers the namespace list and a repo without loading every namespace', async () => {
    let store = await open();
    await seedRepos(store, 'aa', ['one', 'two']);
    await seedRepos(store, 'bb', ['three']);
    await createRegistry(store).updateRepo('bb', 'three', { is_public: false });
    await store.close();
    store = await open({ backgroundLoad: false });
    const registry = createRegistry(store);
    const list = await registry.listNamespaces(TOKEN_HOLDER, {});
    expect(list.results.map((n) => [n.namespace, n.repo_count])).toEqual([
      ['aa', 2],
      ['bb', 1],
    ]);
    expect(store.loadedNamespace('aa')).toBeUndefined();
    expect((await registry.getRepo(TOKEN_HOLDER, 'aa', 'one')).tag_count).toBe(1);
    expect(store.loadedNamespace('aa')?.repos.size).toBe(2);
    expect(store.loadedNamespace('bb')).toBeUndefined();
    // Anonymous counts leave the private repo out, which needs the namespace loaded.
    const anon = await registry.listNamespaces({ authenticated: false }, {});
    expect(anon.results.map((n) => n.repo_count)).toEqual([2, 0]);
  });
});

describe('files that do not parse', () => {
  it('moves a truncated and an empty repo file aside, reports them, and loads the rest', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['good', 'torn', 'blank']);
    await store.close();
    const reposDir = join(dir, 'namespaces/ns/repos');
    await writeFile(join(reposDir, 'torn.json'), '{"truncated');
    await writeFile(join(reposDir, 'blank.json'), '');

    store = await open();
    const registry = createRegistry(store);
    const list = await registry.listRepos(TOKEN_HOLDER, 'ns', {});
    expect(list.results.map((r) => r.repo_name)).toEqual(['good']);
    expect(store.problems.map((p) => p.file).sort()).toEqual(['namespaces/ns/repos/blank.json', 'namespaces/ns/repos/torn.json']);
    for (const p of store.problems) {
      expect(p.moved_to).toMatch(/^quarantine\//);
      expect(p.message).toContain(p.file);
      expect(p.message).toContain(p.moved_to);
    }
    expect(store.problems.find((p) => p.file.endsWith('blank.json'))?.reason).toBe('the file is empty');
    // Kept aside byte for byte, never deleted, never overwritten.
    const torn = store.problems.find((p) => p.file.endsWith('torn.json'));
    expect(readFileSync(join(dir, torn?.moved_to ?? ''), 'utf8')).toBe('{"truncated');
    expect(quarantined()).toHaveLength(2);
    expect(existsSync(join(reposDir, 'torn.json'))).toBe(false);

    // The name is free again; a new repo under it does not touch what was kept aside.
    await registry.createRepo('ns', { repo_name: 'torn' });
    await store.close();
    store = await open();
    expect((await createRegistry(store).listRepos(TOKEN_HOLDER, 'ns', {})).count).toBe(2);
    expect(store.problems).toEqual([]);
    expect(quarantined()).toHaveLength(2);
  });

  it('reads __proto__ and constructor keys in a file as plain data, and drops them', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['app']);
    await store.close();
    const path = join(dir, 'namespaces/ns/repos/app.json');
    const text = readFileSync(path, 'utf8').replace('{\n', '{\n  "__proto__": {"polluted": true},\n  "constructor": {"prototype": {"polluted": true}},\n');
    expect(JSON.parse(text)).toHaveProperty('__proto__');
    await writeFile(path, text);
    store = await open();
    const registry = createRegistry(store);
    const repo = await registry.getRepo(TOKEN_HOLDER, 'ns', 'app');
    expect(repo.tag_count).toBe(1);
    expect(Object.getPrototypeOf(store.loadedNamespace('ns')?.repos.get('app'))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(store.problems).toEqual([]);
    await registry.putTag('ns', 'app', 'v2', HEX);
    expect(readFileSync(path, 'utf8')).not.toMatch(/__proto__|constructor|polluted/);
  });

  it('moves aside a repo file whose content does not fit the schema or its place', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['good', 'wrong']);
    await store.close();
    const reposDir = join(dir, 'namespaces/ns/repos');
    await writeFile(join(reposDir, 'wrong.json'), '{"schema_version": 1, "namespace": "ns", "repo_name": "wrong", "__proto__": {"polluted": true}}');
    await writeFile(join(reposDir, 'moved.json'), readFileSync(join(reposDir, 'good.json')));
    store = await open();
    await store.loadAll();
    expect(store.loadedNamespace('ns')?.repos.size).toBe(1);
    expect(store.problems.map((p) => p.file).sort()).toEqual(['namespaces/ns/repos/moved.json', 'namespaces/ns/repos/wrong.json']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a namespace whose namespace.json is corrupt, with its repos, and reports it', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['app']);
    await store.close();
    await writeFile(join(dir, 'namespaces/ns/namespace.json'), '{"schema_version": 1, "names');
    store = await open();
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]?.file).toBe('namespaces/ns/namespace.json');
    expect(store.problems[0]?.message).toMatch(/moved to quarantine\/.*new namespace\.json/);
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'ns', 'app')).tag_count).toBe(1);
    expect(quarantined()).toHaveLength(1);
  });

  it('sets aside an unreadable berth.json without losing any namespace', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['app']);
    await store.close();
    await writeFile(join(dir, 'berth.json'), '');
    store = await open();
    expect(store.problems.map((p) => p.file)).toEqual(['berth.json']);
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'ns', 'app')).repo_name).toBe('app');
    expect(JSON.parse(readFileSync(join(dir, 'berth.json'), 'utf8'))).toMatchObject({ schema_version: 1 });
  });
});

describe('temporary files', () => {
  it('deletes leftover temp files at start and never loads them', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['app']);
    await store.close();
    const stray = JSON.stringify({ ...newRepoRecord('ghost'), schema_version: 1, namespace: 'ns' });
    await writeFile(join(dir, 'tmp', '999-1.tmp'), stray);
    await writeFile(join(dir, 'tmp', 'half.tmp'), stray.slice(0, 20));
    store = await open();
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    const names = (await createRegistry(store).listRepos(TOKEN_HOLDER, 'ns', {})).results.map((r) => r.repo_name);
    expect(names).toEqual(['app']);
    expect(store.problems).toEqual([]);
  });
});

describe('schema versions', () => {
  it('runs migrations at start, and refuses data written by a newer version', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['app']);
    await store.close();

    const plan = {
      version: 2,
      migrations: [
        {
          from: 1,
          up: (kind: string, raw: Record<string, unknown>) => (kind === 'repo' ? { ...raw, description: `${String(raw.description)} (v2)` } : raw),
        },
      ],
    };
    store = await open({ schema: plan });
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'ns', 'app')).description).toBe('about app (v2)');
    await store.close();
    expect(JSON.parse(readFileSync(join(dir, 'berth.json'), 'utf8'))).toMatchObject({ schema_version: 2 });

    const err = await openStore(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).message).toMatch(/newer version of Berth \(schema 2\).*schema 1 at most/);
    // The refusal released the folder: the newer build still opens it.
    store = await open({ schema: plan });
    expect(store.problems).toEqual([]);
  });

  it('sets aside a single file written by a newer version instead of misreading it', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['app', 'next']);
    await store.close();
    const path = join(dir, 'namespaces/ns/repos/next.json');
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...raw, schema_version: 7 }));
    store = await open();
    await store.loadAll();
    expect(store.loadedNamespace('ns')?.repos.has('next')).toBe(false);
    expect(store.problems[0]?.reason).toMatch(/newer version of Berth \(schema 7/);
  });
});

describe('a data folder that cannot be used', () => {
  it('is a storage_error that says why', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const err = await openStore(join(file, 'data')).then(
      () => null,
      (e: unknown) => e as BerthError,
    );
    expect(err).toBeInstanceOf(BerthError);
    expect(err?.code).toBe('storage_error');
    expect(err?.message).toMatch(/^Could not open the data folder .*not-a-folder\/data: /);
  });
});

describe('one writer per data folder', () => {
  it('refuses a second open in the same process while the first is open', async () => {
    await open();
    const err = await openStore(dir).then(
      () => null,
      (e: unknown) => e as BerthError,
    );
    expect(err?.message).toBe(`Data folder ${dir} is in use by another Berth process (pid ${process.pid}). Close it, or choose another data folder.`);
    await opened[0]?.close();
    opened.splice(0);
    await open();
  });

  it('refuses another process while this one holds the folder, and the other way round', async () => {
    const store = await open();
    const child = spawnFixture('store-lock-holder.ts', [dir]);
    children.push(child);
    expect(await firstJsonLine(child)).toEqual({ refused: expect.stringContaining(`is in use by another Berth process (pid ${process.pid})`) as unknown });
    await store.close();

    const holder = spawnFixture('store-lock-holder.ts', [dir]);
    children.push(holder);
    expect(await firstJsonLine(holder)).toEqual({ opened: holder.pid });
    const err = await openStore(dir).then(
      () => null,
      (e: unknown) => e as BerthError,
    );
    expect(err?.code).toBe('conflict');
    expect(err?.message).toContain(`pid ${holder.pid}`);

    // A holder killed with SIGKILL leaves its lock behind; it must not block the next start.
    holder.kill('SIGKILL');
    await waitForExit(holder);
    expect(existsSync(join(dir, 'berth.lock'))).toBe(true);
    await open();
  });

  it('works the same on a file system without hard links', async () => {
    const noLinks: FileOps = {
      ...nodeFileOps,
      link: async () => {
        throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
      },
    };
    const store = await open({ fileOps: noLinks });
    await expect(openStore(dir, { fileOps: noLinks })).rejects.toMatchObject({ code: 'conflict' });
    expect(JSON.parse(readFileSync(join(dir, 'berth.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await store.close();
    expect(existsSync(join(dir, 'berth.lock'))).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(done.stdout.toString());
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'berth.lock'), JSON.stringify({ pid: deadPid, hostname: 'elsewhere', started_at: '2020-01-01T00:00:00.000Z' }));
    const store = await open();
    expect(JSON.parse(await readFile(join(dir, 'berth.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await store.close();
    expect(existsSync(join(dir, 'berth.lock'))).toBe(false);
  });
});

describe('a write the disk refuses', () => {
  /** File operations that fail with `code` once armed, for paths matching `target`. */
  function failingOps(code: string, op: 'rename' | 'open' | 'unlink', target: RegExp): { ops: FileOps; arm: (on: boolean) => void } {
    let armed = false;
    const fail = (path: unknown) => {
      if (armed && target.test(String(path))) throw Object.assign(new Error(`${code}: simulated`), { code });
    };
    const ops: FileOps = {
      ...nodeFileOps,
      rename: async (from, to) => {
        if (op === 'rename') fail(to);
        return nodeFileOps.rename(from, to);
      },
      open: (async (path: Parameters<FileOps['open']>[0], flags?: Parameters<FileOps['open']>[1], mode?: Parameters<FileOps['open']>[2]) => {
        if (op === 'open' && flags === 'wx') fail(path);
        return nodeFileOps.open(path, flags, mode);
      }) as FileOps['open'],
      unlink: async (path) => {
        if (op === 'unlink') fail(path);
        return nodeFileOps.unlink(path);
      },
    };
    return { ops, arm: (on) => (armed = on) };
  }

  it('is a storage_error naming the cause; the file on disk and memory keep the old data', async () => {
    const { ops, arm } = failingOps('EROFS', 'rename', /repos\/app\.json$/);
    let store = await open({ fileOps: ops });
    const registry = createRegistry(store);
    await seedRepos(store, 'ns', ['app']);
    const file = join(dir, 'namespaces/ns/repos/app.json');
    const onDisk = readFileSync(file, 'utf8');
    const inMemory = await registry.getRepo(TOKEN_HOLDER, 'ns', 'app');
    const events: unknown[] = [];
    registry.onChange((e) => events.push(e));

    arm(true);
    const err = await registry.putTag('ns', 'app', 'v2', HEX).then(
      () => null,
      (e: unknown) => e as BerthError,
    );
    expect(err?.code).toBe('storage_error');
    expect(err?.status).toBe(507);
    expect(err?.message).toBe('Could not save: the data folder is read-only (EROFS).');
    expect(readFileSync(file, 'utf8')).toBe(onDisk);
    expect(await registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toEqual(inMemory);
    expect(events).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);

    // Reads and writes elsewhere go on; once the disk recovers, so does this repo.
    await registry.createRepo('ns', { repo_name: 'other' });
    arm(false);
    await registry.putTag('ns', 'app', 'v2', HEX);
    await store.close();
    opened.splice(0);
    store = await open();
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'ns', 'app')).tag_count).toBe(2);
  });

  it('reports a full disk, and a half-written batch leaves memory equal to disk', async () => {
    // The namespace file lands, the repo file hits a full disk: memory must show what disk has.
    const { ops, arm } = failingOps('ENOSPC', 'open', /.*/);
    const store = await open({ fileOps: ops });
    const registry = createRegistry(store);
    let writes = 0;
    const realOpen = ops.open;
    ops.open = (async (path: Parameters<FileOps['open']>[0], flags?: Parameters<FileOps['open']>[1], mode?: Parameters<FileOps['open']>[2]) => {
      if (flags === 'wx' && ++writes === 2) arm(true);
      return realOpen(path, flags, mode);
    }) as FileOps['open'];
    const err = await registry.createRepo('fresh', { repo_name: 'app' }).then(
      () => null,
      (e: unknown) => e as BerthError,
    );
    arm(false);
    expect(err?.code).toBe('storage_error');
    expect(err?.message).toBe('Could not save: the disk is full (ENOSPC).');
    expect(existsSync(join(dir, 'namespaces/fresh/namespace.json'))).toBe(true);
    expect(existsSync(join(dir, 'namespaces/fresh/repos/app.json'))).toBe(false);
    const memory = await registry.getNamespace(TOKEN_HOLDER, 'fresh');
    expect(memory.repo_count).toBe(0);
    await expect(registry.getRepo(TOKEN_HOLDER, 'fresh', 'app')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a failed delete keeps the repo in memory as it is on disk', async () => {
    const { ops, arm } = failingOps('EACCES', 'unlink', /repos\/app\.json$/);
    const store = await open({ fileOps: ops });
    const registry = createRegistry(store);
    await seedRepos(store, 'ns', ['app']);
    arm(true);
    await expect(registry.deleteRepo('ns', 'app')).rejects.toMatchObject({
      code: 'storage_error',
      message: 'Could not save: permission to write in the data folder was denied (EACCES).',
    });
    expect(existsSync(join(dir, 'namespaces/ns/repos/app.json'))).toBe(true);
    expect((await registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).tag_count).toBe(1);
  });
});

describe('closing', () => {
  it('flushes writes in flight before releasing the folder, and refuses writes after', async () => {
    let store = await open();
    const registry = createRegistry(store);
    await registry.createRepo('ns', { repo_name: 'app' });
    const pending = Array.from({ length: 20 }, (_, i) => registry.putTag('ns', 'app', `t${i}`, HEX));
    await store.close();
    await Promise.all(pending);
    await expect(registry.createRepo('ns', { repo_name: 'late' })).rejects.toMatchObject({ code: 'storage_error' });
    opened.splice(0);
    store = await open();
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'ns', 'app')).tag_count).toBe(20);
  });
});

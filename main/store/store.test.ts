import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../contract/errors';
import { createRegistry } from '../registry';
import { TOKEN_HOLDER } from '../registry/service';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { newRepoRecord } from '../../test/support/catalogue';
import { nodeFileOps, type FileOps } from '../files/file-ops';
import { openStore, type Store } from './index';
import { encodeRecord, padGroup } from './journal';
import { repoFileName } from './layout';
import { MIGRATIONS } from './migrations';
import { SCHEMA_VERSION } from './records';

const HEX = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';

let dir: string;
const opened: Store[] = [];

async function open(options?: Parameters<typeof openStore>[1]): Promise<Store> {
  const store = await openStore(dir, options);
  opened.push(store);
  return store;
}

beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
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
    expect(meta.schema_version).toBe(SCHEMA_VERSION);
    const ns = JSON.parse(readFileSync(join(dir, 'namespaces/madams/namespace.json'), 'utf8')) as Record<string, unknown>;
    expect(ns).toMatchObject({ schema_version: SCHEMA_VERSION, namespace: 'madams' });
    expect(readdirSync(join(dir, 'namespaces/madams/repos')).sort()).toEqual(['other.json', 'repo.json']);
    const text = readFileSync(join(dir, 'namespaces/madams/repos/repo.json'), 'utf8');
    expect(text).toContain('\n  "repo_name": "repo",\n');
    expect(JSON.parse(text)).toMatchObject({
      schema_version: SCHEMA_VERSION,
      namespace: 'madams',
      id: expect.stringMatching(/^[0-9a-z]{26}$/) as unknown,
      repo_name: 'repo',
      upload: 1,
      tags: [{ tag: 'latest', image_id: HEX, source: 'api' }],
      link: null,
      history: [
        { action: 'repo.create', actor: 'api' },
        { action: 'tag.create', actor: 'api', tag: 'latest', before: null, after: HEX },
      ],
      history_chunks: [],
    });
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
    // Anonymous counts leave the private repo out (and a namespace of private repos only is not
    // there for them), which needs the namespaces loaded.
    const anon = await registry.listNamespaces({ authenticated: false }, {});
    expect(anon.results.map((n) => [n.namespace, n.repo_count])).toEqual([['aa', 2]]);
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
    const text = readFileSync(path, 'utf8').replace(
      '{\n',
      '{\n  "__proto__": {"polluted": true},\n  "constructor": {"prototype": {"polluted": true}},\n',
    );
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
    await store.checkpoint();
    expect(readFileSync(path, 'utf8')).not.toMatch(/__proto__|constructor|polluted/);
  });

  it('moves aside a repo file whose content does not fit the schema or its place', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['good', 'wrong']);
    await store.close();
    const reposDir = join(dir, 'namespaces/ns/repos');
    await writeFile(
      join(reposDir, 'wrong.json'),
      '{"schema_version": 1, "namespace": "ns", "repo_name": "wrong", "__proto__": {"polluted": true}}',
    );
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
    expect(JSON.parse(readFileSync(join(dir, 'berth.json'), 'utf8'))).toMatchObject({ schema_version: SCHEMA_VERSION });
  });
});

describe('temporary files', () => {
  it('deletes leftover temp files at start and never loads them', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['app']);
    await store.close();
    const stray = JSON.stringify({ ...newRepoRecord('ghost'), schema_version: SCHEMA_VERSION, namespace: 'ns' });
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
      version: SCHEMA_VERSION + 1,
      migrations: [
        ...MIGRATIONS,
        {
          from: SCHEMA_VERSION,
          up: (kind: string, raw: Record<string, unknown>) =>
            kind === 'repo' ? { ...raw, description: `${String(raw.description)} (v2)` } : raw,
        },
      ],
    };
    store = await open({ schema: plan });
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'ns', 'app')).description).toBe('about app (v2)');
    await store.close();
    expect(JSON.parse(readFileSync(join(dir, 'berth.json'), 'utf8'))).toMatchObject({ schema_version: SCHEMA_VERSION + 1 });

    const err = await openStore(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).message).toMatch(
      new RegExp(`newer version of Berth \\(schema ${SCHEMA_VERSION + 1}\\).*schema ${SCHEMA_VERSION} at most`),
    );
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
    expect(err?.message).toBe(
      `Data folder ${dir} is in use by another Berth process (pid ${process.pid}). Close it, or choose another data folder.`,
    );
    await opened[0]?.close();
    opened.splice(0);
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
    await writeFile(
      join(dir, 'berth.lock'),
      JSON.stringify({ pid: deadPid, hostname: 'elsewhere', started_at: '2020-01-01T00:00:00.000Z' }),
    );
    const store = await open();
    expect(JSON.parse(await readFile(join(dir, 'berth.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await store.close();
    expect(existsSync(join(dir, 'berth.lock'))).toBe(false);
  });
});

type OpenArgs = Parameters<FileOps['open']>;

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
      open: (async (path: OpenArgs[0], flags?: OpenArgs[1], mode?: OpenArgs[2]) => {
        if (op === 'open' && flags !== undefined && flags !== 'r') fail(path);
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
    const { ops, arm } = failingOps('EROFS', 'open', /journal/);
    let store = await open({ fileOps: ops });
    const registry = createRegistry(store);
    await seedRepos(store, 'ns', ['app']);
    await store.checkpoint();
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
    // Writes to other namespaces share the journal, and are refused alike.
    await expect(registry.createRepo('elsewhere', { repo_name: 'other' })).rejects.toMatchObject({ code: 'storage_error' });
    await store.checkpoint();
    expect(readFileSync(file, 'utf8')).toBe(onDisk);
    expect(await registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).toEqual(inMemory);
    expect(events).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);

    // Once the disk recovers, so do writes; nothing refused comes back after a restart.
    arm(false);
    await registry.putTag('ns', 'app', 'v2', HEX);
    await store.close();
    opened.splice(0);
    store = await open();
    expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'ns', 'app')).tag_count).toBe(2);
    expect(store.namespaceNames()).toEqual(['ns']);
  });

  it('a full disk that cuts a journal append midway: refused, and the torn record is never replayed', async () => {
    let cut = false;
    const ops: FileOps = {
      ...nodeFileOps,
      open: (async (path: OpenArgs[0], flags?: OpenArgs[1], mode?: OpenArgs[2]) => {
        const fh = await nodeFileOps.open(path, flags, mode);
        if (flags !== 'a') return fh;
        // Once the disk fills, half the group reaches the file (the journal keeps its segment open).
        return Object.assign(Object.create(fh) as typeof fh, {
          write: async (buf: Buffer) => {
            if (!cut) return fh.write(buf);
            await fh.write(buf.subarray(0, Math.floor(buf.length / 2)));
            throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
          },
          close: () => fh.close(),
        });
      }) as FileOps['open'],
    };
    let store = await open({ fileOps: ops });
    const registry = createRegistry(store);
    await registry.createRepo('ns', { repo_name: 'kept' });
    cut = true;
    await expect(registry.createRepo('ns', { repo_name: 'lost' })).rejects.toMatchObject({
      code: 'storage_error',
      message: 'Could not save: the disk is full (ENOSPC).',
    });
    cut = false;
    await expect(registry.getRepo(TOKEN_HOLDER, 'ns', 'lost')).rejects.toMatchObject({ code: 'not_found' });
    // The next append first cuts the torn one off, so it can never be replayed ahead of it.
    await registry.createRepo('ns', { repo_name: 'after' });
    const journal = readdirSync(join(dir, 'journal'));
    expect(journal).toHaveLength(1);
    const text = readFileSync(join(dir, 'journal', journal[0] as string), 'utf8');
    expect(text).not.toContain('"lost"');
    expect(text).toContain('"after"');
    await store.close();
    opened.splice(0);
    store = await open();
    expect((await createRegistry(store).listRepos(TOKEN_HOLDER, 'ns', {})).results.map((r) => r.repo_name)).toEqual(['after', 'kept']);
  });

  it('a file the checkpoint cannot write stays in the journal, is reported, and is replayed at the next open', async () => {
    const { ops, arm } = failingOps('EACCES', 'unlink', /repos\/app\.json$/);
    let store = await open({ fileOps: ops });
    const registry = createRegistry(store);
    await seedRepos(store, 'ns', ['app', 'other']);
    await store.checkpoint();
    arm(true);
    // The journal holds the delete: it is acknowledged, though the file cannot be removed yet.
    await registry.deleteRepo('ns', 'app');
    await registry.putTag('ns', 'other', 'v2', HEX);
    await expect(registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).rejects.toMatchObject({ code: 'not_found' });
    await store.checkpoint();
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]?.message).toMatch(/permission to write in the data folder was denied \(EACCES\).*safe in the journal/);
    expect(existsSync(join(dir, 'namespaces/ns/repos/app.json'))).toBe(true);
    // As if the process died now: the files lag behind, the journal does not.
    await store.close();
    expect(readdirSync(join(dir, 'journal'))).not.toEqual([]);
    opened.splice(0);

    store = await open();
    expect(store.recovery.records).toBeGreaterThanOrEqual(2);
    expect(store.problems).toEqual([]);
    expect(existsSync(join(dir, 'namespaces/ns/repos/app.json'))).toBe(false);
    expect(readdirSync(join(dir, 'journal'))).toEqual([]);
    const reopened = createRegistry(store);
    await expect(reopened.getRepo(TOKEN_HOLDER, 'ns', 'app')).rejects.toMatchObject({ code: 'not_found' });
    expect((await reopened.getRepo(TOKEN_HOLDER, 'ns', 'other')).tag_count).toBe(2);
  });
});

describe('the journal', () => {
  it('is empty after a clean close, with every write in its own file', async () => {
    let store = await open();
    await seedRepos(store, 'ns', ['app']);
    expect(readdirSync(join(dir, 'journal'))).not.toEqual([]);
    await store.close();
    expect(readdirSync(join(dir, 'journal'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'namespaces/ns/repos/app.json'), 'utf8'))).toMatchObject({ repo_name: 'app', upload: 1 });
    opened.splice(0);
    store = await open();
    expect(store.recovery).toEqual({ records: 0, ignoredBytes: 0 });
  });

  it('appends every group through one open file per segment, closed when the store closes', async () => {
    const appendFiles: { closed: boolean }[] = [];
    const ops: FileOps = {
      ...nodeFileOps,
      open: (async (path: OpenArgs[0], flags?: OpenArgs[1], mode?: OpenArgs[2]) => {
        const fh = await nodeFileOps.open(path, flags, mode);
        if (flags !== 'a') return fh;
        const seen = { closed: false };
        appendFiles.push(seen);
        return Object.assign(Object.create(fh) as typeof fh, {
          close: () => {
            seen.closed = true;
            return fh.close();
          },
        });
      }) as FileOps['open'],
    };
    const store = await open({ fileOps: ops });
    const registry = createRegistry(store);
    await registry.createRepo('ns', { repo_name: 'app' });
    for (let i = 0; i < 20; i++) await registry.putTag('ns', 'app', `v${i}`, HEX);
    // Twenty-one acknowledged groups, one segment: opened once, and kept open between appends.
    expect(appendFiles).toEqual([{ closed: false }]);
    await store.close();
    expect(appendFiles.every((f) => f.closed)).toBe(true);
  });

  it('keeps every write when close leaves many un-checkpointed ones to the journal', async () => {
    let store = await open({ closeWriteBudgetMs: 0 });
    const registry = createRegistry(store);
    const names = Array.from({ length: 40 }, (_, i) => `repo-${i}`);
    for (const ns of ['alpha', 'bravo', 'charlie']) await seedRepos(store, ns, names);
    await store.checkpoint();
    // Concurrent writers, then close with no time to write files: the journal must carry them.
    await Promise.all(
      ['alpha', 'bravo', 'charlie'].map(async (ns) => {
        for (const name of names) for (const tag of ['v1', 'v2']) await registry.putTag(ns, name, tag, HEX);
      }),
    );
    await store.close();
    expect(readdirSync(join(dir, 'journal'))).not.toEqual([]);
    opened.splice(0);

    store = await open();
    expect(store.recovery.records).toBeGreaterThanOrEqual(240);
    const reopened = createRegistry(store);
    for (const ns of ['alpha', 'bravo', 'charlie']) {
      for (const name of names) {
        expect((await reopened.getRepo(TOKEN_HOLDER, ns, name)).tag_count).toBe(3);
        expect(JSON.parse(readFileSync(join(dir, `namespaces/${ns}/repos/${name}.json`), 'utf8'))).toMatchObject({ repo_name: name });
      }
    }
    await store.close();
    expect(readdirSync(join(dir, 'journal'))).toEqual([]);
    opened.splice(0);
  });

  it('replays complete records after a kill, and ignores a torn last one', async () => {
    // A writer whose checkpoints cannot rename leaves its journal behind, as a kill would.
    const noRename: FileOps = {
      ...nodeFileOps,
      rename: async (from, to) => {
        if (String(to).includes('/namespaces/')) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
        return nodeFileOps.rename(from, to);
      },
    };
    let store = await open({ fileOps: noRename });
    await seedRepos(store, 'ns', ['app']);
    await createRegistry(store).putTag('ns', 'app', 'v2', HEX);
    await store.close();
    opened.splice(0);
    expect(existsSync(join(dir, 'namespaces/ns/repos/app.json'))).toBe(false);
    const segment = readdirSync(join(dir, 'journal')).sort().at(-1);
    const path = join(dir, 'journal', segment as string);
    const torn = encodeRecord(99, [
      { path: 'namespaces/ns/repos/torn.json', data: { ...newRepoRecord('torn'), schema_version: SCHEMA_VERSION, namespace: 'ns' } },
    ]);
    await writeFile(path, torn.subarray(0, torn.length - 40), { flag: 'a' });

    store = await open();
    // createRepo, putTag latest, putTag v2: three acknowledged batches.
    expect(store.recovery.records).toBe(3);
    expect(store.recovery.ignoredBytes).toBe(torn.length - 40);
    expect(store.problems).toEqual([]);
    expect(readdirSync(join(dir, 'journal'))).toEqual([]);
    const registry = createRegistry(store);
    expect((await registry.listRepos(TOKEN_HOLDER, 'ns', {})).results.map((r) => r.repo_name)).toEqual(['app']);
    expect((await registry.getRepo(TOKEN_HOLDER, 'ns', 'app')).tag_count).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, 'namespaces/ns/repos/app.json'), 'utf8'))).toMatchObject({ repo_name: 'app', upload: 2 });
  });

  it('never writes a file a journal record names outside the namespaces folder', async () => {
    const store = await open();
    await store.close();
    opened.splice(0);
    const evil = encodeRecord(1, [{ path: 'namespaces/../berth.json', data: { schema_version: 99 } }]);
    const escape = encodeRecord(2, [{ path: '../outside.json', data: {} }]);
    await writeFile(join(dir, 'journal', '000000000007.log'), padGroup([evil, escape]));
    const reopened = await open();
    expect(reopened.problems).toHaveLength(1);
    expect(reopened.problems[0]).toMatchObject({ file: 'journal/000000000007.log' });
    expect(JSON.parse(readFileSync(join(dir, 'berth.json'), 'utf8'))).toMatchObject({ schema_version: SCHEMA_VERSION });
    expect(existsSync(join(dir, '..', 'outside.json'))).toBe(false);
    expect(readdirSync(join(dir, 'journal'))).toEqual([]);
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

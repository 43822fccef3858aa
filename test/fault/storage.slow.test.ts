/**
 * A disk that refuses writes (README, "Storage: what is guaranteed"): full, or read-only. Writes
 * fail with a clear 5xx JSON error naming the cause (`storage_error`), reads keep working and show
 * the stored state, nothing already stored is lost, and writes work again once the disk does.
 *
 * Root ignores file modes, so the real case needs a file system of our own: a tiny tmpfs that is
 * filled up or remounted read-only under a running `serve`. Where mounting is not allowed, the
 * same story runs against the store's file layer with failures injected (FileOps), behind the
 * real HTTP API.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startServe, type ServeChild } from '../../bench/serve-child';
import { ERROR_STATUS } from '../../main/contract/errors';
import { buildApi } from '../../main/http/app';
import { createRegistry } from '../../main/registry/index';
import { openStore, nodeFileOps, type FileOps, type Store } from '../../main/store/index';
import { ApiClient, type Answer } from '../property/api-client';
import { fillDisk, MOUNTABLE } from './tmpfs';

const TOKEN = 'storage-token-8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';
const STORAGE_STATUS = ERROR_STATUS.storage_error;
const IMAGE = (c: string) => c.repeat(64);

/** The disk under test, whatever it is: break it, heal it, restart the server on it. */
interface Rig {
  api: ApiClient;
  restart(): Promise<ApiClient>;
  close(): Promise<void>;
}

function expectStorageError(answer: Answer, cause: RegExp, what: string): void {
  expect(answer.status, `${what}: ${answer.text}`).toBe(STORAGE_STATUS);
  const body = answer.body as { code: string; detail: string };
  expect(body.code, what).toBe('storage_error');
  expect(body.detail, `${what}: the message names the cause`).toMatch(cause);
  expect(answer.contentType).toMatch(/^application\/json/);
}

/** The catalogue every scenario starts from, and what a reader must keep seeing. */
async function seed(api: ApiClient): Promise<void> {
  expect((await api.request('POST', '/v1/repositories/keep/', { body: { repo_name: 'app', description: 'before' } })).status).toBe(201);
  expect((await api.request('PUT', '/v1/repositories/keep/app/tags/v1', { body: { image_id: IMAGE('1') } })).status).toBe(201);
  expect((await api.request('POST', '/v1/repositories/keep/', { body: { repo_name: 'web', is_public: false } })).status).toBe(201);
}

async function expectSeedIntact(api: ApiClient, context: string): Promise<void> {
  const detail = await api.get('/v1/repositories/keep/app');
  expect(detail.status, context).toBe(200);
  expect(detail.body, context).toMatchObject({ description: 'before', upload: 1 });
  const tags = await api.get('/v1/repositories/keep/app/tags');
  expect(tags.body, context).toEqual([{ tag: 'v1', image_id: IMAGE('1') }]);
  const list = await api.get('/v1/repositories/keep/?page_size=100');
  expect(list.status, context).toBe(200);
  expect((list.body as { results: { repo_name: string }[] }).results.map((r) => r.repo_name).sort(), context).toEqual(['app', 'web']);
  const namespaces = await api.listAll<{ namespace: string }>('/v1/namespaces/?page_size=100');
  expect(
    namespaces.map((n) => n.namespace),
    context,
  ).toEqual(['keep']);
}

/** Every kind of write, each refused while the disk is broken; the stored state unchanged. */
async function expectWritesRefused(api: ApiClient, cause: RegExp, options: { namespaceCause?: RegExp } = {}): Promise<void> {
  const allow5xx = [STORAGE_STATUS];
  expectStorageError(await api.request('POST', '/v1/repositories/keep/', { body: { repo_name: 'new' }, allow5xx }), cause, 'create repo');
  expectStorageError(
    await api.request('PUT', '/v1/repositories/keep/app/tags/v2', { body: { image_id: IMAGE('2') }, allow5xx }),
    cause,
    'push tag',
  );
  expectStorageError(
    await api.request('PUT', '/v1/repositories/keep/app/tags/v1', { body: { image_id: IMAGE('3') }, allow5xx }),
    cause,
    'move tag',
  );
  expectStorageError(
    await api.request('PUT', '/v1/repositories/keep/app', { body: { description: 'after' }, allow5xx }),
    cause,
    'update repo',
  );
  expectStorageError(await api.request('POST', '/v1/repositories/keep/app/tags/v1/pull', { allow5xx }), cause, 'record pull');
  expectStorageError(await api.request('PUT', '/v1/repositories/keep/app/star', { allow5xx }), cause, 'star');
  const namespaceCause = options.namespaceCause ?? cause;
  expectStorageError(
    await api.request('POST', '/v1/namespaces/', { body: { namespace: 'other' }, allow5xx }),
    namespaceCause,
    'create namespace',
  );
  // A refused write leaves memory equal to the disk: readers see the old state, not the attempt.
  await expectSeedIntact(api, 'reads while writes are refused');
  const detail = await api.get('/v1/repositories/keep/app');
  expect(detail.body).toMatchObject({ download: 0, repo_starred_count: 0, is_repo_starred: false });
}

async function expectRecovery(rig: Rig): Promise<void> {
  const created = await rig.api.request('POST', '/v1/repositories/keep/', { body: { repo_name: 'later' } });
  expect(created.status, created.text).toBe(201);
  const api = await rig.restart();
  const list = await api.get('/v1/repositories/keep/?page_size=100');
  expect((list.body as { results: { repo_name: string }[] }).results.map((r) => r.repo_name).sort()).toEqual(['app', 'later', 'web']);
  const detail = await api.get('/v1/repositories/keep/app');
  expect(detail.body).toMatchObject({ description: 'before', upload: 1, download: 0, repo_starred_count: 0 });
  expect((await api.get('/v1/repositories/keep/app/tags')).body).toEqual([{ tag: 'v1', image_id: IMAGE('1') }]);
  expect((await api.get('/v1/namespaces/other')).status).toBe(404);
}

/**
 * Linux refuses to remount read-only while a file there is open for writing ("mount point is
 * busy"): serve's background checkpoint may be writing just then, so try again for a while.
 */
async function remountReadOnly(mnt: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      execFileSync('mount', ['-o', 'remount,ro', mnt], { stdio: 'pipe' });
      return;
    } catch (err) {
      const busy = /busy/i.test(String((err as { stderr?: Buffer }).stderr ?? ''));
      if (!busy || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe.skipIf(!MOUNTABLE)('serve on a tiny tmpfs', () => {
  let work: string | undefined;
  let mnt: string | undefined;
  let serve: ServeChild | undefined;

  afterEach(async () => {
    await serve?.stop('SIGKILL');
    serve = undefined;
    if (mnt) {
      try {
        execFileSync('umount', [mnt], { stdio: 'ignore' });
      } catch {
        // Already unmounted, or it never was.
      }
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function mountRig(sizeKb: number): Promise<Rig & { mnt: string; dataDir: string }> {
    work = await mkdtemp(path.join(tmpdir(), 'berth-storage-'));
    mnt = path.join(work, 'mnt');
    await mkdir(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', mnt]);
    const dataDir = path.join(mnt, 'data');
    serve = await startServe({ dataDir, token: TOKEN });
    const rig = {
      mnt,
      dataDir,
      api: new ApiClient(serve.url, TOKEN),
      async restart() {
        await serve?.stop('SIGTERM');
        serve = await startServe({ dataDir, token: TOKEN });
        rig.api = new ApiClient(serve.url, TOKEN);
        return rig.api;
      },
      async close() {
        await serve?.stop('SIGTERM');
      },
    };
    return rig;
  }

  it('answers storage_error when the disk is full, keeps serving reads, loses nothing', { timeout: 60_000 }, async () => {
    const rig = await mountRig(2048);
    await seed(rig.api);
    const filler = path.join(rig.mnt, 'filler');
    fillDisk(filler);
    await expectWritesRefused(rig.api, /full|ENOSPC/i);
    await rm(filler);
    await expectRecovery(rig);
  });

  it('answers storage_error when the folder turns read-only, keeps serving reads, loses nothing', { timeout: 60_000 }, async () => {
    const rig = await mountRig(2048);
    await seed(rig.api);
    await remountReadOnly(rig.mnt);
    try {
      // The cause given for a new namespace is checked on its own below.
      await expectWritesRefused(rig.api, /read-only|EROFS/i, { namespaceCause: /./ });
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', rig.mnt]);
    }
    await expectRecovery(rig);
  });

  // Node's recursive mkdir answers ENOENT (not EROFS) on a read-only file system; the store now
  // appends to its journal before it creates any folder, so the cause it names is the real one.
  it('names "read-only" as the cause when a new namespace cannot be created', { timeout: 60_000 }, async () => {
    const rig = await mountRig(2048);
    await seed(rig.api);
    await remountReadOnly(rig.mnt);
    try {
      const answer = await rig.api.request('POST', '/v1/namespaces/', { body: { namespace: 'other' }, allow5xx: [STORAGE_STATUS] });
      expectStorageError(answer, /read-only|EROFS/i, 'create namespace');
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', rig.mnt]);
    }
  });
});

/** FileOps whose writes fail with `errno` while `failing.code` is set; reads always work. */
function failingOps(failing: { code: string | null }): FileOps {
  const refuse = (): never => {
    const err = new Error(`${failing.code}: injected write failure`) as NodeJS.ErrnoException;
    err.code = failing.code ?? undefined;
    throw err;
  };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (failing.code) refuse();
      return fn(...args);
    };
  return {
    ...nodeFileOps,
    open: (async (file: Parameters<typeof fsp.open>[0], flags?: string | number, mode?: number) => {
      if (flags === undefined || flags === 'r') return fsp.open(file, flags, mode);
      if (failing.code) refuse();
      const fh = await fsp.open(file, flags, mode);
      // A file opened before the disk refused writes (the journal keeps its segment open) is refused too.
      return Object.assign(Object.create(fh) as typeof fh, {
        write: guard(fh.write.bind(fh)),
        datasync: guard(fh.datasync.bind(fh)),
        sync: guard(fh.sync.bind(fh)),
        close: () => fh.close(),
      });
    }) as FileOps['open'],
    rename: guard(nodeFileOps.rename),
    unlink: guard(nodeFileOps.unlink),
    mkdir: guard(nodeFileOps.mkdir) as FileOps['mkdir'],
    rm: guard(nodeFileOps.rm),
    rmdir: guard(nodeFileOps.rmdir),
    link: guard(nodeFileOps.link),
    writeFile: guard(nodeFileOps.writeFile),
  };
}

describe('the HTTP API over a store whose file layer refuses writes', () => {
  let work: string | undefined;
  let app: FastifyInstance | undefined;
  let store: Store | undefined;

  afterEach(async () => {
    await app?.close();
    await store?.close();
    app = undefined;
    store = undefined;
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function injectedRig(): Promise<Rig & { failing: { code: string | null } }> {
    work = await mkdtemp(path.join(tmpdir(), 'berth-storage-'));
    const dataDir = path.join(work, 'data');
    const failing = { code: null as string | null };
    const start = async (): Promise<ApiClient> => {
      store = await openStore(dataDir, { fileOps: failingOps(failing) });
      app = await buildApi({
        registry: createRegistry(store),
        version: 'test',
        host: '127.0.0.1',
        token: () => TOKEN,
        anonymousReads: true,
        allowedOrigins: [],
      });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      return new ApiClient(url.replace('localhost', '127.0.0.1'), TOKEN);
    };
    const rig = {
      failing,
      api: await start(),
      async restart() {
        await app?.close();
        await store?.close();
        rig.api = await start();
        return rig.api;
      },
      async close() {
        await app?.close();
        await store?.close();
      },
    };
    return rig;
  }

  for (const [code, cause] of [
    ['ENOSPC', /full|ENOSPC/i],
    ['EROFS', /read-only|EROFS/i],
  ] as const) {
    it(`answers storage_error on ${code}, keeps serving reads, loses nothing`, async () => {
      const rig = await injectedRig();
      await seed(rig.api);
      rig.failing.code = code;
      try {
        await expectWritesRefused(rig.api, cause);
      } finally {
        rig.failing.code = null;
      }
      await expectRecovery(rig);
    });
  }
});

/**
 * The composition root as the Electron glue uses it (in process): starting, restarting and
 * closing the API, the port-in-use report, token regeneration; and the two server-side errors
 * no client input can cause (a refused disk write, an unexpected exception).
 */
import { createServer, type Server } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type BerthBackend } from '../../main/backend';
import { buildApi } from '../../main/http/app';
import { createRegistry } from '../../main/registry/index';
import type { RegistryService } from '../../main/registry/service';
import { nodeFileOps, openStore, type FileOps } from '../../main/store/index';
import { call, tempDir } from './serve-process';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

async function backendIn(options: { anonymousReads?: boolean } = {}): Promise<BerthBackend> {
  const dir = await tempDir('berth-backend-');
  cleanups.push(dir.cleanup);
  const backend = await createBackend({ dataDir: join(dir.path, 'data'), port: 0, ...options });
  cleanups.push(() => backend.close());
  return backend;
}

async function occupiedPort(): Promise<number> {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
  return (blocker.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('createBackend', () => {
  it('listens only once started, and reports where', async () => {
    const backend = await backendIn();
    expect(backend.info()).toMatchObject({ listening: false, url: null, error: null, anonymous_reads: true });
    const info = await backend.startApi();
    expect(info.listening).toBe(true);
    expect(info.url).toBe(`http://127.0.0.1:${info.port}`);
    expect(info.data_dir).toBe(backend.dataDir);
    expect((await call(info.url!, 'GET', '/v1/_ping')).body).toEqual({ ok: true, version: info.version });
  });

  it('reports a port in use at start in info().error instead of throwing', async () => {
    const port = await occupiedPort();
    const dir = await tempDir('berth-backend-');
    cleanups.push(dir.cleanup);
    const backend = await createBackend({ dataDir: join(dir.path, 'data'), port });
    cleanups.push(() => backend.close());
    const info = await backend.startApi();
    expect(info).toMatchObject({ listening: false, url: null, port });
    expect(info.error).toEqual({
      code: 'port_in_use',
      detail: `Port ${port} is already in use on 127.0.0.1: stop the other program or choose another port.`,
    });
    const moved = await backend.restartApi({ port: 0 });
    expect(moved).toMatchObject({ listening: true, error: null });
  });

  it('refuses to move to a port in use and changes nothing: the API keeps answering where and as it did', async () => {
    const taken = await occupiedPort();
    const backend = await backendIn();
    await backend.registry.createRepo('pub', { repo_name: 'repo' });
    const before = await backend.startApi();
    await expect(backend.restartApi({ port: taken, anonymousReads: false })).rejects.toMatchObject({
      code: 'conflict',
      message: `Port ${taken} is already in use on 127.0.0.1: stop the other program or choose another port.`,
    });
    expect(backend.info()).toEqual(before);
    expect((await call(before.url!, 'GET', '/v1/_ping')).status).toBe(200);
    expect((await call(before.url!, 'GET', '/v1/repositories/pub/repo')).status).toBe(200);
  });

  it('moves to another port by binding it first, then letting the old one go', async () => {
    const backend = await backendIn();
    const before = await backend.startApi();
    const target = await freePort();
    const moved = await backend.restartApi({ port: target });
    expect(moved).toMatchObject({ listening: true, port: target, url: `http://127.0.0.1:${target}`, error: null });
    expect((await call(moved.url!, 'GET', '/v1/_ping')).status).toBe(200);
    await expect(call(before.url!, 'GET', '/v1/_ping')).rejects.toThrow();
  });

  it('switches anonymous reads in place, on the same port', async () => {
    const backend = await backendIn();
    await backend.registry.createRepo('pub', { repo_name: 'repo' });
    const started = await backend.startApi();
    let info = await backend.restartApi({ anonymousReads: false });
    expect(info).toMatchObject({ anonymous_reads: false, url: started.url });
    expect((await call(info.url!, 'GET', '/v1/repositories/pub/repo')).status).toBe(401);
    expect((await call(info.url!, 'GET', '/v1/repositories/pub/repo', { token: backend.token() })).status).toBe(200);
    info = await backend.restartApi({ anonymousReads: true });
    expect((await call(info.url!, 'GET', '/v1/repositories/pub/repo')).status).toBe(200);
  });

  it('runs restarts asked for at the same moment one after another: afterwards the API is served as reported', async () => {
    const backend = await backendIn();
    await backend.registry.createRepo('pub', { repo_name: 'repo' });
    await backend.startApi();
    for (let round = 0; round < 10; round++) {
      const [first, last] = [await freePort(), await freePort()];
      const anonymous = round % 2 === 1;
      // Each port asked for twice (a double click, two windows): the second finds it taken already.
      await Promise.all([
        backend.restartApi({ port: first }),
        backend.restartApi({ port: first }),
        backend.restartApi({ anonymousReads: anonymous }),
        backend.restartApi({ port: last }),
        backend.restartApi({ port: last }),
      ]);
      const info = backend.info();
      expect(info, `round ${round}`).toMatchObject({ listening: true, port: last, anonymous_reads: anonymous, error: null });
      expect((await call(info.url!, 'GET', '/v1/repositories/pub/repo')).status, `round ${round}`).toBe(anonymous ? 200 : 401);
      await expect(call(`http://127.0.0.1:${first}`, 'GET', '/v1/_ping'), `round ${round}`).rejects.toThrow();
    }
  });

  it('suggests a free port near one that is taken', async () => {
    const taken = await occupiedPort();
    const backend = await backendIn();
    const suggested = await backend.suggestPort(taken);
    expect(suggested).not.toBe(taken);
    const probe: Server = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(suggested, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
  });

  it('regenerates the token: the old one stops working at once, the new one is stored 0600', async () => {
    const backend = await backendIn();
    const { url } = await backend.startApi();
    const old = backend.token();
    const fresh = await backend.regenerateToken();
    expect(fresh).not.toBe(old);
    expect(backend.token()).toBe(fresh);
    const tokenFile = join(backend.dataDir, 'token');
    expect((await readFile(tokenFile, 'utf8')).trim()).toBe(fresh);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect((await call(url!, 'POST', '/v1/namespaces/', { token: old, body: { namespace: 'late' } })).status).toBe(401);
    expect((await call(url!, 'POST', '/v1/namespaces/', { token: fresh, body: { namespace: 'late' } })).status).toBe(201);
  });

  it('sees writes made over HTTP through the same registry, with a change event', async () => {
    const backend = await backendIn();
    const { url } = await backend.startApi();
    const events: unknown[] = [];
    backend.registry.onChange((event) => events.push(event));
    expect((await call(url!, 'POST', '/v1/repositories/live/', { token: backend.token(), body: { repo_name: 'repo' } })).status).toBe(201);
    expect(events).toContainEqual(expect.objectContaining({ entity: 'repo', action: 'created', namespace: 'live', repo_name: 'repo' }));
    expect((await backend.registry.getRepo({ authenticated: true }, 'live', 'repo')).repo_path).toBe('live/repo');
  });

  it('releases the data dir on close, so another backend can open it', async () => {
    const dir = await tempDir('berth-backend-');
    cleanups.push(dir.cleanup);
    const first = await createBackend({ dataDir: join(dir.path, 'data'), port: 0 });
    await expect(createBackend({ dataDir: join(dir.path, 'data'), port: 0 })).rejects.toMatchObject({ code: 'conflict' });
    await first.startApi();
    await first.close();
    expect(first.info().listening).toBe(false);
    const second = await createBackend({ dataDir: join(dir.path, 'data'), port: 0 });
    expect(second.token()).toBe(first.token());
    await second.close();
  });
});

describe('server-side failures', () => {
  it('answers a write the disk refuses with 507 storage_error, while reads keep working', async () => {
    const dir = await tempDir('berth-disk-');
    cleanups.push(dir.cleanup);
    let diskFull = false;
    const refuseWhenFull = () => {
      if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    const fileOps: FileOps = {
      ...nodeFileOps,
      rename: (async (from: string, to: string) => {
        refuseWhenFull();
        return nodeFileOps.rename(from, to);
      }) as FileOps['rename'],
      // The store acknowledges a write once its journal append is durable: a full disk refuses that too.
      open: (async (path: string, flags?: string, mode?: number) => {
        if (flags === undefined || flags === 'r') return nodeFileOps.open(path, flags, mode);
        refuseWhenFull();
        const fh = await nodeFileOps.open(path, flags, mode);
        // The journal keeps its segment open: a full disk refuses its next append too.
        return Object.assign(Object.create(fh) as typeof fh, {
          write: async (...args: Parameters<typeof fh.write>) => {
            refuseWhenFull();
            return fh.write(...args);
          },
          close: () => fh.close(),
        });
      }) as FileOps['open'],
    };
    const store = await openStore(dir.path, { fileOps });
    cleanups.push(() => store.close());
    const app = await buildApi({
      registry: createRegistry(store),
      version: 'test',
      host: '127.0.0.1',
      token: () => 'disk-test-token-0123456789',
      anonymousReads: true,
      allowedOrigins: [],
    });
    cleanups.push(() => app.close());
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const token = 'disk-test-token-0123456789';
    expect((await call(url, 'POST', '/v1/repositories/disk/', { token, body: { repo_name: 'kept' } })).status).toBe(201);

    diskFull = true;
    const refused = await call(url, 'POST', '/v1/repositories/disk/', { token, body: { repo_name: 'lost' } });
    expect(refused.status).toBe(507);
    expect(refused.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(refused.body).toMatchObject({ code: 'storage_error' });
    expect((refused.body as { detail: string }).detail).toMatch(/disk is full/);
    expect((await call(url, 'GET', '/v1/repositories/disk/kept')).status).toBe(200);
    expect((await call(url, 'GET', '/v1/repositories/disk/lost')).status).toBe(404);

    diskFull = false;
    expect((await call(url, 'POST', '/v1/repositories/disk/', { token, body: { repo_name: 'lost' } })).status).toBe(201);
  });

  it('answers an unexpected exception with 500 internal_error and no stack or message', async () => {
    const dir = await tempDir('berth-bug-');
    cleanups.push(dir.cleanup);
    const store = await openStore(dir.path);
    cleanups.push(() => store.close());
    const real = createRegistry(store);
    const registry: RegistryService = Object.assign(Object.create(real) as RegistryService, {
      getRepo: async () => {
        throw new Error('secret detail at /home/someone/.config');
      },
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = await buildApi({
      registry,
      version: 'test',
      host: '127.0.0.1',
      token: () => 'bug-test-token-0123456789',
      anonymousReads: true,
      allowedOrigins: [],
    });
    cleanups.push(() => app.close());
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await call(url, 'GET', '/v1/repositories/any/repo');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ detail: 'Internal server error.', code: 'internal_error' });
    expect(res.text).not.toContain('secret');
    expect(logged).toHaveBeenCalled();
    expect((await call(url, 'GET', '/v1/_ping')).status).toBe(200);
  });
});

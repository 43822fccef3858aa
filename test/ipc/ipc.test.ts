/**
 * The IPC handler table over a real backend (temp data dir, real loopback port), called through
 * the same dispatcher the Electron glue and the browser harness use.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcEnvelope } from '../../main/contract/api';
import type { ChangeEvent } from '../../main/contract/types';
import type { Dispatcher } from '../../main/ipc';
import { TMP_DIR } from '../../main/store/layout';
import { startHarnessBackend, type HarnessBackend } from '../harness/backend';
import { httpCall } from '../harness/fixtures';

const APP = 'file:///app/out/renderer/index.html';

let harness: HarnessBackend;
let dispatch: Dispatcher;
const call = (operation: string, ...args: unknown[]) => dispatch({ operation, args, senderUrl: APP });
const ok = async <T>(operation: string, ...args: unknown[]): Promise<T> => {
  const envelope = await call(operation, ...args);
  if (!envelope.ok) throw new Error(`${operation} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.result as T;
};
const http = (method: string, path: string, body?: unknown) => httpCall(harness.apiUrl, harness.backend.token(), method, path, body);

/**
 * Every file under the data dir with its content: "nothing changed" means this is identical.
 * Temp files of writes in flight (a background checkpoint) come and go and are not data.
 */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === 'lock' || entry.name.endsWith('.lock')) continue;
    if (entry.parentPath === join(dir, TMP_DIR)) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = await readFile(path, 'utf8');
  }
  return out;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A fresh backend for each test; or, for tests that each leave the backend as they found it (the
 * refusals below), one for the whole group, which saves starting 24 backends.
 */
function useHarness(scope: 'each test' | 'the group'): void {
  const [setUp, tearDown] = scope === 'each test' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  setUp(async () => {
    harness = await startHarnessBackend();
    dispatch = harness.dispatcherFor(APP);
  });
  tearDown(async () => {
    await harness.dispose();
  });
}

describe('IPC arguments are validated in main with the HTTP schemas', () => {
  describe('a refused call', () => {
    useHarness('the group');
    beforeAll(async () => {
      await ok('createRepo', 'acme', { repo_name: 'web' });
    });

    it.each<[string, unknown[], string]>([
      ['createNamespace', [42], 'namespace'],
      ['createNamespace', [{ namespace: 'acme' }], 'namespace'],
      ['createRepo', ['acme', { repo_name: 'web', owner: 'me' }], 'owner'],
      ['createRepo', ['acme', { repo_name: 7 }], 'repo_name'],
      ['createRepo', ['acme', 'web'], 'input'],
      ['createRepo', ['acme', { repo_name: 'web', is_public: 'yes' }], 'is_public'],
      ['createRepo', ['acme', { repo_name: 'web', ['__proto__']: { polluted: true } }], '__proto__'],
      ['updateRepo', ['acme', 'web', { repo_name: 'renamed' }], 'repo_name'],
      ['updateRepo', ['acme', 'web', { build_config: 'Simple' }], 'build_config'],
      ['updateRepo', ['acme', 'web', { build_config: { notes: 'n'.repeat(17_000) } }], 'build_config'],
      ['updateRepo', ['acme', 'web', { build_config: { when: new Date(0) } }], 'build_config'],
      [
        'createRepo',
        ['acme', { repo_name: 'api', build_config: JSON.parse('{"a": [{"__proto__": {"polluted": true}}]}') }],
        'build_config',
      ],
      ['putTag', ['acme', 'web', 'latest', 123], 'image_id'],
      ['setStar', ['acme', 'web', 'true'], 'starred'],
      ['listRepos', ['acme', { page: 0 }], 'page'],
      ['listRepos', ['acme', { ordering: 'size' }], 'ordering'],
      ['listNamespaces', [{ page_size: 1.5 }], 'page_size'],
      ['search', [{}], 'q'],
      ['deleteNamespace', ['acme', { force: 'yes' }], 'force'],
      ['updateSettings', [{ api_port: 70000 }], 'api_port'],
      ['updateSettings', [{ theme: 'purple' }], 'theme'],
      ['updateSettings', [{ token: 'x' }], 'token'],
      ['getRepo', ['acme', 'web', 'extra'], 'arguments'],
    ])('%s(%j) is a validation_error naming %s, and nothing changes', async (operation, args, field) => {
      // The write's checkpoint (files written, journal let go) must not land between the two snapshots.
      await expect.poll(() => readdir(join(harness.dataDir, 'journal')), { timeout: 10_000 }).toEqual([]);
      const before = await snapshot(harness.dataDir);
      const settingsBefore = harness.settings.get();
      const infoBefore = harness.backend.info();

      const envelope = await call(operation, ...args);
      expect(envelope.ok).toBe(false);
      const { error } = envelope as Extract<IpcEnvelope<unknown>, { ok: false }>;
      expect(error.code).toBe('validation_error');
      expect(Object.keys(error.errors ?? {})).toContain(field);
      expect(typeof error.detail).toBe('string');

      expect(await snapshot(harness.dataDir)).toEqual(before);
      expect(harness.settings.get()).toEqual(settingsBefore);
      expect(harness.backend.info()).toEqual(infoBefore);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('compared with HTTP', () => {
    useHarness('each test');

    it('reports a bad name with the same code, detail and field errors as HTTP', async () => {
      const viaIpc = await call('createRepo', 'acme', { repo_name: 'Bad Name!' });
      const viaHttp = await http('POST', '/v1/repositories/acme/', { repo_name: 'Bad Name!' });
      expect(viaHttp.status).toBe(400);
      expect(viaIpc).toEqual({ ok: false, error: viaHttp.body });
      expect((await http('GET', '/v1/namespaces/')).body).toMatchObject({ count: 0 });
    });

    it('takes build settings like HTTP does, and both doors read them back alike', async () => {
      const config = { code_repo_client: 'Simple', code_repo_clone_url: 'https://git.example.com/acme/web.git', tag_configs: [] };
      await ok('createRepo', 'acme', { repo_name: 'web', build_config: config });
      const viaIpc = await ok<{ is_automated: boolean; build_config: unknown }>('getRepo', 'acme', 'web');
      expect(viaIpc).toMatchObject({ is_automated: true, build_config: { ...config, created_by: 'acme', docker_repo_path: 'acme/web' } });
      expect((await http('GET', '/v1/repositories/acme/web')).body).toMatchObject({
        is_automated: true,
        build_config: viaIpc.build_config,
      });
      await ok('updateRepo', 'acme', 'web', { build_config: null });
      expect((await http('GET', '/v1/repositories/acme/web')).body).toMatchObject({ is_automated: false, build_config: null });
    });

    it('reports a missing repo as not_found like HTTP does', async () => {
      const viaIpc = await call('getRepo', 'acme', 'ghost');
      expect(viaIpc).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });

    it('accepts a call without its optional query or options', async () => {
      await ok('createRepo', 'acme', { repo_name: 'web', description: 'Front end' });
      expect(await ok('listNamespaces')).toMatchObject({ count: 1 });
      expect(await ok('listRepos', 'acme')).toMatchObject({ count: 1, results: [{ repo_name: 'web' }] });
      await ok('deleteNamespace', 'acme', { force: true });
      expect(await ok('listNamespaces', {})).toMatchObject({ count: 0 });
    });
  });
});

describe('the sender frame is checked before anything runs', () => {
  useHarness('each test');

  it.each(['https://evil.example/', 'file:///tmp/other/index.html', 'about:blank', null])(
    'a call from %s is forbidden and changes nothing',
    async (sender) => {
      const before = await snapshot(harness.dataDir);
      const envelope = await dispatch({ operation: 'createNamespace', args: ['acme'], senderUrl: sender });
      expect(envelope).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await dispatch({ operation: 'getToken', args: [], senderUrl: sender })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await snapshot(harness.dataDir)).toEqual(before);
      expect((await http('GET', '/v1/namespaces/')).body).toMatchObject({ count: 0 });
    },
  );

  it('answers an unknown operation (even an Object.prototype name) with not_found', async () => {
    for (const operation of ['toString', '__proto__', 'constructor', 'dropEverything']) {
      expect(await call(operation)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
  });
});

describe('changes reach listeners', () => {
  useHarness('each test');

  it('a repo created over HTTP reaches an onChange listener within a second', async () => {
    const heard = new Promise<ChangeEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no change event within a second')), 1_000);
      const stop = harness.backend.registry.onChange((change) => {
        if (change.entity !== 'repo') return;
        clearTimeout(timer);
        stop();
        resolve(change);
      });
    });
    expect((await http('POST', '/v1/repositories/tools/', { repo_name: 'cli' })).status).toBe(201);
    await expect(heard).resolves.toMatchObject({ entity: 'repo', action: 'created', namespace: 'tools', repo_name: 'cli' });
    expect(await ok('getRepo', 'tools', 'cli')).toMatchObject({ repo_path: 'tools/cli' });
  });
});

describe('an update over IPC that changes nothing', () => {
  useHarness('each test');

  it('keeps updated_at and emits no change when the patch holds only undefined fields', async () => {
    const created = await ok<{ updated_at: string }>('createRepo', 'acme', { repo_name: 'web', description: 'kept' });
    const events: ChangeEvent[] = [];
    const stop = harness.backend.registry.onChange((e) => events.push(e));
    try {
      // Until the clock has moved on: a write from here would get a later updated_at.
      const now = new Date().toISOString();
      while (new Date().toISOString() === now) await new Promise((resolve) => setImmediate(resolve));
      const after = await ok<{ updated_at: string; description: string }>('updateRepo', 'acme', 'web', { description: undefined });
      expect(after).toMatchObject({ updated_at: created.updated_at, description: 'kept' });
      expect(events).toEqual([]);
    } finally {
      stop();
    }
  });
});

describe('server, token and settings', () => {
  useHarness('each test');

  it('regenerating the token stops the old one at once', async () => {
    const old = await ok<string>('getToken');
    const fresh = await ok<string>('regenerateToken');
    expect(fresh).not.toBe(old);
    expect(await ok('getToken')).toBe(fresh);
    expect((await httpCall(harness.apiUrl, old, 'POST', '/v1/namespaces/', { namespace: 'acme' })).status).toBe(401);
    expect((await httpCall(harness.apiUrl, fresh, 'POST', '/v1/namespaces/', { namespace: 'acme' })).status).toBe(201);
    const stored = await readFile(join(harness.dataDir, 'token'), 'utf8');
    expect(stored.trim()).toBe(fresh);
    expect((await stat(join(harness.dataDir, 'token'))).mode & 0o077).toBe(0);
  });

  it('a new port moves the API there; a port in use is refused on the Port field and nothing changes', async () => {
    const port = await freePort();
    expect(await ok('updateSettings', { api_port: port })).toMatchObject({ api_port: port });
    const moved = await ok<{ url: string; listening: boolean; port: number }>('getServerInfo');
    expect(moved).toMatchObject({ listening: true, port, error: null });
    expect((await httpCall(moved.url, null, 'GET', '/v1/_ping')).status).toBe(200);

    // Something else takes a port; choosing it is refused, the API stays where it is.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    try {
      const refused = await call('updateSettings', { api_port: taken, theme: 'dark' });
      const reason = `Port ${taken} is already in use on 127.0.0.1: stop the other program or choose another port.`;
      expect(refused).toEqual({ ok: false, error: { code: 'conflict', detail: reason, errors: { api_port: [reason] } } });
      expect(await ok('getSettings')).toMatchObject({ api_port: port, theme: 'system' });
      expect(await ok('getServerInfo')).toMatchObject({ listening: true, port, url: moved.url, error: null });
      expect((await httpCall(moved.url, null, 'GET', '/v1/_ping')).status).toBe(200);

      const suggested = await ok<number>('suggestPort', taken);
      expect(suggested).not.toBe(taken);
      await ok('updateSettings', { api_port: suggested });
      expect(await ok('getServerInfo')).toMatchObject({ listening: true, port: suggested, error: null });
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
    expect(await call('suggestPort', 0)).toMatchObject({
      ok: false,
      error: { code: 'validation_error', errors: { near: expect.any(Array) } },
    });
  });

  it('a port change and anonymous reads switched off at the same moment: the API then answers exactly as reported', async () => {
    await ok('createRepo', 'acme', { repo_name: 'web' });
    for (let round = 0; round < 10; round++) {
      const port = await freePort();
      const anonymous = round % 2 === 1;
      const changes = [call('updateSettings', { api_port: port }), call('updateSettings', { anonymous_reads: anonymous })];
      // Both orders of asking.
      const answers = await Promise.all(round % 4 < 2 ? changes : changes.reverse());
      expect(
        answers.every((answer) => answer.ok),
        `round ${round}: ${JSON.stringify(answers)}`,
      ).toBe(true);
      const info = await ok<{ url: string; port: number; listening: boolean; anonymous_reads: boolean }>('getServerInfo');
      expect(info, `round ${round}`).toMatchObject({ listening: true, port, anonymous_reads: anonymous });
      expect(await ok('getSettings'), `round ${round}`).toMatchObject({ api_port: port, anonymous_reads: anonymous });
      expect((await httpCall(info.url, null, 'GET', '/v1/repositories/acme/web')).status, `round ${round}`).toBe(anonymous ? 200 : 401);
    }
  });

  it('turning anonymous reads off applies to the running API', async () => {
    await ok('createRepo', 'acme', { repo_name: 'web' });
    const info = await ok<{ url: string }>('getServerInfo');
    expect((await httpCall(info.url, null, 'GET', '/v1/repositories/acme/web')).status).toBe(200);
    await ok('updateSettings', { anonymous_reads: false });
    const after = await ok<{ url: string; anonymous_reads: boolean }>('getServerInfo');
    expect(after.anonymous_reads).toBe(false);
    expect((await httpCall(after.url, null, 'GET', '/v1/repositories/acme/web')).status).toBe(401);
    expect((await httpCall(after.url, harness.backend.token(), 'GET', '/v1/repositories/acme/web')).status).toBe(200);
  });

  it('settings changes made in quick succession apply in order: the last one is both saved and served', async () => {
    await ok('createRepo', 'acme', { repo_name: 'web' });
    const home = (await ok<{ port: number }>('getServerInfo')).port;
    for (let round = 0; round < 10; round++) {
      const away = await freePort();
      const last = round % 2 === 0;
      // Off/on/off/on (or the reverse) while the port goes away and back.
      const patches = [
        { anonymous_reads: !last },
        { api_port: away },
        { anonymous_reads: last },
        { api_port: home },
        { anonymous_reads: !last },
        { anonymous_reads: last },
      ];
      const answers = await Promise.all(patches.map((patch) => call('updateSettings', patch)));
      expect(
        answers.map((answer) => answer.ok),
        `round ${round}: ${JSON.stringify(answers)}`,
      ).toEqual(patches.map(() => true));
      const info = await ok<{ url: string; port: number; anonymous_reads: boolean }>('getServerInfo');
      expect(info, `round ${round}`).toMatchObject({ port: home, anonymous_reads: last });
      expect(await ok('getSettings'), `round ${round}`).toMatchObject({ api_port: home, anonymous_reads: last });
      expect((await httpCall(info.url, null, 'GET', '/v1/repositories/acme/web')).status, `round ${round}`).toBe(last ? 200 : 401);
    }
  });

  it('an invalid stored setting is reported to the window and the safer value is served', async () => {
    const root = harness.root;
    await ok('createRepo', 'acme', { repo_name: 'web' });
    await harness.close();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    harness = await startHarnessBackend({ root, storedSettings: { anonymous_reads: 'no', theme: 'sepia' } });
    dispatch = harness.dispatcherFor(APP);
    expect(await ok('getSettings')).toMatchObject({ anonymous_reads: false, theme: 'system' });
    const problems = await ok<{ setting: string | null; detail: string }[]>('getSettingsProblems');
    expect(problems.map((problem) => problem.setting).sort()).toEqual(['anonymous_reads', 'theme']);
    expect(problems.find((problem) => problem.setting === 'anonymous_reads')?.detail).toMatch(/"no".*anonymous reads are off/);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('anonymous reads are off'));
    warn.mockRestore();
    const info = await ok<{ url: string; anonymous_reads: boolean }>('getServerInfo');
    expect(info.anonymous_reads).toBe(false);
    expect((await httpCall(info.url, null, 'GET', '/v1/repositories/acme/web')).status).toBe(401);

    // Choosing a value replaces the bad one, and the report goes.
    await ok('updateSettings', { anonymous_reads: true });
    expect((await ok<{ setting: string | null }[]>('getSettingsProblems')).map((problem) => problem.setting)).toEqual(['theme']);
    expect((await httpCall(info.url, null, 'GET', '/v1/repositories/acme/web')).status).toBe(200);
  });

  it('settings and data persist across a restart of the backend', async () => {
    await ok('createRepo', 'acme', { repo_name: 'web' });
    await ok('updateSettings', { theme: 'dark', anonymous_reads: false, last_namespace: 'acme' });
    harness.settings.setWindowBounds({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
    const token = await ok<string>('getToken');
    const root = harness.root;
    await harness.close();

    harness = await startHarnessBackend({ root });
    dispatch = harness.dispatcherFor(APP);
    expect(await ok('getSettings')).toMatchObject({ theme: 'dark', anonymous_reads: false, last_namespace: 'acme' });
    expect(harness.settings.windowBounds()).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
    expect(await ok('getServerInfo')).toMatchObject({ anonymous_reads: false, listening: true });
    expect(await ok('getToken')).toBe(token);
    expect(await ok('getRepo', 'acme', 'web')).toMatchObject({ repo_path: 'acme/web' });
  });
});

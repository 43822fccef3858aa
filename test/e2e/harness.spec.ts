/**
 * The browser harness itself: the built renderer in Chromium, (globalThis as unknown as Page).berth injected before the
 * page loads, every call going through the real IPC handler table of a real backend.
 */
import { OPERATION_NAMES, type BerthChangeEvent } from '../../main/contract/api';
import { expect, test, type BerthWindow } from '../harness/fixtures';

// Callbacks of page.evaluate run in the page: they name its global through this type.
type Page = BerthWindow & { __changes?: BerthChangeEvent[]; __stop?: () => void };

test('a namespace and a repo created through window.berth can be read back over HTTP', async ({ berth }) => {
  const created = await berth.page.evaluate(async () => {
    await (globalThis as unknown as Page).berth.createNamespace('acme');
    return (globalThis as unknown as Page).berth.createRepo('acme', { repo_name: 'web', description: 'Front end', is_public: false });
  });
  expect(created).toMatchObject({ namespace: 'acme', repo_name: 'web', repo_path: 'acme/web', is_public: false });

  const detail = await berth.http('GET', '/v1/repositories/acme/web');
  expect(detail.status).toBe(200);
  expect(detail.body).toMatchObject({ namespace: 'acme', repo_name: 'web', description: 'Front end', is_public: false });

  const namespace = await berth.http('GET', '/v1/namespaces/acme');
  expect(namespace.status).toBe(200);
  expect(namespace.body).toMatchObject({ namespace: 'acme', repo_count: 1 });

  // The window is the token holder; an anonymous tool does not see the private repo.
  expect((await berth.http('GET', '/v1/repositories/acme/web', undefined, { anonymous: true })).status).toBe(404);
});

test('a change made over HTTP reaches an onChange listener in the page within a second', async ({ berth }) => {
  await berth.page.evaluate(() => {
    (globalThis as unknown as Page).__changes = [];
    (globalThis as unknown as Page).__stop = (globalThis as unknown as Page).berth.onChange((change) =>
      (globalThis as unknown as Page).__changes?.push(change),
    );
  });
  const answer = await berth.http('POST', '/v1/repositories/tools/', { repo_name: 'cli' });
  expect(answer.status).toBe(201);
  await expect
    .poll(() => berth.page.evaluate(() => (globalThis as unknown as Page).__changes ?? []), { timeout: 1_000, intervals: [25, 50, 100] })
    .toContainEqual(expect.objectContaining({ entity: 'repo', action: 'created', namespace: 'tools', repo_name: 'cli' }));

  // After unsubscribing, the page hears nothing more.
  const heard = await berth.page.evaluate(() => {
    (globalThis as unknown as Page).__stop?.();
    return (globalThis as unknown as Page).__changes?.length ?? 0;
  });
  await berth.http('DELETE', '/v1/repositories/tools/cli/');
  await berth.http('POST', '/v1/repositories/tools/', { repo_name: 'cli2' });
  await berth.page.evaluate(() => (globalThis as unknown as Page).berth.getServerInfo()); // a round trip after the writes
  expect(await berth.page.evaluate(() => (globalThis as unknown as Page).__changes?.length ?? 0)).toBe(heard);
});

test('errors reach the page as plain {detail, code, errors} objects, as over HTTP', async ({ berth }) => {
  const rejected = await berth.page.evaluate(() =>
    (globalThis as unknown as Page).berth.createRepo('acme', { repo_name: 'Not A Name!' }).then(
      () => null,
      (error: unknown) => ({ error, isError: error instanceof Error }),
    ),
  );
  expect(rejected?.isError).toBe(false);
  expect(rejected?.error).toMatchObject({ code: 'validation_error', errors: { repo_name: expect.any(Array) } });

  const http = await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'Not A Name!' });
  expect(http.status).toBe(400);
  expect((rejected?.error as { detail: string }).detail).toBe((http.body as { detail: string }).detail);

  // A wrong argument type never reaches the registry.
  const badType = await berth.page.evaluate(() =>
    ((globalThis as unknown as Page).berth.createNamespace as unknown as (value: unknown) => Promise<unknown>)({ namespace: 'x' }).catch(
      (error: unknown) => error,
    ),
  );
  expect(badType).toMatchObject({ code: 'validation_error', errors: { namespace: expect.any(Array) } });
  expect((await berth.http('GET', '/v1/namespaces/')).body).toMatchObject({ count: 0 });
});

test('window.berth offers the named operations and nothing of Electron or Node', async ({ berth }) => {
  const shape = await berth.page.evaluate(() => ({
    keys: Object.keys((globalThis as unknown as Page).berth).sort(),
    allFunctions: Object.values((globalThis as unknown as Page).berth).every((value) => typeof value === 'function'),
    frozen: Object.isFrozen((globalThis as unknown as Page).berth),
    node: typeof (globalThis as unknown as { require?: unknown }).require,
    process: typeof (globalThis as unknown as { process?: unknown }).process,
  }));
  expect(shape.keys).toEqual([...OPERATION_NAMES, 'onChange', 'onMenuCommand'].sort());
  expect(shape).toMatchObject({ allFunctions: true, frozen: true, node: 'undefined', process: 'undefined' });
});

test('settings and server info are served through window.berth', async ({ berth }) => {
  const { info, settings, token } = await berth.page.evaluate(async () => ({
    info: await (globalThis as unknown as Page).berth.getServerInfo(),
    settings: await (globalThis as unknown as Page).berth.getSettings(),
    token: await (globalThis as unknown as Page).berth.getToken(),
  }));
  expect(info).toMatchObject({ url: berth.apiUrl, listening: true, error: null });
  expect(settings).toMatchObject({ theme: 'system', anonymous_reads: true, api_port: info.port });
  expect(token).toBe(berth.token);

  const updated = await berth.page.evaluate(() =>
    (globalThis as unknown as Page).berth.updateSettings({ theme: 'dark', last_namespace: 'acme' }),
  );
  expect(updated).toMatchObject({ theme: 'dark', last_namespace: 'acme' });
  expect(berth.settings.get()).toMatchObject({ theme: 'dark', last_namespace: 'acme' });
});

test('a burst of changes arrives complete and in order, and menu commands reach onMenuCommand', async ({ berth }) => {
  await berth.page.evaluate(() => {
    const page = globalThis as unknown as Page & { __commands?: string[] };
    page.__changes = [];
    page.__commands = [];
    page.berth.onChange((change) => page.__changes?.push(change));
    page.berth.onMenuCommand?.((command) => page.__commands?.push(command));
  });
  const names = Array.from({ length: 40 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
  for (const name of names) await berth.registry.createRepo('burst', { repo_name: name });
  await expect
    .poll(() =>
      berth.page.evaluate(() =>
        ((globalThis as unknown as Page).__changes ?? []).flatMap((c) => (c.entity === 'repo' ? [c.repo_name] : [])),
      ),
    )
    .toEqual(names);

  await berth.menu('new-repository');
  expect(await berth.page.evaluate(() => (globalThis as unknown as { __commands?: string[] }).__commands)).toEqual(['new-repository']);
});

/**
 * Live registry events from a real CNCF Distribution (`docker-registry`) whose config.yml holds
 * the `notifications:` block Berth's events-config answered: a push makes or moves the local tag,
 * a GET pull counts a download (a HEAD and Berth's own requests do not), a delete removes the
 * local tags of that digest, a redelivered event applies once, a wrong secret is a 401, and
 * auto_import imports a repository the registry reports a push to.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type BerthBackend } from '../../main/backend';
import type { EventsConfigView, JobView, TagDetailView } from '../../main/contract/types';
import { USER_AGENT } from '../../main/registries/index';
import { call, tempDir } from '../http/serve-process';
import { buildImage } from '../registries/rig/images';
import { pushImage } from '../registries/rig/pusher';
import { startRegistry, type RunningRegistry } from '../registries/rig/registry-process';
import { caller, eventually, finished } from './support';

let registry: RunningRegistry;
let backend: BerthBackend;
let dir: Awaited<ReturnType<typeof tempDir>>;
let api: string;
let config: EventsConfigView;
const v1 = caller(
  () => api,
  () => backend.token(),
);

const first = buildImage({ format: 'oci', created: '2024-03-02T10:00:00Z', layers: [{ a: '1' }] });
const second = buildImage({ format: 'docker', created: '2024-04-01T08:00:00Z', layers: [{ b: '2' }] });
const hex = (digest: string) => digest.slice('sha256:'.length);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

const tagsOf = async (path: string) =>
  Object.fromEntries(
    ((await v1('GET', `/v1/repositories/${path}/tags`)).body as { tag: string; image_id: string }[]).map((t) => [t.tag, t.image_id]),
  );
const downloads = async (path: string) => ((await v1('GET', `/v1/repositories/${path}`)).body as { download: number }).download;
const postEvents = (secret: string | null, body: unknown) =>
  call(api, 'POST', '/v1/registries/local/events', {
    body,
    headers: {
      'content-type': 'application/vnd.docker.distribution.events.v1+json',
      ...(secret === null ? {} : { authorization: `Bearer ${secret}` }),
    },
  });

beforeAll(async () => {
  dir = await tempDir('berth-events-');
  backend = await createBackend({
    dataDir: join(dir.path, 'data'),
    port: 0,
    registries: { client: { requestTimeoutMs: 5_000, connectTimeoutMs: 1_000 } },
  });
  api = (await backend.startApi()).url!;
  // Berth first (the registry's config names it), then the registry with the YAML Berth gave.
  const port = await freePort();
  expect((await v1('POST', '/v1/registries/?verify=false', { name: 'local', url: `http://127.0.0.1:${port}` })).status).toBe(201);
  const answer = await v1('GET', '/v1/registries/local/events-config');
  expect(answer.status).toBe(200);
  config = answer.body as EventsConfigView;
  registry = await startRegistry({ deleteEnabled: true, port, extraYaml: config.yaml });
  await pushImage({ url: registry.url }, 'team/app', ['1.0'], first);
  const imported = await finished(v1, (await v1('POST', '/v1/registries/local/imports', { repositories: ['team/app'] })).body as JobView);
  expect(imported).toMatchObject({ state: 'succeeded', errors: [] });
}, 90_000);

afterAll(async () => {
  await backend?.close();
  await registry?.stop();
  await dir?.cleanup();
});

describe('events-config', () => {
  it('answers the URL, a secret of its own and a notifications: block naming both', () => {
    expect(config.url).toBe(`${api}/v1/registries/local/events`);
    expect(config.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(config.secret).not.toBe(backend.token());
    expect(config.yaml).toMatch(/^notifications:\n/);
    expect(config.yaml).toContain(`url: "${config.url}"`);
    expect(config.yaml).toContain(`Authorization: ["Bearer ${config.secret}"]`);
  });

  it('is for token holders, and the same secret every time', async () => {
    expect((await call(api, 'GET', '/v1/registries/local/events-config', {})).status).toBe(401);
    expect(((await v1('GET', '/v1/registries/local/events-config')).body as EventsConfigView).secret).toBe(config.secret);
    expect((await v1('GET', '/v1/registries/nope/events-config')).status).toBe(404);
  });
});

describe('a registry with the YAML', () => {
  it('push: a new tag appears locally, from the registry', async () => {
    await pushImage({ url: registry.url }, 'team/app', ['2.0'], second);
    await eventually(async () => expect(await tagsOf('team/app')).toEqual({ '1.0': hex(first.digest), '2.0': hex(second.digest) }));
    const tag = (await v1('GET', '/v1/repositories/team/app/tags/2.0')).body as TagDetailView;
    expect(tag).toMatchObject({ source: 'registry:local', digest: second.digest, image_created: '2024-04-01T08:00:00Z' });
    const history = (await v1('GET', '/v1/repositories/team/app/history?page_size=1')).body as {
      results: { actor: string; action: string }[];
    };
    expect(history.results[0]).toMatchObject({ actor: 'registry:local', action: 'tag.create' });
  });

  it('push of an existing tag to another image moves it', async () => {
    await pushImage({ url: registry.url }, 'team/app', ['1.0'], second);
    await eventually(async () => expect((await tagsOf('team/app'))['1.0']).toBe(hex(second.digest)));
  });

  it("pull: a GET counts a download, a HEAD and Berth's own sync do not", async () => {
    const before = await downloads('team/app');
    const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
    await fetch(`${registry.url}/v2/team/app/manifests/2.0`, { method: 'HEAD', headers: { accept } });
    const synced = await finished(v1, (await v1('POST', '/v1/repositories/team/app/sync')).body as JobView);
    expect(synced.state).toBe('succeeded');
    const pulled = await fetch(`${registry.url}/v2/team/app/manifests/2.0`, { headers: { accept, 'user-agent': 'docker/27.0 go/go1.22' } });
    expect(pulled.status).toBe(200);
    await pulled.arrayBuffer();
    // Events are applied in the order the registry sent them: once the GET counted, the HEAD's and the sync's have been seen.
    await eventually(async () => expect(await downloads('team/app')).toBeGreaterThan(before));
    expect(await downloads('team/app')).toBe(before + 1);
    expect(((await v1('GET', '/v1/repositories/team/app')).body as { pulled_at: string | null }).pulled_at).toEqual(expect.any(String));
  });

  it('delete: the local tags of the deleted manifest go', async () => {
    await pushImage({ url: registry.url }, 'team/app', ['3.0'], first);
    await eventually(async () => expect(Object.keys(await tagsOf('team/app')).sort()).toEqual(['1.0', '2.0', '3.0']));
    const deleted = await fetch(`${registry.url}/v2/team/app/manifests/${second.digest}`, { method: 'DELETE' });
    expect(deleted.status).toBe(202);
    await eventually(async () => expect(await tagsOf('team/app')).toEqual({ '3.0': hex(first.digest) }));
  });

  it('auto_import: a push to a repository no repo links imports it', async () => {
    expect((await v1('PATCH', '/v1/registries/local?verify=false', { auto_import: true })).status).toBe(200);
    await pushImage({ url: registry.url }, 'fresh/tool', ['0.1'], first);
    await eventually(async () => expect(await tagsOf('fresh/tool')).toEqual({ '0.1': hex(first.digest) }));
    expect(((await v1('GET', '/v1/repositories/fresh/tool/link')).body as { repository: string }).repository).toBe('fresh/tool');
  });
});

describe('the events route', () => {
  const pullEvent = (id: string) => ({
    id,
    timestamp: new Date().toISOString(),
    action: 'pull',
    target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: first.digest, size: 10, repository: 'team/app', tag: '3.0' },
    request: { method: 'GET', useragent: 'containerd/1.7' },
  });

  it('applies a redelivered event once', async () => {
    const before = await downloads('team/app');
    const once = await postEvents(config.secret, { events: [pullEvent('redelivered-1')] });
    expect(once).toMatchObject({ status: 200, body: { accepted: 1, ignored: 0 } });
    const again = await postEvents(config.secret, { events: [pullEvent('redelivered-1')] });
    expect(again).toMatchObject({ status: 200, body: { accepted: 0, ignored: 1 } });
    await postEvents(config.secret, { events: [pullEvent('redelivered-2')] });
    await eventually(async () => expect(await downloads('team/app')).toBe(before + 2));
  });

  it("ignores blobs, HEAD pulls and Berth's own pulls at once", async () => {
    const blob = {
      ...pullEvent('blob-1'),
      target: { mediaType: 'application/octet-stream', digest: first.digest, repository: 'team/app' },
    };
    const head = { ...pullEvent('head-1'), request: { method: 'HEAD', useragent: 'docker/27' } };
    const own = { ...pullEvent('own-1'), request: { method: 'GET', useragent: USER_AGENT } };
    expect((await postEvents(config.secret, { events: [blob, head, own] })).body).toEqual({ accepted: 0, ignored: 3 });
  });

  it('refuses a missing or wrong secret, the API token included, and an unknown registry, with a 401', async () => {
    for (const secret of [null, 'wrong', backend.token()]) {
      const answer = await postEvents(secret, { events: [pullEvent('nope')] });
      expect(answer.status, String(secret)).toBe(401);
      expect(answer.text).not.toContain(config.secret);
    }
    const unknown = await call(api, 'POST', '/v1/registries/ghost/events', {
      body: { events: [] },
      headers: { authorization: `Bearer ${config.secret}` },
    });
    expect(unknown.status).toBe(401);
  });

  it('refuses a body that is not an envelope with a 400', async () => {
    expect((await postEvents(config.secret, { nope: 1 })).status).toBe(400);
    expect((await postEvents(config.secret, { events: [{ action: 'push' }] })).status).toBe(400);
  });
});

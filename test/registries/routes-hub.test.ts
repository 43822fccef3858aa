/**
 * /v1/registries against a local Docker Hub (registry, token service, repository listing) and a
 * registry that never answers: Hub needs a namespace to list repositories, its pull references
 * read docker.io/… without library/, and a silent registry is a 504 registry_timeout.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type BerthBackend } from '../../main/backend';
import { call, tempDir } from '../http/serve-process';
import { type HubFixture, type HubRepository, startHubFixture } from './rig/hub-fixture';
import { buildImage, buildIndex } from './rig/images';

const amd = buildImage({ format: 'oci' });
const arm = buildImage({ format: 'oci', architecture: 'arm64', variant: 'v8' });
const nginxIndex = buildIndex('oci', [amd, arm]);
const repo = (isPublic: boolean, tags: HubRepository['tags'], images = [amd]): HubRepository => ({
  public: isPublic,
  tags,
  manifests: images,
  blobs: images.flatMap((i) => [i.config, ...i.layers]),
});

let hub: HubFixture;
let silent: Server;
const sockets = new Set<Socket>();
let backend: BerthBackend;
let dir: Awaited<ReturnType<typeof tempDir>>;
let api: string;
const v1 = (method: string, path: string, body?: unknown) =>
  call(api, method, path, { token: backend.token(), ...(body === undefined ? {} : { body }) });

beforeAll(async () => {
  hub = await startHubFixture(
    {
      'library/nginx': repo(true, { latest: nginxIndex, mainline: amd }, [amd, arm]),
      'library/alpine': repo(true, { '3': amd }),
      'dave/tool': repo(true, { v1: amd }),
    },
    {},
  );
  // Accepts connections and never says a word.
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  dir = await tempDir('berth-registries-hub-');
  backend = await createBackend({
    dataDir: join(dir.path, 'data'),
    port: 0,
    registries: {
      client: { dockerHub: { registry: hub.registry.url, hubApi: hub.hub.url }, requestTimeoutMs: 500, retry: { maxRetries: 0 } },
    },
  });
  api = (await backend.startApi()).url!;
});

afterAll(async () => {
  await backend?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  await hub?.close();
  await dir?.cleanup();
});

describe('Docker Hub as a registry', () => {
  it('is what docker.io names', async () => {
    const created = await v1('POST', '/v1/registries/', { name: 'hub', url: 'docker.io' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'hub',
      url: 'https://docker.io',
      kind: 'dockerhub',
      status: { ok: true, detail: 'Connected to Docker Hub anonymously.' },
    });
  });

  it('needs ?namespace= to list repositories, having no catalog', async () => {
    const missing = await v1('GET', '/v1/registries/hub/repositories');
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      code: 'validation_error',
      errors: { namespace: [expect.stringContaining('required for Docker Hub')] },
    });
    const library = await v1('GET', '/v1/registries/hub/repositories?namespace=library');
    expect(library.body).toEqual({ results: ['library/alpine', 'library/nginx'], next: null });
    const unknown = await v1('GET', '/v1/registries/hub/repositories?namespace=nobody');
    expect(unknown.status).toBe(404);
  });

  it('reads official images under library/ and gives the pull reference docker pull takes', async () => {
    const tags = await v1('GET', '/v1/registries/hub/tags?repository=nginx');
    expect(tags.body).toEqual({ repository: 'nginx', results: ['latest', 'mainline'], next: null });
    const manifest = await v1('GET', '/v1/registries/hub/manifests?repository=library/nginx&reference=latest');
    expect(manifest.body).toMatchObject({
      digest: nginxIndex.digest,
      pull_ref: 'docker.io/nginx',
      platforms: [{ architecture: 'amd64' }, { architecture: 'arm64' }],
    });
    const user = await v1('GET', '/v1/registries/hub/manifests?repository=dave/tool&reference=v1');
    expect(user.body).toMatchObject({ digest: amd.digest, pull_ref: 'docker.io/dave/tool' });
  });
});

describe('a registry that does not answer', () => {
  it('is a 504 registry_timeout, and nothing is saved', async () => {
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const answer = await v1('POST', '/v1/registries/', { name: 'mute', url });
    expect(answer.status).toBe(504);
    expect(answer.body).toMatchObject({ code: 'registry_timeout', detail: expect.stringContaining('did not answer within 500 ms') });
    expect((await v1('GET', '/v1/registries/mute')).status).toBe(404);
  });
});

/**
 * Docker Hub, through a local fixture: `docker.io` names it, its token service hands out
 * anonymous or signed-in tokens, official images live under `library/`, and Hub's repository
 * listing (which needs a namespace) stands in for the catalog it does not have.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../main/registries';
import { expectCode } from '../support/expect-error';
import { type HubFixture, type HubRepository, startHubFixture } from './rig/hub-fixture';
import { buildImage, buildIndex, imageTotal } from './rig/images';

const amd = buildImage({ format: 'oci', labels: { 'org.opencontainers.image.source': 'nginx' } });
const arm = buildImage({ format: 'oci', architecture: 'arm64', variant: 'v8', layers: [{ a: 'x'.repeat(3000) }] });
const attestation = buildImage({ format: 'oci', os: 'unknown', architecture: 'unknown' });
const nginxIndex = buildIndex('oci', [amd, arm], undefined, [
  {
    mediaType: attestation.mediaType,
    digest: attestation.digest,
    size: attestation.size,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd.digest },
  },
]);

function repo(isPublic: boolean, tags: HubRepository['tags'], images = [amd]): HubRepository {
  return { public: isPublic, tags, manifests: images, blobs: images.flatMap((i) => [i.config, ...i.layers]) };
}

const repositories: Record<string, HubRepository> = {
  'library/nginx': repo(true, { latest: nginxIndex, '1.25': nginxIndex, mainline: amd }, [amd, arm]),
  'library/alpine': repo(true, { '3': amd }),
  'dave/private-tool': repo(false, { v1: amd }),
  'dave/public-tool': repo(true, { v1: amd }),
};
// Enough official images for Hub to need two of its 100-name pages.
for (let i = 0; i < 130; i++) repositories[`library/img-${String(i).padStart(3, '0')}`] = repo(true, { latest: amd });

let hub: HubFixture;
const clients: RegistryClient[] = [];

function connect(credentials: { username: string; password: string } | null = null): RegistryClient {
  const client = new RegistryClient({ url: 'docker.io', credentials, dockerHub: { registry: hub.registry.url, hubApi: hub.hub.url } });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  hub = await startHubFixture(repositories, { dave: 'hub-pass' });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await hub?.close();
});

describe('Docker Hub', () => {
  it('is what docker.io names, and answers the API check with an anonymous token', async () => {
    const client = connect();
    expect(client.endpoint).toMatchObject({ kind: 'dockerhub', url: 'https://docker.io', host: 'docker.io', label: 'Docker Hub' });
    await client.ping();
    expect(hub.auth.requests.at(-1)?.url.searchParams.get('service')).toBe('registry.docker.io');
    expect(hub.auth.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('checks credentials at the token service and quotes its refusal', async () => {
    await connect({ username: 'dave', password: 'hub-pass' }).ping();
    const error = await expectCode(connect({ username: 'dave', password: 'nope' }).ping(), 'registry_auth_failed');
    expect(error.detail).toBe('Docker Hub refused the credentials of dave: "incorrect username or password".');
  });

  it("lists a namespace through Hub's listing, in byte order across its pages, never asking for a catalog", async () => {
    const client = connect();
    await expectCode(client.listRepositories({ n: 50 }), 'validation_error');
    const first = await client.listRepositories({ n: 100, namespace: 'library' });
    expect(first.results[0]).toBe('library/alpine');
    expect(first.results).toHaveLength(100);
    expect(first.next).toBe(first.results[99]);
    const second = await client.listRepositories({ n: 100, namespace: 'library', ...(first.next ? { last: first.next } : {}) });
    expect(second.next).toBeNull();
    const all = [...first.results, ...second.results];
    expect(all).toHaveLength(132);
    expect(all).toEqual([...all].sort());
    expect(all).toContain('library/nginx');
    expect(hub.hub.requests.filter((r) => r.url.pathname === '/v2/repositories/library/').length).toBeGreaterThanOrEqual(2);
    expect(hub.registry.requests.some((r) => r.url.pathname === '/v2/_catalog')).toBe(false);
  });

  it('reports an unknown namespace as not_found', async () => {
    const error = await expectCode(connect().listRepositories({ n: 10, namespace: 'nobody' }), 'not_found');
    expect(error.detail).toContain('object not found');
  });

  it('reads an official image by its short name under library/', async () => {
    const client = connect();
    expect((await client.listTags('nginx', { n: 10 })).results).toEqual(['1.25', 'latest', 'mainline']);
    expect(hub.registry.requests.at(-1)?.url.pathname).toBe('/v2/library/nginx/tags/list');
    const summary = await client.manifestSummary('nginx', 'latest');
    expect(summary.repository).toBe('nginx');
    expect(summary.digest).toBe(nginxIndex.digest);
    // The attestation BuildKit attaches is not a platform.
    expect(summary.platforms.map((p) => [p.os, p.architecture, p.variant])).toEqual([
      ['linux', 'amd64', null],
      ['linux', 'arm64', 'v8'],
    ]);
    expect(summary.total_size).toBe(Math.max(imageTotal(amd), imageTotal(arm)));
  });

  it('reads a config from the CDN host Hub redirects blobs to, without sending the token there', async () => {
    const summary = await connect().manifestSummary('library/nginx', 'mainline');
    expect(summary.config?.labels).toEqual({ 'org.opencontainers.image.source': 'nginx' });
    const cdn = hub.hub.requests.filter((r) => r.url.pathname.startsWith('/cdn/'));
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('reads a private repository only when signed in', async () => {
    expect((await connect({ username: 'dave', password: 'hub-pass' }).listTags('dave/private-tool', { n: 10 })).results).toEqual(['v1']);
    const error = await expectCode(connect().listTags('dave/private-tool', { n: 10 }), 'registry_auth_failed');
    expect(error.detail).toContain('UNAUTHORIZED: authentication required');
  });
});

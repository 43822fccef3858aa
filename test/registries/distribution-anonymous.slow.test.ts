/**
 * The client against a real CNCF Distribution 2.8 (`docker-registry`) open to anonymous users,
 * deletes enabled, holding images this test pushes over the v2 API.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../main/registries';
import { expectCode } from '../support/expect-error';
import { buildImage, buildIndex, type BuiltImage, type BuiltManifest, imageTotal } from './rig/images';
import { pushImage, pushIndex } from './rig/pusher';
import { type RunningRegistry, startRegistry } from './rig/registry-process';
import { requireTool } from './rig/tools';

const APP_TAGS = ['latest', '1.0', 'Zeta', 'dev', '2.0', '1.1', '1.10', 'rc-1'];
const REPOSITORIES = ['alpha/app', 'alpha/docker', 'beta/multi', 'beta/dlist', 'gamma', 'team/deep/nested'];

let registry: RunningRegistry;
let client: RegistryClient;
let ociImage: BuiltImage;
let dockerImage: BuiltImage;
let arm: BuiltImage;
let index: BuiltManifest;
let manifestList: BuiltManifest;

beforeAll(async () => {
  registry = await startRegistry({ deleteEnabled: true });
  const target = { url: registry.url };
  ociImage = buildImage({
    format: 'oci',
    labels: { 'org.opencontainers.image.title': 'app' },
    created: '2024-03-02T10:00:00Z',
    layers: [{ a: '1' }, { b: '2' }],
  });
  dockerImage = buildImage({ format: 'docker', labels: { maintainer: 'ops' } });
  arm = buildImage({ format: 'oci', architecture: 'arm64', variant: 'v8', layers: [{ big: 'x'.repeat(5000) }] });
  index = buildIndex('oci', [ociImage, arm], { 'org.opencontainers.image.version': '1' });
  const dockerArm = buildImage({ format: 'docker', architecture: 'arm', variant: 'v7' });
  manifestList = buildIndex('docker', [dockerImage, dockerArm]);
  await pushImage(target, 'alpha/app', APP_TAGS, ociImage);
  await pushImage(target, 'alpha/docker', ['v1'], dockerImage);
  await pushIndex(target, 'beta/multi', ['v1', 'stable'], index, [ociImage, arm]);
  await pushIndex(target, 'beta/dlist', ['v1'], manifestList, [dockerImage, dockerArm]);
  await pushImage(target, 'gamma', ['only'], dockerImage);
  await pushImage(target, 'team/deep/nested', ['x'], ociImage);
  client = new RegistryClient({ url: registry.url });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await registry?.stop();
});

describe('an anonymous CNCF Distribution registry', () => {
  it('answers the API check', async () => {
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it('lists the catalog page by page, following its Link header', async () => {
    const seen: string[] = [];
    let last: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await client.listRepositories({ n: 2, ...(last ? { last } : {}) });
      expect(page.results.length).toBeLessThanOrEqual(2);
      seen.push(...page.results);
      if (!page.next) break;
      last = page.next;
    }
    expect(seen).toEqual([...REPOSITORIES].sort());
    expect(await client.allRepositories()).toEqual([...REPOSITORIES].sort());
  });

  it('pages tags itself in byte order, since Distribution 2.8 ignores n and last on tag lists', async () => {
    const pages: string[][] = [];
    let last: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await client.listTags('alpha/app', { n: 3, ...(last ? { last } : {}) });
      pages.push(page.results);
      if (!page.next) break;
      expect(page.next).toBe(page.results[page.results.length - 1]);
      last = page.next;
    }
    // Byte order: digits, then upper case, then lower case (not the locale's order).
    expect(pages).toEqual([
      ['1.0', '1.1', '1.10'],
      ['2.0', 'Zeta', 'dev'],
      ['latest', 'rc-1'],
    ]);
    expect(await client.allTags('alpha/app')).toEqual(pages.flat());
  });

  it('summarises a single-platform OCI image with its config', async () => {
    const summary = await client.manifestSummary('alpha/app', '1.0');
    expect(summary).toEqual({
      repository: 'alpha/app',
      reference: '1.0',
      digest: ociImage.digest,
      media_type: 'application/vnd.oci.image.manifest.v1+json',
      size: ociImage.size,
      platforms: [],
      config: {
        digest: ociImage.config.digest,
        created: '2024-03-02T10:00:00Z',
        os: 'linux',
        architecture: 'amd64',
        labels: { 'org.opencontainers.image.title': 'app' },
        history_length: 2,
      },
      layers: ociImage.layers.map((l) => ({ digest: l.digest, size: l.size, media_type: 'application/vnd.oci.image.layer.v1.tar+gzip' })),
      total_size: imageTotal(ociImage),
      annotations: {},
    });
  });

  it('summarises a Docker schema 2 image', async () => {
    const summary = await client.manifestSummary('alpha/docker', 'v1');
    expect(summary.media_type).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(summary.digest).toBe(dockerImage.digest);
    expect(summary.config?.labels).toEqual({ maintainer: 'ops' });
  });

  it('summarises a two-platform OCI index: its platforms, and the largest platform as total size', async () => {
    const summary = await client.manifestSummary('beta/multi', 'v1');
    expect(summary.media_type).toBe('application/vnd.oci.image.index.v1+json');
    expect(summary.digest).toBe(index.digest);
    expect(summary.config).toBeNull();
    expect(summary.layers).toEqual([]);
    expect(summary.annotations).toEqual({ 'org.opencontainers.image.version': '1' });
    expect(summary.platforms).toEqual([
      { os: 'linux', architecture: 'amd64', variant: null, digest: ociImage.digest, size: ociImage.size },
      { os: 'linux', architecture: 'arm64', variant: 'v8', digest: arm.digest, size: arm.size },
    ]);
    expect(summary.total_size).toBe(Math.max(imageTotal(ociImage), imageTotal(arm)));
    expect(imageTotal(arm)).not.toBe(imageTotal(ociImage));
  });

  it('summarises a Docker manifest list, and reads a platform manifest by digest', async () => {
    const summary = await client.manifestSummary('beta/dlist', 'v1');
    expect(summary.media_type).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(summary.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`)).toEqual([
      'linux/amd64',
      'linux/arm/v7',
    ]);
    const byDigest = await client.manifestSummary('beta/dlist', dockerImage.digest);
    expect(byDigest.digest).toBe(dockerImage.digest);
    expect(byDigest.config?.architecture).toBe('amd64');
  });

  it('reads a digest with HEAD', async () => {
    expect(await client.headManifest('beta/multi', 'stable')).toEqual({
      digest: index.digest,
      media_type: 'application/vnd.oci.image.index.v1+json',
      size: index.size,
    });
  });

  it('reports unknown repositories and tags as not_found, quoting the registry', async () => {
    const repo = await expectCode(client.listTags('nobody/here', { n: 10 }), 'not_found');
    expect(repo.detail).toContain('NAME_UNKNOWN: repository name not known to registry');
    const tag = await expectCode(client.manifestSummary('alpha/app', 'missing'), 'not_found');
    expect(tag.detail).toContain('MANIFEST_UNKNOWN');
  });

  it('pushed real images: skopeo reads them', async () => {
    const skopeo = requireTool('skopeo');
    const host = new URL(registry.url).host;
    const { stdout } = await promisify(execFile)(skopeo, ['inspect', '--tls-verify=false', `docker://${host}/alpha/app:1.0`], {
      timeout: 30_000,
    });
    const inspected = JSON.parse(stdout) as { Digest: string; Architecture: string; Labels: Record<string, string> };
    expect(inspected.Digest).toBe(ociImage.digest);
    expect(inspected.Labels).toEqual({ 'org.opencontainers.image.title': 'app' });
  });

  it('deletes a manifest: every tag pointing at it is gone, and an emptied repository lists no tags', async () => {
    const digest = (await client.headManifest('alpha/docker', 'v1')).digest;
    expect(await client.tagsPointingAt('alpha/docker', digest)).toEqual(['v1']);
    await client.deleteManifest('alpha/docker', digest);
    await expectCode(client.headManifest('alpha/docker', 'v1'), 'not_found');
    expect(await client.listTags('alpha/docker', { n: 10 })).toEqual({ results: [], next: null });
  });

  it('finds every tag sharing a digest before deleting it', async () => {
    const digest = (await client.headManifest('beta/multi', 'v1')).digest;
    expect(await client.tagsPointingAt('beta/multi', digest)).toEqual(['stable', 'v1']);
    await client.deleteManifest('beta/multi', digest);
    expect((await client.listTags('beta/multi', { n: 10 })).results).toEqual([]);
  });
});

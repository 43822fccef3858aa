/**
 * The /v1/registries routes of a real backend against real CNCF Distribution registries
 * (`docker-registry`): anonymous with deletes on, htpasswd Basic auth, deletes off. Adding,
 * changing and removing connections; browsing catalogue, tags and manifests; deleting a tag
 * without taking other tags along unasked; and the errors a user meets on the way.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type BerthBackend } from '../../main/backend';
import type { RegistryChangeEvent } from '../../main/contract/types';
import { call, tempDir } from '../http/serve-process';
import { buildImage, buildIndex, type BuiltImage, type BuiltManifest } from './rig/images';
import { pushImage, pushIndex } from './rig/pusher';
import { startRegistry, type RunningRegistry } from './rig/registry-process';

let open: RunningRegistry;
let basic: RunningRegistry;
let noDeletes: RunningRegistry;
let backend: BerthBackend;
let dir: Awaited<ReturnType<typeof tempDir>>;
let api: string;
let token: string;
const events: RegistryChangeEvent[] = [];

const single = buildImage({
  format: 'oci',
  labels: { 'org.opencontainers.image.title': 'app' },
  created: '2024-03-02T10:00:00Z',
  layers: [{ a: '1' }, { b: '2' }],
});
const other = buildImage({ format: 'docker', labels: { maintainer: 'ops' }, created: '2024-04-01T08:00:00Z' });
const arm = buildImage({ format: 'oci', architecture: 'arm64', variant: 'v8', layers: [{ big: 'x'.repeat(4000) }] });
const index: BuiltManifest = buildIndex('oci', [single, arm]);
const REPOSITORIES = ['solo', 'team/app', 'team/multi', 'team/spare'];

const v1 = (method: string, path: string, body?: unknown) => call(api, method, path, { token, ...(body === undefined ? {} : { body }) });
const anonymous = (method: string, path: string, body?: unknown) => call(api, method, path, body === undefined ? {} : { body });

async function seed(registry: RunningRegistry, image: BuiltImage = single): Promise<void> {
  const target = { url: registry.url };
  await pushImage(target, 'team/app', ['1.0', 'latest'], image);
  await pushImage(target, 'team/app', ['dev'], other);
  await pushIndex(target, 'team/multi', ['v1', 'stable'], index, [single, arm]);
  await pushImage(target, 'team/spare', ['only'], other);
  await pushImage(target, 'solo', ['x'], other);
}

beforeAll(async () => {
  [open, basic, noDeletes] = await Promise.all([
    startRegistry({ deleteEnabled: true }),
    startRegistry({ deleteEnabled: true, auth: { kind: 'htpasswd', users: { alice: 'alice-secret-pw' } } }),
    startRegistry({ deleteEnabled: false }),
  ]);
  await Promise.all([seed(open), seed(noDeletes)]);
  await pushImage(
    { url: basic.url, authorization: async () => `Basic ${Buffer.from('alice:alice-secret-pw').toString('base64')}` },
    'private/app',
    ['v1'],
    single,
  );
  dir = await tempDir('berth-registries-');
  // Docker's own config, as `docker login` leaves it, for connections with use_docker_config.
  const dockerConfig = join(dir.path, 'docker');
  await mkdir(dockerConfig);
  const auth = Buffer.from('alice:alice-secret-pw').toString('base64');
  await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [`127.0.0.1:${basic.port}`]: { auth } } }));
  backend = await createBackend({
    dataDir: join(dir.path, 'data'),
    port: 0,
    registries: { client: { requestTimeoutMs: 3_000, connectTimeoutMs: 1_000 }, dockerConfig: { env: { DOCKER_CONFIG: dockerConfig } } },
  });
  api = (await backend.startApi()).url!;
  token = backend.token();
  backend.registries.onChange((event) => events.push(event));
}, 90_000);

afterAll(async () => {
  await backend?.close();
  await Promise.all([open?.stop(), basic?.stop(), noDeletes?.stop()]);
  await dir?.cleanup();
});

describe('registry connections', () => {
  it('are for token holders only: every route answers 401 without the token, even with anonymous reads on', async () => {
    const routes: [string, string][] = [
      ['GET', '/v1/registries/'],
      ['POST', '/v1/registries/'],
      ['GET', '/v1/registries/local'],
      ['PATCH', '/v1/registries/local'],
      ['DELETE', '/v1/registries/local'],
      ['POST', '/v1/registries/local/check'],
      ['GET', '/v1/registries/local/repositories'],
      ['GET', '/v1/registries/local/tags?repository=team/app'],
      ['GET', '/v1/registries/local/manifests?repository=team/app&reference=latest'],
      ['GET', '/v1/registries/local/manifests/tags?repository=team/app&reference=latest'],
      ['DELETE', '/v1/registries/local/manifests?repository=team/app&reference=latest'],
    ];
    for (const [method, path] of routes) {
      const answer = await anonymous(method, path, method === 'POST' || method === 'PATCH' ? { name: 'x', url: open.url } : undefined);
      expect({ method, path, status: answer.status, code: (answer.body as { code: string }).code }).toEqual({
        method,
        path,
        status: 401,
        code: 'unauthorized',
      });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await call(api, 'GET', '/v1/registries/', { token: 'wrong-token' })).status).toBe(401);
  });

  it('adds a registry after checking it, and answers the registry object', async () => {
    const created = await v1('POST', '/v1/registries/', { name: 'local', url: open.url });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: 'local',
      url: open.url,
      kind: 'distribution',
      username: null,
      has_password: false,
      insecure: false,
      auto_import: false,
      use_docker_config: false,
      ca_pem: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.any(String),
      status: { ok: true, checked_at: expect.any(String), detail: `Connected to registry 127.0.0.1:${open.port} anonymously.` },
    });
    expect((await v1('GET', '/v1/registries/local')).body).toEqual(created.body);
    expect(events).toContainEqual({ entity: 'registry', action: 'created', registry: 'local' });
    const again = await v1('POST', '/v1/registries/', { name: 'local', url: open.url });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: 'conflict', detail: 'A registry named local already exists.' });
  });

  it('lists registries Django REST framework style', async () => {
    expect((await v1('POST', '/v1/registries/?verify=false', { name: 'zz-later', url: 'https://registry.invalid' })).status).toBe(201);
    const page = await v1('GET', '/v1/registries/?page_size=1');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ count: 2, previous: null, results: [{ name: 'local' }] });
    expect((page.body as { next: string }).next).toBe(`${api}/v1/registries/?page_size=1&page=2`);
    expect((await v1('GET', '/v1/registries/?page=3&page_size=1')).status).toBe(404);
    expect((await v1('DELETE', '/v1/registries/zz-later')).status).toBe(204);
  });

  it('refuses bad input with every bad field named', async () => {
    const bad = await v1('POST', '/v1/registries/', {
      name: 'Not Valid',
      url: 'http://registry.example.com',
      password: 'pw-without-user',
      ca_pem: 'not a certificate',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'validation_error',
      errors: {
        name: ['Space is not allowed: use lowercase letters, digits and . _ -'],
        url: ['uses plain http: that needs insecure: true (or a loopback host).'],
        password: ['needs a username: give the username it belongs to.'],
        ca_pem: ['must be one or more PEM certificates (-----BEGIN CERTIFICATE----- …).'],
      },
    });
    const unknown = await v1('POST', '/v1/registries/', { name: 'ok-name', url: open.url, token: 'x' });
    expect(unknown.body).toMatchObject({ code: 'validation_error', errors: { token: ['Unknown field: it cannot be set here.'] } });
    const rename = await v1('PATCH', '/v1/registries/local', { name: 'other' });
    expect(rename.body).toMatchObject({ code: 'validation_error', errors: { name: ['Unknown field: it cannot be set here.'] } });
    const withPath = await v1('POST', '/v1/registries/', { name: 'pathy', url: `${open.url}/v2/` });
    expect(withPath.body).toMatchObject({ errors: { url: ['must be the registry root, https://host[:port], without a path or query.'] } });
    expect((await v1('GET', '/v1/registries/local/tags')).body).toMatchObject({
      code: 'validation_error',
      errors: { repository: ['This field is required.'] },
    });
    expect((await v1('GET', '/v1/registries/local/tags?repository=team/app&n=1001')).body).toMatchObject({
      errors: { n: ['Ensure this value is less than or equal to 1000.'] },
    });
    expect((await v1('GET', '/v1/registries/local/tags?repository=Team/App')).body).toMatchObject({
      code: 'validation_error',
      errors: { repository: [expect.any(String)] },
    });
    expect((await v1('GET', '/v1/registries/local/manifests?repository=team/app&reference=bad tag')).body).toMatchObject({
      code: 'validation_error',
      errors: { reference: [expect.any(String)] },
    });
    expect((await v1('GET', '/v1/registries/nope')).body).toEqual({ code: 'not_found', detail: 'There is no registry named "nope".' });
  });

  it('saves nothing when the check fails, and says why in the registry_* codes', async () => {
    const closed = new URL(open.url);
    closed.port = String((await freePort()) || 1);
    const unreachable = await v1('POST', '/v1/registries/', { name: 'gone', url: closed.origin });
    expect(unreachable.status).toBe(502);
    expect(unreachable.body).toMatchObject({ code: 'registry_unreachable', detail: expect.stringContaining('refused the connection') });
    expect((await v1('GET', '/v1/registries/gone')).status).toBe(404);

    // Saved without the check: its status says so; a check and a failed request turn it red.
    const saved = await v1('POST', '/v1/registries/?verify=false', { name: 'gone', url: closed.origin });
    expect(saved.status).toBe(201);
    expect((saved.body as { status: unknown }).status).toEqual({
      ok: null,
      checked_at: null,
      detail: 'Not checked yet: saved without a check.',
    });
    const checked = await v1('POST', '/v1/registries/gone/check');
    expect(checked.status).toBe(200);
    expect((checked.body as { status: { ok: boolean; detail: string } }).status).toMatchObject({
      ok: false,
      detail: expect.stringContaining('refused the connection'),
    });
    const browse = await v1('GET', '/v1/registries/gone/repositories');
    expect(browse.status).toBe(502);
    expect((browse.body as { code: string }).code).toBe('registry_unreachable');
    expect((await v1('DELETE', '/v1/registries/gone')).status).toBe(204);
  });

  it('checks Basic credentials before saving them, and keeps the password out of every answer', async () => {
    const wrong = await v1('POST', '/v1/registries/', { name: 'corp', url: basic.url, username: 'alice', password: 'not-her-password' });
    expect(wrong.status).toBe(502);
    expect(wrong.body).toMatchObject({ code: 'registry_auth_failed' });
    expect(wrong.text).not.toContain('not-her-password');
    expect((await v1('GET', '/v1/registries/corp')).status).toBe(404);

    const created = await v1('POST', '/v1/registries/', { name: 'corp', url: basic.url, username: 'alice', password: 'alice-secret-pw' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      username: 'alice',
      has_password: true,
      status: { ok: true, detail: `Connected to registry 127.0.0.1:${basic.port} as alice.` },
    });
    expect(created.text).not.toContain('alice-secret-pw');
    expect((await v1('GET', '/v1/registries/corp/repositories')).body).toEqual({ results: ['private/app'], next: null });

    // A wrong new password is refused and changes nothing; the saved one keeps working.
    const refused = await v1('PATCH', '/v1/registries/corp', { password: 'stale-password' });
    expect(refused.status).toBe(502);
    expect((await v1('GET', '/v1/registries/corp/tags?repository=private/app')).body).toEqual({
      repository: 'private/app',
      results: ['v1'],
      next: null,
    });
    // Only auto_import changes: no check needed, the password is kept.
    const flagged = await v1('PATCH', '/v1/registries/corp', { auto_import: true });
    expect(flagged.body).toMatchObject({ auto_import: true, has_password: true, username: 'alice' });
    // Going anonymous leaves no password behind (saved without a check: this registry needs one).
    const anonymousNow = await v1('PATCH', '/v1/registries/corp?verify=false', { username: null });
    expect(anonymousNow.body).toMatchObject({ username: null, has_password: false, status: { ok: null } });
    const denied = await v1('GET', '/v1/registries/corp/repositories');
    expect(denied.status).toBe(502);
    expect(denied.body).toMatchObject({ code: 'registry_auth_failed' });
    expect((await v1('DELETE', '/v1/registries/corp')).status).toBe(204);
    const credentials = JSON.parse(await readFile(join(backend.dataDir, 'credentials.json'), 'utf8')) as {
      registries: Record<string, unknown>;
    };
    expect(Object.keys(credentials.registries)).not.toContain('corp');
  });

  it("uses Docker's own credentials on request, read from its config.json each time", async () => {
    const created = await v1('POST', '/v1/registries/', { name: 'via-docker', url: basic.url, use_docker_config: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      username: null,
      has_password: false,
      use_docker_config: true,
      status: { ok: true, detail: `Connected to registry 127.0.0.1:${basic.port} with Docker's credentials.` },
    });
    expect((await v1('GET', '/v1/registries/via-docker/repositories')).body).toEqual({ results: ['private/app'], next: null });
    expect((await v1('DELETE', '/v1/registries/via-docker')).status).toBe(204);
  });
});

describe('browsing a registry', () => {
  it('pages the catalogue by cursor, following the registry', async () => {
    const seen: string[] = [];
    let last: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await v1('GET', `/v1/registries/local/repositories?n=3${last ? `&last=${encodeURIComponent(last)}` : ''}`);
      expect(page.status).toBe(200);
      const body = page.body as { results: string[]; next: string | null };
      seen.push(...body.results);
      last = body.next;
      if (!last) break;
    }
    expect(seen).toEqual(REPOSITORIES);
  });

  it("pages a repository's tags in byte order", async () => {
    const first = await v1('GET', '/v1/registries/local/tags?repository=team/app&n=2');
    expect(first.body).toEqual({ repository: 'team/app', results: ['1.0', 'dev'], next: 'dev' });
    const second = await v1('GET', '/v1/registries/local/tags?repository=team/app&n=2&last=dev');
    expect(second.body).toEqual({ repository: 'team/app', results: ['latest'], next: null });
  });

  it('reads a single image: config, labels, layers, sizes and the pull reference', async () => {
    const answer = await v1('GET', '/v1/registries/local/manifests?repository=team/app&reference=latest');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      repository: 'team/app',
      reference: 'latest',
      digest: single.digest,
      media_type: single.mediaType,
      size: single.size,
      platforms: [],
      config: {
        digest: single.config.digest,
        created: '2024-03-02T10:00:00Z',
        os: 'linux',
        architecture: 'amd64',
        labels: { 'org.opencontainers.image.title': 'app' },
        history_length: 2,
      },
      layers: single.layers.map((l) => ({ digest: l.digest, size: l.size, media_type: l.mediaType })),
      total_size: single.config.size + single.layers.reduce((sum, l) => sum + l.size, 0),
      annotations: {},
      pull_ref: `127.0.0.1:${open.port}/team/app`,
    });
  });

  it('reads a multi-platform index, by tag and by digest', async () => {
    const byTag = await v1('GET', '/v1/registries/local/manifests?repository=team/multi&reference=v1');
    expect(byTag.body).toMatchObject({
      digest: index.digest,
      media_type: 'application/vnd.oci.image.index.v1+json',
      config: null,
      layers: [],
      platforms: [
        { os: 'linux', architecture: 'amd64', variant: null, digest: single.digest, size: single.size },
        { os: 'linux', architecture: 'arm64', variant: 'v8', digest: arm.digest, size: arm.size },
      ],
    });
    const byDigest = await v1('GET', `/v1/registries/local/manifests?repository=team/multi&reference=${arm.digest}`);
    expect(byDigest.body).toMatchObject({ digest: arm.digest, reference: arm.digest, config: { architecture: 'arm64' } });
  });

  it("answers 404 quoting the registry's own message for what it does not know", async () => {
    const repo = await v1('GET', '/v1/registries/local/tags?repository=no/such');
    expect(repo.status).toBe(404);
    expect(repo.body).toMatchObject({ code: 'not_found', detail: expect.stringContaining('NAME_UNKNOWN') });
    const tag = await v1('GET', '/v1/registries/local/manifests?repository=team/app&reference=nope');
    expect(tag.status).toBe(404);
    expect(tag.body).toMatchObject({ code: 'not_found', detail: expect.stringContaining('MANIFEST_UNKNOWN') });
  });

  it('names the tags sharing a manifest before deleting it', async () => {
    const shared = await v1('GET', '/v1/registries/local/manifests/tags?repository=team/app&reference=latest');
    expect(shared.body).toEqual({ repository: 'team/app', reference: 'latest', digest: single.digest, tags: ['1.0', 'latest'] });
  });

  it('deletes a tag: 409 naming the tags that share its manifest unless all_tags=true', async () => {
    const conflict = await v1('DELETE', '/v1/registries/local/manifests?repository=team/app&reference=latest');
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      code: 'conflict',
      detail: `Tag 1.0 of team/app points at the same manifest as latest (${single.digest}): deleting it deletes it too. Pass all_tags=true to delete them all.`,
    });
    expect((await v1('GET', '/v1/registries/local/tags?repository=team/app')).body).toMatchObject({ results: ['1.0', 'dev', 'latest'] });

    const byDigest = await v1('DELETE', `/v1/registries/local/manifests?repository=team/multi&reference=${index.digest}`);
    expect(byDigest.status).toBe(409);
    expect((byDigest.body as { detail: string }).detail).toMatch(/^Tags stable and v1 of team\/multi point at sha256:/);

    expect((await v1('DELETE', '/v1/registries/local/manifests?repository=team/app&reference=latest&all_tags=true')).status).toBe(204);
    expect((await v1('GET', '/v1/registries/local/tags?repository=team/app')).body).toMatchObject({ results: ['dev'] });
    expect((await v1('DELETE', '/v1/registries/local/manifests?repository=team/app&reference=dev')).status).toBe(204);
    // Distribution keeps the repository with no tags: an empty list, not an error.
    expect((await v1('GET', '/v1/registries/local/tags?repository=team/app')).body).toEqual({
      repository: 'team/app',
      results: [],
      next: null,
    });
    expect((await v1('DELETE', '/v1/registries/local/manifests?repository=team/app&reference=dev')).status).toBe(404);
  });

  it('says a registry refuses deletes, and how to enable them', async () => {
    expect((await v1('POST', '/v1/registries/', { name: 'readonly', url: noDeletes.url })).status).toBe(201);
    const refused = await v1('DELETE', '/v1/registries/readonly/manifests?repository=team/spare&reference=only');
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ code: 'registry_refused', detail: expect.stringContaining('storage.delete.enabled: true') });
    expect((await v1('GET', '/v1/registries/readonly/tags?repository=team/spare')).body).toMatchObject({ results: ['only'] });
  });
});

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Registry connections travel in the export document: name, address and settings, never a
 * password, token or events secret. An import adds them (merge keeps a different connection of
 * the same name and reports it; replace makes them the document's); the passwords are entered
 * again, except for a connection a replace keeps at the same address.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportedRegistry } from '../../main/contract/portability';
import { exportToFile } from '../../main/registry/portability/files';
import { createRegistry, type Registry } from '../../main/registry';
import { CredentialsFile, RegistryConnections, transferPort } from '../../main/registries';
import { openStore, RegistriesFile, type Store } from '../../main/store';
import { seededRandom } from '../support/seed';
import { collect, piecesOf, withoutExportedAt } from './support';

const PASSWORD = 'Pw-9f3a1c-never-exported';
const NOT_CHECKED = { verify: false };

interface Folder {
  dir: string;
  store: Store;
  connections: RegistryConnections;
  registry: Registry;
  credentials: CredentialsFile;
}

const folders: Folder[] = [];

async function folder(): Promise<Folder> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-portability-registries-'));
  const store = await openStore(dir);
  const credentials = await CredentialsFile.open(dir);
  const connections = new RegistryConnections({ file: await RegistriesFile.open(dir), credentials });
  const f = { dir, store, connections, credentials, registry: createRegistry(store, { registries: transferPort(connections) }) };
  folders.push(f);
  return f;
}

afterEach(async () => {
  for (const f of folders.splice(0)) {
    await f.connections.close();
    await f.store.close();
    rmSync(f.dir, { recursive: true, force: true });
  }
});

let source: Folder;
beforeEach(async () => {
  source = await folder();
  await source.registry.createRepo('acme', { repo_name: 'web' });
  await source.connections.create(
    { name: 'corp', url: 'https://registry.corp.example', username: 'alice', password: PASSWORD },
    NOT_CHECKED,
  );
  await source.connections.create({ name: 'mirror', url: 'http://127.0.0.1:5999', auto_import: true }, NOT_CHECKED);
});

const feed = (text: string) => piecesOf(text, seededRandom('registries-pieces'), 256);
const registriesOf = (text: string) => (JSON.parse(text) as { registries: ExportedRegistry[] }).registries;

describe('registry connections in an export', () => {
  it('lists name, address and settings, and never a password or secret (the bytes of the file)', async () => {
    const secret = await source.connections.eventsSecret('corp');
    const path = join(source.dir, 'backup.json');
    await exportToFile(source.registry, path);
    const bytes = readFileSync(path);
    for (const hidden of [PASSWORD, secret, Buffer.from(PASSWORD).toString('base64')]) expect(bytes.includes(hidden)).toBe(false);
    expect(bytes.includes('password')).toBe(false);
    expect(registriesOf(bytes.toString('utf8'))).toEqual([
      {
        name: 'corp',
        url: 'https://registry.corp.example',
        kind: 'distribution',
        username: 'alice',
        insecure: false,
        auto_import: false,
        use_docker_config: false,
        ca_pem: null,
        created_at: expect.any(String) as string,
        updated_at: expect.any(String) as string,
      },
      expect.objectContaining({ name: 'mirror', url: 'http://127.0.0.1:5999', username: null, auto_import: true }),
    ]);
  });

  it('restores them into an empty folder without passwords, the same when exported again', async () => {
    const text = await collect(source.registry.exportCatalogue());
    const target = await folder();
    const result = await target.registry.importCatalogue(feed(text));
    expect(result.registries).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 0 });
    expect(await target.connections.get('corp')).toMatchObject({
      url: 'https://registry.corp.example',
      username: 'alice',
      has_password: false,
    });
    // A secret of its own for registry events, never the source's.
    expect(await target.connections.eventsSecret('corp')).not.toBe(await source.connections.eventsSecret('corp'));
    expect(registriesOf(await collect(target.registry.exportCatalogue()))).toEqual(registriesOf(text));
    // A second merge finds them the same.
    expect((await target.registry.importCatalogue(feed(text))).registries).toEqual({ created: 0, updated: 0, unchanged: 2, deleted: 0 });
  });

  it('merge keeps a different connection of the same name and reports it as a conflict', async () => {
    const text = await collect(source.registry.exportCatalogue());
    const target = await folder();
    await target.connections.create({ name: 'corp', url: 'https://elsewhere.example', username: 'bob', password: 'pw-local' }, NOT_CHECKED);
    const result = await target.registry.importCatalogue(feed(text));
    expect(result.conflicts).toEqual([{ registry: 'corp', detail: expect.stringContaining('Kept the local connection') as string }]);
    expect(result.registries).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(await target.connections.get('corp')).toMatchObject({ url: 'https://elsewhere.example', username: 'bob', has_password: true });
    expect(target.credentials.get('corp')).toEqual({ username: 'bob', password: 'pw-local' });
  });

  it('replace makes them the document’s, keeping the password of one kept at the same address', async () => {
    const text = await collect(source.registry.exportCatalogue());
    const target = await folder();
    await target.connections.create(
      { name: 'corp', url: 'https://registry.corp.example', username: 'alice', password: 'pw-kept' },
      NOT_CHECKED,
    );
    await target.connections.create({ name: 'mirror', url: 'https://other.example' }, NOT_CHECKED);
    await target.connections.create({ name: 'stale', url: 'https://stale.example', username: 'x', password: 'pw-stale' }, NOT_CHECKED);

    const dry = await target.registry.importCatalogue(feed(text), { mode: 'replace', dry_run: true });
    expect(dry.registries).toEqual({ created: 0, updated: 1, unchanged: 1, deleted: 1 });
    expect((await target.connections.list({})).count).toBe(3);

    const result = await target.registry.importCatalogue(feed(text), { mode: 'replace' });
    expect(result.registries).toEqual({ created: 0, updated: 1, unchanged: 1, deleted: 1 });
    expect((await target.connections.list({})).results.map((r) => r.name)).toEqual(['corp', 'mirror']);
    expect(target.credentials.get('corp')).toEqual({ username: 'alice', password: 'pw-kept' });
    expect(await target.connections.get('mirror')).toMatchObject({ url: 'http://127.0.0.1:5999', auto_import: true });
    expect(target.credentials.names()).not.toContain('stale');
    // And the catalogue was replaced too.
    expect((await target.registry.listNamespaces({ authenticated: true }, {})).results.map((n) => n.namespace)).toEqual(['acme']);
  });

  it('refuses a registry item that breaks the connection rules, changing nothing', async () => {
    const text = await collect(source.registry.exportCatalogue());
    const doc = JSON.parse(text) as { registries: ExportedRegistry[] };
    doc.registries.push({ name: 'Bad Name', url: 'ftp://nowhere' });
    const target = await folder();
    await expect(target.registry.importCatalogue(feed(JSON.stringify(doc)))).rejects.toMatchObject({
      code: 'validation_error',
      errors: { 'registries[2].name': expect.any(Array) as unknown, 'registries[2].url': expect.any(Array) as unknown },
    });
    expect((await target.connections.list({})).count).toBe(0);
    expect(target.store.namespaceNames()).toEqual([]);
  });

  describe('links and tags from a registry', () => {
    const IMAGE_ID = 'c'.repeat(64);
    const image = {
      digest: `sha256:${IMAGE_ID}`,
      media_type: 'application/vnd.oci.image.index.v1+json',
      size: 1234,
      platforms: [
        { os: 'linux', architecture: 'amd64', variant: null },
        { os: 'linux', architecture: 'arm', variant: 'v7' },
      ],
      image_created: null,
    };
    const reposOf = (text: string) => (JSON.parse(text) as { repos: Record<string, unknown>[] }).repos;

    beforeEach(async () => {
      await source.registry.setLink('acme', 'web', {
        registry: 'corp',
        repository: 'team/web',
        pull_ref: 'registry.corp.example/team/web',
        last_synced_at: '2026-03-01T10:00:00.000Z',
        last_sync_error: 'the registry answered 503 Service Unavailable',
      });
      await source.registry.applyRemoteTags('acme', 'web', {
        link: { registry: 'corp', repository: 'team/web' },
        put: [{ tag: 'v1', image_id: IMAGE_ID, image }],
        remove: [],
        source: 'registry:corp',
      });
      await source.registry.putTag('acme', 'web', 'local', 'd'.repeat(64));
    });

    it('keep the link, who pushed each tag and its image details through export → import → export', async () => {
      const text = await collect(source.registry.exportCatalogue());
      const [repo] = reposOf(text);
      expect(repo).toMatchObject({
        link: { registry: 'corp', repository: 'team/web', pull_ref: 'registry.corp.example/team/web' },
        tags: [
          { tag: 'v1', source: 'registry:corp', image },
          { tag: 'local', source: 'api' },
        ],
      });
      expect(JSON.stringify(repo)).not.toContain(PASSWORD);

      for (const mode of ['merge', 'replace'] as const) {
        const target = await folder();
        await target.registry.importCatalogue(feed(text), { mode });
        expect(withoutExportedAt(await collect(target.registry.exportCatalogue()))).toBe(withoutExportedAt(text));
        const viewer = { authenticated: true };
        expect((await target.registry.getRepo(viewer, 'acme', 'web')).link).toMatchObject({
          registry: 'corp',
          repository: 'team/web',
          pull_ref: 'registry.corp.example/team/web',
          last_sync_error: 'the registry answered 503 Service Unavailable',
        });
        expect(await target.registry.getTag(viewer, 'acme', 'web', 'v1')).toMatchObject({ source: 'registry:corp', ...image });
        expect(await target.registry.linkedRepos()).toEqual([
          { namespace: 'acme', repo_name: 'web', link: expect.objectContaining({ registry: 'corp' }) as unknown },
        ]);
      }
    });

    it('writes import as the source of a tag the document does not give one', async () => {
      const doc = JSON.parse(await collect(source.registry.exportCatalogue())) as { repos: { tags: Record<string, unknown>[] }[] };
      for (const tag of doc.repos[0]?.tags ?? []) delete tag.source;
      const target = await folder();
      await target.registry.importCatalogue(feed(JSON.stringify(doc)));
      const viewer = { authenticated: true };
      expect(await target.registry.getTag(viewer, 'acme', 'web', 'local')).toMatchObject({ source: 'import' });
    });

    it('refuses a link to a registry the catalogue will not have, changing nothing', async () => {
      const doc = JSON.parse(await collect(source.registry.exportCatalogue())) as { registries: ExportedRegistry[] };
      doc.registries = doc.registries.filter((r) => r.name !== 'corp');
      const text = JSON.stringify(doc);

      const empty = await folder();
      await expect(empty.registry.importCatalogue(feed(text))).rejects.toMatchObject({
        code: 'validation_error',
        errors: { 'repos[0].link.registry': [expect.stringContaining('named corp') as unknown] },
      });
      expect(empty.store.namespaceNames()).toEqual([]);

      // A merge into a catalogue that has its own corp keeps the link; a replace drops that corp, so it refuses.
      const withCorp = await folder();
      await withCorp.connections.create({ name: 'corp', url: 'https://registry.corp.example' }, NOT_CHECKED);
      await expect(withCorp.registry.importCatalogue(feed(text), { mode: 'replace' })).rejects.toMatchObject({
        errors: { 'repos[0].link.registry': [expect.stringContaining("a replace makes the connections the document's") as unknown] },
      });
      expect(withCorp.store.namespaceNames()).toEqual([]);
      await withCorp.registry.importCatalogue(feed(text), { mode: 'merge' });
      expect((await withCorp.registry.getRepo({ authenticated: true }, 'acme', 'web')).link).toMatchObject({ registry: 'corp' });
    });

    it('refuses a link or image details that break the rules, naming each field', async () => {
      const doc = JSON.parse(await collect(source.registry.exportCatalogue())) as {
        repos: { link: Record<string, unknown>; tags: { source?: string; image?: Record<string, unknown> }[] }[];
      };
      const repo = doc.repos[0] as (typeof doc.repos)[number];
      repo.link.repository = 'Team/Web';
      repo.link.pull_ref = 'registry.corp.example/team/web; rm -rf ~';
      repo.link.last_synced_at = 'yesterday';
      const v1 = repo.tags.find((t) => t.image) as { source?: string; image: Record<string, unknown> };
      v1.source = 'someone';
      v1.image.digest = `sha256:${'e'.repeat(64)}`;
      const target = await folder();
      await expect(target.registry.importCatalogue(feed(JSON.stringify(doc)))).rejects.toMatchObject({
        code: 'validation_error',
        errors: {
          'repos[0].link.repository': expect.any(Array) as unknown,
          'repos[0].link.pull_ref': expect.any(Array) as unknown,
          'repos[0].link.last_synced_at': expect.any(Array) as unknown,
          'repos[0].tags[0].source': expect.any(Array) as unknown,
          'repos[0].tags[0].image.digest': expect.any(Array) as unknown,
        },
      });
      expect(target.store.namespaceNames()).toEqual([]);
    });
  });
});

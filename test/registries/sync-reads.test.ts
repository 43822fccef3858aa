/**
 * The reads a sync makes, against a local fixture: a conditional HEAD for a tag Berth holds (304
 * while it is unchanged), HEADs that keep their connection, one GET by tag whose body must match
 * the digest the registry names, and a config read once per digest however many tags share it.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigCache, RegistryClient } from '../../main/registries';
import { expectCode } from '../support/expect-error';
import { type Fixture, type FixtureHandler, manifestAnswer, startFixture } from './rig/http-fixture';
import { buildImage, digestOf } from './rig/images';

const open: Array<Fixture | RegistryClient> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function fixture(handler: Parameters<typeof startFixture>[0]): Promise<Fixture> {
  const f = await startFixture(handler);
  open.push(f);
  return f;
}

function client(url: string): RegistryClient {
  const c = new RegistryClient({ url });
  open.push(c);
  return c;
}

const image = buildImage({ format: 'oci' });
const other = buildImage({ format: 'oci', layers: [{ 'other.txt': 'another image\n' }] });

/** A registry holding `v1` → image and `v2` → other, honouring If-None-Match as Distribution does (when `conditional`). */
function registryHandler(conditional: boolean): FixtureHandler {
  return (req, res, url) => {
    if (url.pathname.includes('/blobs/')) {
      const found = [image.config, other.config].find((c) => url.pathname.endsWith(c.digest));
      return void res.end(found?.content ?? '');
    }
    const held = url.pathname.endsWith('/v1') ? image : other;
    const match = req.headers['if-none-match'];
    if (conditional && (match === `"${held.digest}"` || match === held.digest)) {
      res.writeHead(304, { etag: `"${held.digest}"` });
      return void res.end();
    }
    manifestAnswer(res, held.content, held.mediaType, held.digest, req.method);
  };
}

describe('a tag Berth holds', () => {
  it('is checked with a conditional HEAD: null while it still points at the known digest, its head once it moved', async () => {
    const registry = await fixture(registryHandler(true));
    const c = client(registry.url);
    expect(await c.headManifestIfChanged('a/b', 'v1', image.digest)).toBeNull();
    expect(await c.headManifestIfChanged('a/b', 'v2', image.digest)).toEqual({
      digest: other.digest,
      media_type: other.mediaType,
      size: other.size,
    });
    expect(registry.requests.map((r) => [r.method, r.headers['if-none-match']])).toEqual([
      ['HEAD', `"${image.digest}"`],
      ['HEAD', `"${image.digest}"`],
    ]);
  });

  it('is read as with a plain HEAD from a registry that ignores the condition', async () => {
    const registry = await fixture(registryHandler(false));
    const c = client(registry.url);
    expect((await c.headManifestIfChanged('a/b', 'v1', image.digest))?.digest).toBe(image.digest);
    expect((await c.headManifestIfChanged('a/b', 'v2', image.digest))?.digest).toBe(other.digest);
  });

  it('HEADs keep their connection (not one connection per check)', async () => {
    const sockets = new Set<Socket>();
    const handle = registryHandler(true);
    const registry = await fixture((req, res, url) => {
      sockets.add(req.socket);
      handle(req, res, url);
    });
    const c = client(registry.url);
    for (let i = 0; i < 12; i++) await c.headManifestIfChanged('a/b', 'v1', other.digest);
    expect(registry.requests).toHaveLength(12);
    // A connection is handed back a moment after its answer, so a second one may open meanwhile.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});

describe('a tag Berth does not hold', () => {
  it('is read with one GET by tag, its digest the one the registry names', async () => {
    const registry = await fixture(registryHandler(true));
    const details = await client(registry.url).imageDetails('a/b', 'v1');
    expect(details.digest).toBe(image.digest);
    expect(registry.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'GET /v2/a/b/manifests/v1',
      `GET /v2/a/b/blobs/${image.config.digest}`,
    ]);
  });

  it('is refused when the body does not hash to the digest the registry names', async () => {
    const wrong = digestOf(Buffer.from('not this manifest'));
    const registry = await fixture((_req, res) => manifestAnswer(res, image.content, image.mediaType, wrong));
    const error = await expectCode(client(registry.url).imageDetails('a/b', 'v1'), 'registry_error');
    expect(error.detail).toContain(`expected ${wrong}, got ${image.digest}`);
  });
});

describe('configs', () => {
  it('are read once per digest in a job, however many tags share one', async () => {
    const registry = await fixture(registryHandler(true));
    const c = client(registry.url);
    const configs = new ConfigCache();
    const read = await Promise.all(['v1', 'v1', 'v1', 'v2'].map(async (tag) => (await c.imageDetails('a/b', tag, configs)).digest));
    expect(read).toEqual([image.digest, image.digest, image.digest, other.digest]);
    const blobReads = registry.requests.filter((r) => r.url.pathname.includes('/blobs/')).map((r) => r.url.pathname.split('/').at(-1));
    expect(blobReads.sort()).toEqual([image.config.digest, other.config.digest].sort());
  });

  it('are read again after a failed read', async () => {
    let failures = 1;
    const handle = registryHandler(true);
    const registry = await fixture((req, res, url) => {
      if (url.pathname.includes('/blobs/') && failures-- > 0) return void res.end('{"tampered":true}');
      handle(req, res, url);
    });
    const c = client(registry.url);
    const configs = new ConfigCache();
    await expectCode(c.imageDetails('a/b', 'v1', configs), 'registry_error');
    expect((await c.imageDetails('a/b', 'v1', configs)).digest).toBe(image.digest);
    expect(registry.requests.filter((r) => r.url.pathname.includes('/blobs/'))).toHaveLength(2);
  });
});

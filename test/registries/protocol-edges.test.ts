/**
 * Protocol edges against a local fixture: relative Link pages, `"tags": null`, missing and wrong
 * digests, 429/503 with Retry-After, oversized answers, timeouts (connect and answer), and the
 * in-flight limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../main/registries';
import { DEFAULT_HTTP } from '../../main/registries/http';
import { expectCode } from '../support/expect-error';
import { type Fixture, json, manifestAnswer, startFixture } from './rig/http-fixture';
import { buildImage, digestOf } from './rig/images';
import { startUnacceptingListener } from './rig/unaccepting-listener';

const open: Array<Fixture | RegistryClient> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function fixture(handler: Parameters<typeof startFixture>[0]): Promise<Fixture> {
  const f = await startFixture(handler);
  open.push(f);
  return f;
}

function client(url: string, options: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}): RegistryClient {
  const c = new RegistryClient({ url, ...options });
  open.push(c);
  return c;
}

const image = buildImage({ format: 'docker' });

describe('lists', () => {
  it('follows a relative Link header and hands its last value on as the cursor', async () => {
    const pages: Record<string, { names: string[]; link?: string }> = {
      '': { names: ['a/one', 'a/two'], link: '</v2/_catalog?last=a%2Ftwo&n=2>; rel="next"' },
      'a/two': { names: ['b/three'] },
    };
    const registry = await fixture((_req, res, url) => {
      const page = pages[url.searchParams.get('last') ?? ''] as { names: string[]; link?: string };
      json(res, 200, { repositories: page.names }, page.link ? { link: page.link } : {});
    });
    const c = client(registry.url);
    expect(await c.listRepositories({ n: 2 })).toEqual({ results: ['a/one', 'a/two'], next: 'a/two' });
    expect(await c.listRepositories({ n: 2, last: 'a/two' })).toEqual({ results: ['b/three'], next: null });
    expect(await c.allRepositories()).toEqual(['a/one', 'a/two', 'b/three']);
    expect(registry.requests.at(-1)?.url.search).toBe('?last=a%2Ftwo&n=2');
  });

  it('reads "tags": null as an empty list', async () => {
    const registry = await fixture((_req, res) => json(res, 200, { name: 'a/b', tags: null }));
    expect(await client(registry.url).listTags('a/b', { n: 10 })).toEqual({ results: [], next: null });
  });

  it('refuses a repository path that could escape the API path', async () => {
    const registry = await fixture((_req, res) => json(res, 200, {}));
    await expectCode(client(registry.url).listTags('../../etc', { n: 10 }), 'validation_error');
    await expectCode(client(registry.url).manifestSummary('a/b', 'x/../../y'), 'validation_error');
    expect(registry.requests).toHaveLength(0);
  });
});

describe('digests', () => {
  it('computes the digest of a manifest answered by tag without Docker-Content-Digest', async () => {
    const registry = await fixture((req, res, url) => {
      if (url.pathname.includes('/blobs/')) return void res.end(image.config.content);
      manifestAnswer(res, image.content, image.mediaType, null, req.method);
    });
    const c = client(registry.url);
    expect((await c.manifestSummary('a/b', 'v1')).digest).toBe(image.digest);
    expect(await c.headManifest('a/b', 'v1')).toEqual({ digest: image.digest, media_type: image.mediaType, size: image.size });
  });

  it('refuses a manifest whose content does not match Docker-Content-Digest', async () => {
    const wrong = digestOf(Buffer.from('something else'));
    const registry = await fixture((_req, res) => manifestAnswer(res, image.content, image.mediaType, wrong));
    const error = await expectCode(client(registry.url).manifestSummary('a/b', 'v1'), 'registry_error');
    expect(error.detail).toContain(`expected ${wrong}, got ${image.digest}`);
  });

  it('refuses a manifest fetched by digest whose content hashes to another', async () => {
    const asked = digestOf(Buffer.from('the manifest I asked for'));
    const registry = await fixture((_req, res) => manifestAnswer(res, image.content, image.mediaType, null));
    await expectCode(client(registry.url).manifestSummary('a/b', asked), 'registry_error');
  });

  it('refuses a config blob whose content does not match its digest', async () => {
    const registry = await fixture((_req, res, url) => {
      if (url.pathname.includes('/blobs/')) return void res.end('{"os":"tampered"}');
      manifestAnswer(res, image.content, image.mediaType, image.digest);
    });
    await expectCode(client(registry.url).manifestSummary('a/b', 'v1'), 'registry_error');
  });
});

describe('retries', () => {
  it('retries a 429 after the Retry-After the registry names', async () => {
    let calls = 0;
    const registry = await fixture((_req, res) => {
      calls++;
      if (calls <= 2) return json(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'retry-after': '2' });
      json(res, 200, {});
    });
    const waits: number[] = [];
    await client(registry.url, { sleep: async (ms) => void waits.push(ms) }).ping();
    expect(waits).toEqual([2000, 2000]);
    expect(calls).toBe(3);
  });

  it('gives up after 3 retries of a 503, quoting the registry', async () => {
    const registry = await fixture((_req, res) => json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'maintenance' }] }));
    const waits: number[] = [];
    const error = await expectCode(client(registry.url, { sleep: async (ms) => void waits.push(ms) }).ping(), 'registry_error');
    expect(registry.requests).toHaveLength(4);
    expect(waits).toEqual([250, 500, 1000]);
    expect(error.detail).toContain('HTTP 503');
    expect(error.detail).toContain('UNAVAILABLE: maintenance');
  });

  it('retries a read whose connection the registry dropped', async () => {
    let calls = 0;
    const registry = await fixture((req, res) => {
      calls++;
      if (calls === 1) return void req.socket.destroy();
      json(res, 200, { name: 'a/b', tags: ['t'] });
    });
    expect((await client(registry.url).listTags('a/b', { n: 5 })).results).toEqual(['t']);
    expect(calls).toBe(2);
  });

  it('does not wait for a Retry-After beyond its bound, and says so', async () => {
    const registry = await fixture((_req, res) => json(res, 429, {}, { 'retry-after': '3600' }));
    const waits: number[] = [];
    const error = await expectCode(client(registry.url, { sleep: async (ms) => void waits.push(ms) }).ping(), 'registry_error');
    expect(waits).toEqual([]);
    expect(registry.requests).toHaveLength(1);
    expect(error.detail).toContain('retry after 3600 s');
  });

  it('reads Retry-After as an HTTP date too', async () => {
    let calls = 0;
    const now = Date.parse('2025-01-01T00:00:00Z');
    const registry = await fixture((_req, res) => {
      calls++;
      if (calls === 1) return json(res, 503, {}, { 'retry-after': new Date(now + 3000).toUTCString() });
      json(res, 200, {});
    });
    const waits: number[] = [];
    await client(registry.url, { now: () => now, sleep: async (ms) => void waits.push(ms) }).ping();
    expect(waits).toEqual([3000]);
  });
});

describe('limits', () => {
  it('refuses a manifest over 4 MiB, declared or streamed', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    const declared = await fixture((_req, res) => manifestAnswer(res, big, image.mediaType, null));
    expect((await expectCode(client(declared.url).manifestSummary('a/b', 'v1'), 'registry_error')).detail).toContain('larger than 4 MiB');
    const streamed = await fixture((_req, res) => {
      res.writeHead(200, { 'content-type': image.mediaType });
      res.end(big);
    });
    expect((await expectCode(client(streamed.url).manifestSummary('a/b', 'v1'), 'registry_error')).detail).toContain('larger than 4 MiB');
  });

  it('refuses a config blob over 8 MiB', async () => {
    const registry = await fixture((_req, res, url) => {
      if (url.pathname.includes('/blobs/')) return void res.end(Buffer.alloc(8 * 1024 * 1024 + 1));
      manifestAnswer(res, image.content, image.mediaType, image.digest);
    });
    const error = await expectCode(client(registry.url).manifestSummary('a/b', 'v1'), 'registry_error');
    expect(error.detail).toContain('larger than 8 MiB');
  });

  it('reports a registry that does not answer in time as registry_timeout', async () => {
    const registry = await fixture(() => undefined); // never answers
    const error = await expectCode(client(registry.url, { requestTimeoutMs: 300, retry: { maxRetries: 0 } }).ping(), 'registry_timeout');
    expect(error.status).toBe(504);
    expect(error.detail).toContain('did not answer within 300 ms');
  });

  // The test's own limit is below undici's default connect timeout (10 s): a client that ignored
  // the configured timeout would fail here rather than pass late.
  it(
    'reports a registry that does not accept the connection in time as registry_timeout (5 s by default)',
    { timeout: 8_000 },
    async () => {
      expect(DEFAULT_HTTP.connectTimeoutMs).toBe(5_000);
      const listener = await startUnacceptingListener();
      try {
        const url = `http://127.0.0.1:${listener.port}`;
        const error = await expectCode(client(url, { connectTimeoutMs: 300, retry: { maxRetries: 0 } }).ping(), 'registry_timeout');
        expect(error.status).toBe(504);
        expect(error.detail).toBe(`127.0.0.1:${listener.port} did not accept a connection within 300 ms.`);
      } finally {
        await listener.close();
      }
    },
  );

  it('reports a closed port as registry_unreachable', async () => {
    const registry = await fixture(() => undefined);
    const url = registry.url;
    await registry.close();
    const error = await expectCode(client(url).ping(), 'registry_unreachable');
    expect(error.detail).toMatch(/refused the connection/);
  });

  it('keeps at most 8 requests in flight to one registry', async () => {
    const registry = await fixture(async (req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      manifestAnswer(res, image.content, image.mediaType, image.digest, req.method);
    });
    const c = client(registry.url);
    await Promise.all(Array.from({ length: 24 }, (_, i) => c.headManifest('a/b', `t${i}`)));
    expect(registry.requests).toHaveLength(24);
    expect(registry.maxInFlight).toBeLessThanOrEqual(8);
    expect(registry.maxInFlight).toBeGreaterThan(1);
  });

  it('quotes the registry error codes of an unexpected answer', async () => {
    const registry = await fixture((_req, res) => json(res, 500, { errors: [{ code: 'UNKNOWN', message: 'storage driver failed' }] }));
    const error = await expectCode(client(registry.url).listTags('a/b', { n: 1 }), 'registry_error');
    expect(error.detail).toContain('"UNKNOWN: storage driver failed"');
  });
});

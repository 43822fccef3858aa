/**
 * List pages and details are served from a cache of serialized answers (docs/benchmarks.md): a
 * repeated read must be byte-identical, a write over HTTP must show in the very next read, and what
 * the token holder read must never reach an anonymous reader.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type BerthBackend } from '../../main/backend';
import { BodyCache, entryBytes } from '../../main/http/bodyCache';
import { call, raw, tempDir } from './serve-process';

const IMAGE = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';
const LIST = '/v1/repositories/crew/?page_size=2&ordering=name';

let backend: BerthBackend;
let base: string;
let dir: Awaited<ReturnType<typeof tempDir>>;

const asToken = (method: string, path: string, body?: unknown) => call(base, method, path, { token: backend.token(), body });
const anonymous = (path: string) => call(base, 'GET', path, { token: null });

interface ListBody {
  count: number;
  next: string | null;
  results: { repo_name: string; description: string; is_public: boolean; upload: number; updated_at: string }[];
}
const names = (res: { body: unknown }) => (res.body as ListBody).results.map((r) => r.repo_name);

beforeAll(async () => {
  dir = await tempDir('berth-list-cache-');
  backend = await createBackend({ dataDir: join(dir.path, 'data'), port: 0 });
  base = (await backend.startApi()).url!;
  for (const [repo_name, is_public] of [
    ['alpha', true],
    ['beta', false],
    ['gamma', true],
  ] as const) {
    const description = `${repo_name}: ünïcødé ✓ 🐳`;
    expect((await asToken('POST', '/v1/repositories/crew/', { repo_name, is_public, description })).status).toBe(201);
  }
});

afterAll(async () => {
  await backend?.close();
  await dir?.cleanup();
});

describe('cached list pages and details', () => {
  it('serves the same bytes and headers twice, for both viewers', async () => {
    for (const read of [() => asToken('GET', LIST), () => anonymous(LIST)]) {
      const first = await read();
      const second = await read();
      expect(first.status).toBe(200);
      expect(second.text).toBe(first.text);
      // Compact JSON, as Fastify's JSON.stringify serializer wrote it, with the UTF-8 length.
      expect(first.text).toBe(JSON.stringify(first.body));
      expect(Number(first.headers.get('content-length'))).toBe(Buffer.byteLength(first.text));
      expect(first.text).toContain('ünïcødé ✓ 🐳');
      expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(second.headers.get('content-length')).toBe(first.headers.get('content-length'));
    }
    const detail = [await asToken('GET', '/v1/repositories/crew/alpha'), await asToken('GET', '/v1/repositories/crew/alpha')];
    expect(detail[1]!.text).toBe(detail[0]!.text);
    expect(detail[1]!.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('keeps page links on the Host each client used', async () => {
    const port = new URL(base).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `localhost:${port}`]) {
      const res = await raw(Number(port), { path: LIST, headers: { host, authorization: `Bearer ${backend.token()}` } });
      expect((res.json as ListBody).next).toBe(`http://${host}/v1/repositories/crew/?page_size=2&ordering=name&page=2`);
    }
  });

  it('never shows an anonymous reader a private repo the token holder just listed', async () => {
    const path = '/v1/repositories/crew/?ordering=name';
    expect(names(await asToken('GET', path))).toEqual(['alpha', 'beta', 'gamma']);
    expect(names(await anonymous(path))).toEqual(['alpha', 'gamma']);
    expect((await anonymous('/v1/repositories/crew/beta')).status).toBe(404);
    expect(names(await asToken('GET', path))).toEqual(['alpha', 'beta', 'gamma']);
    expect(names(await anonymous(path))).toEqual(['alpha', 'gamma']);
  });

  it('shows every write in the next read, for both viewers', async () => {
    const path = '/v1/repositories/crew/?ordering=name';
    const readBoth = async () => ({ token: await asToken('GET', path), anon: await anonymous(path) });
    const find = (res: { body: unknown }, name: string) => (res.body as ListBody).results.find((r) => r.repo_name === name);
    await readBoth();
    await asToken('GET', '/v1/repositories/crew/alpha');

    expect((await asToken('PATCH', '/v1/repositories/crew/alpha', { description: 'edited' })).status).toBe(200);
    let now = await readBoth();
    expect(find(now.token, 'alpha')?.description).toBe('edited');
    expect(find(now.anon, 'alpha')?.description).toBe('edited');
    expect(((await asToken('GET', '/v1/repositories/crew/alpha')).body as { description: string }).description).toBe('edited');

    expect((await asToken('PUT', '/v1/repositories/crew/alpha/tags/latest', { image_id: IMAGE })).status).toBe(201);
    now = await readBoth();
    expect(find(now.token, 'alpha')?.upload).toBe(1);
    expect(find(now.anon, 'alpha')?.upload).toBe(1);
    expect(((await anonymous('/v1/repositories/crew/alpha')).body as { upload: number }).upload).toBe(1);

    expect((await asToken('POST', '/v1/repositories/crew/', { repo_name: 'delta' })).status).toBe(201);
    now = await readBoth();
    expect(names(now.token)).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    expect(names(now.anon)).toEqual(['alpha', 'delta', 'gamma']);

    expect((await asToken('PATCH', '/v1/repositories/crew/beta', { is_public: true })).status).toBe(200);
    now = await readBoth();
    expect(names(now.anon)).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    expect((await anonymous('/v1/repositories/crew/beta')).status).toBe(200);

    expect((await asToken('PATCH', '/v1/repositories/crew/beta', { is_public: false })).status).toBe(200);
    now = await readBoth();
    expect(names(now.anon)).toEqual(['alpha', 'delta', 'gamma']);
    expect(names(now.token)).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    expect((await anonymous('/v1/repositories/crew/beta')).status).toBe(404);

    expect((await asToken('DELETE', '/v1/repositories/crew/delta')).status).toBe(204);
    now = await readBoth();
    expect(names(now.token)).toEqual(['alpha', 'beta', 'gamma']);
    expect(names(now.anon)).toEqual(['alpha', 'gamma']);
    expect((await asToken('GET', '/v1/repositories/crew/delta')).status).toBe(404);
  });

  it('forgets a deleted namespace at once', async () => {
    expect((await asToken('POST', '/v1/repositories/gone/', { repo_name: 'one' })).status).toBe(201);
    expect((await asToken('GET', '/v1/repositories/gone/')).status).toBe(200);
    expect((await anonymous('/v1/repositories/gone/one')).status).toBe(200);
    expect((await asToken('DELETE', '/v1/namespaces/gone?force=true')).status).toBe(204);
    expect((await asToken('GET', '/v1/repositories/gone/')).status).toBe(404);
    expect((await anonymous('/v1/repositories/gone/one')).status).toBe(404);
  });
});

describe('BodyCache', () => {
  it('refuses a body computed before the namespace changed, and stays within its bounds, keys counted', () => {
    const size = entryBytes('a', Buffer.from('aaa'));
    const cache = new BodyCache({ maxEntries: 2, maxBytes: 2 * size + 3 });
    const before = cache.generation('ns');
    cache.invalidate('ns');
    cache.set('ns', 'a', before, Buffer.from('old'));
    expect(cache.get('a')).toBeUndefined();
    cache.set('ns', 'a', cache.generation('ns'), Buffer.from('aaa'));
    cache.set('other', 'b', cache.generation('other'), Buffer.from('bbb'));
    expect(cache.get('a')?.body.toString()).toBe('aaa');
    cache.set('ns', 'c', cache.generation('ns'), Buffer.from('ccc'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
    // A long key costs as much as a long body.
    cache.set('ns', 'd'.repeat(4), cache.generation('ns'), Buffer.from('d'));
    expect(cache.size).toBe(1);
    expect(cache.heldBytes).toBeLessThanOrEqual(2 * size + 3);
    cache.invalidate('ns');
    expect(cache.get('dddd')).toBeUndefined();
    expect(cache.heldBytes).toBe(0);
  });
});

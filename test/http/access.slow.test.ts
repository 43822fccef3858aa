/**
 * Access (README, Local API, "Token") against a real `serve`: the Host and Origin allow-lists, the
 * token, and what an anonymous reader may see.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, parseRawAnswer, raw, rawExchange, startServe, tempDir, type ServeProcess } from './serve-process';

const IMAGE = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';
const ALLOWED_ORIGIN = 'http://localhost:3000';

let serve: ServeProcess;
let token: string;
let dir: Awaited<ReturnType<typeof tempDir>>;

const api = (method: string, path: string, options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}) =>
  call(serve.url, method, path, {
    token: options.token === undefined ? token : options.token,
    body: options.body,
    headers: options.headers,
  });

beforeAll(async () => {
  dir = await tempDir();
  serve = await startServe(['--data-dir', join(dir.path, 'data'), '--port', '0', '--allow-origin', ALLOWED_ORIGIN]);
  token = (await readFile(join(dir.path, 'data', 'token'), 'utf8')).trim();
  for (const [repo_name, is_public] of [
    ['open', true],
    ['secret', false],
  ] as const) {
    expect((await api('POST', '/v1/repositories/team/', { body: { repo_name, is_public, description: `${repo_name} repo` } })).status).toBe(
      201,
    );
    expect((await api('PUT', `/v1/repositories/team/${repo_name}/tags/latest`, { body: { image_id: IMAGE } })).status).toBe(201);
  }
});

afterAll(async () => {
  await serve?.stop();
  await dir?.cleanup();
});

describe('Host allow-list (DNS rebinding)', () => {
  it('answers the loopback names with the port', async () => {
    for (const host of [`127.0.0.1:${serve.port}`, `localhost:${serve.port}`, `[::1]:${serve.port}`, `LOCALHOST:${serve.port}`]) {
      const res = await raw(serve.port, { path: '/v1/_ping', headers: { host } });
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
    }
  });

  it('builds page links on the Host the client used', async () => {
    for (const host of [`localhost:${serve.port}`, `[::1]:${serve.port}`]) {
      const res = await raw(serve.port, {
        path: '/v1/repositories/team/?page_size=1&ordering=name',
        headers: { host, authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect((res.json as { next: string }).next).toBe(`http://${host}/v1/repositories/team/?page_size=1&ordering=name&page=2`);
    }
  });

  it('refuses any other Host with JSON 403, even with the token', async () => {
    const hosts = [
      'evil.example',
      `evil.example:${serve.port}`,
      '127.0.0.1',
      `127.0.0.1:${serve.port + 1}`,
      `localhost.evil.example:${serve.port}`,
      '',
    ];
    for (const host of hosts) {
      const res = await raw(serve.port, { path: '/v1/repositories/team/', headers: { host, authorization: `Bearer ${token}` } });
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json).toMatchObject({ code: 'forbidden' });
    }
  });

  it('refuses a request without any Host header', async () => {
    const res = await raw(serve.port, { path: '/v1/_ping', headers: { host: null } });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'forbidden' });
  });

  it('refuses two Host headers, and an absolute-form target naming another host', async () => {
    const twoHosts = parseRawAnswer(
      await rawExchange(
        serve.port,
        `GET /v1/_ping HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(twoHosts.status).toBe(403);
    expect(twoHosts.json).toMatchObject({ code: 'forbidden' });
    for (const target of ['http://evil.example/v1/_ping', `http://evil.example:${serve.port}/v1/_ping`, '*']) {
      const res = await raw(serve.port, { path: target, headers: { host: `127.0.0.1:${serve.port}` } });
      expect({ target, status: res.status }).toEqual({ target, status: 403 });
    }
    const own = await raw(serve.port, { path: `http://127.0.0.1:${serve.port}/v1/_ping`, headers: { host: `127.0.0.1:${serve.port}` } });
    expect(own.status).toBe(200);
  });

  it('refuses a write from a foreign Host before touching anything', async () => {
    const res = await raw(serve.port, {
      method: 'POST',
      path: '/v1/repositories/team/',
      headers: { host: 'evil.example', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ repo_name: 'rebound' }),
    });
    expect(res.status).toBe(403);
    expect((await api('GET', '/v1/repositories/team/rebound')).status).toBe(404);
  });
});

describe('Origin allow-list', () => {
  it('refuses a foreign Origin with 403 and no CORS headers', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${serve.port}`]) {
      const res = await raw(serve.port, { path: '/v1/_ping', headers: { origin, authorization: `Bearer ${token}` } });
      expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
      expect(res.json).toMatchObject({ code: 'forbidden' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('answers an allowed Origin with CORS headers naming only it, preflight included', async () => {
    const res = await raw(serve.port, { path: '/v1/_ping', headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    const preflight = await raw(serve.port, {
      method: 'OPTIONS',
      path: '/v1/repositories/team/',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/i);
  });

  it('sends no CORS headers to requests without an Origin', async () => {
    const res = await raw(serve.port, { path: '/v1/_ping' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('the token', () => {
  it('is needed for every write; without it nothing changes', async () => {
    const writes: [string, string, unknown?][] = [
      ['POST', '/v1/repositories/team/', { repo_name: 'anon' }],
      ['PUT', '/v1/repositories/team/open', { description: 'defaced' }],
      ['PATCH', '/v1/repositories/team/open', { description: 'defaced' }],
      ['DELETE', '/v1/repositories/team/open'],
      ['PUT', '/v1/repositories/team/open/tags/evil', { image_id: IMAGE }],
      ['DELETE', '/v1/repositories/team/open/tags/latest'],
      ['POST', '/v1/repositories/team/open/tags/latest/pull'],
      ['PUT', '/v1/repositories/team/open/star'],
      ['DELETE', '/v1/repositories/team/open/star'],
      ['POST', '/v1/namespaces/', { namespace: 'anon' }],
      ['DELETE', '/v1/namespaces/team?force=true'],
    ];
    const before = await api('GET', '/v1/repositories/team/open');
    for (const [method, path, body] of writes) {
      const res = await api(method, path, { token: null, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ code: 'unauthorized' });
    }
    expect(await api('GET', '/v1/repositories/team/open')).toMatchObject({ status: 200, body: before.body });
    expect((await api('GET', '/v1/repositories/team/open/tags')).body).toEqual([{ image_id: IMAGE, tag: 'latest' }]);
    expect((await api('GET', '/v1/namespaces/anon')).status).toBe(404);
  });

  it('must be right when presented, on reads too (a wrong one is 401, not anonymous)', async () => {
    const wrong = [
      `Bearer ${token}x`,
      'Bearer wrong',
      `Basic ${Buffer.from(`u:${token}`).toString('base64')}`,
      'Bearer',
      `bearer  ${token.slice(1)}`,
    ];
    // DRF's Token scheme follows the same rules; other schemes and malformed headers never count.
    wrong.push(`Token ${token}x`, 'Token wrong', 'Token', `Token ${token} ${token}`, `Tokens ${token}`, `Digest ${token}`, token);
    for (const authorization of wrong) {
      const res = await api('GET', '/v1/repositories/team/open', { token: null, headers: { authorization } });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect(res.body).toMatchObject({ code: 'unauthorized' });
    }
  });

  it('accepts the scheme name in any case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'token', 'TOKEN']) {
      const res = await api('GET', '/v1/repositories/team/secret', { token: null, headers: { authorization: `${scheme} ${token}` } });
      expect({ scheme, status: res.status }).toEqual({ scheme, status: 200 });
    }
  });

  it('is taken as Django REST framework sends it too (Token), for reads and writes alike', async () => {
    const headers = { authorization: `Token ${token}` };
    expect((await api('GET', '/v1/repositories/team/secret', { token: null, headers })).status).toBe(200);
    expect((await api('POST', '/v1/repositories/team/', { token: null, headers, body: { repo_name: 'by-token' } })).status).toBe(201);
    expect((await api('DELETE', '/v1/repositories/team/by-token', { token: null, headers })).status).toBe(204);
    expect((await api('GET', '/v1/repositories/team/by-token')).status).toBe(404);
  });
});

describe('anonymous reads', () => {
  it('see public repos but a private one is a 404, tags and tag included', async () => {
    expect((await api('GET', '/v1/repositories/team/open', { token: null })).status).toBe(200);
    for (const path of ['/v1/repositories/team/secret', '/v1/repositories/team/secret/tags', '/v1/repositories/team/secret/tags/latest']) {
      const res = await api('GET', path, { token: null });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.text).not.toContain('private');
    }
    const missing = await api('GET', '/v1/repositories/team/never-made', { token: null });
    const hidden = await api('GET', '/v1/repositories/team/secret', { token: null });
    expect((hidden.body as { detail: string }).detail).toBe((missing.body as { detail: string }).detail.replace('never-made', 'secret'));
  });

  it('leave private repos out of lists, counts, namespaces and search', async () => {
    const list = (await api('GET', '/v1/repositories/team/', { token: null })).body as { count: number; results: { repo_name: string }[] };
    expect(list.count).toBe(1);
    expect(list.results.map((r) => r.repo_name)).toEqual(['open']);
    const privateOnly = (await api('GET', '/v1/repositories/team/?is_public=false', { token: null })).body as { count: number };
    expect(privateOnly.count).toBe(0);
    expect((await api('GET', '/v1/namespaces/team', { token: null })).body).toMatchObject({ repo_count: 1 });
    const namespaces = (await api('GET', '/v1/namespaces/', { token: null })).body as {
      results: { namespace: string; repo_count: number }[];
    };
    expect(namespaces.results.find((n) => n.namespace === 'team')?.repo_count).toBe(1);
    const search = (await api('GET', '/v1/search?q=secret', { token: null })).body as { num_results: number; results: unknown[] };
    expect(search.num_results).toBe(0);
    expect(search.results).toEqual([]);
  });

  it('while the token holder sees everything', async () => {
    const list = (await api('GET', '/v1/repositories/team/')).body as { count: number };
    expect(list.count).toBe(2);
    expect((await api('GET', '/v1/namespaces/team')).body).toMatchObject({ repo_count: 2 });
    const search = (await api('GET', '/v1/search?q=secret')).body as {
      num_results: number;
      results: { name: string; is_public: boolean }[];
    };
    expect(search.results).toEqual([expect.objectContaining({ name: 'team/secret', is_public: false })]);
  });
});

describe('with anonymous reads turned off', () => {
  it('every read needs the token; the health check does not', async () => {
    const own = await tempDir();
    const closed = await startServe(['--data-dir', join(own.path, 'data'), '--port', '0', '--no-anonymous-reads']);
    try {
      const ownToken = (await readFile(join(own.path, 'data', 'token'), 'utf8')).trim();
      expect((await call(closed.url, 'POST', '/v1/repositories/team/', { token: ownToken, body: { repo_name: 'open' } })).status).toBe(201);
      for (const path of ['/v1/repositories/team/', '/v1/repositories/team/open', '/v1/namespaces/', '/v1/search?q=open']) {
        const res = await call(closed.url, 'GET', path);
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
        expect((await call(closed.url, 'GET', path, { token: ownToken })).status).toBe(200);
      }
      expect((await call(closed.url, 'GET', '/v1/_ping')).status).toBe(200);
    } finally {
      await closed.stop();
      await own.cleanup();
    }
  });
});

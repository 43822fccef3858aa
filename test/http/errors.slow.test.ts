/**
 * Every error code (README, Local API, "Errors") as a client sees it from a real `serve`: the right
 * status, a JSON body `{detail, code, errors?}` (never HTML, never a stack trace), and a server
 * still healthy after.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, parseRawAnswer, raw, rawExchange, startServe, tempDir, type ServeProcess } from './serve-process';

const IMAGE = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const JSON_TYPE = 'application/json; charset=utf-8';

let serve: ServeProcess;
let token: string;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir();
  serve = await startServe(['--data-dir', join(dir.path, 'data'), '--port', '0', '--request-timeout', '1500']);
  token = (await readFile(join(dir.path, 'data', 'token'), 'utf8')).trim();
  const created = await call(serve.url, 'POST', '/v1/repositories/errs/', { token, body: { repo_name: 'repo' } });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await serve?.stop();
  await dir?.cleanup();
});

const api = (method: string, path: string, options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}) =>
  call(serve.url, method, path, {
    token: options.token === undefined ? token : options.token,
    body: options.body,
    headers: options.headers,
  });

function expectError(res: { status: number; headers: Headers; body: unknown; text: string }, status: number, code: string) {
  expect({ status: res.status, code: (res.body as { code?: string } | undefined)?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toBe(JSON_TYPE);
  const body = res.body as Record<string, unknown>;
  expect(typeof body.detail).toBe('string');
  expect((body.detail as string).length).toBeGreaterThan(0);
  expect(res.text).not.toMatch(/<html|\n\s+at |node_modules/i);
  return body;
}

async function expectHealthy() {
  const ping = await api('GET', '/v1/_ping', { token: null });
  expect(ping.status).toBe(200);
  expect(ping.body).toMatchObject({ ok: true });
}

describe('validation_error (400)', () => {
  it('names each bad field', async () => {
    const res = await api('POST', '/v1/repositories/errs/', { body: { repo_name: 'Bad Name!', is_public: 'yes', extra: 1 } });
    const body = expectError(res, 400, 'validation_error');
    const errors = body.errors as Record<string, string[]>;
    expect(Object.keys(errors).sort()).toEqual(['extra', 'is_public']);
    expect(errors.is_public![0]).toMatch(/boolean/i);
  });

  it('reports an invalid name under its field, and a missing one as required', async () => {
    expect(
      expectError(await api('POST', '/v1/repositories/errs/', { body: { repo_name: 'Bad Name!' } }), 400, 'validation_error').errors,
    ).toHaveProperty('repo_name');
    const missing = expectError(await api('POST', '/v1/repositories/errs/', { body: {} }), 400, 'validation_error');
    expect(missing.errors).toEqual({ repo_name: ['This field is required.'] });
  });

  it('refuses read-only and unknown fields on update (PUT and PATCH)', async () => {
    for (const method of ['PUT', 'PATCH']) {
      const res = await api(method, '/v1/repositories/errs/repo', { body: { repo_name: 'other', download: 5 } });
      expect(Object.keys(expectError(res, 400, 'validation_error').errors as object).sort()).toEqual(['download', 'repo_name']);
    }
  });

  it('refuses bad paging and ordering parameters', async () => {
    for (const query of [
      'page=0',
      'page=abc',
      'page_size=-1',
      'page=1.5',
      'page=0x10',
      'page_size=%202',
      'ordering=size',
      'is_public=maybe',
    ]) {
      const res = await api('GET', `/v1/repositories/errs/?${query}`);
      const field = query.split('=')[0]!;
      expect(expectError(res, 400, 'validation_error').errors).toHaveProperty(field);
    }
  });

  it('clamps a page_size above 100 instead of refusing it, however large', async () => {
    for (const size of ['101', '1000', '100000000000000000000']) {
      const res = await api('GET', `/v1/repositories/errs/?page_size=${size}`);
      expect({ size, status: res.status }).toEqual({ size, status: 200 });
    }
  });

  it('reports a repo_path over 255 characters under repo_name', async () => {
    const ns = 'n'.repeat(250);
    const res = await api('POST', `/v1/repositories/${ns}/`, { body: { repo_name: 'r'.repeat(10) } });
    expect(expectError(res, 400, 'validation_error').errors).toHaveProperty('repo_name');
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const body of ['[1,2]', '"text"', '42']) {
      expectError(await api('POST', '/v1/repositories/errs/', { body }), 400, 'validation_error');
    }
  });

  it('refuses __proto__ and constructor.prototype keys at any depth, escaped or not', async () => {
    const bodies = [
      '{"repo_name":"aa","__proto__":{"is_public":false}}',
      '{"repo_name":"aa","x":[{"y":{"__proto__":{"polluted":true}}}]}',
      '{"repo_name":"aa","constructor":{"prototype":{"polluted":true}}}',
      '{"repo_name":"aa","\\u005f_proto__":{"polluted":true}}',
    ];
    for (const body of bodies) {
      expectError(await api('POST', '/v1/repositories/errs/', { body }), 400, 'validation_error');
    }
    expect((await api('GET', '/v1/repositories/errs/aa')).status).toBe(404);
  });
});

describe('invalid_json (400)', () => {
  it('answers a body that does not parse', async () => {
    for (const body of ['{"repo_name":', '{repo_name: "x"}', "{'a': 1}", '\u0000']) {
      const res = expectError(await api('POST', '/v1/repositories/errs/', { body }), 400, 'invalid_json');
      expect(res.detail).toMatch(/JSON/);
    }
  });
});

describe('unauthorized (401)', () => {
  it('asks for the token on a write, with WWW-Authenticate', async () => {
    const res = await api('POST', '/v1/repositories/errs/', { token: null, body: { repo_name: 'nope' } });
    expectError(res, 401, 'unauthorized');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('not_found (404) and method_not_allowed (405)', () => {
  it('answers unknown routes with JSON 404', async () => {
    for (const path of ['/', '/v1', '/v2/repositories/errs/', '/v1/repositories/errs/repo/tags/latest/nothing', '/favicon.ico']) {
      expectError(await api('GET', path), 404, 'not_found');
    }
  });

  it('answers a missing repo, tag and namespace with 404', async () => {
    expectError(await api('GET', '/v1/repositories/errs/missing'), 404, 'not_found');
    expectError(await api('GET', '/v1/repositories/errs/repo/tags/missing'), 404, 'not_found');
    expectError(await api('GET', '/v1/repositories/nobody/'), 404, 'not_found');
    expectError(await api('GET', '/v1/namespaces/nobody'), 404, 'not_found');
  });

  it('answers a known path with a wrong method with 405 and Allow', async () => {
    const cases: [string, string, string[]][] = [
      ['PATCH', '/v1/_ping', ['GET']],
      ['POST', '/v1/repositories/errs/repo/tags', ['GET']],
      ['DELETE', '/v1/repositories/errs/', ['GET', 'POST']],
      ['POST', '/v1/repositories/errs/repo', ['DELETE', 'GET', 'PATCH', 'PUT']],
      ['GET', '/v1/repositories/errs/repo/tags/latest/pull', ['POST']],
      ['OPTIONS', '/v1/repositories/errs/', ['GET', 'POST']],
      ['PROPFIND', '/v1/_ping', ['GET']],
    ];
    for (const [method, path, allowed] of cases) {
      const res = await api(method, path);
      expectError(res, 405, 'method_not_allowed');
      const allow = (res.headers.get('allow') ?? '').split(/,\s*/);
      for (const m of allowed) expect(allow).toContain(m);
      expect(allow).not.toContain(method);
    }
  });
});

describe('conflict (409)', () => {
  it('refuses a duplicate repo and a duplicate namespace', async () => {
    expectError(await api('POST', '/v1/repositories/errs/', { body: { repo_name: 'repo' } }), 409, 'conflict');
    expectError(await api('POST', '/v1/namespaces/', { body: { namespace: 'errs' } }), 409, 'conflict');
  });

  it('refuses to delete a namespace with repos unless force=true', async () => {
    expect((await api('POST', '/v1/repositories/doomed/', { body: { repo_name: 'r1' } })).status).toBe(201);
    expectError(await api('DELETE', '/v1/namespaces/doomed'), 409, 'conflict');
    expect((await api('DELETE', '/v1/namespaces/doomed?force=true')).status).toBe(204);
    expect((await api('GET', '/v1/namespaces/doomed')).status).toBe(404);
  });
});

describe('payload_too_large (413) and unsupported_media_type (415)', () => {
  it('refuses a body over 1 MiB', async () => {
    const body = JSON.stringify({ repo_name: 'big', full_description: 'x'.repeat(1024 * 1024) });
    expectError(await api('POST', '/v1/repositories/errs/', { body }), 413, 'payload_too_large');
    await expectHealthy();
  });

  it('reads a body just under 1 MiB and judges its content instead', async () => {
    const body = JSON.stringify({ repo_name: 'big', full_description: 'x'.repeat(1024 * 1024 - 100) });
    const res = await api('POST', '/v1/repositories/errs/', { body });
    expect(expectError(res, 400, 'validation_error').errors).toHaveProperty('full_description');
  });

  it('refuses a body that is not JSON on a JSON route', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await api('POST', '/v1/repositories/errs/', { body: 'repo_name=x', headers: { 'content-type': type } });
      expectError(res, 415, 'unsupported_media_type');
    }
    const put = await api('PUT', '/v1/repositories/errs/repo/tags/v1', { body: IMAGE, headers: { 'content-type': 'text/plain' } });
    expectError(put, 415, 'unsupported_media_type');
  });

  it('refuses a compressed body', async () => {
    const res = await api('POST', '/v1/namespaces/', { body: { namespace: 'zipped' }, headers: { 'content-encoding': 'gzip' } });
    expectError(res, 415, 'unsupported_media_type');
    expect((await api('GET', '/v1/namespaces/zipped')).status).toBe(404);
  });

  it('accepts JSON with a charset parameter', async () => {
    const res = await api('PUT', '/v1/repositories/errs/repo/tags/v1', {
      body: { image_id: IMAGE },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(201);
  });
});

describe('request_timeout (408) and headers_too_large (431)', () => {
  it('cuts off a client whose request does not arrive whole in time, with JSON 408, and closes', async () => {
    const answer = await rawExchange(
      serve.port,
      `POST /v1/repositories/errs/ HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nAuthorization: Bearer ${token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"repo_name":',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/content-type: application\/json; charset=utf-8/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string };
    expect(body.code).toBe('request_timeout');
    await expectHealthy();
  });

  it('cuts off a client that never finishes its headers', async () => {
    const answer = await rawExchange(serve.port, `GET /v1/_ping HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nX-Slow: `);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"code":"request_timeout"');
  });

  it('refuses headers over 16 KiB with JSON 431', async () => {
    const res = await raw(serve.port, { path: '/v1/_ping', headers: { 'x-filler': 'f'.repeat(17 * 1024) } });
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe(JSON_TYPE);
    expect(res.json).toMatchObject({ code: 'headers_too_large' });
    await expectHealthy();
  });

  it('answers a malformed request with JSON 400 and closes', async () => {
    const answer = parseRawAnswer(
      await rawExchange(
        serve.port,
        `GET /v1/_ping HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcde`,
      ),
    );
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'validation_error' });
    await expectHealthy();
  });

  it('still takes headers just under the limit', async () => {
    const res = await raw(serve.port, { path: '/v1/_ping', headers: { 'x-filler': 'f'.repeat(15 * 1024) } });
    expect(res.status).toBe(200);
  });
});

describe('trailing slashes', () => {
  it('answers every route with and without a trailing slash', async () => {
    const paths = [
      '/v1/_ping',
      '/v1/openapi.json',
      '/v1/search?q=re',
      '/v1/namespaces',
      '/v1/namespaces/errs',
      '/v1/repositories/errs',
      '/v1/repositories/errs/repo',
      '/v1/repositories/errs/repo/tags',
      '/v1/repositories/errs/repo/tags/v1',
    ];
    for (const path of paths) {
      const [base, query] = path.split('?');
      const slashed = `${base}/${query ? `?${query}` : ''}`;
      expect({ path, status: (await api('GET', path)).status }).toEqual({ path, status: 200 });
      expect({ path: slashed, status: (await api('GET', slashed)).status }).toEqual({ path: slashed, status: 200 });
    }
    expect((await api('PUT', '/v1/repositories/errs/repo/star/')).status).toBe(200);
    expect((await api('DELETE', '/v1/repositories/errs/repo/star')).status).toBe(200);
    expect((await api('POST', '/v1/repositories/errs/repo/tags/v1/pull/')).status).toBe(200);
    expect((await api('PATCH', '/v1/repositories/errs/repo/', { body: { description: 'slashed' } })).status).toBe(200);
    expect((await api('POST', '/v1/repositories/errs', { body: { repo_name: 'noslash' } })).status).toBe(201);
    expect((await api('DELETE', '/v1/repositories/errs/noslash')).status).toBe(204);
  });
});

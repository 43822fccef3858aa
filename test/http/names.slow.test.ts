/**
 * Names at and beyond every limit (README, "Names and limits"), and hostile names, sent over HTTP
 * to a real `serve`: each gets a clear 4xx (or works, when valid), the server stays healthy, and
 * nothing is written outside the data dir.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, raw, startServe, tempDir, type ServeProcess } from './serve-process';

const IMAGE = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

let serve: ServeProcess;
let token: string;
let box: Awaited<ReturnType<typeof tempDir>>;
let dataDir: string;
let outsideBefore: string[];

/** Every path under `root` with its size, except inside `skip`. */
async function snapshot(root: string, skip: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (path === skip) continue;
      if (entry.isDirectory()) await walk(path);
      else out.push(`${relative(root, path)}:${(await stat(path)).size}`);
    }
  };
  await walk(root);
  return out.sort();
}

const api = (method: string, path: string, body?: unknown, withToken = true) =>
  call(serve.url, method, path, { token: withToken ? token : null, body });

async function expectHealthy() {
  expect((await api('GET', '/v1/_ping')).status).toBe(200);
}

function expectClear4xx(res: { status: number; body: unknown; headers: Headers }, context: string) {
  expect({ context, clientError: res.status >= 400 && res.status < 500 }).toEqual({ context, clientError: true });
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(typeof (res.body as { detail?: unknown }).detail).toBe('string');
}

beforeAll(async () => {
  box = await tempDir('berth-names-');
  dataDir = join(box.path, 'data');
  await mkdir(join(box.path, 'outside', 'namespaces'), { recursive: true });
  await writeFile(join(box.path, 'outside', 'keep.txt'), 'untouched');
  await writeFile(join(box.path, 'namespace.json'), '{"sentinel":true}');
  outsideBefore = await snapshot(box.path, dataDir);
  serve = await startServe(['--data-dir', dataDir, '--port', '0']);
  token = (await readFile(join(dataDir, 'token'), 'utf8')).trim();
  expect((await api('POST', '/v1/repositories/ab/', { repo_name: 'base' })).status).toBe(201);
  expect((await api('PUT', '/v1/repositories/ab/base/tags/latest', { image_id: IMAGE })).status).toBe(201);
});

afterAll(async () => {
  await serve?.stop();
  await box?.cleanup();
});

describe('limits, at and beyond', () => {
  it('namespaces: 2 to 255 characters', async () => {
    expect((await api('POST', '/v1/namespaces/', { namespace: 'n' })).status).toBe(400);
    expect((await api('POST', '/v1/namespaces/', { namespace: 'nn' })).status).toBe(201);
    expect((await api('POST', '/v1/namespaces/', { namespace: 'n'.repeat(255) })).status).toBe(201);
    const over = await api('POST', '/v1/namespaces/', { namespace: 'n'.repeat(256) });
    expect(over.status).toBe(400);
    expect(over.body).toHaveProperty('errors.namespace');
    expect((await api('GET', `/v1/namespaces/${'n'.repeat(255)}`)).status).toBe(200);
  });

  it('repo names: 2 characters up to a 255-character repo_path', async () => {
    expect((await api('POST', '/v1/repositories/ab/', { repo_name: 'r' })).body).toHaveProperty('errors.repo_name');
    expect((await api('POST', '/v1/repositories/ab/', { repo_name: 'rr' })).status).toBe(201);
    // "ab/" + 252 = 255 characters: the longest path.
    expect((await api('POST', '/v1/repositories/ab/', { repo_name: 'r'.repeat(252) })).status).toBe(201);
    expect((await api('GET', `/v1/repositories/ab/${'r'.repeat(252)}`)).status).toBe(200);
    for (const length of [253, 255, 256]) {
      const res = await api('POST', '/v1/repositories/ab/', { repo_name: 'r'.repeat(length) });
      expect({ length, status: res.status }).toEqual({ length, status: 400 });
      expect(res.body).toHaveProperty('errors.repo_name');
    }
  });

  it('tags: up to 128 characters, not starting with . or -', async () => {
    for (const tag of ['t', 'T'.repeat(128), '_x', 'A.b-C_1', 'v1.0.0']) {
      const res = await api('PUT', `/v1/repositories/ab/base/tags/${tag}`, { image_id: IMAGE });
      expect({ tag, status: res.status }).toEqual({ tag, status: 201 });
    }
    for (const tag of ['T'.repeat(129), '.x', '-x', 'a:b', 'a+b']) {
      const res = await api('PUT', `/v1/repositories/ab/base/tags/${encodeURIComponent(tag)}`, { image_id: IMAGE });
      expect({ tag, status: res.status }).toEqual({ tag, status: 400 });
    }
  });

  it('descriptions: 100 characters (counted as a person counts them) and 25,000 for the full one', async () => {
    expect((await api('PATCH', '/v1/repositories/ab/base', { description: 'd'.repeat(100) })).status).toBe(200);
    expect((await api('PATCH', '/v1/repositories/ab/base', { description: '🐳'.repeat(100) })).status).toBe(200);
    expect((await api('PATCH', '/v1/repositories/ab/base', { description: 'd'.repeat(101) })).body).toHaveProperty('errors.description');
    expect((await api('PATCH', '/v1/repositories/ab/base', { full_description: 'f'.repeat(25_000) })).status).toBe(200);
    expect((await api('PATCH', '/v1/repositories/ab/base', { full_description: 'f'.repeat(25_001) })).body).toHaveProperty(
      'errors.full_description',
    );
    expect((await api('GET', '/v1/repositories/ab/base')).body).toMatchObject({ description: '🐳'.repeat(100) });
  });

  it('image ids: 64 lowercase hex, sha256: prefix accepted and stripped', async () => {
    const pushed = await api('PUT', '/v1/repositories/ab/base/tags/id', { image_id: `sha256:${IMAGE}` });
    expect(pushed.body).toMatchObject({ tag: 'id', image_id: IMAGE });
    for (const image_id of [IMAGE.toUpperCase(), IMAGE.slice(1), `${IMAGE}0`, `sha512:${IMAGE}`, '', 42]) {
      const res = await api('PUT', '/v1/repositories/ab/base/tags/id', { image_id });
      expect({ image_id, status: res.status }).toEqual({ image_id, status: 400 });
      expect(res.body).toHaveProperty('errors.image_id');
    }
  });
});

const HOSTILE = [
  '__proto__',
  '..',
  '.',
  '%2e%2e',
  '%2F',
  'a/b',
  'a\\b',
  '../../outside',
  'ñame',
  '名前',
  'x😀',
  'UPPER',
  'a..b',
  '-ab',
  'ab-',
  '',
  ' ab',
  'ab\n',
  'ab\u0000c',
  'x'.repeat(5000),
];

describe('hostile names', () => {
  it('are refused in bodies with a validation error naming the field', async () => {
    for (const name of [...HOSTILE, 'x'.repeat(200_000)]) {
      const repo = await api('POST', '/v1/repositories/ab/', { repo_name: name });
      expectClear4xx(repo, `repo_name ${JSON.stringify(name.slice(0, 20))}`);
      expect(repo.body).toHaveProperty('errors.repo_name');
      const ns = await api('POST', '/v1/namespaces/', { namespace: name });
      expectClear4xx(ns, `namespace ${JSON.stringify(name.slice(0, 20))}`);
      expect(ns.body).toHaveProperty('errors.namespace');
    }
    await expectHealthy();
  });

  it('are a clear 4xx in every path position, for reads and writes', async () => {
    // (The empty name is left out: an empty segment is simply a shorter, different route.)
    const inPath = [
      ...HOSTILE.filter((n) => n !== '').map((n) => encodeURIComponent(n)),
      '%2e%2e',
      '..%2F..%2Foutside',
      '%252e%252e',
      '%E0%A4%A',
      'x'.repeat(12_000),
    ];
    for (const seg of inPath) {
      const cases: [string, string, unknown?][] = [
        ['GET', `/v1/repositories/${seg}/`],
        ['GET', `/v1/repositories/ab/${seg}`],
        ['GET', `/v1/repositories/ab/base/tags/${seg}`],
        ['GET', `/v1/namespaces/${seg}`],
        ['POST', `/v1/repositories/${seg}/`, { repo_name: 'fine' }],
        ['PUT', `/v1/repositories/ab/${seg}`, { description: 'x' }],
        ['DELETE', `/v1/repositories/ab/${seg}/`],
        ['DELETE', `/v1/namespaces/${seg}?force=true`],
      ];
      for (const [method, path, body] of cases) {
        // node:http sends the path as written; fetch would resolve "." and ".." segments itself.
        const res = await raw(serve.port, {
          method,
          path,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        const context = `${method} ${path.slice(0, 80)}`;
        expect({ context, clientError: res.status >= 400 && res.status < 500 }).toEqual({ context, clientError: true });
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(typeof (res.json as { detail?: unknown }).detail).toBe('string');
      }
    }
    await expectHealthy();
    expect((await api('GET', '/v1/repositories/ab/base')).status).toBe(200);
  });

  it('as tags: the valid ones (even "__proto__") are stored as plain tags, the rest refused', async () => {
    const before = (await api('GET', '/v1/repositories/ab/base/tags')).body as { tag: string }[];
    const stored: string[] = [];
    for (const name of HOSTILE) {
      const res = await api('PUT', `/v1/repositories/ab/base/tags/${encodeURIComponent(name)}`, { image_id: IMAGE });
      if (TAG.test(name)) {
        expect({ name, status: res.status }).toEqual({ name, status: 201 });
        stored.push(name);
      } else {
        expectClear4xx(res, `tag ${JSON.stringify(name.slice(0, 20))}`);
      }
    }
    expect(stored).toContain('__proto__');
    const after = (await api('GET', '/v1/repositories/ab/base/tags')).body as { tag: string }[];
    expect(after.map((t) => t.tag).sort()).toEqual([...before.map((t) => t.tag), ...stored].sort());
    expect((await api('GET', '/v1/repositories/ab/base/tags/__proto__')).body).toMatchObject({ tag: '__proto__', image_id: IMAGE });
    expect(({} as Record<string, unknown>).image_id).toBeUndefined();
    expect((await api('DELETE', '/v1/repositories/ab/base/tags/__proto__')).status).toBe(204);
    expect((await api('GET', '/v1/repositories/ab/base/tags/__proto__')).status).toBe(404);
  });
});

describe('names that look like object internals are plain data', () => {
  it('constructor, prototype, tostring, hasownproperty work as namespaces, repos and tags', async () => {
    const names = ['constructor', 'prototype', 'tostring', 'hasownproperty', 'valueof'];
    for (const name of names) {
      expect((await api('POST', `/v1/repositories/${name}/`, { repo_name: name, description: name })).status).toBe(201);
      expect((await api('PUT', `/v1/repositories/${name}/${name}/tags/${name}`, { image_id: IMAGE })).status).toBe(201);
    }
    for (const name of names) {
      expect((await api('GET', `/v1/repositories/${name}/${name}`)).body).toMatchObject({ repo_path: `${name}/${name}`, upload: 1 });
      const list = (await api('GET', `/v1/repositories/${name}/`)).body as { count: number; results: { repo_name: string }[] };
      expect(list.count).toBe(1);
      expect(list.results[0]!.repo_name).toBe(name);
      expect((await api('GET', `/v1/repositories/${name}/${name}/tags`)).body).toEqual([{ image_id: IMAGE, tag: name }]);
      expect((await api('GET', `/v1/namespaces/${name}`)).body).toMatchObject({ namespace: name, repo_count: 1 });
    }
    // Looking up one that was never made is a plain 404, not an inherited property.
    for (const name of ['isprototypeof', 'tolocalestring']) {
      expect((await api('GET', `/v1/repositories/${name}/`)).status).toBe(404);
      expect((await api('GET', `/v1/repositories/ab/${name}`)).status).toBe(404);
    }
    const search = (await api('GET', '/v1/search?q=constructor')).body as { results: { name: string }[] };
    expect(search.results.map((r) => r.name)).toEqual(['constructor/constructor']);
  });
});

describe('the data dir', () => {
  it('is the only place written: nothing outside it changed, nothing inside escapes the layout', async () => {
    expect(await snapshot(box.path, dataDir)).toEqual(outsideBefore);
    expect(await readFile(join(box.path, 'outside', 'keep.txt'), 'utf8')).toBe('untouched');
    const top = (await readdir(dataDir)).sort();
    for (const entry of top)
      expect(['berth.json', 'berth.lock', 'history', 'journal', 'namespaces', 'quarantine', 'tmp', 'token', 'trash']).toContain(entry);
    for (const ns of await readdir(join(dataDir, 'namespaces'))) expect(ns).toMatch(NAME);
    await expectHealthy();
  });
});

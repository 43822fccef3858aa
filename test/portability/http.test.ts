/**
 * The routes: GET /v1/export streams the document (token only), POST /v1/import takes it
 * streamed (JSON only, 1 GiB at most) with mode and dry_run, and answers the counts.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type BerthBackend } from '../../main/backend';
import { tempDir } from '../http/serve-process';
import { withoutExportedAt } from './support';

const NONE = { created: 0, updated: 0, unchanged: 0, deleted: 0 };

const cleanups: (() => Promise<unknown>)[] = [];
let backend: BerthBackend;
let base: string;
let auth: Record<string, string>;

async function start(): Promise<{ backend: BerthBackend; base: string; auth: Record<string, string> }> {
  const dir = await tempDir('berth-portability-http-');
  cleanups.push(dir.cleanup);
  const b = await createBackend({ dataDir: join(dir.path, 'data'), port: 0 });
  cleanups.push(() => b.close());
  const info = await b.startApi();
  return { backend: b, base: info.url as string, auth: { authorization: `Bearer ${b.token()}` } };
}

beforeEach(async () => {
  ({ backend, base, auth } = await start());
  await backend.registry.createRepo('acme', { repo_name: 'web', is_public: false });
  await backend.registry.putTag('acme', 'web', 'latest', 'd'.repeat(64));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/json', ...headers } });

describe('GET /v1/export', () => {
  it('streams the whole catalogue to the token holder, private repos included', async () => {
    const res = await fetch(`${base}/v1/export`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="berth-export-\d{4}-\d{2}-\d{2}\.json"$/);
    const doc = (await res.json()) as { repos: { repo_name: string; is_public: boolean }[] };
    expect(doc).toMatchObject({ format: 'berth-export', version: 1, registries: [] });
    expect(doc.repos).toMatchObject([{ repo_name: 'web', is_public: false }]);
  });

  it('lists the registry connections, without the password given over the API', async () => {
    const password = 'Http-pw-4d2b7e-secret';
    const created = await fetch(`${base}/v1/registries/?verify=false`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'corp', url: 'https://registry.corp.example', username: 'alice', password }),
    });
    expect(created.status).toBe(201);
    const res = await fetch(`${base}/v1/export`, { headers: auth });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.includes(password)).toBe(false);
    expect((JSON.parse(bytes.toString('utf8')) as { registries: unknown[] }).registries).toMatchObject([
      { name: 'corp', url: 'https://registry.corp.example', username: 'alice' },
    ]);
    // Imported back with another address: a merge keeps the local connection and says so.
    const doc = JSON.parse(bytes.toString('utf8')) as { registries: { url: string }[] };
    (doc.registries[0] as { url: string }).url = 'https://elsewhere.example';
    const merged = await post(`${base}/v1/import`, JSON.stringify(doc));
    expect(merged.status).toBe(200);
    expect(await merged.json()).toMatchObject({
      conflicts: [{ registry: 'corp', detail: expect.stringContaining('Kept the local connection') as string }],
      registries: NONE,
    });
  });

  it('is for the token holder only: 401 without it, even with anonymous reads on', async () => {
    const res = await fetch(`${base}/v1/export`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Authentication credentials were not provided.', code: 'unauthorized' });
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });
});

describe('POST /v1/import', () => {
  it('imports what another Berth exported, into an empty folder, the same', async () => {
    const text = await (await fetch(`${base}/v1/export`, { headers: auth })).text();
    const other = await start();
    const res = await post(`${other.base}/v1/import?mode=replace`, text, other.auth);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      conflicts: [],
      registries: NONE,
      mode: 'replace',
      dry_run: false,
    });
    const again = await (await fetch(`${other.base}/v1/export`, { headers: other.auth })).text();
    expect(withoutExportedAt(again)).toBe(withoutExportedAt(text));
    // The list a tool reads afterwards shows it (no stale cached page).
    const list = (await (await fetch(`${other.base}/v1/repositories/acme/`, { headers: other.auth })).json()) as { count: number };
    expect(list.count).toBe(1);
  });

  it('answers a dry run without changing anything, merge by default', async () => {
    const text = await (await fetch(`${base}/v1/export`, { headers: auth })).text();
    const doc = JSON.parse(text) as { repos: Record<string, unknown>[] };
    doc.repos.push({ ...doc.repos[0], repo_name: 'api', repo_path: 'acme/api' });
    const res = await post(`${base}/v1/import?dry_run=true`, JSON.stringify(doc));
    expect(await res.json()).toEqual({
      created: 1,
      updated: 0,
      unchanged: 1,
      deleted: 0,
      conflicts: [],
      registries: NONE,
      mode: 'merge',
      dry_run: true,
    });
    expect((await fetch(`${base}/v1/repositories/acme/api`, { headers: auth })).status).toBe(404);
  });

  it('refuses a bad document, a bad query, another media type, and anyone without the token', async () => {
    const bad = await post(`${base}/v1/import`, '{"format":"berth-export","version":7,"namespaces":[],"repos":[]}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      code: 'validation_error',
      errors: { version: ['This version of Berth reads export version 1.'] },
    });
    const notJson = await post(`${base}/v1/import`, '{"format":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'invalid_json' });
    const empty = await post(`${base}/v1/import`, '');
    expect(empty.status).toBe(400);
    const mode = await post(`${base}/v1/import?mode=overwrite`, '{}');
    expect(mode.status).toBe(400);
    expect(await mode.json()).toMatchObject({ code: 'validation_error', errors: { mode: ['"overwrite" is not a valid choice.'] } });
    const text = await post(`${base}/v1/import`, '{}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const zipped = await post(`${base}/v1/import`, '{}', { 'content-encoding': 'gzip' });
    expect(zipped.status).toBe(415);
    const anonymous = await fetch(`${base}/v1/import`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${base}/v1/repositories/acme/web`, { headers: auth })).status).toBe(200);
  });

  it('takes a document larger than the 1 MiB other bodies may be', async () => {
    const text = await (await fetch(`${base}/v1/export`, { headers: auth })).text();
    const doc = JSON.parse(text) as { repos: Record<string, unknown>[] };
    for (let i = 0; i < 1500; i++)
      doc.repos.push({ ...doc.repos[0], repo_name: `bulk-${i}`, repo_path: `acme/bulk-${i}`, full_description: 'x'.repeat(1000) });
    const body = JSON.stringify(doc);
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const res = await post(`${base}/v1/import`, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 1500, unchanged: 1 });
  });

  it('refuses a document declared larger than 1 GiB before reading it', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${base}/v1/import`,
        { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'content-length': String(2 ** 30 + 1) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(413);
  });
});

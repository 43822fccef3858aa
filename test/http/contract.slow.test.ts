/**
 * A client written against the seed works unchanged: a real `serve` on a loopback port replays
 * every sample of the seed, field by field and type by type.
 */
import { describe, expect, it } from 'vitest';
import { call, typesOf, useServe } from './serve-process';
import { CREATE_REQUEST, CREATE_RESPONSE, DETAIL_RESPONSE, LIST_RESPONSE, TAGS_RESPONSE, UPDATE_RESPONSE } from './seed-samples';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TIME_FIELDS = ['creation_time', 'updated_time', 'creation_at', 'updated_at', 'created_at', 'pulled_at', 'pushed_at'];

/** Every field of the sample is present with the same JSON type; times are ISO 8601 with ms. */
function expectSeedShape(actual: unknown, sample: Record<string, unknown>): void {
  expect(actual).toBeTypeOf('object');
  const got = actual as Record<string, unknown>;
  const expected = typesOf(sample);
  const actualTypes = typesOf(got);
  for (const [field, type] of Object.entries(expected)) {
    expect({ field, type: actualTypes[field] }).toEqual({ field, type });
  }
  for (const field of TIME_FIELDS) {
    if (typeof got[field] === 'string') expect(got[field]).toMatch(ISO_MS);
  }
}

const served = useServe();

const api = (method: string, path: string, body?: unknown, withToken = true) =>
  call(served.serve.url, method, path, { token: withToken ? served.token : null, body });

describe('the seed, replayed against a fresh install', () => {
  it('creates the seed repo with its exact request: 201 and every field of the sample', async () => {
    const res = await api('POST', '/v1/repositories/madams/', CREATE_REQUEST);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expectSeedShape(res.body, CREATE_RESPONSE);
    expect(res.body).toMatchObject({
      repo_name: 'repo',
      namespace: 'madams',
      repo_path: 'madams/repo',
      is_automated: false,
      description: 'A docker image repository',
      is_public: true,
      logo: 'default-icon.jpg',
    });
    const body = res.body as Record<string, string>;
    expect(body.creation_time).toBe(body.updated_time);
  });

  it('lists repos as DRF does, each result with every field of the sample', async () => {
    // The sample shows pushed repos that were never pulled: make two like that.
    for (const name of ['repo1', 'repo2']) {
      expect((await api('POST', '/v1/repositories/madams/', { repo_name: name, description: name })).status).toBe(201);
      const pushed = await api('PUT', `/v1/repositories/madams/${name}/tags/latest`, { image_id: TAGS_RESPONSE[1]!.image_id });
      expect(pushed.status).toBe(201);
    }
    const res = await api('GET', '/v1/repositories/madams/', undefined, false);
    expect(res.status).toBe(200);
    const body = res.body as typeof LIST_RESPONSE;
    expect(Object.keys(body).sort()).toEqual(['count', 'next', 'previous', 'results']);
    expect(body.count).toBe(3);
    expect(body.next).toBeNull();
    expect(body.previous).toBeNull();
    expect(body.results.map((r) => r.repo_name)).toEqual(['repo', 'repo1', 'repo2']);
    const repo1 = body.results[1]!;
    expectSeedShape(repo1, LIST_RESPONSE.results[0]!);
    expect(repo1).toMatchObject({ repo_path: 'madams/repo1', description: 'repo1', upload: 1, download: 0, pulled_at: null });
  });

  it('updates a repo: 200 with the fields of the sample', async () => {
    const res = await api('PUT', '/v1/repositories/madams/repo', { description: 'A repo docker image repository' });
    expect(res.status).toBe(200);
    expectSeedShape(res.body, UPDATE_RESPONSE);
    expect(res.body).toMatchObject({ ...UPDATE_RESPONSE });
  });

  it('retrieves the details with every field of the sample', async () => {
    // The sample describes a private repo with two tags, pushed and pulled.
    expect(
      (
        await api('POST', '/v1/repositories/madams/', {
          repo_name: 'test',
          description: 'test',
          full_description: 'test contain 2 tags',
          is_public: false,
        })
      ).status,
    ).toBe(201);
    for (const { tag, image_id } of [...TAGS_RESPONSE].reverse()) {
      expect((await api('PUT', `/v1/repositories/madams/test/tags/${tag}`, { image_id })).status).toBe(201);
    }
    expect((await api('POST', '/v1/repositories/madams/test/tags/latest/pull')).status).toBe(200);
    const res = await api('GET', '/v1/repositories/madams/test');
    expect(res.status).toBe(200);
    expectSeedShape(res.body, DETAIL_RESPONSE);
    expect(res.body).toMatchObject({
      namespace: 'madams',
      repo_name: 'test',
      repo_path: 'madams/test',
      logo_file: '/static/images/user/default-logo.png',
      description: 'test',
      full_description: 'test contain 2 tags',
      repo_starred_count: 0,
      is_public: false,
      logo: 'default-icon.jpg',
      is_automated: false,
      download: 1,
      upload: 2,
      is_repo_starred: false,
    });
  });

  it('lists the tags as the sample does: [{image_id, tag}], most recently pushed first', async () => {
    const res = await api('GET', '/v1/repositories/madams/test/tags');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(TAGS_RESPONSE);
  });

  it('deletes a repo with 204 and no body; it is gone afterwards', async () => {
    const res = await api('DELETE', '/v1/repositories/madams/test/');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api('GET', '/v1/repositories/madams/test')).status).toBe(404);
    expect((await api('GET', '/v1/repositories/madams/test/tags')).status).toBe(404);
  });
});

describe('paging', () => {
  it('follows next through a multi-page list: every repo exactly once, previous links back', async () => {
    const names = Array.from({ length: 23 }, (_, i) => `page-repo-${String(i).padStart(2, '0')}`);
    for (const repo_name of names) {
      expect((await api('POST', '/v1/repositories/paging/', { repo_name })).status).toBe(201);
    }
    const seen: string[] = [];
    let url: string | null = `${served.serve.url}/v1/repositories/paging/?page_size=5&ordering=-name`;
    let pages = 0;
    let previous: string | null = null;
    while (url) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { count: number; next: string | null; previous: string | null; results: { repo_name: string }[] };
      expect(body.count).toBe(23);
      if (pages === 0) expect(body.previous).toBeNull();
      else expect(body.previous).toBe(previous);
      seen.push(...body.results.map((r) => r.repo_name));
      if (body.next) {
        const next = new URL(body.next);
        expect(next.origin).toBe(served.serve.url);
        expect(next.searchParams.get('page_size')).toBe('5');
        expect(next.searchParams.get('ordering')).toBe('-name');
      }
      previous = url.replace(/[?&]page=1(&|$)/, '$1').replace(/\?&/, '?');
      url = body.next;
      pages++;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual([...names].reverse());
    expect(new Set(seen).size).toBe(23);
  });

  it('answers a page past the last with Docker Hub\'s 404 "Invalid page."', async () => {
    const res = await api('GET', '/v1/repositories/paging/?page=99&page_size=5');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Invalid page.', code: 'not_found' });
  });

  it('pages namespaces the same way', async () => {
    const res = await api('GET', '/v1/namespaces/?page_size=1');
    expect(res.status).toBe(200);
    const body = res.body as { count: number; next: string; results: { namespace: string; repo_count: number; created_at: string }[] };
    expect(body.count).toBe(2);
    expect(new URL(body.next).searchParams.get('page')).toBe('2');
    expect(typesOf(body.results[0]!)).toEqual({ namespace: 'string', repo_count: 'number', created_at: 'string' });
  });
});

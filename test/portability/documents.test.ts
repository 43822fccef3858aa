/**
 * A document that is not a Berth export of a version this build reads, or that breaks any of
 * the API's rules, is refused whole (400) and changes nothing: not even in a merge where the
 * bad item comes after good ones.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError, type ErrorCode } from '../../main/contract/errors';
import { openHarness, type Harness } from '../fixtures/store-temp';
import { seededRandom } from '../support/seed';
import { collect, piecesOf } from './support';

const T = '2021-01-01T00:00:00.000Z';
const repo = (name: string, more: Record<string, unknown> = {}) => ({
  namespace: 'acme',
  repo_name: name,
  created_at: T,
  updated_at: T,
  ...more,
});
const head = { format: 'berth-export', version: 1, exported_at: T };
const doc = (more: Record<string, unknown> = {}) =>
  JSON.stringify({
    ...head,
    namespaces: [{ namespace: 'acme', created_at: T }],
    repos: [repo('good-1'), repo('good-2')],
    registries: [],
    ...more,
  });

let h: Harness;
let before: string;
beforeEach(async () => {
  h = await openHarness();
  await h.registry.createRepo('acme', { repo_name: 'local', description: 'here before' });
  before = await collect(h.registry.exportCatalogue());
});
afterEach(async () => {
  await h.close();
});

async function refused(text: string, code: ErrorCode, mode: 'merge' | 'replace' = 'merge'): Promise<BerthError> {
  let error: unknown;
  try {
    await h.registry.importCatalogue(piecesOf(text, seededRandom('documents'), 64), { mode });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(BerthError);
  expect((error as BerthError).code).toBe(code);
  expect((error as BerthError).status).toBe(400);
  // Nothing changed, and nothing was left behind.
  expect((await collect(h.registry.exportCatalogue())).slice(100)).toBe(before.slice(100));
  expect(readdirSync(join(h.dir, 'tmp')).filter((f) => f.startsWith('import-'))).toEqual([]);
  return error as BerthError;
}

describe('documents refused whole', () => {
  it('is not JSON, or ends early', async () => {
    expect((await refused('not json at all', 'invalid_json')).detail).toMatch(/^JSON parse error - /);
    await refused(doc().slice(0, -20), 'invalid_json');
    await refused('', 'invalid_json');
    await refused(`${doc()} {}`, 'invalid_json');
  });

  it('is JSON but not an export', async () => {
    await refused('[1, 2, 3]', 'validation_error');
    await refused('"text"', 'validation_error');
    expect((await refused(JSON.stringify({ ...head, format: 'docker-hub' }), 'validation_error')).errors).toHaveProperty('format');
    expect((await refused(doc({ extra: 1 }), 'validation_error')).errors).toHaveProperty('extra');
    expect((await refused(doc({ repos: { not: 'a list' } }), 'validation_error')).errors).toHaveProperty('repos');
  });

  it('has a version this build does not read, wherever the field comes', async () => {
    const err = await refused(doc({ version: 2 }), 'validation_error');
    expect(err.errors).toEqual({ version: ['This version of Berth reads export version 1.'] });
    expect(err.detail).toContain('version 2 is not supported');
    const last = JSON.stringify({ format: 'berth-export', namespaces: [], repos: [], version: 99 });
    expect((await refused(last, 'validation_error')).errors).toHaveProperty('version');
    const none = JSON.stringify({ format: 'berth-export', namespaces: [], repos: [] });
    expect((await refused(none, 'validation_error')).errors).toEqual({ version: ['This field is required.'] });
  });

  it('names every item that breaks the API rules, after good ones, in both modes', async () => {
    const repos = [
      repo('good-1'),
      repo('Bad Name'),
      repo('good-2', { tags: [{ tag: '-x', image_id: 'sha256:nothex', created_at: T, updated_at: 'yesterday' }] }),
      repo('good-3', { description: 'x'.repeat(101), download: -1 }),
      repo('good-1'),
      { ...repo('elsewhere'), namespace: 'unlisted' },
      repo('good-4', { build_config: { constructor: { prototype: { polluted: true } } } }),
      repo('good-5', { is_automated: true, repo_starred_count: 1, is_repo_starred: false, repo_path: 'other/path' }),
      repo('good-6', { tags: [{ tag: 'v1', image_id: `sha256:${'a'.repeat(64)}`, created_at: T, updated_at: T }] }),
    ];
    for (const mode of ['merge', 'replace'] as const) {
      const err = await refused(doc({ repos }), 'validation_error', mode);
      expect(Object.keys(err.errors ?? {})).toEqual(
        expect.arrayContaining([
          'repos[1].repo_name',
          'repos[2].tags[0].tag',
          'repos[2].tags[0].image_id',
          'repos[2].tags[0].updated_at',
          'repos[3].download',
          'repos[4].repo_name',
          'repos[5].namespace',
          'repos[6].build_config',
          'repos[7].is_automated',
          'repos[7].repo_starred_count',
          'repos[7].repo_path',
          'repos[8].tags[0].image_id',
        ]),
      );
      expect(err.detail).toMatch(/^The document has problems and nothing was imported: /);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a __proto__ key as data and refuses it in build settings', async () => {
    const text = doc({ repos: [repo('good-1'), repo('good-2')] }).replace(
      '"repo_name":"good-2"',
      '"repo_name":"good-2","build_config":{"__proto__":{"polluted":1}}',
    );
    expect((await refused(text, 'validation_error')).errors).toHaveProperty(['repos[1].build_config']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lists registries without an address, or with a password', async () => {
    expect((await refused(doc({ registries: [{ name: 'hub' }] }), 'validation_error')).errors).toHaveProperty(['registries[0].url']);
    const withPassword = { name: 'corp', url: 'https://registry.example.com', password: 'hunter2' };
    expect((await refused(doc({ registries: [withPassword] }), 'validation_error')).errors).toHaveProperty(['registries[0].password']);
  });

  it('is nested too deeply, or holds a value longer than any field', async () => {
    const deep = doc({ repos: [repo('good-1', { build_config: JSON.parse(`${'{"a":'.repeat(70)}1${'}'.repeat(70)}`) as object })] });
    await refused(deep, 'validation_error');
    await refused(doc({ repos: [repo('good-1', { full_description: 'x'.repeat(1100 * 1024) })] }), 'validation_error');
  });

  it('stops reading at twenty problems', async () => {
    const repos = Array.from({ length: 500 }, (_, i) => repo(`BAD-${i}`));
    const err = await refused(doc({ repos }), 'validation_error');
    expect(Object.keys(err.errors ?? {})).toHaveLength(20);
    expect(err.detail).toContain('(and 19 more at least)');
  });
});

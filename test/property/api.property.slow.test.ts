/**
 * Random sequences of valid and invalid operations against a real `serve`, replayed on a small
 * model of the registry (registry-model.ts): the server never answers 5xx, every answer agrees
 * with the model, and after a restart (clean or SIGKILL) the whole catalogue reads back the same.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, type ServeChild } from '../../bench/serve-child';
import { ApiClient, seg, type Answer } from './api-client';
import {
  expectedDetail,
  isValidImageId,
  isValidName,
  isValidTag,
  newRepo,
  repoPathFits,
  stripSha,
  type Model,
  type ModelRepo,
} from './registry-model';

const TOKEN = 'property-token-6f1b0c2a9d8e7f6a5b4c3d2e1f0a9b8c';

// Small pools so that operations collide: the interesting cases are the second create, the delete
// of something that has tags, the tag that moves. Valid names come up far more often than invalid
// ones, so sequences build real state; the invalid ones still appear in most runs.
const LONG_NS = 'n'.repeat(250); // valid, but leaves room for repo names of at most 4 characters
const mostlyValid = (valid: string[], invalid: string[]): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 9 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });
const NAMESPACE = fc.oneof(
  { arbitrary: fc.constantFrom('alpha', 'constructor'), weight: 16 },
  { arbitrary: fc.constantFrom('ns.one', LONG_NS), weight: 2 },
  { arbitrary: fc.constantFrom('A', 'x', '__proto__', 'bad_', 'a'.repeat(256)), weight: 2 },
);
const REPO = fc.oneof(
  { arbitrary: fc.constantFrom('app', 'tostring', 'db.2'), weight: 16 },
  { arbitrary: fc.constantFrom('web-ui', 'hasownproperty'), weight: 2 },
  { arbitrary: fc.constantFrom('Bad', 'q', '__proto__', 'x_', 'r'.repeat(256)), weight: 2 },
);
const TAG = mostlyValid(['latest', 'v1.0', 'Build_7', '_x', 'T'.repeat(128)], ['-bad', '.dot', 't'.repeat(129)]);
const IDS = ['a'.repeat(64), '0123456789abcdef'.repeat(4), `sha256:${'b'.repeat(64)}`];
const IMAGE_ID = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(...IDS), weight: 9 },
  { arbitrary: fc.constantFrom<unknown>('abc', 'A'.repeat(64), '0'.repeat(63), 42), weight: 1 },
);
const DESCRIPTION = mostlyValid(['', 'a tiny image', 'café ☕ ünïcode', 'd'.repeat(100)], ['d'.repeat(101)]);
const FULL_DESCRIPTION = mostlyValid(['# Title\n\nSome *markdown*.', '<script>alert(1)</script>'], ['f'.repeat(25_001)]);
const IS_PUBLIC = fc.oneof({ arbitrary: fc.boolean(), weight: 9 }, { arbitrary: fc.constant<unknown>('yes'), weight: 1 });

type Fields = {
  description?: string;
  full_description?: string;
  is_public?: unknown;
  namespace?: string;
  bogus?: number;
  repo_name?: unknown;
};

type Op =
  | { kind: 'createNamespace'; ns: string }
  | { kind: 'deleteNamespace'; ns: string; force: boolean }
  | { kind: 'getNamespace'; ns: string }
  | { kind: 'createRepo'; ns: string; repo: string; fields: Fields }
  | { kind: 'updateRepo'; ns: string; repo: string; fields: Fields }
  | { kind: 'deleteRepo'; ns: string; repo: string }
  | { kind: 'getRepo'; ns: string; repo: string; anonymous: boolean }
  | { kind: 'listRepos'; ns: string; anonymous: boolean }
  | { kind: 'putTag'; ns: string; repo: string; tag: string; imageId: unknown }
  | { kind: 'deleteTag'; ns: string; repo: string; tag: string }
  | { kind: 'listTags'; ns: string; repo: string }
  | { kind: 'pull'; ns: string; repo: string; tag: string }
  | { kind: 'star'; ns: string; repo: string; on: boolean }
  | { kind: 'badJson'; ns: string };

/**
 * How a generated operation may aim at what already exists: `pick` replaces its names with an
 * existing namespace (or namespace and repo), `tagPick` its tag with one of that repo's tags.
 * Resolved against the model just before the operation runs, so most operations hit real state.
 */
type Aim = { pick?: number; tagPick?: number };
type GeneratedOp = Op & Aim;

const ns = NAMESPACE;
const repo = REPO;
const tag = TAG;
const common = { description: DESCRIPTION, full_description: FULL_DESCRIPTION, is_public: IS_PUBLIC };
// Create may repeat the path's namespace in the body (or contradict it); update may try to rename;
// either may carry a field the API does not know. Those extras are rare.
const rare = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: arb, weight: 1 });
const createFields: fc.Arbitrary<Fields> = fc
  .tuple(fc.record(common, { requiredKeys: [] }), rare(fc.constantFrom('alpha', 'other')), rare(fc.constant(1)))
  .map(([f, namespace, bogus]) => ({ ...f, ...(namespace === undefined ? {} : { namespace }), ...(bogus === undefined ? {} : { bogus }) }));
const updateFields: fc.Arbitrary<Fields> = fc
  .tuple(fc.record(common, { requiredKeys: [] }), rare(fc.constant('renamed')), rare(fc.constant(1)))
  .map(([f, repo_name, bogus]) => ({ ...f, ...(repo_name === undefined ? {} : { repo_name }), ...(bogus === undefined ? {} : { bogus }) }));

// Weighted towards the operations that build state, so sequences reach repos with tags.
const pick = fc.option(fc.nat(), { freq: 3, nil: undefined }); // two times in three
const aimed = <T extends Op>(arb: fc.Arbitrary<T>, aim: { tag?: boolean } = {}): fc.Arbitrary<GeneratedOp> =>
  fc
    .tuple(arb, pick, aim.tag ? pick : fc.constant(undefined))
    .map(([op, p, t]): GeneratedOp => ({ ...op, ...(p === undefined ? {} : { pick: p }), ...(t === undefined ? {} : { tagPick: t }) }));

const opArb: fc.Arbitrary<GeneratedOp> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('createNamespace' as const), ns }), weight: 2 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('deleteNamespace' as const), ns, force: fc.boolean() })), weight: 1 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('getNamespace' as const), ns })), weight: 1 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('createRepo' as const), ns, repo, fields: createFields })), weight: 5 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('updateRepo' as const), ns, repo, fields: updateFields })), weight: 2 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('deleteRepo' as const), ns, repo })), weight: 1 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('getRepo' as const), ns, repo, anonymous: fc.boolean() })), weight: 2 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('listRepos' as const), ns, anonymous: fc.boolean() })), weight: 1 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('putTag' as const), ns, repo, tag, imageId: IMAGE_ID }), { tag: true }), weight: 5 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('deleteTag' as const), ns, repo, tag }), { tag: true }), weight: 2 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('listTags' as const), ns, repo })), weight: 1 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('pull' as const), ns, repo, tag }), { tag: true }), weight: 2 },
  { arbitrary: aimed(fc.record({ kind: fc.constant('star' as const), ns, repo, on: fc.boolean() })), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('badJson' as const), ns }), weight: 1 },
);

// Each run starts from a few repos with tags, so the random part meets real state from its first step.
const seedRepos: fc.Arbitrary<GeneratedOp[]> = fc.array(
  fc.record({
    kind: fc.constant('createRepo' as const),
    ns: fc.constantFrom('alpha', 'constructor'),
    repo: fc.constantFrom('app', 'tostring', 'db.2'),
    fields: fc.record({ description: fc.constantFrom('', 'seeded'), is_public: fc.boolean() }, { requiredKeys: [] }),
  }),
  { minLength: 1, maxLength: 3 },
);
const seedTags: fc.Arbitrary<GeneratedOp[]> = fc.array(
  fc.record({
    kind: fc.constant('putTag' as const),
    ns: fc.constant('alpha'),
    repo: fc.constant('app'),
    tag: fc.constantFrom('latest', 'v1.0'),
    imageId: fc.constantFrom<unknown>(...IDS),
    pick: fc.nat(),
  }),
  { minLength: 1, maxLength: 3 },
);
// Always run first, whatever the seed, so every outcome the end of the test asks for is met at
// least once: random draws reach some of them rarely enough to miss in 20 runs (seed 406957071
// never tried to delete a namespace that still held repos).
const everyOutcome: GeneratedOp[] = [
  { kind: 'createNamespace', ns: 'ns.one' },
  { kind: 'createRepo', ns: 'alpha', repo: 'app', fields: {} },
  { kind: 'createRepo', ns: 'alpha', repo: 'app', fields: {} },
  { kind: 'createRepo', ns: 'alpha', repo: 'Bad', fields: {} },
  { kind: 'updateRepo', ns: 'alpha', repo: 'app', fields: { description: 'changed' } },
  { kind: 'putTag', ns: 'alpha', repo: 'app', tag: 'latest', imageId: IDS[0] },
  { kind: 'putTag', ns: 'alpha', repo: 'app', tag: 'latest', imageId: IDS[1] },
  { kind: 'putTag', ns: 'alpha', repo: 'app', tag: 'latest', imageId: 'abc' },
  { kind: 'pull', ns: 'alpha', repo: 'app', tag: 'latest' },
  { kind: 'star', ns: 'alpha', repo: 'app', on: true },
  { kind: 'getRepo', ns: 'alpha', repo: 'app', anonymous: false },
  { kind: 'deleteTag', ns: 'alpha', repo: 'app', tag: 'latest' },
  { kind: 'createRepo', ns: 'alpha', repo: 'db.2', fields: {} },
  { kind: 'deleteRepo', ns: 'alpha', repo: 'db.2' },
  { kind: 'deleteNamespace', ns: 'alpha', force: false },
  { kind: 'deleteNamespace', ns: 'alpha', force: true },
  { kind: 'getRepo', ns: 'alpha', repo: 'app', anonymous: false },
];
const sequence: fc.Arbitrary<GeneratedOp[]> = fc
  .tuple(seedRepos, seedTags, fc.array(opArb, { minLength: 5, maxLength: 25 }))
  .map(([repos, tags, rest]) => [...repos, ...tags, ...rest]);

/** Turns an aimed operation into a concrete one against the model's current state. */
function resolve(generated: GeneratedOp, model: Model): Op {
  const { pick: p, tagPick, ...op } = generated;
  if (p === undefined) return op as Op;
  // A create aims at an existing namespace only: a new repo in it, or a duplicate by chance.
  if (!('repo' in op) || op.kind === 'createRepo') {
    const names = [...model.keys()];
    return names.length === 0 ? (op as Op) : ({ ...op, ns: names[p % names.length] } as Op);
  }
  const all = [...model].flatMap(([n, repos]) => [...repos].map(([r, repo]) => [n, r, repo.tags.size] as const));
  // An operation on a tag aims at a repo that has tags, when there is one.
  const tagged = tagPick !== undefined && 'tag' in op ? all.filter(([, , tags]) => tags > 0) : [];
  const pairs = tagged.length > 0 ? tagged : all;
  if (pairs.length === 0) return op as Op;
  const [n, r] = pairs[p % pairs.length] as readonly [string, string, number];
  const aimedOp = { ...op, ns: n, repo: r } as Op;
  if ('tag' in aimedOp && tagPick !== undefined) {
    const tags = [...(model.get(n)?.get(r)?.tags.keys() ?? [])];
    if (tags.length > 0) return { ...aimedOp, tag: tags[tagPick % tags.length] as string };
  }
  return aimedOp;
}

const short = (s: string): string => (s.length > 20 ? `${s.slice(0, 6)}…(${s.length})` : s);
const describeOp = (op: Op): string => JSON.stringify(op, (_k, v: unknown) => (typeof v === 'string' ? short(v) : v));

/** The status an invalid name in the path gets: 400 (validation) or 404 (no such route/entity). */
const BAD_PATH = [400, 404];

function expectStatus(answer: Answer, allowed: number | number[], context: string): void {
  const list = Array.isArray(allowed) ? allowed : [allowed];
  expect(list, `${context}: status ${answer.status}, body ${answer.text.slice(0, 300)}`).toContain(answer.status);
  if (answer.status >= 400) {
    const body = answer.body as { detail?: unknown; code?: unknown };
    expect(typeof body.detail, `${context}: error without detail`).toBe('string');
    expect(typeof body.code, `${context}: error without code`).toBe('string');
  }
}

function expectRepo(body: unknown, nsName: string, repoName: string, model: ModelRepo, context: string, anonymous = false): void {
  const detail = body as Record<string, unknown>;
  const expected = expectedDetail(nsName, repoName, model);
  // The star is the local user's; what an anonymous reader is told about it is not pinned down.
  if (anonymous) delete expected.is_repo_starred;
  expect(detail, context).toMatchObject(expected);
  expect(detail.pulled_at === null, `${context}: pulled_at`).toBe(!model.pulled);
  expect(detail.pushed_at === null, `${context}: pushed_at`).toBe(!model.pushed);
  // Pulls and stars leave updated_at alone; edits and tag changes forget the remembered value.
  if (model.updatedAt !== undefined) expect(detail.updated_at, `${context}: updated_at changed`).toBe(model.updatedAt);
  if (model.createdAt !== undefined) expect(detail.created_at, `${context}: created_at changed`).toBe(model.createdAt);
  model.updatedAt = detail.updated_at as string;
  model.createdAt = detail.created_at as string;
}

const repoRoute = (n: string, r: string) => `/v1/repositories/${seg(n)}/${seg(r)}`;

function createFieldsValid(nsName: string, f: Fields): boolean {
  if (f.bogus !== undefined) return false;
  if (f.namespace !== undefined && f.namespace !== nsName) return false;
  if (f.description !== undefined && f.description.length > 100) return false;
  if (f.full_description !== undefined && f.full_description.length > 25_000) return false;
  if (f.is_public !== undefined && typeof f.is_public !== 'boolean') return false;
  return true;
}

function updateFieldsValid(f: Fields): boolean {
  if (f.bogus !== undefined || f.repo_name !== undefined) return false;
  if (f.description !== undefined && f.description.length > 100) return false;
  if (f.full_description !== undefined && f.full_description.length > 25_000) return false;
  if (f.is_public !== undefined && typeof f.is_public !== 'boolean') return false;
  return true;
}

async function apply(op: Op, model: Model, api: ApiClient, context: string): Promise<void> {
  const nsOk = isValidName(op.ns);
  const space = model.get(op.ns);
  switch (op.kind) {
    case 'createNamespace': {
      const a = await api.request('POST', '/v1/namespaces/', { body: { namespace: op.ns } });
      if (!nsOk) return expectStatus(a, 400, context);
      if (space) return expectStatus(a, 409, context);
      expectStatus(a, 201, context);
      expect(a.body, context).toMatchObject({ namespace: op.ns, repo_count: 0 });
      model.set(op.ns, new Map());
      return;
    }
    case 'deleteNamespace': {
      const a = await api.request('DELETE', `/v1/namespaces/${seg(op.ns)}${op.force ? '?force=true' : ''}`);
      if (!nsOk) return expectStatus(a, BAD_PATH, context);
      if (!space) return expectStatus(a, 404, context);
      if (space.size > 0 && !op.force) return expectStatus(a, 409, context);
      expectStatus(a, 204, context);
      model.delete(op.ns);
      return;
    }
    case 'getNamespace': {
      const a = await api.get(`/v1/namespaces/${seg(op.ns)}`);
      if (!nsOk) return expectStatus(a, BAD_PATH, context);
      if (!space) return expectStatus(a, 404, context);
      expectStatus(a, 200, context);
      expect(a.body, context).toMatchObject({ namespace: op.ns, repo_count: space.size });
      return;
    }
    case 'createRepo': {
      const body = { repo_name: op.repo, ...op.fields };
      const a = await api.request('POST', `/v1/repositories/${seg(op.ns)}/`, { body });
      if (!nsOk) return expectStatus(a, BAD_PATH, context);
      if (!isValidName(op.repo) || !repoPathFits(op.ns, op.repo) || !createFieldsValid(op.ns, op.fields)) {
        return expectStatus(a, 400, context);
      }
      if (space?.has(op.repo)) return expectStatus(a, 409, context);
      expectStatus(a, 201, context);
      const created = newRepo({ ...op.fields, is_public: op.fields.is_public as boolean | undefined });
      expect(a.body, context).toMatchObject({
        repo_name: op.repo,
        namespace: op.ns,
        repo_path: `${op.ns}/${op.repo}`,
        is_automated: false,
        description: created.description,
        is_public: created.is_public,
        logo: 'default-icon.jpg',
      });
      const body201 = a.body as Record<string, unknown>;
      expect(body201.creation_time, context).toBe(body201.updated_time);
      if (space) space.set(op.repo, created);
      else model.set(op.ns, new Map([[op.repo, created]]));
      return;
    }
    case 'updateRepo': {
      const a = await api.request('PUT', repoRoute(op.ns, op.repo), { body: op.fields });
      const target = space?.get(op.repo);
      if (!nsOk || !isValidName(op.repo)) return expectStatus(a, BAD_PATH, context);
      if (!updateFieldsValid(op.fields)) return expectStatus(a, target ? 400 : [400, 404], context);
      if (!target) return expectStatus(a, 404, context);
      expectStatus(a, 200, context);
      if (op.fields.description !== undefined) target.description = op.fields.description;
      if (op.fields.full_description !== undefined) target.full_description = op.fields.full_description;
      if (op.fields.is_public !== undefined) target.is_public = op.fields.is_public as boolean;
      target.updatedAt = undefined;
      expect(a.body, context).toMatchObject({
        repo_name: op.repo,
        namespace: op.ns,
        repo_path: `${op.ns}/${op.repo}`,
        description: target.description,
        is_public: target.is_public,
        logo: 'default-icon.jpg',
      });
      return;
    }
    case 'deleteRepo': {
      const a = await api.request('DELETE', `${repoRoute(op.ns, op.repo)}/`);
      if (!nsOk || !isValidName(op.repo)) return expectStatus(a, BAD_PATH, context);
      if (!space?.has(op.repo)) return expectStatus(a, 404, context);
      expectStatus(a, 204, context);
      space.delete(op.repo);
      return;
    }
    case 'getRepo': {
      const a = await api.get(repoRoute(op.ns, op.repo), { anonymous: op.anonymous });
      const target = space?.get(op.repo);
      if (!nsOk || !isValidName(op.repo)) return expectStatus(a, BAD_PATH, context);
      // A private repo does not exist for an anonymous reader.
      if (!target || (op.anonymous && !target.is_public)) return expectStatus(a, 404, context);
      expectStatus(a, 200, context);
      expectRepo(a.body, op.ns, op.repo, target, context, op.anonymous);
      return;
    }
    case 'listRepos': {
      const a = await api.get(`/v1/repositories/${seg(op.ns)}/?page_size=100`, { anonymous: op.anonymous });
      if (!nsOk) return expectStatus(a, BAD_PATH, context);
      if (!space) return expectStatus(a, 404, context);
      const visible = [...space].filter(([, r]) => !op.anonymous || r.is_public);
      // A namespace holding only private repos does not exist for an anonymous reader.
      if (space.size > 0 && visible.length === 0) return expectStatus(a, 404, context);
      expectStatus(a, 200, context);
      const page = a.body as { count: number; next: unknown; previous: unknown; results: Record<string, unknown>[] };
      expect(page.count, context).toBe(visible.length);
      expect(page.next, context).toBeNull();
      expect(page.previous, context).toBeNull();
      expect(page.results.map((r) => r.repo_name).sort(), context).toEqual(visible.map(([name]) => name).sort());
      for (const result of page.results) {
        const r = space.get(result.repo_name as string);
        if (!r) continue;
        expect(result, `${context}: ${String(result.repo_name)}`).toMatchObject({
          namespace: op.ns,
          description: r.description,
          full_description: r.full_description,
          is_public: r.is_public,
          download: r.download,
          upload: r.upload,
          repo_starred_count: r.starred ? 1 : 0,
        });
      }
      return;
    }
    case 'putTag': {
      const a = await api.request('PUT', `${repoRoute(op.ns, op.repo)}/tags/${seg(op.tag)}`, { body: { image_id: op.imageId } });
      const target = space?.get(op.repo);
      if (!nsOk || !isValidName(op.repo)) return expectStatus(a, BAD_PATH, context);
      if (typeof op.imageId !== 'string') return expectStatus(a, 400, context); // a schema error comes first
      if (!isValidTag(op.tag)) return expectStatus(a, target ? 400 : BAD_PATH, context);
      if (!isValidImageId(op.imageId)) return expectStatus(a, target ? 400 : [400, 404], context);
      if (!target) return expectStatus(a, 404, context);
      const id = stripSha(op.imageId);
      const isNew = !target.tags.has(op.tag);
      expectStatus(a, isNew ? 201 : 200, context);
      expect(a.body, context).toMatchObject({ tag: op.tag, image_id: id });
      target.tags.set(op.tag, id);
      target.upload += 1;
      target.pushed = true;
      target.updatedAt = undefined;
      return;
    }
    case 'deleteTag': {
      const a = await api.request('DELETE', `${repoRoute(op.ns, op.repo)}/tags/${seg(op.tag)}`);
      const target = space?.get(op.repo);
      if (!nsOk || !isValidName(op.repo) || !isValidTag(op.tag)) return expectStatus(a, BAD_PATH, context);
      if (!target?.tags.has(op.tag)) return expectStatus(a, 404, context);
      expectStatus(a, 204, context);
      target.tags.delete(op.tag);
      target.updatedAt = undefined;
      return;
    }
    case 'listTags': {
      const a = await api.get(`${repoRoute(op.ns, op.repo)}/tags`);
      const target = space?.get(op.repo);
      if (!nsOk || !isValidName(op.repo)) return expectStatus(a, BAD_PATH, context);
      if (!target) return expectStatus(a, 404, context);
      expectStatus(a, 200, context);
      const tags = a.body as { tag: string; image_id: string }[];
      expect(Object.fromEntries(tags.map((t) => [t.tag, t.image_id])), context).toEqual(Object.fromEntries(target.tags));
      expect(tags.length, context).toBe(target.tags.size);
      return;
    }
    case 'pull': {
      const a = await api.request('POST', `${repoRoute(op.ns, op.repo)}/tags/${seg(op.tag)}/pull`);
      const target = space?.get(op.repo);
      if (!nsOk || !isValidName(op.repo) || !isValidTag(op.tag)) return expectStatus(a, BAD_PATH, context);
      if (!target?.tags.has(op.tag)) return expectStatus(a, 404, context);
      expectStatus(a, 200, context);
      target.download += 1;
      target.pulled = true;
      expectRepo(a.body, op.ns, op.repo, target, context);
      return;
    }
    case 'star': {
      const a = await api.request(op.on ? 'PUT' : 'DELETE', `${repoRoute(op.ns, op.repo)}/star`);
      const target = space?.get(op.repo);
      if (!nsOk || !isValidName(op.repo)) return expectStatus(a, BAD_PATH, context);
      if (!target) return expectStatus(a, 404, context);
      expectStatus(a, 200, context);
      target.starred = op.on;
      expect(a.body, context).toEqual({ repo_starred_count: op.on ? 1 : 0, is_repo_starred: op.on });
      return;
    }
    case 'badJson': {
      const a = await api.request('POST', `/v1/repositories/${seg(op.ns)}/`, { body: '{"repo_name": "app",' });
      if (!nsOk) return expectStatus(a, BAD_PATH, context);
      expectStatus(a, 400, context);
      expect((a.body as { code: string }).code, context).toBe('invalid_json');
      return;
    }
  }
}

/** Everything a client can read back: namespaces, their repos, each repo's detail and tags. */
async function snapshot(api: ApiClient): Promise<unknown> {
  const namespaces = await api.listAll<{ namespace: string; repo_count: number; created_at: string }>('/v1/namespaces/?page_size=100');
  const out: Record<string, unknown> = {};
  for (const n of namespaces.sort((a, b) => (a.namespace < b.namespace ? -1 : 1))) {
    const repos = await api.listAll<Record<string, unknown>>(`/v1/repositories/${seg(n.namespace)}/?page_size=100`);
    const details: Record<string, unknown> = {};
    for (const r of repos) {
      const name = r.repo_name as string;
      const detail = await api.get(repoRoute(n.namespace, name));
      const tags = await api.get(`${repoRoute(n.namespace, name)}/tags`);
      details[`repo:${name}`] = { list: r, detail: detail.body, tags: tags.body };
    }
    out[`ns:${n.namespace}`] = { namespace: n, repos: details };
  }
  return out;
}

/** The model, read back in full from the server. */
async function expectServerEquals(model: Model, api: ApiClient, context: string): Promise<void> {
  const namespaces = await api.listAll<{ namespace: string; repo_count: number }>('/v1/namespaces/?page_size=100');
  expect(namespaces.map((n) => n.namespace).sort(), `${context}: namespaces`).toEqual([...model.keys()].sort());
  for (const n of namespaces) expect(n.repo_count, `${context}: repo_count of ${n.namespace}`).toBe(model.get(n.namespace)?.size);
  for (const [nsName, space] of model) {
    const repos = await api.listAll<{ repo_name: string }>(`/v1/repositories/${seg(nsName)}/?page_size=100`);
    expect(repos.map((r) => r.repo_name).sort(), `${context}: repos of ${nsName}`).toEqual([...space.keys()].sort());
    for (const [repoName, r] of space) {
      const detail = await api.get(repoRoute(nsName, repoName));
      expectStatus(detail, 200, `${context}: ${nsName}/${repoName}`);
      expectRepo(detail.body, nsName, repoName, r, `${context}: ${nsName}/${repoName}`);
      const tags = await api.get(`${repoRoute(nsName, repoName)}/tags`);
      const list = tags.body as { tag: string; image_id: string }[];
      expect(Object.fromEntries(list.map((t) => [t.tag, t.image_id])), `${context}: tags of ${nsName}/${repoName}`).toEqual(
        Object.fromEntries(r.tags),
      );
    }
  }
}

/** Empties the catalogue through the API, so one serve can host many runs. */
async function reset(api: ApiClient): Promise<void> {
  const namespaces = await api.listAll<{ namespace: string }>('/v1/namespaces/?page_size=100');
  for (const n of namespaces) {
    const a = await api.request('DELETE', `/v1/namespaces/${seg(n.namespace)}?force=true`);
    expectStatus(a, 204, `reset: delete namespace ${n.namespace}`);
  }
}

type Restart = 'none' | 'SIGTERM' | 'SIGKILL';

const outcomes = new Map<string, number>();
const tally = (kind: string, status: number) => outcomes.set(`${kind}:${status}`, (outcomes.get(`${kind}:${status}`) ?? 0) + 1);

describe('the HTTP API against a model of the registry', () => {
  let work: string | undefined;
  let serve: ServeChild | undefined;
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('agrees with the model on random operation sequences, before and after a restart', { timeout: 240_000 }, async () => {
    work = await mkdtemp(path.join(tmpdir(), 'berth-property-'));
    const dataDir = path.join(work, 'data');
    serve = await startServe({ dataDir, token: TOKEN });
    let api = new ApiClient(serve.url, TOKEN);
    let run = 0;
    let lastModel: Model | undefined;
    // Starting serve is the slow part, so runs share one process (emptied between runs) and about
    // one in five ends with a restart: clean (SIGTERM) or a crash (SIGKILL); the last run's state
    // always goes through a SIGKILL and a restart below.
    const restartArb = fc.oneof(
      { arbitrary: fc.constant<Restart>('none'), weight: 8 },
      { arbitrary: fc.constantFrom<Restart>('SIGTERM', 'SIGKILL'), weight: 2 },
    );
    await fc.assert(
      fc.asyncProperty(sequence, restartArb, async (ops, restart) => {
        run += 1;
        if (!serve) throw new Error('serve is not running');
        await reset(api);
        const model: Model = new Map();
        const done: string[] = [];
        for (const [i, generated] of ops.entries()) {
          const op = resolve(generated, model);
          api.onAnswer = (_method, _route, status) => tally(op.kind, status);
          const context = `run ${run}, op ${i + 1} ${describeOp(op)}\n  after: ${done.join('\n         ') || '(nothing)'}`;
          await apply(op, model, api, context);
          done.push(describeOp(op));
        }
        api.onAnswer = undefined;
        await expectServerEquals(model, api, `run ${run}, end`);
        lastModel = model;
        if (restart === 'none') return;

        // Acknowledged writes are on disk: a clean stop and a SIGKILL must both lose nothing.
        const before = await snapshot(api);
        await serve.stop(restart);
        serve = undefined;
        serve = await startServe({ dataDir, token: TOKEN });
        api = new ApiClient(serve.url, TOKEN);
        const after = await snapshot(api);
        expect(after, `run ${run}: state after ${restart} and restart`).toEqual(before);
        await expectServerEquals(model, api, `run ${run}, after ${restart} and restart`);
      }),
      { numRuns: 20, endOnFailure: true, examples: [[everyOutcome, 'SIGKILL']] },
    );
    // Whatever the draws were, the last run's state must also survive a crash.
    if (!serve || !lastModel) throw new Error('no run completed');
    const before = await snapshot(api);
    await serve.stop('SIGKILL');
    serve = await startServe({ dataDir, token: TOKEN });
    api = new ApiClient(serve.url, TOKEN);
    expect(await snapshot(api), 'state after the final SIGKILL and restart').toEqual(before);
    await expectServerEquals(lastModel, api, 'after the final SIGKILL and restart');
    // Every kind of write succeeded and invalid input was refused, each checked against the model
    // (the fixed first run guarantees the list; the random runs add the variety).
    const missing = [
      'createNamespace:201',
      'deleteNamespace:204',
      'deleteNamespace:409',
      'createRepo:201',
      'createRepo:400',
      'createRepo:409',
      'updateRepo:200',
      'deleteRepo:204',
      'putTag:201',
      'putTag:200',
      'putTag:400',
      'deleteTag:204',
      'pull:200',
      'star:200',
      'getRepo:200',
      'getRepo:404',
    ].filter((outcome) => !outcomes.has(outcome));
    expect(missing, `outcomes never reached: ${JSON.stringify(Object.fromEntries(outcomes))}`).toEqual([]);
  });
});

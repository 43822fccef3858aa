/**
 * The window and a local tool are told the same thing about the same bad input: each case sends
 * one bad input through IPC (the dispatcher the window uses) and over HTTP, and the two error
 * bodies must be byte for byte the same JSON — code, detail and every field message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcEnvelope } from '../../main/contract/api';
import { startHarnessBackend, type HarnessBackend } from '../harness/backend';

const APP = 'file:///app/out/renderer/index.html';
const IMAGE = 'a'.repeat(64);

let harness: HarnessBackend;

beforeAll(async () => {
  harness = await startHarnessBackend();
  const dispatch = harness.dispatcherFor(APP);
  const made = await dispatch({ operation: 'createRepo', args: ['acme', { repo_name: 'web' }], senderUrl: APP });
  expect(made.ok).toBe(true);
});

afterAll(async () => {
  await harness?.dispose();
});

async function viaIpc(operation: string, args: unknown[]): Promise<string> {
  const envelope: IpcEnvelope<unknown> = await harness.dispatcherFor(APP)({ operation, args, senderUrl: APP });
  if (envelope.ok) throw new Error(`${operation} was accepted over IPC: ${JSON.stringify(envelope.result)}`);
  return JSON.stringify(envelope.error);
}

async function viaHttp(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${harness.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, harness.apiUrl), {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, text: await response.text() };
}

type Case = [what: string, ipc: [operation: string, args: unknown[]], http: [method: string, path: string, body?: unknown]];

const repo = (body: unknown): Case[1] => ['createRepo', ['acme', body]];
const post = (body: unknown): Case[2] => ['POST', '/v1/repositories/acme/', body];
const REGISTRY_URL = 'https://registry.corp.example';
const registry = (input: unknown): Case[1] => ['createRegistry', [input, { verify: false }]];
const addRegistry = (body: unknown): Case[2] => ['POST', '/v1/registries/?verify=false', body];

const cases: Case[] = [
  // wrong types
  ['a repo name that is a number', repo({ repo_name: 7 }), post({ repo_name: 7 })],
  ['visibility as text', repo({ repo_name: 'api', is_public: 'yes' }), post({ repo_name: 'api', is_public: 'yes' })],
  ['a description that is a number', repo({ repo_name: 'api', description: 5 }), post({ repo_name: 'api', description: 5 })],
  ['build settings as text', repo({ repo_name: 'api', build_config: 'Simple' }), post({ repo_name: 'api', build_config: 'Simple' })],
  [
    'an update with visibility as text',
    ['updateRepo', ['acme', 'web', { is_public: 'no' }]],
    ['PATCH', '/v1/repositories/acme/web', { is_public: 'no' }],
  ],
  [
    'an image id that is a number',
    ['putTag', ['acme', 'web', 'latest', 123]],
    ['PUT', '/v1/repositories/acme/web/tags/latest', { image_id: 123 }],
  ],
  ['a namespace that is a number', ['createNamespace', [42]], ['POST', '/v1/namespaces/', { namespace: 42 }]],
  ['page 0', ['listRepos', ['acme', { page: 0 }]], ['GET', '/v1/repositories/acme/?page=0']],
  ['a page size that is not a number', ['listRepos', ['acme', { page_size: 'ten' }]], ['GET', '/v1/repositories/acme/?page_size=ten']],
  [
    'a visibility filter that is not a boolean',
    ['listRepos', ['acme', { is_public: 'maybe' }]],
    ['GET', '/v1/repositories/acme/?is_public=maybe'],
  ],
  ['an ordering that does not exist', ['listRepos', ['acme', { ordering: 'size' }]], ['GET', '/v1/repositories/acme/?ordering=size']],
  ['force as text', ['deleteNamespace', ['acme', { force: 'yes' }]], ['DELETE', '/v1/namespaces/acme?force=yes']],
  [
    'an update precondition that is not a time',
    ['updateRepo', ['acme', 'web', { description: 'x' }, { if_updated_at: 'yesterday' }]],
    ['PATCH', '/v1/repositories/acme/web?if_updated_at=yesterday', { description: 'x' }],
  ],
  ['a search without q', ['search', [{}]], ['GET', '/v1/search']],
  // unknown fields
  ['an unknown field', repo({ repo_name: 'api', owner: 'me' }), post({ repo_name: 'api', owner: 'me' })],
  [
    'a read-only field in an update',
    ['updateRepo', ['acme', 'web', { repo_name: 'renamed' }]],
    ['PUT', '/v1/repositories/acme/web', { repo_name: 'renamed' }],
  ],
  [
    'several bad fields at once',
    repo({ repo_name: 7, is_public: 'yes', owner: 'me' }),
    post({ repo_name: 7, is_public: 'yes', owner: 'me' }),
  ],
  ['a missing repo name', repo({}), post({})],
  // bad names and limits
  ['a repo name with capitals and spaces', repo({ repo_name: 'Bad Name!' }), post({ repo_name: 'Bad Name!' })],
  [
    'a namespace name with capitals',
    ['createRepo', ['Acme', { repo_name: 'api' }]],
    ['POST', '/v1/repositories/Acme/', { repo_name: 'api' }],
  ],
  ['a new namespace with a bad name', ['createNamespace', ['bad name']], ['POST', '/v1/namespaces/', { namespace: 'bad name' }]],
  [
    'a description over 100 characters',
    repo({ repo_name: 'api', description: 'd'.repeat(101) }),
    post({ repo_name: 'api', description: 'd'.repeat(101) }),
  ],
  ['a bad tag name', ['putTag', ['acme', 'web', '-latest', IMAGE]], ['PUT', '/v1/repositories/acme/web/tags/-latest', { image_id: IMAGE }]],
  [
    'an image id that is not hex',
    ['putTag', ['acme', 'web', 'latest', 'nothex']],
    ['PUT', '/v1/repositories/acme/web/tags/latest', { image_id: 'nothex' }],
  ],
  // registry connections
  ['a registry name that is a number', registry({ name: 7, url: REGISTRY_URL }), addRegistry({ name: 7, url: REGISTRY_URL })],
  ['a registry without a URL', registry({ name: 'corp' }), addRegistry({ name: 'corp' })],
  [
    'an unknown field of a registry',
    registry({ name: 'corp', url: REGISTRY_URL, token: 'x' }),
    addRegistry({ name: 'corp', url: REGISTRY_URL, token: 'x' }),
  ],
  [
    'a registry name with capitals and spaces',
    registry({ name: 'Bad Name', url: REGISTRY_URL }),
    addRegistry({ name: 'Bad Name', url: REGISTRY_URL }),
  ],
  [
    'verify as text',
    ['createRegistry', [{ name: 'corp', url: REGISTRY_URL }, { verify: 'no' }]],
    ['POST', '/v1/registries/?verify=no', { name: 'corp', url: REGISTRY_URL }],
  ],
  [
    'a registry update with insecure as text',
    ['updateRegistry', ['corp', { insecure: 'yes' }]],
    ['PATCH', '/v1/registries/corp', { insecure: 'yes' }],
  ],
  ['a page of 0 repositories', ['listRegistryRepositories', ['corp', { n: 0 }]], ['GET', '/v1/registries/corp/repositories?n=0']],
  ['tags without a repository', ['listRegistryTags', ['corp', {}]], ['GET', '/v1/registries/corp/tags']],
  [
    'all_tags that is not a boolean',
    ['deleteRegistryManifest', ['corp', { repository: 'team/app', reference: 'v1', all_tags: 'maybe' }]],
    ['DELETE', '/v1/registries/corp/manifests?repository=team/app&reference=v1&all_tags=maybe'],
  ],
];

describe('the same bad input gets byte-identical errors over IPC and over HTTP', () => {
  it.each(cases)('%s', async (_what, [operation, args], [method, path, body]) => {
    const ipc = await viaIpc(operation, args);
    const http = await viaHttp(method, path, body);
    expect(http.status).toBe(400);
    expect(JSON.parse(http.text)).toMatchObject({ code: 'validation_error' });
    expect(ipc).toBe(http.text);
  });
});

describe('an update made onto an older version of the repo (if_updated_at)', () => {
  it('is refused with the same conflict over IPC and HTTP, and saves nothing; onto the current version it saves', async () => {
    const stale = '2001-01-01T00:00:00.000Z';
    const ipc = await viaIpc('updateRepo', ['acme', 'web', { description: 'mine' }, { if_updated_at: stale }]);
    const http = await viaHttp('PATCH', `/v1/repositories/acme/web?if_updated_at=${stale}`, { description: 'mine' });
    expect(http.status).toBe(409);
    expect(JSON.parse(http.text)).toMatchObject({ code: 'conflict' });
    expect(JSON.parse(http.text).detail).toMatch(
      /^acme\/web was changed at .*, after the version you edited \(2001-01-01T00:00:00\.000Z\); nothing was saved\.$/,
    );
    expect(ipc).toBe(http.text);

    const current = JSON.parse((await viaHttp('GET', '/v1/repositories/acme/web')).text) as { description: string; updated_at: string };
    expect(current.description).not.toBe('mine');
    const saved = await viaHttp('PATCH', `/v1/repositories/acme/web?if_updated_at=${current.updated_at}`, { description: 'mine' });
    expect(saved.status).toBe(200);
    expect(JSON.parse((await viaHttp('GET', '/v1/repositories/acme/web')).text)).toMatchObject({ description: 'mine' });
  });
});

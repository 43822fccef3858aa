/**
 * The hosted service's own clients, unchanged, against a real `serve`: a command line tool and a
 * library, both Python on `requests`, replayed request by request with the headers they send.
 *
 * - Both send the token as Django REST framework's `Authorization: Token <key>` (replayed here
 *   under `Bearer` too: the same token, the same rules).
 * - The command line tool sends `Content-type: application/json` on every request, bodiless GET
 *   and DELETE included (requests adds `Content-Length: 0` to a bodiless DELETE), Python's
 *   `json.dumps` bodies (`", "` and `": "` separators, non-ASCII escaped), collection paths with
 *   a trailing slash and item paths without one, and detail/delete paths with one.
 * - The library sends pretty-printed UTF-8 JSON as `application/json; charset=utf-8`, and paths
 *   without the trailing slash.
 * - The tool creates a repo with `build_config` and reads `build_config.code_repo_client`,
 *   `created_by` and `docker_repo_path` back from the detail.
 */
import { Agent, request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { typesOf, useServe } from './serve-process';
import { CREATE_RESPONSE, DETAIL_RESPONSE, LIST_RESPONSE, TAGS_RESPONSE, UPDATE_RESPONSE } from './seed-samples';

type Scheme = 'Token' | 'Bearer';
type Style = 'cli' | 'library';
type Json = Record<string, unknown>;

interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
  json: unknown;
}

const IMAGE_TEST = TAGS_RESPONSE[0]!.image_id;
const IMAGE_LATEST = TAGS_RESPONSE[1]!.image_id;
const JSON_TYPE = 'application/json; charset=utf-8';

/** Python's json.dumps with its defaults: `", "` and `": "` separators, ensure_ascii. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonDumps(k)}: ${pythonDumps(v)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  return JSON.stringify(value);
}

/** A `requests.Session`-like client: keep-alive connections, requests' default headers, the client's own. */
class PythonClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly port: number,
    private readonly authorization: string,
    readonly style: Style,
  ) {}

  send(method: string, path: string, payload?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {
      'User-Agent': 'python-requests/2.7.0 CPython/2.7.6 Linux/3.13.0',
      'Accept-Encoding': 'gzip, deflate',
      Accept: '*/*',
      Connection: 'keep-alive',
      Authorization: this.authorization,
    };
    let body: Buffer | undefined;
    if (this.style === 'cli') {
      // auth.build_headers: the same two headers on every request, whatever its method.
      headers['Content-type'] = 'application/json';
      if (payload !== undefined) body = Buffer.from(pythonDumps(payload), 'utf8');
    } else if (payload !== undefined) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      body = Buffer.from(JSON.stringify(payload, null, 4), 'utf8');
    }
    // requests sends a Content-Length on every body-capable method, 0 when there is no body.
    if (body) headers['Content-Length'] = String(body.length);
    else if (method !== 'GET' && method !== 'HEAD') headers['Content-Length'] = '0';
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text, json });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Every field of the seed's sample is there with the sample's JSON type. */
function expectSeedFields(step: string, actual: unknown, sample: Json): Json {
  expect(actual, step).toBeTypeOf('object');
  const got = typesOf(actual as Json);
  for (const [field, type] of Object.entries(typesOf(sample))) {
    // Times the sample shows as null are strings once something happened, and the other way round.
    const allowed = field.endsWith('_at') ? ['string', 'null'] : [type];
    expect({ step, field, typeOk: allowed.includes(got[field] ?? 'missing') }).toEqual({ step, field, typeOk: true });
  }
  return actual as Json;
}

function expectStatus(step: string, answer: Answer, status: number): Answer {
  expect({ step, status: answer.status, body: answer.status === status ? '' : answer.text }).toEqual({ step, status, body: '' });
  if (answer.text) expect(answer.contentType, step).toBe(JSON_TYPE);
  return answer;
}

const served = useServe();

const SCHEMES: Scheme[] = ['Token', 'Bearer'];

/** The command line tool's `alauda repo create/ls/inspect/update/private/public/tags/rm`, in order. */
async function commandLineSession(client: PythonClient, ns: string): Promise<void> {
  const base = `/v1/repositories/${ns}`;
  const tagConfigs = [
    {
      code_repo_type: 'branch',
      code_repo_type_value: 'master',
      docker_build_tag: 'latest',
      dockerfile_location: '/',
      is_active: false,
      is_version_tagging: true,
    },
  ];

  // create: POST repositories/{ns}/ with build_config (the Simple client: a clone URL).
  const created = expectStatus(
    'create',
    await client.send('POST', `${base}/`, {
      repo_name: 'web',
      description: '前端镜像 (shop front end)',
      full_description: '',
      is_public: true,
      build_config: { code_repo_client: 'Simple', tag_configs: tagConfigs, code_repo_clone_url: 'https://git.example.com/acme/web.git' },
    }),
    201,
  );
  const createdBody = expectSeedFields('create', created.json, CREATE_RESPONSE);
  expect(createdBody).toMatchObject({
    repo_name: 'web',
    namespace: ns,
    repo_path: `${ns}/web`,
    is_automated: true,
    description: '前端镜像 (shop front end)',
    is_public: true,
  });

  // Ten more, so the list has a second page.
  for (let i = 1; i <= 10; i++) {
    expectStatus(
      `create repo-${i}`,
      await client.send('POST', `${base}/`, {
        repo_name: `repo-${String(i).padStart(2, '0')}`,
        description: '',
        full_description: '',
        is_public: true,
        build_config: { code_repo_client: 'Simple', tag_configs: tagConfigs, code_repo_clone_url: '' },
      }),
      201,
    );
  }

  // ls: GET repositories/{ns}/ (with Content-type, no body), then the page DRF links to.
  const page1 = expectStatus('list page 1', await client.send('GET', `${base}/`), 200);
  const list1 = page1.json as { count: number; next: string | null; previous: string | null; results: Json[] };
  expect(Object.keys(list1).sort()).toEqual(['count', 'next', 'previous', 'results']);
  expect(list1).toMatchObject({ count: 11, previous: null, next: `http://127.0.0.1:${served.serve.port}${base}/?page=2` });
  expect(list1.results).toHaveLength(10);
  for (const result of list1.results) expectSeedFields('list page 1', result, LIST_RESPONSE.results[0]!);
  expect(list1.results[0]).toMatchObject({ repo_name: 'repo-01', is_automated: true });
  const next = new URL(list1.next!);
  const page2 = expectStatus('list page 2', await client.send('GET', next.pathname + next.search), 200);
  const list2 = page2.json as { count: number; next: string | null; previous: string | null; results: Json[] };
  expect(list2).toMatchObject({ count: 11, next: null, previous: `http://127.0.0.1:${served.serve.port}${base}/` });
  expect(list2.results.map((r) => r.repo_name)).toEqual(['web']);
  expect((expectStatus('list past the end', await client.send('GET', `${base}/?page=3`), 404).json as Json).code).toBe('not_found');

  // inspect: GET repositories/{ns}/{name}/ and Repository.fetch's reads of build_config.
  const detail = expectSeedFields('detail', expectStatus('detail', await client.send('GET', `${base}/web/`), 200).json, DETAIL_RESPONSE);
  const buildConfig = detail.build_config as Json;
  expect(detail.is_automated).toBe(true);
  expect(buildConfig.code_repo_client).toBe('Simple');
  expect(buildConfig.created_by).toBe(ns);
  expect(buildConfig.docker_repo_path).toBe(`${ns}/web`);
  // repo_name=str(data['build_config']['docker_repo_path'])[len(data['build_config']['created_by']) + 1:]
  expect(String(buildConfig.docker_repo_path).slice(String(buildConfig.created_by).length + 1)).toBe('web');
  expect(buildConfig.tag_configs).toEqual(tagConfigs);
  expect(buildConfig.code_repo_clone_url).toBe('https://git.example.com/acme/web.git');

  // update, private, public: PUT repositories/{ns}/{name} (no slash).
  const updated = expectStatus(
    'update',
    await client.send('PUT', `${base}/web`, { description: 'shop front end', full_description: '# web\n\nThe shop.' }),
    200,
  );
  expect(expectSeedFields('update', updated.json, UPDATE_RESPONSE)).toMatchObject({
    description: 'shop front end',
    repo_path: `${ns}/web`,
  });
  const madePrivate = expectStatus('private', await client.send('PUT', `${base}/web`, { is_public: false }), 200);
  expect(madePrivate.json).toMatchObject({ is_public: false });
  expect((await fetch(`${served.serve.url}${base}/web`)).status, 'a private repo is hidden from anonymous readers').toBe(404);
  const madePublic = expectStatus('public', await client.send('PUT', `${base}/web`, { is_public: true }), 200);
  expect(madePublic.json).toMatchObject({ is_public: true });
  expect(expectStatus('detail after edits', await client.send('GET', `${base}/web/`), 200).json).toMatchObject({
    description: 'shop front end',
    full_description: '# web\n\nThe shop.',
    is_public: true,
    is_automated: true,
    build_config: { code_repo_client: 'Simple', created_by: ns, docker_repo_path: `${ns}/web` },
  });

  // tags: pushed with Berth's PUT extension, then listed and inspected as the tool does.
  expectStatus('push test', await client.send('PUT', `${base}/web/tags/test`, { image_id: `sha256:${IMAGE_TEST}` }), 201);
  expectStatus('push latest', await client.send('PUT', `${base}/web/tags/latest`, { image_id: IMAGE_TEST }), 201);
  const moved = expectStatus('move latest', await client.send('PUT', `${base}/web/tags/latest`, { image_id: IMAGE_LATEST }), 200);
  expect(moved.json).toMatchObject({ tag: 'latest', image_id: IMAGE_LATEST });
  const tags = expectStatus('list tags', await client.send('GET', `${base}/web/tags`), 200).json as Json[];
  expect(tags).toEqual([
    { image_id: IMAGE_LATEST, tag: 'latest' },
    { image_id: IMAGE_TEST, tag: 'test' },
  ]);
  const tag = expectStatus('inspect tag', await client.send('GET', `${base}/web/tags/test`), 200).json as Json;
  // The tag object, plus what Berth knows of its image (docs/registries.md, "Tag details"): none for a pushed id.
  expect(Object.keys(tag).sort()).toEqual([
    'created_at',
    'digest',
    'image_created',
    'image_id',
    'media_type',
    'platforms',
    'size',
    'source',
    'tag',
    'updated_at',
  ]);
  expect(tag).toMatchObject({ digest: null, source: 'api', platforms: [] });
  expect(tag).toMatchObject({ tag: 'test', image_id: IMAGE_TEST });

  // rm: DELETE repositories/{ns}/{name}/ (Content-type and Content-Length: 0), then again.
  const deleted = expectStatus('delete', await client.send('DELETE', `${base}/web/`), 204);
  expect(deleted.text).toBe('');
  const again = expectStatus('delete again', await client.send('DELETE', `${base}/web/`), 404);
  expect(again.json).toMatchObject({ code: 'not_found' });
  expect(typeof (again.json as Json).detail).toBe('string');
  expectStatus('detail of a deleted repo', await client.send('GET', `${base}/web/`), 404);
}

/** The library's Repository.create/get/list/delete, with its pretty-printed UTF-8 bodies. */
async function librarySession(client: PythonClient, ns: string): Promise<void> {
  const base = `/v1/repositories/${ns}`;
  const buildConfig = {
    code_repo_client: 'GitHub',
    code_repo_namespace: 'octo',
    code_repo_name: 'api',
    build_node: 'in',
    email_enabled: false,
    tag_configs: [
      {
        docker_repo_tag: 'latest',
        code_repo_type: 'branch',
        code_repo_type_value: 'master',
        build_context_path: '/',
        dockerfile_location: '/',
        is_active: false,
        build_cache_enabled: false,
        version_tagging: 0,
      },
    ],
  };
  // Repository.create: POST /v1/repositories/{namespace} (no slash), the namespace in the body.
  const created = expectStatus(
    'create',
    await client.send('POST', base, {
      repo_name: 'api',
      description: 'Orders API — 订单',
      namespace: ns,
      is_public: false,
      build_config: buildConfig,
      full_description: '',
    }),
    201,
  );
  expect(expectSeedFields('create', created.json, CREATE_RESPONSE)).toMatchObject({
    is_automated: true,
    is_public: false,
    description: 'Orders API — 订单',
  });

  // Repository.list: GET /v1/repositories/{namespace}, each result built from its fields.
  const list = expectStatus('list', await client.send('GET', base), 200).json as { count: number; results: Json[] };
  expect(list.count).toBe(1);
  expect(expectSeedFields('list', list.results[0], LIST_RESPONSE.results[0]!)).toMatchObject({ repo_name: 'api', is_automated: true });
  expectStatus('list page 1', await client.send('GET', `${base}?page=1`), 200);

  // Repository.get: GET /v1/repositories/{namespace}/{name}/, then BuildConfig(build_config).
  const detail = expectSeedFields('detail', expectStatus('detail', await client.send('GET', `${base}/api/`), 200).json, DETAIL_RESPONSE);
  expect(detail.build_config).toEqual({ ...buildConfig, created_by: ns, docker_repo_path: `${ns}/api` });

  // Settings replaced through the seed's update (the window shows what was sent last).
  const simple = {
    code_repo_client: 'Simple',
    code_repo_clone_url: 'https://git.example.com/octo/api.git',
    tag_configs: buildConfig.tag_configs,
  };
  expectStatus('update build_config', await client.send('PATCH', `${base}/api`, { build_config: simple }), 200);
  expect((expectStatus('detail after update', await client.send('GET', `${base}/api`), 200).json as Json).build_config).toEqual({
    ...simple,
    created_by: ns,
    docker_repo_path: `${ns}/api`,
  });

  // Unknown fields are still refused, not ignored.
  const unknown = expectStatus('unknown field', await client.send('PUT', `${base}/api`, { description: 'x', build_trigger: true }), 400);
  expect(unknown.json).toMatchObject({ code: 'validation_error', errors: { build_trigger: [expect.any(String)] } });

  // Repository.delete: DELETE /v1/repositories/{namespace}/{name}/ must answer 204.
  expectStatus('delete', await client.send('DELETE', `${base}/api/`), 204);
  expectStatus('delete again', await client.send('DELETE', `${base}/api/`), 404);
}

describe.each(SCHEMES)('under Authorization: %s <key>', (scheme) => {
  it('the command line tool creates, lists, inspects, edits, tags and removes a repo with the seed status codes', async () => {
    const client = new PythonClient(served.serve.port, `${scheme} ${served.token}`, 'cli');
    try {
      await commandLineSession(client, `cli-${scheme.toLowerCase()}`);
    } finally {
      client.close();
    }
  });

  it('the library creates, reads, lists, updates and deletes an automated repo', async () => {
    const client = new PythonClient(served.serve.port, `${scheme} ${served.token}`, 'library');
    try {
      await librarySession(client, `lib-${scheme.toLowerCase()}`);
    } finally {
      client.close();
    }
  });

  it('a wrong key is refused on reads and writes alike, and changes nothing', async () => {
    const client = new PythonClient(served.serve.port, `${scheme} ${served.token.slice(0, -1)}x`, 'cli');
    try {
      const ns = `wrong-${scheme.toLowerCase()}`;
      for (const [method, path, body] of [
        ['GET', `/v1/repositories/${ns}/`],
        ['GET', '/v1/repositories/cli-token/web/'],
        ['POST', `/v1/repositories/${ns}/`, { repo_name: 'web', build_config: { code_repo_client: 'Simple' } }],
      ] as [string, string, unknown?][]) {
        const answer = await client.send(method, path, body);
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 401 });
        expect(answer.json).toMatchObject({ code: 'unauthorized', detail: 'Invalid token.' });
      }
      expect((await fetch(`${served.serve.url}/v1/namespaces/${ns}`)).status).toBe(404);
    } finally {
      client.close();
    }
  });
});

describe('build settings over HTTP', () => {
  it('refuses settings over 16 KiB, or not an object, with a validation error naming build_config', async () => {
    const client = new PythonClient(served.serve.port, `Token ${served.token}`, 'library');
    try {
      const base = '/v1/repositories/limits';
      // Pretty-printing does not count: 16,384 bytes as compact JSON pass, even sent indented.
      const atLimit = { code_repo_client: 'Simple', notes: '' };
      atLimit.notes = 'n'.repeat(16 * 1024 - Buffer.byteLength(JSON.stringify(atLimit)));
      expect(Buffer.byteLength(JSON.stringify(atLimit))).toBe(16 * 1024);
      expectStatus('at the limit', await client.send('POST', base, { repo_name: 'at-limit', build_config: atLimit }), 201);
      for (const [name, buildConfig, message] of [
        ['over', { ...atLimit, notes: `${atLimit.notes}n` }, /16 KiB/],
        ['text', 'Simple', /JSON object/],
        ['list', [atLimit], /JSON object/],
      ] as [string, unknown, RegExp][]) {
        const answer = expectStatus(name, await client.send('POST', base, { repo_name: name, build_config: buildConfig }), 400);
        const errors = (answer.json as { errors: Record<string, string[]> }).errors;
        expect(Object.keys(errors)).toEqual(['build_config']);
        expect(errors.build_config![0]).toMatch(message);
        expectStatus(`${name} was not created`, await client.send('GET', `${base}/${name}`), 404);
      }
      const proto = await client.send(
        'POST',
        base,
        JSON.parse('{"repo_name": "proto", "build_config": {"tag_configs": [{"__proto__": {"x": 1}}]}}'),
      );
      expect(proto.status).toBe(400);
      expect(proto.json).toMatchObject({ code: 'validation_error' });
    } finally {
      client.close();
    }
  });
});

/**
 * GET /v1/openapi.json from a real `serve`: a valid OpenAPI 3.1 document that lists every route
 * of the README's Local API, generated from the very schemas that validate requests.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRegistryBody, ImportBody, LinkBody, RegistryTagsQuery, UpdateRegistryBody } from '../../main/contract/schemas';
import { CreateNamespaceBody, CreateRepoBody, ListReposQuery, PutTagBody, UpdateRepoBody } from '../../main/contract/schemas';
import { call, startServe, tempDir, type ServeProcess } from './serve-process';

const ROUTES: [string, string][] = [
  ['post', '/v1/repositories/{namespace}'],
  ['get', '/v1/repositories/{namespace}'],
  ['get', '/v1/repositories/{namespace}/{repo_name}'],
  ['put', '/v1/repositories/{namespace}/{repo_name}'],
  ['patch', '/v1/repositories/{namespace}/{repo_name}'],
  ['delete', '/v1/repositories/{namespace}/{repo_name}'],
  ['get', '/v1/repositories/{namespace}/{repo_name}/tags'],
  ['put', '/v1/repositories/{namespace}/{repo_name}/tags/{tag}'],
  ['get', '/v1/repositories/{namespace}/{repo_name}/tags/{tag}'],
  ['delete', '/v1/repositories/{namespace}/{repo_name}/tags/{tag}'],
  ['post', '/v1/repositories/{namespace}/{repo_name}/tags/{tag}/pull'],
  ['post', '/v1/repositories/{namespace}/{repo_name}/tags/{tag}/restore'],
  ['get', '/v1/repositories/{namespace}/{repo_name}/history'],
  ['get', '/v1/history'],
  ['get', '/v1/trash'],
  ['post', '/v1/trash/{namespace}/{repo_name}/restore'],
  ['delete', '/v1/trash/{namespace}/{repo_name}'],
  ['put', '/v1/repositories/{namespace}/{repo_name}/star'],
  ['delete', '/v1/repositories/{namespace}/{repo_name}/star'],
  ['get', '/v1/namespaces'],
  ['post', '/v1/namespaces'],
  ['get', '/v1/namespaces/{namespace}'],
  ['delete', '/v1/namespaces/{namespace}'],
  ['get', '/v1/search'],
  ['get', '/v1/_ping'],
  ['get', '/v1/openapi.json'],
  ['get', '/v1/export'],
  ['post', '/v1/import'],
  ['get', '/v1/registries'],
  ['post', '/v1/registries'],
  ['get', '/v1/registries/{name}'],
  ['patch', '/v1/registries/{name}'],
  ['delete', '/v1/registries/{name}'],
  ['post', '/v1/registries/{name}/check'],
  ['get', '/v1/registries/{name}/repositories'],
  ['get', '/v1/registries/{name}/tags'],
  ['get', '/v1/registries/{name}/manifests'],
  ['delete', '/v1/registries/{name}/manifests'],
  ['get', '/v1/registries/{name}/manifests/tags'],
  ['put', '/v1/repositories/{namespace}/{repo_name}/link'],
  ['get', '/v1/repositories/{namespace}/{repo_name}/link'],
  ['delete', '/v1/repositories/{namespace}/{repo_name}/link'],
  ['post', '/v1/repositories/{namespace}/{repo_name}/sync'],
  ['post', '/v1/registries/{name}/imports'],
  ['get', '/v1/jobs'],
  ['get', '/v1/jobs/{id}'],
  ['delete', '/v1/jobs/{id}'],
  ['get', '/v1/registries/{name}/events-config'],
  ['post', '/v1/registries/{name}/events'],
];

interface Operation {
  requestBody?: {
    content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean } }>;
  };
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

let serve: ServeProcess;
let dir: Awaited<ReturnType<typeof tempDir>>;
let doc: Doc;

beforeAll(async () => {
  dir = await tempDir();
  serve = await startServe(['--data-dir', join(dir.path, 'data'), '--port', '0']);
  const res = await call(serve.url, 'GET', '/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  doc = res.body as Doc;
});

afterAll(async () => {
  await serve?.stop();
  await dir?.cleanup();
});

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route, and only those', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m} ${path}`),
    );
    expect(listed.sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
  });

  it('describes request bodies and queries with the schemas that validate them', () => {
    const body = (method: string, path: string) => doc.paths[path]![method]!.requestBody!.content['application/json']!.schema;
    const cases: [string, string, { properties: Record<string, unknown>; required?: string[] }][] = [
      ['post', '/v1/repositories/{namespace}', CreateRepoBody],
      ['put', '/v1/repositories/{namespace}/{repo_name}', UpdateRepoBody],
      ['patch', '/v1/repositories/{namespace}/{repo_name}', UpdateRepoBody],
      ['put', '/v1/repositories/{namespace}/{repo_name}/tags/{tag}', PutTagBody],
      ['post', '/v1/namespaces', CreateNamespaceBody],
      ['post', '/v1/registries', CreateRegistryBody],
      ['patch', '/v1/registries/{name}', UpdateRegistryBody],
      ['put', '/v1/repositories/{namespace}/{repo_name}/link', LinkBody],
      ['post', '/v1/registries/{name}/imports', ImportBody],
    ];
    for (const [method, path, schema] of cases) {
      const documented = body(method, path);
      expect(Object.keys(documented.properties).sort()).toEqual(Object.keys(schema.properties).sort());
      expect(documented.required ?? []).toEqual(schema.required ?? []);
      expect(documented.additionalProperties).toBe(false);
    }
    const query = doc.paths['/v1/repositories/{namespace}']!.get!.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
    expect(query.sort()).toEqual(Object.keys(ListReposQuery.properties).sort());
    const tagsQuery = doc.paths['/v1/registries/{name}/tags']!.get!.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
    expect(tagsQuery.sort()).toEqual(Object.keys(RegistryTagsQuery.properties).sort());
  });

  it('documents registry routes as token-only, and the registry object without its password', () => {
    const paths = doc.paths as unknown as Record<
      string,
      Record<
        string,
        { security?: unknown; responses: Record<string, { content?: Record<string, { schema: { properties: Record<string, unknown> } }> }> }
      >
    >;
    const tokenOnly = Object.entries(paths).filter(
      ([path]) => path.startsWith('/v1/registries') || path.startsWith('/v1/jobs') || /\/(link|sync)$/.test(path),
    );
    for (const [path, ops] of tokenOnly) {
      for (const [method, op] of Object.entries(ops)) {
        // The events route takes the registry's own events secret as its bearer, never the API token.
        const security = path === '/v1/registries/{name}/events' ? [{ bearer: [] }] : [{ bearer: [] }, { token: [] }];
        expect({ path, method, security: op.security }).toEqual({ path, method, security });
      }
    }
    const registry = paths['/v1/registries/{name}']!.get!.responses['200']!.content!['application/json']!.schema.properties;
    expect(Object.keys(registry)).toContain('has_password');
    expect(Object.keys(registry)).not.toContain('password');
  });

  it('documents both ways to present the token, and that reads may go without', () => {
    const full = doc as unknown as {
      components: { securitySchemes: Record<string, Record<string, string>> };
      security: Record<string, string[]>[];
    };
    expect(full.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer' },
      token: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
    });
    expect(full.security).toEqual([{ bearer: [] }, { token: [] }, {}]);
  });

  it('documents the seed field names of each answer', () => {
    const schemaOf = (method: string, path: string, status: string) =>
      (doc.paths[path]![method]!.responses[status] as { content: Record<string, { schema: { properties: Record<string, unknown> } }> })
        .content['application/json']!.schema;
    expect(Object.keys(schemaOf('post', '/v1/repositories/{namespace}', '201').properties)).toContain('creation_time');
    expect(Object.keys(schemaOf('get', '/v1/repositories/{namespace}/{repo_name}', '200').properties)).toContain('is_repo_starred');
  });
});

/** The seed's repository endpoints plus stars: thin adapters over the registry. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CreateRepoBody, ListReposQuery, UpdateRepoBody, UpdateRepoOptions } from '../../contract/schemas';
import type { Page, RepoView } from '../../contract/types';
import type { RegistryService } from '../../registry/service';
import type { BodyCache, PageInfo } from '../bodyCache';
import { pageLinks } from '../paging';
import { createdRepo, listedRepo, repoDetail, updatedRepo } from '../shape';
import { NamespacePath, RepoPath, type NamespaceParams, type RepoParams } from './params';
import * as R from '../responses';

const tags = ['repositories'];

/** What Fastify sets when it serializes an object itself: cached answers must look the same. */
const JSON_TYPE = 'application/json; charset=utf-8';

type Viewed = FastifyRequest<{ Params: NamespaceParams }>;

const viewerKey = (request: Viewed) => (request.viewer.authenticated ? 'token' : 'anonymous');

/**
 * A repo's detail, from the cache or computed and stored. Its key is the viewer and the repo's
 * name: nothing of the URL (a query string here means nothing) can make a new entry.
 */
async function cachedDetail(
  cache: BodyCache | undefined,
  request: FastifyRequest<{ Params: RepoParams }>,
  reply: FastifyReply,
  compute: () => Promise<unknown>,
) {
  if (!cache) return reply.type(JSON_TYPE).send(JSON.stringify(await compute()));
  const { namespace: ns, repo_name } = request.params;
  const key = `${viewerKey(request)} ${ns} detail ${repo_name}`;
  let body = cache.get(key)?.body;
  if (body === undefined) {
    const generation = cache.generation(ns);
    body = Buffer.from(JSON.stringify(await compute()));
    cache.set(ns, key, generation, body);
  }
  return reply.type(JSON_TYPE).send(body);
}

/**
 * A list page: its results from the cache (keyed by the viewer and the validated parameters
 * only), its `next`/`previous` links built for this request (they echo its query and Host).
 */
async function cachedList(
  cache: BodyCache | undefined,
  request: FastifyRequest<{ Params: NamespaceParams; Querystring: ListReposQuery }>,
  reply: FastifyReply,
  compute: () => Promise<Page<RepoView>>,
) {
  const ns = request.params.namespace;
  const q = request.query;
  const key = `${viewerKey(request)} ${ns} list ${JSON.stringify([q.page, q.page_size, q.ordering, q.is_public, q.name])}`;
  let hit = cache?.get(key);
  if (!hit?.page) {
    const generation = cache?.generation(ns) ?? 0;
    const page = await compute();
    hit = {
      body: Buffer.from(JSON.stringify(page.results.map(listedRepo))),
      page: { count: page.count, page: page.page, num_pages: page.num_pages },
    };
    cache?.set(ns, key, generation, hit.body, hit.page);
  }
  const info = hit.page as PageInfo;
  const { next, previous } = pageLinks(request, info);
  const head = `{"count":${info.count},"next":${JSON.stringify(next)},"previous":${JSON.stringify(previous)},"results":`;
  return reply.type(JSON_TYPE).send(Buffer.concat([Buffer.from(head), hit.body, CLOSE_BRACE]));
}

const CLOSE_BRACE = Buffer.from('}');

export function repoRoutes(app: FastifyInstance, registry: RegistryService, cache?: BodyCache): void {
  app.post(
    '/repositories/:namespace',
    {
      schema: {
        tags,
        summary: 'Create an image repo',
        params: NamespacePath,
        body: CreateRepoBody,
        response: { 201: R.CreatedRepo, ...R.errors(400, 401, 409) },
      },
    },
    async (request: FastifyRequest<{ Params: NamespaceParams; Body: CreateRepoBody }>, reply) => {
      const repo = await registry.createRepo(request.params.namespace, request.body);
      return reply.code(201).send(createdRepo(repo));
    },
  );

  app.get(
    '/repositories/:namespace',
    {
      schema: {
        tags,
        summary: 'List image repos',
        params: NamespacePath,
        querystring: ListReposQuery,
        response: { 200: R.RepoList, ...R.errors(400, 401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: NamespaceParams; Querystring: ListReposQuery }>, reply) =>
      cachedList(cache, request, reply, () => registry.listRepos(request.viewer, request.params.namespace, request.query)),
  );

  app.get(
    '/repositories/:namespace/:repo_name',
    {
      schema: {
        tags,
        summary: 'Retrieve image repo details',
        params: RepoPath,
        response: { 200: R.RepoDetail, ...R.errors(401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: RepoParams }>, reply) =>
      cachedDetail(cache, request, reply, async () => {
        const { namespace, repo_name } = request.params;
        return repoDetail(await registry.getRepo(request.viewer, namespace, repo_name));
      }),
  );

  const update = async (request: FastifyRequest<{ Params: RepoParams; Body: UpdateRepoBody; Querystring: UpdateRepoOptions }>) => {
    const { namespace, repo_name } = request.params;
    return updatedRepo(await registry.updateRepo(namespace, repo_name, request.body, request.query));
  };
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/repositories/:namespace/:repo_name',
      schema: {
        tags,
        summary: method === 'PUT' ? 'Update an image repo' : 'Update an image repo (same as PUT)',
        params: RepoPath,
        querystring: UpdateRepoOptions,
        body: UpdateRepoBody,
        response: { 200: R.UpdatedRepo, ...R.errors(400, 401, 404, 409) },
      },
      handler: update,
    });
  }

  app.delete(
    '/repositories/:namespace/:repo_name',
    {
      schema: {
        tags,
        summary: 'Delete an image repo and its tags',
        params: RepoPath,
        response: { 204: R.NoContent, ...R.errors(401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: RepoParams }>, reply) => {
      await registry.deleteRepo(request.params.namespace, request.params.repo_name);
      return reply.code(204).send();
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    const starred = method === 'PUT';
    app.route({
      method,
      url: '/repositories/:namespace/:repo_name/star',
      schema: {
        tags,
        summary: starred ? 'Star an image repo (idempotent)' : 'Unstar an image repo (idempotent)',
        params: RepoPath,
        response: { 200: R.Star, ...R.errors(401, 404) },
      },
      handler: async (request: FastifyRequest<{ Params: RepoParams }>) =>
        registry.setStar(request.params.namespace, request.params.repo_name, starred),
    });
  }
}

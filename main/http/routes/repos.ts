/** The six seed endpoints (SPEC §3.1) plus stars: thin adapters over the registry. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CreateRepoBody, ListReposQuery, UpdateRepoBody } from '../../contract/schemas';
import type { ListReposQuery as ListReposQueryT } from '../../contract/types';
import type { RegistryService } from '../../registry/service';
import type { BodyCache } from '../bodyCache';
import { drfPage } from '../paging';
import { createdRepo, listedRepo, repoDetail, updatedRepo } from '../shape';
import { NamespacePath, RepoPath, type NamespaceParams, type RepoParams } from './params';
import * as R from '../responses';

const tags = ['repositories'];

/** What Fastify sets when it serializes an object itself: cached answers must look the same. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Answers from the cache, or computes, serializes and stores the answer. The key holds all the
 * answer depends on besides the namespace's data: the viewer, and the URL as sent (its query
 * shapes the page and is echoed in next/previous, so does the Host).
 */
async function cachedJson(
  cache: BodyCache | undefined,
  request: FastifyRequest<{ Params: NamespaceParams }>,
  reply: FastifyReply,
  compute: () => Promise<unknown>,
): Promise<FastifyReply> {
  if (!cache) return reply.type(JSON_TYPE).send(JSON.stringify(await compute()));
  const ns = request.params.namespace;
  const key = `${request.viewer.authenticated ? 'token' : 'anonymous'} ${request.headers.host ?? ''} ${request.url}`;
  let body = cache.get(key);
  if (body === undefined) {
    const generation = cache.generation(ns);
    body = Buffer.from(JSON.stringify(await compute()));
    cache.set(ns, key, generation, body);
  }
  return reply.type(JSON_TYPE).send(body);
}

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
    async (request: FastifyRequest<{ Params: NamespaceParams; Querystring: ListReposQueryT }>, reply) =>
      cachedJson(cache, request, reply, async () => {
        const page = await registry.listRepos(request.viewer, request.params.namespace, request.query);
        return drfPage(request, page, listedRepo);
      }),
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
      cachedJson(cache, request, reply, async () => {
        const { namespace, repo_name } = request.params;
        return repoDetail(await registry.getRepo(request.viewer, namespace, repo_name));
      }),
  );

  const update = async (request: FastifyRequest<{ Params: RepoParams; Body: UpdateRepoBody }>) => {
    const { namespace, repo_name } = request.params;
    return updatedRepo(await registry.updateRepo(namespace, repo_name, request.body));
  };
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/repositories/:namespace/:repo_name',
      schema: {
        tags,
        summary: method === 'PUT' ? 'Update an image repo' : 'Update an image repo (same as PUT)',
        params: RepoPath,
        body: UpdateRepoBody,
        response: { 200: R.UpdatedRepo, ...R.errors(400, 401, 404) },
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

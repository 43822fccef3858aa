/** History, tag restore and the trash (README, "History, undo and the trash"): thin adapters over the registry. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PageQuery, RestoreTagBody } from '../../contract/schemas';
import type { RegistryService } from '../../registry/service';
import { drfPage } from '../paging';
import { repoDetail, tagObject } from '../shape';
import { RepoPath, TagPath, type RepoParams, type TagParams } from './params';
import * as R from '../responses';

const same = <T>(item: T): T => item;

export function historyRoutes(app: FastifyInstance, registry: RegistryService): void {
  app.get(
    '/repositories/:namespace/:repo_name/history',
    {
      schema: {
        tags: ['history'],
        summary: "A repo's history, newest first (visible as the repo is)",
        params: RepoPath,
        querystring: PageQuery,
        response: { 200: R.HistoryList, ...R.errors(400, 401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: RepoParams; Querystring: PageQuery }>) => {
      const { namespace, repo_name } = request.params;
      return drfPage(request, await registry.listRepoHistory(request.viewer, namespace, repo_name, request.query), same);
    },
  );

  app.get(
    '/history',
    {
      schema: {
        tags: ['history'],
        summary: "Every repo's history, deleted repos' included, newest first (token only)",
        querystring: PageQuery,
        response: { 200: R.HistoryList, ...R.errors(400, 401, 404) },
      },
    },
    async (request: FastifyRequest<{ Querystring: PageQuery }>) =>
      drfPage(request, await registry.listHistory(request.viewer, request.query), same),
  );

  app.post(
    '/repositories/:namespace/:repo_name/tags/:tag/restore',
    {
      schema: {
        tags: ['history'],
        summary: 'Put a tag back as it was after a history entry (a push: 201 created, 200 moved)',
        params: TagPath,
        body: RestoreTagBody,
        response: { 200: R.Tag, 201: R.Tag, ...R.errors(400, 401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: TagParams; Body: RestoreTagBody }>, reply) => {
      const { namespace, repo_name, tag } = request.params;
      const result = await registry.restoreTag(namespace, repo_name, tag, request.body.history_id);
      return reply.code(result.created ? 201 : 200).send(tagObject(result.tag));
    },
  );

  app.get(
    '/trash',
    {
      schema: {
        tags: ['trash'],
        summary: 'Deleted repos, kept 30 days, newest deletion first (token only)',
        querystring: PageQuery,
        response: { 200: R.TrashList, ...R.errors(400, 401, 404) },
      },
    },
    async (request: FastifyRequest<{ Querystring: PageQuery }>) =>
      drfPage(request, await registry.listTrash(request.viewer, request.query), same),
  );

  app.post(
    '/trash/:namespace/:repo_name/restore',
    {
      schema: {
        tags: ['trash'],
        summary: 'Restore the most recent deletion of a repo, as it was (409 when the name is taken again)',
        params: RepoPath,
        response: { 200: R.RepoDetail, ...R.errors(401, 404, 409) },
      },
    },
    async (request: FastifyRequest<{ Params: RepoParams }>) =>
      repoDetail(await registry.restoreFromTrash(request.params.namespace, request.params.repo_name)),
  );

  app.delete(
    '/trash/:namespace/:repo_name',
    {
      schema: {
        tags: ['trash'],
        summary: 'Purge a deleted repo (every deletion of that name) for good',
        params: RepoPath,
        response: { 204: R.NoContent, ...R.errors(401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: RepoParams }>, reply) => {
      await registry.purgeTrash(request.params.namespace, request.params.repo_name);
      return reply.code(204).send();
    },
  );
}

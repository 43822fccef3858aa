/** Tags of a repo: the seed's list, plus push (create/move), get, delete and pull records. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PutTagBody } from '../../contract/schemas';
import type { RegistryService } from '../../registry/service';
import { listedTag, repoDetail, tagDetail, tagObject } from '../shape';
import { RepoPath, TagPath, type RepoParams, type TagParams } from './params';
import * as R from '../responses';

const tags = ['tags'];

export function tagRoutes(app: FastifyInstance, registry: RegistryService): void {
  app.get(
    '/repositories/:namespace/:repo_name/tags',
    {
      schema: {
        tags,
        summary: 'List image tags (most recently pushed first)',
        params: RepoPath,
        response: { 200: R.TagList, ...R.errors(401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: RepoParams }>) => {
      const { namespace, repo_name } = request.params;
      return (await registry.listTags(request.viewer, namespace, repo_name)).map(listedTag);
    },
  );

  app.put(
    '/repositories/:namespace/:repo_name/tags/:tag',
    {
      schema: {
        tags,
        summary: 'Push a tag: create it (201) or move it to another image (200)',
        params: TagPath,
        body: PutTagBody,
        response: { 200: R.Tag, 201: R.Tag, ...R.errors(400, 401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: TagParams; Body: PutTagBody }>, reply) => {
      const { namespace, repo_name, tag } = request.params;
      const result = await registry.putTag(namespace, repo_name, tag, request.body.image_id);
      return reply.code(result.created ? 201 : 200).send(tagObject(result.tag));
    },
  );

  app.get(
    '/repositories/:namespace/:repo_name/tags/:tag',
    {
      schema: {
        tags,
        summary: "Retrieve a tag, with its image's details for a tag from a registry",
        params: TagPath,
        response: { 200: R.TagDetail, ...R.errors(401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: TagParams }>) => {
      const { namespace, repo_name, tag } = request.params;
      return tagDetail(await registry.getTag(request.viewer, namespace, repo_name, tag));
    },
  );

  app.delete(
    '/repositories/:namespace/:repo_name/tags/:tag',
    {
      schema: { tags, summary: 'Delete a tag', params: TagPath, response: { 204: R.NoContent, ...R.errors(401, 404) } },
    },
    async (request: FastifyRequest<{ Params: TagParams }>, reply) => {
      const { namespace, repo_name, tag } = request.params;
      await registry.deleteTag(namespace, repo_name, tag);
      return reply.code(204).send();
    },
  );

  app.post(
    '/repositories/:namespace/:repo_name/tags/:tag/pull',
    {
      schema: {
        tags,
        summary: "Record a pull of a tag; answers the repo's details",
        params: TagPath,
        response: { 200: R.RepoDetail, ...R.errors(401, 404) },
      },
    },
    async (request: FastifyRequest<{ Params: TagParams }>) => {
      const { namespace, repo_name, tag } = request.params;
      return repoDetail(await registry.recordPull(namespace, repo_name, tag));
    },
  );
}

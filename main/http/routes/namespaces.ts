/** Namespaces (users or organizations): list, create, read, delete. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CreateNamespaceBody, DeleteNamespaceOptions, PageQuery } from '../../contract/schemas';
import type { RegistryService } from '../../registry/service';
import { drfPage } from '../paging';
import { namespaceObject } from '../shape';
import { NamespacePath, type NamespaceParams } from './params';
import * as R from '../responses';

const tags = ['namespaces'];

export function namespaceRoutes(app: FastifyInstance, registry: RegistryService): void {
  app.get(
    '/namespaces',
    {
      schema: { tags, summary: 'List namespaces', querystring: PageQuery, response: { 200: R.NamespaceList, ...R.errors(400, 401, 404) } },
    },
    async (request: FastifyRequest<{ Querystring: PageQuery }>) =>
      drfPage(request, await registry.listNamespaces(request.viewer, request.query), namespaceObject),
  );

  app.post(
    '/namespaces',
    {
      schema: {
        tags,
        summary: 'Create a namespace',
        body: CreateNamespaceBody,
        response: { 201: R.Namespace, ...R.errors(400, 401, 409) },
      },
    },
    async (request: FastifyRequest<{ Body: CreateNamespaceBody }>, reply) =>
      reply.code(201).send(namespaceObject(await registry.createNamespace(request.body.namespace))),
  );

  app.get(
    '/namespaces/:namespace',
    {
      schema: { tags, summary: 'Retrieve a namespace', params: NamespacePath, response: { 200: R.Namespace, ...R.errors(401, 404) } },
    },
    async (request: FastifyRequest<{ Params: NamespaceParams }>) =>
      namespaceObject(await registry.getNamespace(request.viewer, request.params.namespace)),
  );

  app.delete(
    '/namespaces/:namespace',
    {
      schema: {
        tags,
        summary: 'Delete a namespace (409 while it has repos, unless force=true)',
        params: NamespacePath,
        querystring: DeleteNamespaceOptions,
        response: { 204: R.NoContent, ...R.errors(401, 404, 409) },
      },
    },
    async (request: FastifyRequest<{ Params: NamespaceParams; Querystring: DeleteNamespaceOptions }>, reply) => {
      await registry.deleteNamespace(request.params.namespace, { force: request.query.force === true });
      return reply.code(204).send();
    },
  );
}

/** Search across namespaces, health and the OpenAPI document. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SearchQuery } from '../../contract/schemas';
import type { RegistryService } from '../../registry/service';
import * as R from '../responses';

export function serviceRoutes(app: FastifyInstance, registry: RegistryService, version: string): void {
  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search repos across namespaces (Docker registry v1 style)',
        querystring: SearchQuery,
        response: { 200: R.SearchPage, ...R.errors(400, 401, 404) },
      },
    },
    async (request: FastifyRequest<{ Querystring: SearchQuery }>) => registry.search(request.viewer, request.query),
  );

  app.get('/_ping', { schema: { tags: ['service'], summary: 'Health check', response: { 200: R.Ping } } }, async () => ({
    ok: true as const,
    version,
  }));

  app.get(
    '/openapi.json',
    { schema: { tags: ['service'], summary: 'This OpenAPI 3.1 document', response: { 200: R.OpenApiDocument } } },
    async () => app.swagger(),
  );
}

/**
 * Links, imports, syncs and registry events (docs/registries.md): thin adapters over the
 * contract's SyncService. Token holders only — except the events route, which a registry calls
 * with that registry's own events secret (the access hook lets it through; the service checks it).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { BerthError } from '../../contract/errors';
import { ImportBody, JobIdParam, LinkBody, PageQuery, RegistryNameParam } from '../../contract/schemas';
import type { SyncService } from '../../contract/sync';
import { EventsConfigView, EventsReceipt, JobView, LinkView } from '../../contract/views';
import { drfPage } from '../paging';
import * as R from '../responses';
import { RepoPath, type RepoParams } from './params';

const security: Record<string, string[]>[] = [{ bearer: [] }, { token: [] }];
const NamePath = Type.Object({ name: RegistryNameParam });
const JobPath = Type.Object({ id: JobIdParam });
const UPSTREAM = [502, 504];
const JobList = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  next: Type.Union([Type.String(), Type.Null()]),
  previous: Type.Union([Type.String(), Type.Null()]),
  results: Type.Array(JobView),
});

async function tokenHolderOnly(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.viewer.authenticated) return;
  reply.header('WWW-Authenticate', 'Bearer realm="berth"');
  throw new BerthError('unauthorized', 'Links, imports and jobs are for token holders: send the token as "Authorization: Bearer <token>".');
}

function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export function syncRoutes(app: FastifyInstance, sync: SyncService): void {
  const common = { onRequest: tokenHolderOnly };

  app.put<{ Params: RepoParams; Body: LinkBody }>(
    '/repositories/:namespace/:repo_name/link',
    {
      ...common,
      schema: {
        tags: ['links'],
        security,
        summary: 'Link a repo to a repository of a registry connection',
        params: RepoPath,
        body: LinkBody,
        response: { 200: LinkView, ...R.errors(400, 401, 404, 409, ...UPSTREAM) },
      },
    },
    async (request) => sync.link(request.params.namespace, request.params.repo_name, request.body, 'api'),
  );

  app.get<{ Params: RepoParams }>(
    '/repositories/:namespace/:repo_name/link',
    {
      ...common,
      schema: {
        tags: ['links'],
        security,
        summary: "A repo's link (404 when unlinked)",
        params: RepoPath,
        response: { 200: LinkView, ...R.errors(401, 404) },
      },
    },
    async (request) => sync.getLink(request.params.namespace, request.params.repo_name),
  );

  app.delete<{ Params: RepoParams }>(
    '/repositories/:namespace/:repo_name/link',
    {
      ...common,
      schema: {
        tags: ['links'],
        security,
        summary: 'Unlink a repo (it keeps its tags)',
        params: RepoPath,
        response: { 204: R.NoContent, ...R.errors(401, 404) },
      },
    },
    async (request, reply) => {
      await sync.unlink(request.params.namespace, request.params.repo_name, 'api');
      return reply.code(204).send();
    },
  );

  app.post<{ Params: RepoParams }>(
    '/repositories/:namespace/:repo_name/sync',
    {
      ...common,
      schema: {
        tags: ['links'],
        security,
        summary: 'Sync a linked repo with its registry (202: the job)',
        params: RepoPath,
        response: { 202: JobView, ...R.errors(401, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await sync.sync(request.params.namespace, request.params.repo_name)),
  );

  app.post<{ Params: { name: string }; Body: ImportBody }>(
    '/registries/:name/imports',
    {
      ...common,
      schema: {
        tags: ['links'],
        security,
        summary: 'Import repositories of a registry: create, link and sync local repos (202: the job)',
        params: NamePath,
        body: ImportBody,
        response: { 202: JobView, ...R.errors(400, 401, 404) },
      },
    },
    async (request, reply) => reply.code(202).send(await sync.importRepositories(request.params.name, request.body)),
  );

  app.get<{ Querystring: PageQuery }>(
    '/jobs',
    {
      ...common,
      schema: {
        tags: ['jobs'],
        security,
        summary: 'Imports and syncs, newest first',
        querystring: PageQuery,
        response: { 200: JobList, ...R.errors(400, 401, 404) },
      },
    },
    async (request) => drfPage(request, await sync.listJobs(request.query), (j) => j),
  );

  app.get<{ Params: { id: string } }>(
    '/jobs/:id',
    {
      ...common,
      schema: { tags: ['jobs'], security, summary: 'A job', params: JobPath, response: { 200: JobView, ...R.errors(401, 404) } },
    },
    async (request) => sync.getJob(request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/jobs/:id',
    {
      ...common,
      schema: {
        tags: ['jobs'],
        security,
        summary: 'Cancel a job (what it applied stays); answers the job',
        params: JobPath,
        response: { 200: JobView, ...R.errors(401, 404) },
      },
    },
    async (request) => sync.cancelJob(request.params.id),
  );

  app.get<{ Params: { name: string } }>(
    '/registries/:name/events-config',
    {
      ...common,
      schema: {
        tags: ['registries'],
        security,
        summary: "The URL, secret and notifications: YAML for the registry's config.yml",
        params: NamePath,
        response: { 200: EventsConfigView, ...R.errors(401, 404, 409) },
      },
    },
    async (request) => sync.eventsConfig(request.params.name),
  );

  app.post<{ Params: { name: string }; Body: unknown }>(
    '/registries/:name/events',
    {
      schema: {
        tags: ['registries'],
        security: [{ bearer: [] }],
        summary: "A registry's notifications (CNCF Distribution envelopes), with the registry's events secret as the bearer",
        params: NamePath,
        response: { 200: EventsReceipt, ...R.errors(400, 401) },
      },
    },
    async (request) => sync.receiveEvents(request.params.name, bearerOf(request.headers.authorization), request.body),
  );
}

/**
 * /v1/registries: connections to real OCI registries and browsing them (docs/registries.md).
 * Token holders only, on reads too: the connections' URLs and what the registries hold are not
 * for anonymous readers. (The events route a registry calls, with its own secret, will not be.)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { BerthError } from '../../contract/errors';
import type { RegistriesService } from '../../contract/registries';
import {
  CreateRegistryBody,
  DeleteManifestQuery,
  ManifestQuery,
  PageQuery,
  RegistryNameParam,
  RegistryTagsQuery,
  RepositoriesQuery,
  SaveRegistryOptions,
  UpdateRegistryBody,
} from '../../contract/schemas';
import { DigestTagsView, ManifestView, RegistryTagPage, RegistryView, RepositoryPage } from '../../contract/views';
import { drfPage } from '../paging';
import * as R from '../responses';

const tags = ['registries'];
/** The token is needed on every route here, reads included. */
const security: Record<string, string[]>[] = [{ bearer: [] }, { token: [] }];
const NamePath = Type.Object({ name: RegistryNameParam });
type NameParams = { Params: { name: string } };

/** Failures a request to the registry itself can answer with. */
const UPSTREAM = [502, 504];

async function tokenHolderOnly(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.viewer.authenticated) return;
  reply.header('WWW-Authenticate', 'Bearer realm="berth"');
  throw new BerthError('unauthorized', 'Registries are for token holders: send the token as "Authorization: Bearer <token>".');
}

export function registryConnectionRoutes(app: FastifyInstance, registries: RegistriesService): void {
  const common = { onRequest: tokenHolderOnly };

  app.get<{ Querystring: PageQuery }>(
    '/registries',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'List registry connections',
        querystring: PageQuery,
        response: { 200: R.RegistryList, ...R.errors(400, 401, 404) },
      },
    },
    async (request) => drfPage(request, await registries.list(request.query), (r) => r),
  );

  app.post<{ Body: CreateRegistryBody; Querystring: SaveRegistryOptions }>(
    '/registries',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'Add a registry (checked with GET /v2/ first, unless verify=false)',
        querystring: SaveRegistryOptions,
        body: CreateRegistryBody,
        response: { 201: RegistryView, ...R.errors(400, 401, 409, ...UPSTREAM) },
      },
    },
    async (request, reply) => reply.code(201).send(await registries.create(request.body, request.query)),
  );

  app.get<NameParams>(
    '/registries/:name',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'Retrieve a registry connection',
        params: NamePath,
        response: { 200: RegistryView, ...R.errors(401, 404) },
      },
    },
    async (request) => registries.get(request.params.name),
  );

  app.patch<NameParams & { Body: UpdateRegistryBody; Querystring: SaveRegistryOptions }>(
    '/registries/:name',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'Change a registry connection (checked again when its URL, credentials or CA change, unless verify=false)',
        params: NamePath,
        querystring: SaveRegistryOptions,
        body: UpdateRegistryBody,
        response: { 200: RegistryView, ...R.errors(400, 401, 404, 409, ...UPSTREAM) },
      },
    },
    async (request) => registries.update(request.params.name, request.body, request.query),
  );

  app.delete<NameParams>(
    '/registries/:name',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'Remove a registry connection (the registry itself is not touched)',
        params: NamePath,
        response: { 204: R.NoContent, ...R.errors(401, 404) },
      },
    },
    async (request, reply) => {
      await registries.delete(request.params.name);
      return reply.code(204).send();
    },
  );

  app.post<NameParams>(
    '/registries/:name/check',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'Check the registry now (GET /v2/); its status tells how it went',
        params: NamePath,
        response: { 200: RegistryView, ...R.errors(401, 404) },
      },
    },
    async (request) => registries.check(request.params.name),
  );

  app.get<NameParams & { Querystring: RepositoriesQuery }>(
    '/registries/:name/repositories',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: "One page of the registry's repositories (Docker Hub: namespace required)",
        params: NamePath,
        querystring: RepositoriesQuery,
        response: { 200: RepositoryPage, ...R.errors(400, 401, 404, ...UPSTREAM) },
      },
    },
    async (request) => registries.repositories(request.params.name, request.query),
  );

  app.get<NameParams & { Querystring: RegistryTagsQuery }>(
    '/registries/:name/tags',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: "One page of a repository's tags, in byte order",
        params: NamePath,
        querystring: RegistryTagsQuery,
        response: { 200: RegistryTagPage, ...R.errors(400, 401, 404, ...UPSTREAM) },
      },
    },
    async (request) => registries.tags(request.params.name, request.query),
  );

  app.get<NameParams & { Querystring: ManifestQuery }>(
    '/registries/:name/manifests',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'A manifest: platforms, config, layers and sizes',
        params: NamePath,
        querystring: ManifestQuery,
        response: { 200: ManifestView, ...R.errors(400, 401, 404, ...UPSTREAM) },
      },
    },
    async (request) => registries.manifest(request.params.name, request.query),
  );

  app.get<NameParams & { Querystring: ManifestQuery }>(
    '/registries/:name/manifests/tags',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'The tags pointing at the manifest a tag or digest names (what deleting it deletes)',
        params: NamePath,
        querystring: ManifestQuery,
        response: { 200: DigestTagsView, ...R.errors(400, 401, 404, ...UPSTREAM) },
      },
    },
    async (request) => registries.digestTags(request.params.name, request.query),
  );

  app.delete<NameParams & { Querystring: DeleteManifestQuery }>(
    '/registries/:name/manifests',
    {
      ...common,
      schema: {
        tags,
        security,
        summary: 'Delete the manifest a tag or digest names (409 while other tags share it, unless all_tags=true)',
        params: NamePath,
        querystring: DeleteManifestQuery,
        response: { 204: R.NoContent, ...R.errors(400, 401, 404, 409, ...UPSTREAM) },
      },
    },
    async (request, reply) => {
      await registries.deleteManifest(request.params.name, request.query);
      return reply.code(204).send();
    },
  );
}

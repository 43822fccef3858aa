/**
 * Builds the /v1 API (README, "Local API") over a RegistryService. It only adapts: access checks,
 * request validation, field naming and status codes; every rule lives in the registry.
 */
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import swagger from '@fastify/swagger';
import type { RegistryService } from '../registry/service';
import type { RegistriesService } from '../contract/registries';
import type { SyncService } from '../contract/sync';
import { BerthError } from '../contract/errors';
import type { Viewer } from '../contract/types';
import { registryBodyCache } from './bodyCache';
import { applyAccess, checkHostAndOrigin, type AccessConfig } from './access';
import { onClientError } from './clientErrors';
import { BODY_LIMIT, DEFAULT_REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_CONNECTIONS, MAX_HEADER_SIZE } from './defaults';
import { toBerthError } from './errors';
import { RouteMethods } from './methods';
import { parseJsonBody } from './json';
import { validatorCompiler } from './validation';
import { historyRoutes } from './routes/history';
import { namespaceRoutes } from './routes/namespaces';
import { registryConnectionRoutes } from './routes/registries';
import { repoRoutes } from './routes/repos';
import { serviceRoutes } from './routes/service';
import { tagRoutes } from './routes/tags';
import { syncRoutes } from './routes/sync';

export interface ApiOptions extends Omit<AccessConfig, 'anonymousReads'> {
  /** Fixed, or asked on every request (the desktop app switches it while the API runs). */
  anonymousReads: boolean | (() => boolean);
  /** The registry acting as `api` (local tools' changes are recorded as theirs). */
  registry: RegistryService;
  /** Registry connections; the composition root always passes them (tests of the catalogue alone may not). */
  registries?: RegistriesService;
  /** Links, imports, syncs and registry events (with the registries). */
  sync?: SyncService;
  version: string;
  /** A request must arrive whole within this time (default 10 s); configurable for tests. */
  requestTimeoutMs?: number;
  /** Connections open at once (default MAX_CONNECTIONS); configurable for tests. */
  maxConnections?: number;
}

// Response schemas only document the API; JSON.stringify keeps every field the handler built.
const serializerCompiler = () => (data: unknown) => JSON.stringify(data);

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/**
 * Our compilers from the very start: without them Fastify loads Ajv and fast-json-stringify for
 * its defaults (a quarter of serve's start-up) even though setValidatorCompiler and
 * setSerializerCompiler replace them. Fastify types these factories after Ajv's; ours take the
 * same route definitions.
 */
const OWN_COMPILERS = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as CompilersFactory;

function sendError(reply: FastifyReply, error: BerthError): FastifyReply {
  if (error.code === 'unauthorized' && !reply.hasHeader('WWW-Authenticate')) {
    reply.header('WWW-Authenticate', 'Bearer realm="berth"');
  }
  return reply.code(error.status).type('application/json; charset=utf-8').send(error.toBody());
}

export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const fixedAnonymousReads = options.anonymousReads === true;
  const access: AccessConfig = {
    host: options.host,
    token: options.token,
    anonymousReads: typeof options.anonymousReads === 'function' ? options.anonymousReads : () => fixedAnonymousReads,
    allowedOrigins: options.allowedOrigins,
  };

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    requestTimeout,
    connectionTimeout: requestTimeout * 3,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: {
      maxHeaderSize: MAX_HEADER_SIZE,
      // Node would answer a missing Host with a bare 400; the access hook answers it with our 403.
      requireHostHeader: false,
      headersTimeout: requestTimeout,
      // Node checks the timeouts above only this often (30 s by default).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(requestTimeout / 4))),
    },
    return503OnClosing: false,
    forceCloseConnections: true,
    routerOptions: {
      ignoreTrailingSlash: true,
      // Long names must reach the registry's length rule (a 400), not vanish as a 404.
      maxParamLength: MAX_HEADER_SIZE,
    },
    schemaController: { compilersFactory: OWN_COMPILERS },
    clientErrorHandler: onClientError,
    frameworkErrors: (error, request, reply) => {
      sendError(reply, checkHostAndOrigin(request, access) ?? toBerthError(error));
    },
  });

  app.server.maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // JSON only: every other media type is a 415 (see json.ts for the parser's rules).
  app.removeAllContentTypeParsers();
  // A registry's notifications come as Distribution's own JSON media type.
  app.addContentTypeParser(
    ['application/json', 'application/vnd.docker.distribution.events.v1+json'],
    { parseAs: 'string' },
    (request, body, done) => {
      try {
        // Compressed bodies are not supported: reading them as text would only garble them.
        const encoding = request.headers['content-encoding']?.trim().toLowerCase();
        if (encoding && encoding !== 'identity') {
          throw new BerthError(
            'unsupported_media_type',
            `Content-Encoding "${encoding}" is not supported: send the JSON body uncompressed.`,
          );
        }
        done(null, parseJsonBody(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );

  const methods = new RouteMethods();
  app.addHook('onRoute', (route) => methods.add(route.url, route.method));

  // Set by the access hook on every request; null only keeps the object shape stable.
  app.decorateRequest('viewer', null as unknown as Viewer);
  app.addHook('onRequest', async (request, reply) => {
    if (applyAccess(request, reply, access)) return reply;
    return undefined;
  });

  app.setErrorHandler((error: FastifyError | BerthError, _request, reply) => {
    const berth = toBerthError(error);
    if (berth.code === 'internal_error') console.error('berth: unexpected error', error);
    return sendError(reply, berth);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const allowed = methods.allowed(path);
    if (allowed && !allowed.includes(request.method)) {
      reply.header('Allow', allowed.join(', '));
      return sendError(reply, new BerthError('method_not_allowed', `Method "${request.method}" not allowed.`));
    }
    return sendError(reply, BerthError.notFound('Not found.'));
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Berth /v1 API',
        version: options.version,
        description:
          'Local image repositories: the /v1 repositories API of the seed plus namespaces, tags, stars, search, history and the trash, ' +
          'and connections to OCI registries (token holders only). ' +
          'Writes need the token, as `Authorization: Bearer <token>` or `Authorization: Token <token>`; ' +
          'anonymous reads see public repos only.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // Django REST framework's TokenAuthentication, which the hosted service's clients send.
          token: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'The same token as `Authorization: Token <token>`.',
          },
        },
      },
      // The token is needed for writes; reads work without it (public repos only).
      security: [{ bearer: [] }, { token: [] }, {}],
    },
  });

  const registry = options.registry;
  const bodies = registryBodyCache(registry);
  app.addHook('onClose', async () => bodies.stop());

  await app.register(
    async (v1) => {
      repoRoutes(v1, registry, bodies.cache);
      tagRoutes(v1, registry);
      historyRoutes(v1, registry);
      namespaceRoutes(v1, registry);
      serviceRoutes(v1, registry, options.version);
      if (options.registries) registryConnectionRoutes(v1, options.registries);
      if (options.sync) syncRoutes(v1, options.sync);
    },
    { prefix: '/v1' },
  );

  return app;
}

/**
 * GET /v1/export and POST /v1/import (docs/portability.md): the whole catalogue as one streamed
 * document, out and in. Both are for the token holder only. The import takes the raw body as it
 * streams (up to 1 GiB, not the 1 MiB of other routes), receives it whole into the data folder
 * first (the server's request time limit counts until the body has arrived), then imports it.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BerthError } from '../../contract/errors';
import { ImportQuery, ImportResult } from '../../contract/portability';
import type { RegistryService } from '../../registry/service';
import { IMPORT_BODY_LIMIT } from '../defaults';
import * as R from '../responses';

const tags = ['portability'];

function requireToken(request: FastifyRequest): void {
  if (!request.viewer.authenticated) throw new BerthError('unauthorized', 'Authentication credentials were not provided.');
}

/** The body, refused past the limit as it arrives (a Content-Length says so before any byte). */
async function* limited(body: AsyncIterable<Buffer>, declared: number): AsyncGenerator<Buffer> {
  const tooLarge = () => new BerthError('payload_too_large', 'An import document may be at most 1 GiB.');
  if (declared > IMPORT_BODY_LIMIT) throw tooLarge();
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > IMPORT_BODY_LIMIT) throw tooLarge();
    yield chunk;
  }
}

const NO_BODY: AsyncIterable<Buffer> = Readable.from([]);

export function portabilityRoutes(app: FastifyInstance, registry: RegistryService): void {
  app.get(
    '/export',
    {
      schema: {
        tags,
        summary: 'The whole catalogue as one JSON document (streamed; token only)',
        response: { 200: R.ExportDocument, ...R.errors(401) },
      },
    },
    async (request, reply) => {
      requireToken(request);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type('application/json; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="berth-export-${day}.json"`)
        .send(Readable.from(registry.exportCatalogue()));
    },
  );

  // Its own scope: the body is handed over as a stream, not parsed whole under the 1 MiB limit.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', (request, payload, done) => {
      const encoding = request.headers['content-encoding']?.trim().toLowerCase();
      if (encoding && encoding !== 'identity') {
        done(
          new BerthError('unsupported_media_type', `Content-Encoding "${encoding}" is not supported: send the document uncompressed.`),
          undefined,
        );
        return;
      }
      done(null, payload);
    });
    scope.post(
      '/import',
      {
        schema: {
          tags,
          summary: 'Import an export document (streamed, up to 1 GiB): merge or replace, or a dry run',
          querystring: ImportQuery,
          response: { 200: ImportResult, ...R.errors(400, 401, 409, 413, 415) },
        },
      },
      async (request: FastifyRequest<{ Querystring: ImportQuery }>, reply) => {
        requireToken(request);
        // Reading and checking a large document takes longer than an idle connection may last.
        request.raw.socket.setTimeout(0);
        const body = (request.body as AsyncIterable<Buffer> | undefined) ?? NO_BODY;
        const declared = Number(request.headers['content-length'] ?? 0);
        try {
          return await registry.importCatalogue(limited(body, declared), {
            mode: request.query.mode,
            dry_run: request.query.dry_run,
            receiveFirst: true,
          });
        } catch (err) {
          // The rest of a refused body is not worth reading: the connection closes after the answer.
          if (err instanceof BerthError && err.code === 'payload_too_large') reply.header('Connection', 'close');
          throw err;
        }
      },
    );
  });
}

/**
 * Errors Node's HTTP parser raises before a request reaches Fastify: a request that did not arrive
 * whole in time (408), headers over the limit (431), a malformed request (400). Node's own answers
 * have no body; ours carry the JSON error body every answer uses and close the connection.
 */
import type { Socket } from 'node:net';
import { BerthError } from '../contract/errors';
import { rawErrorResponse, toBerthError } from './errors';

interface ParserError extends Error {
  code?: string;
}

export function onClientError(err: ParserError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const error =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'HPE_HEADER_OVERFLOW'
      ? toBerthError(err)
      : BerthError.validation({ non_field_errors: ['Malformed HTTP request.'] }, 'Malformed HTTP request.');
  // Never write into the middle of a response already on its way (Node's own rule).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.end(rawErrorResponse(error));
    // end() lets the answer drain; a client that never reads must not hold the socket open.
    setTimeout(() => socket.destroy(), 1000).unref();
  } else {
    socket.destroy();
  }
}

/**
 * Translates every failure that can reach the HTTP layer into the JSON error `{detail, code,
 * errors?}` (README, Local API, "Errors"). Registry errors pass through unchanged; framework and
 * Node errors get the matching code; anything unexpected becomes a 500 `internal_error` whose stack
 * stays in the server's log.
 */
import { BerthError, isBerthError, type ErrorBody } from '../contract/errors';

/** Errors of the disk under the store, should one escape it unwrapped. */
const STORAGE_ERRNOS = new Set(['EROFS', 'ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE']);

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  name?: unknown;
}

export function toBerthError(err: unknown): BerthError {
  if (isBerthError(err)) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as FrameworkError;
  const code = typeof e.code === 'string' ? e.code : '';
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BerthError('payload_too_large', 'Request body is larger than the 1 MiB limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new BerthError('unsupported_media_type', 'Unsupported media type: send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BerthError('invalid_json', 'JSON parse error - the body is empty.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new BerthError('invalid_json', 'JSON parse error - the body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new BerthError('invalid_json', 'The request body does not match its Content-Length.');
    case 'FST_ERR_BAD_URL':
      return new BerthError('not_found', 'Not found: the URL is not valid.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return BerthError.validation({ path: ['A path segment is too long.'] }, 'A path segment is too long.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new BerthError('request_timeout', 'The request did not arrive in time.');
    case 'HPE_HEADER_OVERFLOW':
      return new BerthError('headers_too_large', 'Request headers are larger than the 16 KiB limit.');
  }
  if (STORAGE_ERRNOS.has(code)) {
    return new BerthError('storage_error', `The data folder refused the write (${code}); nothing was changed.`);
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 404) return BerthError.notFound('Not found.');
  if (status === 413) return new BerthError('payload_too_large', 'Request body is larger than the 1 MiB limit.');
  if (status === 415) return new BerthError('unsupported_media_type', 'Unsupported media type: send the body as application/json.');
  if (status === 408) return new BerthError('request_timeout', 'The request did not arrive in time.');
  if (status >= 400 && status < 500)
    return BerthError.validation({ non_field_errors: ['The request is not valid.'] }, 'The request is not valid.');
  return new BerthError('internal_error', 'Internal server error.');
}

/** A complete raw HTTP/1.1 response, for the few errors answered before Fastify sees a request. */
export function rawErrorResponse(err: BerthError): string {
  const body = JSON.stringify(err.toBody() satisfies ErrorBody);
  return (
    `HTTP/1.1 ${err.status} ${STATUS_TEXT[err.status] ?? 'Error'}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Access rules (README, Local API, "Token"), checked before any route runs, in this order:
 * 1. Host allow-list (DNS rebinding): only the loopback names and the bound address, with the port.
 * 2. Origin allow-list (cross-site requests from a browser): empty by default.
 * 3. The token (`Bearer` or `Token` scheme): required for writes; a presented token must be right
 *    even on reads, and any other scheme is refused.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BerthError } from '../contract/errors';
import type { Viewer } from '../contract/types';
import { ANONYMOUS, TOKEN_HOLDER } from '../registry/service';
import { presentedToken, tokensEqual } from '../auth/token';

export interface AccessConfig {
  /** The address the server is bound to (e.g. 127.0.0.1, ::1, 0.0.0.0). */
  host: string;
  token: () => string;
  /** Read on every request, so the desktop app can switch it without restarting the listener. */
  anonymousReads: () => boolean;
  allowedOrigins: readonly string[];
}

/** Methods that change data; any other method is a read or answers 404/405 by itself. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Service routes that reveal nothing stored, so they answer even when anonymous reads are off. */
const ALWAYS_OPEN = new Set(['/v1/_ping', '/v1/openapi.json']);

function hostWithPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const hostCache = new Map<string, Map<number, ReadonlySet<string>>>();

export function allowedHosts(boundHost: string, port: number): ReadonlySet<string> {
  // Looked up on every request: two map reads, no key string built.
  let byPort = hostCache.get(boundHost);
  if (!byPort) {
    byPort = new Map();
    hostCache.set(boundHost, byPort);
  }
  let hosts = byPort.get(port);
  if (!hosts) {
    hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, hostWithPort(boundHost.toLowerCase(), port)]);
    byPort.set(port, hosts);
  }
  return hosts;
}

function hostHeaderCount(rawHeaders: string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    // Only a four-letter name can be Host: no lower-cased copy of every other header name.
    const name = rawHeaders[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') count++;
  }
  return count;
}

function refuseHost(shown: string | undefined, port: number): BerthError {
  return new BerthError('forbidden', `Host "${shown ?? ''}" is not allowed: call the API as http://127.0.0.1:${port}.`);
}

/** The Host/Origin check alone, also used where Fastify answers before its hooks run. */
export function checkHostAndOrigin(request: FastifyRequest, config: AccessConfig): BerthError | null {
  const host = request.headers.host?.trim().toLowerCase();
  const port = request.raw.socket.localPort ?? 0;
  const allowed = allowedHosts(config.host, port);
  if (!host || !allowed.has(host)) return refuseHost(host, port);
  // Node keeps only the first of several Host headers; a request carrying two is refused whole.
  if (hostHeaderCount(request.raw.rawHeaders) !== 1) return refuseHost(host, port);
  // An absolute-form target ("GET http://other/…") names the host that counts (RFC 9112 §3.2.2).
  const target = request.raw.url ?? '';
  if (!target.startsWith('/')) {
    let authority: string | undefined;
    try {
      authority = new URL(target).host.toLowerCase();
    } catch {
      authority = undefined;
    }
    if (!authority || !allowed.has(authority)) return refuseHost(authority ?? target.slice(0, 100), port);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !config.allowedOrigins.includes(origin)) {
    return new BerthError('forbidden', `Origin "${origin}" is not allowed to call this API.`);
  }
  return null;
}

function pathOf(request: FastifyRequest): string {
  const path = request.url.split('?', 1)[0] ?? '';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function viewerOf(request: FastifyRequest, reply: FastifyReply, config: AccessConfig): Viewer {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const presented = presentedToken(header);
    if (presented === undefined || !tokensEqual(presented, config.token())) {
      reply.header('WWW-Authenticate', 'Bearer realm="berth", error="invalid_token"');
      throw new BerthError('unauthorized', 'Invalid token.');
    }
    return TOKEN_HOLDER;
  }
  const write = WRITE_METHODS.has(request.method);
  if (write || (!config.anonymousReads() && !ALWAYS_OPEN.has(pathOf(request)))) {
    reply.header('WWW-Authenticate', 'Bearer realm="berth"');
    throw new BerthError('unauthorized', 'Authentication credentials were not provided.');
  }
  return ANONYMOUS;
}

/** `POST /v1/registries/{name}/events` (docs/registries.md, "Live registry events"). */
const EVENTS_PATH = /^\/v1\/registries\/[^/?]+\/events\/?(\?.*)?$/;

const CORS_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/**
 * The onRequest hook. Returns true when it answered the request itself (a CORS preflight).
 * Throws a BerthError for a refusal; the error handler turns it into the JSON answer.
 */
export function applyAccess(request: FastifyRequest, reply: FastifyReply, config: AccessConfig): boolean {
  const refused = checkHostAndOrigin(request, config);
  if (refused) throw refused;
  const origin = request.headers.origin;
  if (origin !== undefined) {
    // Only reached for an allowed origin: answer it the CORS way, and only it.
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply
        .code(204)
        .header('Access-Control-Allow-Methods', CORS_METHODS)
        .header('Access-Control-Allow-Headers', 'Authorization, Content-Type')
        .header('Access-Control-Max-Age', '600')
        .send();
      return true;
    }
  }
  // A registry's notifications carry that registry's events secret, not the API token: the route checks it.
  if (request.method === 'POST' && EVENTS_PATH.test(request.url)) {
    request.viewer = ANONYMOUS;
    return false;
  }
  request.viewer = viewerOf(request, reply, config);
  return false;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer;
  }
}

/**
 * The composition root (SPEC §2): store + registry + HTTP API, built from options. The Electron
 * entry and `serve` both call createBackend; nothing listens until startApi().
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Backend, BackendOptions } from './backend.options';
import { BerthError } from './contract/errors';
import type { ServerInfo } from './contract/types';
import { loadToken, newToken, storeToken, type TokenSource } from './auth/token';
import { buildApi } from './http/app';
import { DEFAULT_HOST } from './http/defaults';
import { createRegistry } from './registry/index';
import { openStore, type StoreProblem } from './store/index';
import { VERSION } from './version';

export { DEFAULT_HOST, DEFAULT_PORT } from './http/defaults';

function urlOf(host: string, port: number): string {
  // A wildcard bind is reached through loopback; an IPv6 literal needs brackets.
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function listenError(err: unknown, host: string, port: number): { code: string; detail: string } {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return { code: 'port_in_use', detail: `Port ${port} is already in use on ${host}: stop the other program or choose another port.` };
  }
  if (code === 'EACCES') return { code: 'port_forbidden', detail: `Not allowed to listen on port ${port} of ${host}: choose a port above 1023.` };
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return { code: 'bad_host', detail: `Cannot listen on ${host}: this machine has no such address.` };
  }
  return { code: 'listen_failed', detail: `Cannot listen on ${host}:${port} (${code ?? String(err)}).` };
}

/** Backend plus what `serve` reports at start. */
export interface BerthBackend extends Backend {
  /** Where the token in use came from. */
  tokenSource(): TokenSource;
  /** Files the store moved aside or could not read (it reports more as namespaces load). */
  problems(): readonly StoreProblem[];
  onProblem(listener: (problem: StoreProblem) => void): () => void;
}

export async function createBackend(options: BackendOptions): Promise<BerthBackend> {
  const dataDir = resolve(options.dataDir);
  try {
    // This user's alone: private repos, the token and the history are in it.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new BerthError('storage_error', `Cannot create the data folder ${dataDir} (${code}).`);
  }
  const store = await openStore(dataDir);
  let token: string;
  let tokenSource: TokenSource;
  try {
    ({ token, source: tokenSource } = await loadToken(dataDir, options.token));
  } catch (err) {
    await store.close();
    throw err;
  }
  const registry = createRegistry(store);

  const host = options.host ?? DEFAULT_HOST;
  let port = options.port;
  let anonymousReads = options.anonymousReads ?? true;
  let app: FastifyInstance | null = null;
  let boundPort: number | null = null;
  let error: ServerInfo['error'] = null;
  let closed = false;

  const info = (): ServerInfo => ({
    url: boundPort === null ? null : urlOf(host, boundPort),
    host,
    port: boundPort ?? port,
    listening: boundPort !== null,
    error,
    anonymous_reads: anonymousReads,
    data_dir: dataDir,
    version: VERSION,
  });

  async function stopApi(): Promise<void> {
    const running = app;
    app = null;
    boundPort = null;
    if (running) await running.close();
  }

  async function startApi(): Promise<ServerInfo> {
    if (closed) throw new BerthError('internal_error', 'The backend is closed; the API cannot start.');
    if (app) return info();
    error = null;
    const candidate = await buildApi({
      registry,
      version: VERSION,
      host,
      token: () => token,
      anonymousReads,
      allowedOrigins: options.allowedOrigins ?? [],
      requestTimeoutMs: options.requestTimeoutMs,
    });
    try {
      await candidate.listen({ host, port });
    } catch (err) {
      error = listenError(err, host, port);
      await candidate.close().catch(() => undefined);
      return info();
    }
    app = candidate;
    boundPort = (candidate.server.address() as AddressInfo).port;
    return info();
  }

  return {
    registry,
    dataDir,
    startApi,
    async restartApi(changes) {
      await stopApi();
      if (changes.port !== undefined) port = changes.port;
      if (changes.anonymousReads !== undefined) anonymousReads = changes.anonymousReads;
      return startApi();
    },
    info,
    token: () => token,
    tokenSource: () => tokenSource,
    async regenerateToken() {
      const next = newToken();
      await storeToken(dataDir, next);
      token = next;
      tokenSource = 'file';
      return token;
    },
    problems: () => store.problems,
    onProblem: (listener) => store.onProblem(listener),
    async close() {
      if (closed) return;
      closed = true;
      await stopApi();
      await store.close();
    },
  };
}

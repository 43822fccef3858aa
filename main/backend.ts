/**
 * The composition root (docs/architecture.md): store + registry + HTTP API, built from options. The
 * Electron entry and `serve` both call createBackend; nothing listens until startApi().
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createApiListener } from './api-listener';
import type { Backend, BackendOptions } from './backend.options';
import { BerthError } from './contract/errors';
import type { ServerInfo } from './contract/types';
import { loadToken, newToken, storeToken, type TokenSource } from './auth/token';
import { buildApi } from './http/app';
import { DEFAULT_HOST } from './http/defaults';
import { createRegistry } from './registry/index';
import { CredentialsFile, RegistryConnections } from './registries/index';
import { DurableJsonFile, newWriteStats } from './files/durable-file';
import { nodeFileOps } from './files/file-ops';
import { JobBook, RegistrySync, type JobsFile } from './sync/index';
import { openStore, RegistriesFile, type StoreProblem } from './store/index';
import { VERSION } from './version';

/** Backend plus what `serve` reports at start. */
export interface BerthBackend extends Backend {
  /** Where the token in use came from. */
  tokenSource(): TokenSource;
  /** Files the store moved aside or could not read (it reports more as namespaces load). */
  problems(): readonly StoreProblem[];
  onProblem(listener: (problem: StoreProblem) => void): () => void;
}

const TRASH_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** `<data>/jobs.json`: imports and syncs, written durably at each change of a job's state. */
function jobsFile(dataDir: string): JobsFile {
  return new DurableJsonFile<unknown>(
    { ops: nodeFileOps, tmpDir: join(dataDir, 'tmp'), stats: newWriteStats() },
    join(dataDir, 'jobs.json'),
  );
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
  let registries: RegistryConnections;
  let registriesProblem: StoreProblem | null;
  try {
    const file = await RegistriesFile.open(dataDir);
    registriesProblem = file.problem;
    const credentials = await CredentialsFile.open(dataDir, { ...(options.registries?.codec ? { codec: options.registries.codec } : {}) });
    registries = new RegistryConnections({
      file,
      credentials,
      ...(options.registries?.client ? { client: options.registries.client } : {}),
      ...(options.registries?.dockerConfig ? { dockerConfig: options.registries.dockerConfig } : {}),
      // Local repos linked to a registry being removed are unlinked first (they keep their tags).
      beforeDelete: (name) => sync.unlinkRegistry(name),
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  let sync: RegistrySync;
  try {
    const jobs = await JobBook.open(jobsFile(dataDir));
    sync = new RegistrySync({ registry, connections: registries, jobs, apiUrl: () => api.state().url });
  } catch (err) {
    await registries.close();
    await store.close();
    throw err;
  }
  // The trash keeps deleted repos 30 days: what has passed its time goes at start and then hourly.
  const purgeTrash = () =>
    registry.purgeExpiredTrash().catch((err: unknown) => {
      console.error(`Berth: purging the trash failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  await purgeTrash();
  const purgeTimer = setInterval(() => void purgeTrash(), options.trashPurgeIntervalMs ?? TRASH_PURGE_INTERVAL_MS);
  purgeTimer.unref();

  const host = options.host ?? DEFAULT_HOST;
  const api = createApiListener({
    host,
    port: options.port,
    anonymousReads: options.anonymousReads ?? true,
    build: (anonymousReads) =>
      buildApi({
        // Local tools' changes are recorded in the history as made by `api`.
        registry: registry.as('api'),
        registries,
        sync,
        version: VERSION,
        host,
        token: () => token,
        anonymousReads,
        allowedOrigins: options.allowedOrigins ?? [],
        requestTimeoutMs: options.requestTimeoutMs,
      }),
  });
  let closed = false;

  const info = (): ServerInfo => ({ ...api.state(), host, data_dir: dataDir, version: VERSION });

  return {
    registry,
    registries,
    sync,
    dataDir,
    async startApi() {
      await api.start();
      return info();
    },
    async restartApi(changes) {
      await api.change(changes);
      return info();
    },
    suggestPort: (near) => api.suggestPort(near),
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
    problems: () => (registriesProblem ? [registriesProblem, ...store.problems] : store.problems),
    onProblem: (listener) => store.onProblem(listener),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(purgeTimer);
      await api.close();
      await sync.close();
      await registries.close();
      await store.close();
    },
  };
}

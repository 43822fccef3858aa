/**
 * The IPC handler table: one entry per operation of window.berth (main/contract/api.ts). Each
 * entry validates every argument with the schemas the HTTP routes use (main/contract/operations.ts),
 * then calls the same registry method the route calls, as the token holder (the desktop user
 * owns the install).
 */
import pLimit from 'p-limit';
import type { BerthOperations, OperationName } from '../contract/api';
import { BerthError, isBerthError } from '../contract/errors';
import { OPERATIONS, OPERATION_NAMES } from '../contract/operations';
import type { RegistriesService } from '../contract/registries';
import type { SyncService } from '../contract/sync';
import type { ServerInfo } from '../contract/types';
import { TOKEN_HOLDER, type RegistryService } from '../registry/service';
import type { SettingsService } from '../settings';
import { registryOperations } from './registries';
import { NO_DIALOGS, transferOperations, type FileDialogs } from './transfers';
import { syncOperations } from './sync';
import { compileArgs } from './validate';

export type IpcHandler = (...args: unknown[]) => Promise<unknown>;
export type IpcHandlerTable = Readonly<Record<OperationName, IpcHandler>>;

/** What the handlers need of the backend (the composition root's Backend is one). */
export interface IpcBackend {
  readonly registry: RegistryService;
  /** Connections to real OCI registries. */
  readonly registries: RegistriesService;
  /** Links, imports, syncs and registry events. */
  readonly sync: SyncService;
  info(): ServerInfo;
  token(): string;
  regenerateToken(): Promise<string>;
  /** Applies new API settings; rejects (and changes nothing) when the new port cannot be bound. */
  restartApi(changes: { port?: number; anonymousReads?: boolean }): Promise<ServerInfo>;
  suggestPort(near: number): Promise<number>;
}

export interface IpcHandlerDeps {
  backend: IpcBackend;
  settings: SettingsService;
  /** The file dialogs of Export… and Import… (the app's native ones; the harness's own). */
  dialogs?: FileDialogs;
}

/** A port the API could not take, reported on the Port field of the settings. */
function onPortField(error: unknown): unknown {
  return isBerthError(error) ? new BerthError(error.code, error.detail, { api_port: [error.detail] }) : error;
}

export function createIpcHandlers({ backend, settings, dialogs = NO_DIALOGS }: IpcHandlerDeps): IpcHandlerTable {
  // The window's changes are recorded in the history as made by `window` (an import's, by `import`).
  const registry = backend.registry.as('window');
  const viewer = TOKEN_HOLDER;
  // Settings changes apply one at a time, in the order they were made: each compares with what
  // the API serves, changes the API, then saves, before the next one looks.
  const oneSettingsChangeAtATime = pLimit(1);

  const operations: BerthOperations = {
    listNamespaces: (query) => registry.listNamespaces(viewer, query),
    getNamespace: (ns) => registry.getNamespace(viewer, ns),
    createNamespace: (ns) => registry.createNamespace(ns),
    deleteNamespace: (ns, options) => registry.deleteNamespace(ns, options),
    listRepos: (ns, query) => registry.listRepos(viewer, ns, query),
    getRepo: (ns, repo) => registry.getRepo(viewer, ns, repo),
    createRepo: (ns, input) => registry.createRepo(ns, input),
    updateRepo: (ns, repo, patch, options) => registry.updateRepo(ns, repo, patch, options),
    deleteRepo: (ns, repo) => registry.deleteRepo(ns, repo),
    listTags: (ns, repo) => registry.listTags(viewer, ns, repo),
    getTag: (ns, repo, name) => registry.getTag(viewer, ns, repo, name),
    putTag: (ns, repo, name, image) => registry.putTag(ns, repo, name, image),
    deleteTag: (ns, repo, name) => registry.deleteTag(ns, repo, name),
    recordPull: (ns, repo, name) => registry.recordPull(ns, repo, name),
    setStar: (ns, repo, value) => registry.setStar(ns, repo, value),
    restoreTag: (ns, repo, name, historyId) => registry.restoreTag(ns, repo, name, historyId),
    listRepoHistory: (ns, repo, query) => registry.listRepoHistory(viewer, ns, repo, query),
    listHistory: (query) => registry.listHistory(viewer, query),
    listTrash: (query) => registry.listTrash(viewer, query),
    restoreFromTrash: (ns, repo) => registry.restoreFromTrash(ns, repo),
    purgeTrash: (ns, repo) => registry.purgeTrash(ns, repo),
    search: (query) => registry.search(viewer, query),
    getServerInfo: async () => backend.info(),
    getToken: async () => backend.token(),
    regenerateToken: () => backend.regenerateToken(),
    getSettings: async () => settings.get(),
    getSettingsProblems: async () => settings.problems(),
    updateSettings: (patch) =>
      oneSettingsChangeAtATime(async () => {
        const served = backend.info();
        const changes: { port?: number; anonymousReads?: boolean } = {};
        // Apply asks again for a port the API is not listening on (a retry after it was busy).
        if (patch.api_port !== undefined && (patch.api_port !== served.port || !served.listening)) changes.port = patch.api_port;
        if (patch.anonymous_reads !== undefined && patch.anonymous_reads !== served.anonymous_reads)
          changes.anonymousReads = patch.anonymous_reads;
        // The API first: a port it cannot take is refused here, and then nothing is saved.
        if (changes.port !== undefined || changes.anonymousReads !== undefined) {
          await backend.restartApi(changes).catch((error: unknown) => {
            throw changes.port === undefined ? error : onPortField(error);
          });
        }
        return settings.update(patch);
      }),
    suggestPort: (near) => backend.suggestPort(near),
    ...registryOperations(backend.registries),
    ...transferOperations(registry, dialogs),
    ...syncOperations(backend.sync),
  };

  const table = Object.create(null) as Record<OperationName, IpcHandler>;
  for (const name of OPERATION_NAMES) {
    const run = operations[name] as (...args: unknown[]) => Promise<unknown>;
    const checkArgs = compileArgs(OPERATIONS[name]);
    table[name] = async (...args) => run(...checkArgs(args));
  }
  return Object.freeze(table);
}

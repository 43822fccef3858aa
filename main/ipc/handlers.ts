/**
 * The IPC handler table: one entry per operation of window.berth (main/contract/api.ts). Each
 * entry validates every argument with the schemas the HTTP routes use, then calls the same
 * registry method the route calls, as the token holder (the desktop user owns the install).
 */
import pLimit from 'p-limit';
import type { BerthOperations, OperationName } from '../contract/api';
import { BerthError, isBerthError } from '../contract/errors';
import {
  CreateRepoBody,
  DeleteNamespaceOptions,
  ListReposQuery,
  NamespaceParam,
  PageQuery,
  PortNumber,
  PutTagBody,
  RepoNameParam,
  SearchQuery,
  SettingsPatch,
  StarredFlag,
  TagParam,
  UpdateRepoBody,
} from '../contract/schemas';
import type { Backend } from '../backend.options';
import { TOKEN_HOLDER } from '../registry/service';
import type { SettingsService } from '../settings';
import { REGISTRY_ARGS, registryOperations } from './registries';
import { arg, validateArgs, type ArgSpec } from './validate';

export type IpcHandler = (...args: unknown[]) => Promise<unknown>;
export type IpcHandlerTable = Readonly<Record<OperationName, IpcHandler>>;

export interface IpcHandlerDeps {
  backend: Backend;
  settings: SettingsService;
}

const namespace = arg('namespace', NamespaceParam);
const repoName = arg('repo_name', RepoNameParam);
const tag = arg('tag', TagParam);
const imageId = arg('image_id', PutTagBody.properties.image_id);
const starred = arg('starred', StarredFlag);
const empty = () => ({});

/** Argument list of each operation, in the order BerthOperations declares them. */
const ARGS: Readonly<Record<OperationName, readonly ArgSpec[]>> = {
  listNamespaces: [arg('query', PageQuery, empty)],
  getNamespace: [namespace],
  createNamespace: [namespace],
  deleteNamespace: [namespace, arg('options', DeleteNamespaceOptions, empty)],
  listRepos: [namespace, arg('query', ListReposQuery, empty)],
  getRepo: [namespace, repoName],
  createRepo: [namespace, arg('input', CreateRepoBody)],
  updateRepo: [namespace, repoName, arg('patch', UpdateRepoBody)],
  deleteRepo: [namespace, repoName],
  listTags: [namespace, repoName],
  putTag: [namespace, repoName, tag, imageId],
  deleteTag: [namespace, repoName, tag],
  recordPull: [namespace, repoName, tag],
  setStar: [namespace, repoName, starred],
  search: [arg('query', SearchQuery)],
  getServerInfo: [],
  getToken: [],
  regenerateToken: [],
  getSettings: [],
  getSettingsProblems: [],
  updateSettings: [arg('patch', SettingsPatch)],
  suggestPort: [arg('near', PortNumber)],
  ...REGISTRY_ARGS,
};

/** A port the API could not take, reported on the Port field of the settings. */
function onPortField(error: unknown): unknown {
  return isBerthError(error) ? new BerthError(error.code, error.detail, { api_port: [error.detail] }) : error;
}

export function createIpcHandlers({ backend, settings }: IpcHandlerDeps): IpcHandlerTable {
  const registry = backend.registry;
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
    updateRepo: (ns, repo, patch) => registry.updateRepo(ns, repo, patch),
    deleteRepo: (ns, repo) => registry.deleteRepo(ns, repo),
    listTags: (ns, repo) => registry.listTags(viewer, ns, repo),
    putTag: (ns, repo, name, image) => registry.putTag(ns, repo, name, image),
    deleteTag: (ns, repo, name) => registry.deleteTag(ns, repo, name),
    recordPull: (ns, repo, name) => registry.recordPull(ns, repo, name),
    setStar: (ns, repo, value) => registry.setStar(ns, repo, value),
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
        if (patch.anonymous_reads !== undefined && patch.anonymous_reads !== served.anonymous_reads) changes.anonymousReads = patch.anonymous_reads;
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
  };

  const table = Object.create(null) as Record<OperationName, IpcHandler>;
  for (const name of Object.keys(ARGS) as OperationName[]) {
    const run = operations[name] as (...args: unknown[]) => Promise<unknown>;
    const specs = ARGS[name];
    table[name] = async (...args) => run(...validateArgs(specs, args));
  }
  return Object.freeze(table);
}

/**
 * The IPC handler table: one entry per operation of window.berth (main/contract/api.ts). Each
 * entry validates every argument with the schemas the HTTP routes use, then calls the same
 * registry method the route calls, as the token holder (the desktop user owns the install).
 */
import type { BerthOperations, OperationName } from '../contract/api';
import {
  CreateRepoBody,
  DeleteNamespaceOptions,
  ListReposQuery,
  NamespaceParam,
  PageQuery,
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
  updateSettings: [arg('patch', SettingsPatch)],
};

export function createIpcHandlers({ backend, settings }: IpcHandlerDeps): IpcHandlerTable {
  const registry = backend.registry;
  const viewer = TOKEN_HOLDER;

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
    updateSettings: async (patch) => {
      const before = settings.get();
      const after = settings.update(patch);
      // The API only needs a restart for what it was started with; a port in use is then
      // reported by getServerInfo (ServerInfo.error) and the user can pick another.
      if (after.api_port !== before.api_port || after.anonymous_reads !== before.anonymous_reads) {
        await backend.restartApi({ port: after.api_port, anonymousReads: after.anonymous_reads });
      }
      return after;
    },
  };

  const table = Object.create(null) as Record<OperationName, IpcHandler>;
  for (const name of Object.keys(ARGS) as OperationName[]) {
    const run = operations[name] as (...args: unknown[]) => Promise<unknown>;
    const specs = ARGS[name];
    table[name] = async (...args) => run(...validateArgs(specs, args));
  }
  return Object.freeze(table);
}

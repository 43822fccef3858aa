/**
 * The argument schemas of every operation of window.berth, one entry per operation. The table
 * must name every operation of BerthOperations with an argument schema that fits each parameter
 * (or it does not compile); the IPC channels, the preload's functions and main's argument checks
 * are all derived from it. Adding an operation: a method in BerthOperations (./api), its entry
 * here, and its handler in main/ipc/handlers.ts (which is typed by BerthOperations too).
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { BerthOperations, OperationName } from './api';
// Types only: the preload derives its functions from this table and must not bundle TypeBox, so
// arguments name their schema (an export of ./schemas) and main looks the schema up.
import type * as Schemas from './schemas';

type SchemaExports = typeof Schemas;
/** The exports of ./schemas that are schemas. */
export type SchemaName = { [K in keyof SchemaExports]: SchemaExports[K] extends TSchema ? K : never }[keyof SchemaExports];

/** One argument: the field its errors are reported under, and the name of its schema. */
export interface ArgSpec<N extends SchemaName = SchemaName> {
  readonly field: string;
  readonly schema: N;
  /** Stands in for an optional trailing argument the caller left out. */
  readonly whenMissing?: () => Static<SchemaExports[N]>;
}

const arg = <N extends SchemaName>(field: string, schema: N, whenMissing?: () => Static<SchemaExports[N]>): ArgSpec<N> =>
  whenMissing ? { field, schema, whenMissing } : { field, schema };

/** An argument whose checked value can be passed as a parameter of type T. */
type ArgFor<T> = { [N in SchemaName]: Static<SchemaExports[N]> extends T ? ArgSpec<N> : never }[SchemaName];
type ArgsFor<F> = F extends (...args: infer P) => unknown ? { readonly [I in keyof P]: ArgFor<P[I]> } : never;
type OperationTable = { readonly [K in OperationName]: ArgsFor<BerthOperations[K]> };

const namespace = arg('namespace', 'NamespaceParam');
const repoName = arg('repo_name', 'RepoNameParam');
const tag = arg('tag', 'TagParam');
const registry = arg('name', 'RegistryNameParam');
const saveOptions = arg('options', 'SaveRegistryOptions', () => ({}));

export const OPERATIONS = {
  listNamespaces: [arg('query', 'PageQuery', () => ({}))],
  getNamespace: [namespace],
  createNamespace: [namespace],
  deleteNamespace: [namespace, arg('options', 'DeleteNamespaceOptions', () => ({}))],
  listRepos: [namespace, arg('query', 'ListReposQuery', () => ({}))],
  getRepo: [namespace, repoName],
  createRepo: [namespace, arg('input', 'CreateRepoBody')],
  updateRepo: [namespace, repoName, arg('patch', 'UpdateRepoBody'), arg('options', 'UpdateRepoOptions', () => ({}))],
  deleteRepo: [namespace, repoName],
  listTags: [namespace, repoName],
  getTag: [namespace, repoName, tag],
  putTag: [namespace, repoName, tag, arg('image_id', 'ImageIdField')],
  deleteTag: [namespace, repoName, tag],
  recordPull: [namespace, repoName, tag],
  setStar: [namespace, repoName, arg('starred', 'StarredFlag')],
  restoreTag: [namespace, repoName, tag, arg('history_id', 'HistoryIdField')],
  listRepoHistory: [namespace, repoName, arg('query', 'PageQuery', () => ({}))],
  listHistory: [arg('query', 'PageQuery', () => ({}))],
  listTrash: [arg('query', 'PageQuery', () => ({}))],
  restoreFromTrash: [namespace, repoName],
  purgeTrash: [namespace, repoName],
  search: [arg('query', 'SearchQuery')],
  getServerInfo: [],
  getToken: [],
  regenerateToken: [],
  getSettings: [],
  getSettingsProblems: [],
  updateSettings: [arg('patch', 'SettingsPatch')],
  suggestPort: [arg('near', 'PortNumber')],
  listRegistries: [arg('query', 'PageQuery', () => ({}))],
  getRegistry: [registry],
  createRegistry: [arg('input', 'CreateRegistryBody'), saveOptions],
  updateRegistry: [registry, arg('patch', 'UpdateRegistryBody'), saveOptions],
  deleteRegistry: [registry],
  checkRegistry: [registry],
  listRegistryRepositories: [registry, arg('query', 'RepositoriesQuery', () => ({}))],
  listRegistryTags: [registry, arg('query', 'RegistryTagsQuery')],
  getRegistryManifest: [registry, arg('query', 'ManifestQuery')],
  getRegistryDigestTags: [registry, arg('query', 'ManifestQuery')],
  deleteRegistryManifest: [registry, arg('query', 'DeleteManifestQuery')],
  chooseExportFile: [],
  exportCatalogue: [arg('path', 'FilePath')],
  chooseImportFile: [],
  importCatalogue: [arg('path', 'FilePath'), arg('options', 'ImportOptions', () => ({}))],
  getTransferProgress: [],
  getLink: [namespace, repoName],
  linkRepo: [namespace, repoName, arg('input', 'LinkBody')],
  unlinkRepo: [namespace, repoName],
  syncRepo: [namespace, repoName],
  importRepositories: [registry, arg('input', 'ImportBody')],
  listJobs: [arg('query', 'PageQuery', () => ({}))],
  getJob: [arg('id', 'JobIdParam')],
  cancelJob: [arg('id', 'JobIdParam')],
  getEventsConfig: [registry],
} as const satisfies OperationTable;

/** Every operation, in the table's order: one IPC channel and one preload function each. */
export const OPERATION_NAMES = Object.freeze(Object.keys(OPERATIONS)) as readonly OperationName[];

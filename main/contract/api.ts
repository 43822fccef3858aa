/**
 * The one contract between the window and the backend: what `window.berth` offers. Main's IPC
 * handler table implements it, the preload exposes it method by method, the renderer calls it;
 * ./operations lists each operation's argument schemas (a missing one does not compile).
 * Every method resolves with its result or rejects with a plain ErrorBody `{detail, code, errors?}`
 * (plain, so it survives contextBridge's cloning).
 */
import type { ErrorBody } from './errors';
import type { HistoryEntryView, TrashEntryView } from './history';
import type { ExportSummary, ImportOptions, ImportResult, TransferProgress } from './portability';
import type {
  ChangeEvent,
  CreateRegistryInput,
  CreateRepoInput,
  DeleteManifestQuery,
  DeleteNamespaceOptions,
  DigestTagsView,
  EventsConfigView,
  ImportBody,
  JobChangeEvent,
  JobView,
  LinkBody,
  LinkView,
  ListReposQuery,
  ManifestQuery,
  ManifestView,
  NamespaceView,
  Page,
  PageQuery,
  PutTagResult,
  RegistryChangeEvent,
  RegistryTagPage,
  RegistryTagsQuery,
  RegistryView,
  RepositoriesQuery,
  RepositoryPage,
  RepoView,
  SaveRegistryOptions,
  SearchPage,
  SearchQuery,
  ServerInfo,
  Settings,
  SettingsPatch,
  SettingsProblem,
  StarView,
  TagDetailView,
  TagView,
  UpdateRegistryInput,
  UpdateRepoInput,
  UpdateRepoOptions,
} from './types';

export interface BerthOperations {
  listNamespaces(query: PageQuery): Promise<Page<NamespaceView>>;
  getNamespace(namespace: string): Promise<NamespaceView>;
  createNamespace(namespace: string): Promise<NamespaceView>;
  deleteNamespace(namespace: string, options: DeleteNamespaceOptions): Promise<void>;

  listRepos(namespace: string, query: ListReposQuery): Promise<Page<RepoView>>;
  getRepo(namespace: string, repoName: string): Promise<RepoView>;
  createRepo(namespace: string, input: CreateRepoInput): Promise<RepoView>;
  /** With `options.if_updated_at`, refused (`conflict`) when the repo changed since it was read. */
  updateRepo(namespace: string, repoName: string, patch: UpdateRepoInput, options?: UpdateRepoOptions): Promise<RepoView>;
  deleteRepo(namespace: string, repoName: string): Promise<void>;

  listTags(namespace: string, repoName: string): Promise<TagView[]>;
  /** One tag with what Berth knows of its image (digest, media type, size, platforms, created, source). */
  getTag(namespace: string, repoName: string, tag: string): Promise<TagDetailView>;
  putTag(namespace: string, repoName: string, tag: string, imageId: string): Promise<PutTagResult>;
  deleteTag(namespace: string, repoName: string, tag: string): Promise<void>;
  /** Records a pull of a tag (download + 1, pulled_at = now); answers the repo's detail. */
  recordPull(namespace: string, repoName: string, tag: string): Promise<RepoView>;
  setStar(namespace: string, repoName: string, starred: boolean): Promise<StarView>;
  /** Puts a tag back as it was after one of its history entries (a push). */
  restoreTag(namespace: string, repoName: string, tag: string, historyId: string): Promise<PutTagResult>;

  /** A repo's history, newest first. */
  listRepoHistory(namespace: string, repoName: string, query: PageQuery): Promise<Page<HistoryEntryView>>;
  /** Every repo's history (deleted repos' too), newest first. */
  listHistory(query: PageQuery): Promise<Page<HistoryEntryView>>;
  /** Deleted repos, newest deletion first. */
  listTrash(query: PageQuery): Promise<Page<TrashEntryView>>;
  /** Restores the most recent deletion of that name; `conflict` when the name is taken again. */
  restoreFromTrash(namespace: string, repoName: string): Promise<RepoView>;
  /** Deletes every trashed repo of that name for good. */
  purgeTrash(namespace: string, repoName: string): Promise<void>;

  search(query: SearchQuery): Promise<SearchPage>;

  getServerInfo(): Promise<ServerInfo>;
  getToken(): Promise<string>;
  regenerateToken(): Promise<string>;
  getSettings(): Promise<Settings>;
  /** Stored settings Berth could not use as they are (and what it uses instead). */
  getSettingsProblems(): Promise<SettingsProblem[]>;
  /**
   * Applies a settings change, one at a time in the order asked, and answers the settings saved.
   * A new port is bound before the old one is let go: when it cannot be, this rejects with the
   * reason under errors.api_port and nothing is saved (the API keeps serving where it was).
   */
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  /** A port near `near` that is free right now, to suggest when that one is taken. */
  suggestPort(near: number): Promise<number>;

  // Registry connections: the same operations as the /v1/registries routes (docs/registries.md).
  listRegistries(query: PageQuery): Promise<Page<RegistryView>>;
  getRegistry(name: string): Promise<RegistryView>;
  createRegistry(input: CreateRegistryInput, options: SaveRegistryOptions): Promise<RegistryView>;
  updateRegistry(name: string, patch: UpdateRegistryInput, options: SaveRegistryOptions): Promise<RegistryView>;
  deleteRegistry(name: string): Promise<void>;
  /** Checks the registry now (GET /v2/); the answer's status says how it went. */
  checkRegistry(name: string): Promise<RegistryView>;
  listRegistryRepositories(name: string, query: RepositoriesQuery): Promise<RepositoryPage>;
  listRegistryTags(name: string, query: RegistryTagsQuery): Promise<RegistryTagPage>;
  getRegistryManifest(name: string, query: ManifestQuery): Promise<ManifestView>;
  /** The tags pointing at the manifest a reference names: what deleting it would delete. */
  getRegistryDigestTags(name: string, query: ManifestQuery): Promise<DigestTagsView>;
  deleteRegistryManifest(name: string, query: DeleteManifestQuery): Promise<void>;

  /**
   * Asks the user where to save an export (the app's save dialog); null when cancelled. Only a
   * path chosen this way is one exportCatalogue writes to: the window cannot name a file itself.
   */
  chooseExportFile(): Promise<string | null>;
  /** Writes the whole catalogue to a file chosen with chooseExportFile (docs/portability.md). */
  exportCatalogue(path: string): Promise<ExportSummary>;
  /** Asks the user which export to import (the app's open dialog); null when cancelled. */
  chooseImportFile(): Promise<string | null>;
  /** Imports a file chosen with chooseImportFile: merge or replace, or a dry run. */
  importCatalogue(path: string, options: ImportOptions): Promise<ImportResult>;
  /** How far the export or import running now has come; null when none runs. */
  getTransferProgress(): Promise<TransferProgress | null>;
  // Links, imports, syncs and registry events: the same operations as their routes (docs/registries.md).
  /** `not_found` when the repo is not linked. */
  getLink(namespace: string, repoName: string): Promise<LinkView>;
  linkRepo(namespace: string, repoName: string, input: LinkBody): Promise<LinkView>;
  unlinkRepo(namespace: string, repoName: string): Promise<void>;
  /** Starts a sync of a linked repo; answers the queued job. */
  syncRepo(namespace: string, repoName: string): Promise<JobView>;
  /** Starts an import of a registry's repositories; answers the queued job. */
  importRepositories(registry: string, input: ImportBody): Promise<JobView>;
  listJobs(query: PageQuery): Promise<Page<JobView>>;
  getJob(id: string): Promise<JobView>;
  cancelJob(id: string): Promise<JobView>;
  /** The URL, secret and `notifications:` YAML for a registry's config.yml. */
  getEventsConfig(registry: string): Promise<EventsConfigView>;
}

export type OperationName = keyof BerthOperations;

/** What the window hears about: catalogue changes, registry connection changes and jobs. */
export type BerthChangeEvent = ChangeEvent | RegistryChangeEvent | JobChangeEvent;

export interface BerthApi extends BerthOperations {
  /** Subscribes to change events (catalogue and registry connections); returns the unsubscribe function. */
  onChange(listener: (event: BerthChangeEvent) => void): () => void;
  /**
   * Subscribes to commands chosen in the app menu (File > New Repository, …); returns the
   * unsubscribe function. Present in the Electron app and the browser harness.
   */
  onMenuCommand?(listener: (command: MenuCommand) => void): () => void;
}

/** What the app menu asks the window to do (its accelerators are taken before the page sees the keys). */
export type MenuCommand = 'new-repository' | 'focus-search' | 'open-settings' | 'export-catalogue' | 'import-catalogue';
export const MENU_COMMANDS = [
  'new-repository',
  'focus-search',
  'open-settings',
  'export-catalogue',
  'import-catalogue',
] as const satisfies readonly MenuCommand[];

/** IPC channel of each operation; the preload exposes exactly these (derived from the argument table). */
export { OPERATION_NAMES } from './operations';

export const channelOf = (operation: OperationName): string => `berth:${operation}`;
export const CHANGE_CHANNEL = 'berth:change';
export const MENU_CHANNEL = 'berth:menu';

/** What a handler answers over IPC; the preload unwraps it. */
export type IpcEnvelope<T> = { ok: true; result: T } | { ok: false; error: ErrorBody };

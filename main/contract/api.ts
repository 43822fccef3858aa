/**
 * The one contract between the window and the backend: what `window.berth` offers. Main's IPC
 * handler table implements it, the preload exposes it method by method, the renderer calls it.
 * Every method resolves with its result or rejects with a plain ErrorBody `{detail, code, errors?}`
 * (plain, so it survives contextBridge's cloning).
 */
import { REGISTRY_OPERATION_NAMES, type RegistryChangeEvent, type RegistryOperations } from './registries';
import type {
  ChangeEvent,
  CreateRepoInput,
  ListReposQuery,
  NamespaceView,
  Page,
  PageQuery,
  PutTagResult,
  RepoView,
  SearchPage,
  SearchQuery,
  ServerInfo,
  Settings,
  SettingsProblem,
  StarView,
  TagView,
  UpdateRepoInput,
} from './types';

export interface BerthOperations extends RegistryOperations {
  listNamespaces(query: PageQuery): Promise<Page<NamespaceView>>;
  getNamespace(namespace: string): Promise<NamespaceView>;
  createNamespace(namespace: string): Promise<NamespaceView>;
  deleteNamespace(namespace: string, options: { force?: boolean }): Promise<void>;

  listRepos(namespace: string, query: ListReposQuery): Promise<Page<RepoView>>;
  getRepo(namespace: string, repoName: string): Promise<RepoView>;
  createRepo(namespace: string, input: CreateRepoInput): Promise<RepoView>;
  updateRepo(namespace: string, repoName: string, patch: UpdateRepoInput): Promise<RepoView>;
  deleteRepo(namespace: string, repoName: string): Promise<void>;

  listTags(namespace: string, repoName: string): Promise<TagView[]>;
  putTag(namespace: string, repoName: string, tag: string, imageId: string): Promise<PutTagResult>;
  deleteTag(namespace: string, repoName: string, tag: string): Promise<void>;
  /** Records a pull of a tag (download + 1, pulled_at = now); answers the repo's detail. */
  recordPull(namespace: string, repoName: string, tag: string): Promise<RepoView>;
  setStar(namespace: string, repoName: string, starred: boolean): Promise<StarView>;

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
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
  /** A port near `near` that is free right now, to suggest when that one is taken. */
  suggestPort(near: number): Promise<number>;
}

export type OperationName = keyof BerthOperations;

/** What the window hears about: catalogue changes and registry connection changes. */
export type BerthChangeEvent = ChangeEvent | RegistryChangeEvent;

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
export type MenuCommand = 'new-repository' | 'focus-search' | 'open-settings';
export const MENU_COMMANDS = ['new-repository', 'focus-search', 'open-settings'] as const satisfies readonly MenuCommand[];

/** IPC channel of each operation; the preload exposes exactly these. */
export const OPERATION_NAMES = [
  'listNamespaces',
  'getNamespace',
  'createNamespace',
  'deleteNamespace',
  'listRepos',
  'getRepo',
  'createRepo',
  'updateRepo',
  'deleteRepo',
  'listTags',
  'putTag',
  'deleteTag',
  'recordPull',
  'setStar',
  'search',
  'getServerInfo',
  'getToken',
  'regenerateToken',
  'getSettings',
  'getSettingsProblems',
  'updateSettings',
  'suggestPort',
  ...REGISTRY_OPERATION_NAMES,
] as const satisfies readonly OperationName[];

export const channelOf = (operation: OperationName): string => `berth:${operation}`;
export const CHANGE_CHANNEL = 'berth:change';
export const MENU_CHANNEL = 'berth:menu';

/** What a handler answers over IPC; the preload unwraps it. */
export type IpcEnvelope<T> = { ok: true; result: T } | { ok: false; error: import('./errors').ErrorBody };

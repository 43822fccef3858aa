/**
 * Every type that crosses a boundary (IPC and HTTP), in one place to import from. Shapes that
 * are validated or documented are TypeBox schemas and their types are derived from them
 * (./schemas for what the backend takes, ./views for what it answers); the few below are
 * neither, so they are plain types.
 */
export type {
  BuildConfig,
  CreateRegistryInput,
  CreateRepoInput,
  DeleteManifestQuery,
  DeleteNamespaceOptions,
  ImportBody,
  LinkBody,
  ListReposQuery,
  ManifestQuery,
  PageQuery,
  RegistryTagsQuery,
  RepoOrdering,
  RepositoriesQuery,
  SaveRegistryOptions,
  SearchQuery,
  Settings,
  SettingsPatch,
  ThemeSetting,
  UpdateRegistryInput,
  UpdateRepoInput,
  UpdateRepoOptions,
} from './schemas';
export type {
  BuildConfigView,
  DigestTagsView,
  EventsConfigView,
  EventsReceipt,
  JobKind,
  JobState,
  JobView,
  LinkView,
  ManifestView,
  NamespaceView,
  RegistryStatus,
  RegistryTagPage,
  RegistryView,
  RepoView,
  RepositoryPage,
  SearchPage,
  SearchResultItem,
  StarView,
  TagDetailView,
  TagView,
} from './views';
export type { JobChangeEvent, SyncService } from './sync';
export type { Actor, HistoryAction, HistoryEntryView, TrashEntryView } from './history';

import type { TagView } from './views';
import type { Settings } from './schemas';

/** Who is asking: the token holder (the desktop user, a tool with the token) sees everything. */
export interface Viewer {
  authenticated: boolean;
}

/** One page of a list; the HTTP layer turns page numbers into DRF's next/previous URLs. */
export interface Page<T> {
  count: number;
  page: number;
  page_size: number;
  num_pages: number;
  results: T[];
}

export interface PutTagResult {
  tag: TagView;
  /** true when the tag is new (HTTP 201), false when it moved or was re-pushed (200). */
  created: boolean;
}

/** Emitted after every successful write; the window refreshes what it shows from it. */
export interface ChangeEvent {
  /** `trash`: a trash entry was purged (a deletion or a restore is the repo's own event). */
  entity: 'namespace' | 'repo' | 'tag' | 'trash';
  action: 'created' | 'updated' | 'deleted';
  namespace: string;
  repo_name?: string;
  tag?: string;
}

/** Emitted when a registry connection is added, changed (its status included) or removed. */
export interface RegistryChangeEvent {
  entity: 'registry';
  action: 'created' | 'updated' | 'deleted';
  registry: string;
  /** Set when only the status changed (what the registry holds is as it was). */
  status_only?: true;
}

export interface ServerInfo {
  /** e.g. http://127.0.0.1:5080 — null when the API is not listening. */
  url: string | null;
  host: string;
  port: number;
  listening: boolean;
  /** Why the API is not listening (for example the port is in use). */
  error: { code: string; detail: string } | null;
  anonymous_reads: boolean;
  data_dir: string;
  version: string;
}

/** Something wrong with the stored settings, for the window to show (the app runs on regardless). */
export interface SettingsProblem {
  /** The setting concerned, or null for the settings file as a whole. */
  setting: keyof Settings | null;
  detail: string;
}

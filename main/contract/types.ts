/**
 * Shapes that cross a boundary (IPC and HTTP). The seed names fields differently per endpoint;
 * the HTTP layer shapes these views into the seed's exact objects, the IPC layer passes them on.
 */

/** Who is asking: the token holder (the desktop user, a tool with the token) sees everything. */
export interface Viewer {
  authenticated: boolean;
}

export interface TagView {
  tag: string;
  /** 64 lowercase hex characters, without the `sha256:` prefix. */
  image_id: string;
  created_at: string;
  /** Last push of this tag (a move updates it). */
  updated_at: string;
}

/**
 * Automated-build settings as a client gave them (the hosted service's `build_config`, e.g.
 * `{code_repo_client, code_repo_clone_url, tag_configs}`): any JSON object, kept as given.
 */
export type BuildConfig = { readonly [key: string]: unknown };

/** The settings as a repo's detail shows them, with the hosted service's two derived fields. */
export type BuildConfigView = BuildConfig & {
  /** The repo's namespace. */
  readonly created_by: string;
  /** `namespace/repo_name` */
  readonly docker_repo_path: string;
};

/** The seed's detail object (GET /v1/repositories/{ns}/{repo}) plus a tag count. */
export interface RepoView {
  namespace: string;
  repo_name: string;
  repo_path: string;
  logo_file: string;
  description: string;
  full_description: string;
  repo_starred_count: number;
  created_at: string;
  updated_at: string;
  is_public: boolean;
  logo: string;
  is_automated: boolean;
  download: number;
  upload: number;
  pulled_at: string | null;
  pushed_at: string | null;
  is_repo_starred: boolean;
  /** null unless the repo has build settings (then is_automated is true). */
  build_config: BuildConfigView | null;
  tag_count: number;
}

export interface NamespaceView {
  namespace: string;
  /** Repos the viewer can see (anonymous viewers: public ones only). */
  repo_count: number;
  created_at: string;
}

/** One page of a list; the HTTP layer turns page numbers into DRF's next/previous URLs. */
export interface Page<T> {
  count: number;
  page: number;
  page_size: number;
  num_pages: number;
  results: T[];
}

export const REPO_ORDERINGS = [
  'name',
  '-name',
  'last_updated',
  '-last_updated',
  'pull_count',
  '-pull_count',
  'star_count',
  '-star_count',
] as const;
export type RepoOrdering = (typeof REPO_ORDERINGS)[number];

export interface PageQuery {
  page?: number;
  page_size?: number;
}

export interface ListReposQuery extends PageQuery {
  ordering?: RepoOrdering;
  /** Case-insensitive substring of repo_name or description. */
  name?: string;
  is_public?: boolean;
}

export interface SearchQuery extends PageQuery {
  q: string;
}

export interface SearchResultItem {
  /** `namespace/repo_name` */
  name: string;
  description: string;
  is_public: boolean;
  star_count: number;
  pull_count: number;
}

/** Docker registry v1 search response. */
export interface SearchPage {
  num_results: number;
  num_pages: number;
  page: number;
  page_size: number;
  query: string;
  results: SearchResultItem[];
}

export interface CreateRepoInput {
  repo_name: string;
  namespace?: string;
  description?: string;
  full_description?: string;
  is_public?: boolean;
  /** Makes the repo automated; null is the same as leaving it out. */
  build_config?: BuildConfig | null;
}

export interface UpdateRepoInput {
  description?: string;
  full_description?: string;
  is_public?: boolean;
  /** Replaces the build settings; null removes them (the repo is no longer automated). */
  build_config?: BuildConfig | null;
}

export interface PutTagResult {
  tag: TagView;
  /** true when the tag is new (HTTP 201), false when it moved or was re-pushed (200). */
  created: boolean;
}

export interface StarView {
  repo_starred_count: number;
  is_repo_starred: boolean;
}

/** Emitted after every successful write; the window refreshes what it shows from it. */
export interface ChangeEvent {
  entity: 'namespace' | 'repo' | 'tag';
  action: 'created' | 'updated' | 'deleted';
  namespace: string;
  repo_name?: string;
  tag?: string;
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

export type ThemeSetting = 'system' | 'light' | 'dark';

export interface Settings {
  theme: ThemeSetting;
  api_port: number;
  anonymous_reads: boolean;
  last_namespace: string | null;
}

/** Something wrong with the stored settings, for the window to show (the app runs on regardless). */
export interface SettingsProblem {
  /** The setting concerned, or null for the settings file as a whole. */
  setting: keyof Settings | null;
  detail: string;
}

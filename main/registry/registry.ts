/**
 * The registry: every rule of the API (names, limits, counters, timestamps, visibility, paging)
 * over the store. Writes go through `store.transact`, so they are on disk before they resolve
 * and before their change event is emitted.
 */
import { BerthError } from '../contract/errors';
import { CreateRepoBody, UpdateRepoBody } from '../contract/schemas';
import type {
  ChangeEvent,
  CreateRepoInput,
  ListReposQuery,
  NamespaceView,
  Page,
  PageQuery,
  PutTagResult,
  RepoOrdering,
  RepoView,
  SearchPage,
  SearchQuery,
  SearchResultItem,
  StarView,
  TagView,
  UpdateRepoInput,
  Viewer,
} from '../contract/types';
import type { NamespaceState, NamespaceTx, RepoRecord, Store, TagRecord } from '../store';
import {
  assertValid,
  isValidNamespace,
  isValidRepoName,
  isValidTag,
  normalizeImageId,
  validateDescription,
  validateFullDescription,
  validateIsPublic,
  validateNamespace,
  validateRepoName,
  validateTag,
} from '../contract/names';
import { isOrdering, lowerDescription, matchesName, OrderingCache } from './ordering';
import { newRepoRecord } from './defaults';
import { validateBuildConfig, withBuildConfig } from './build-config';
import { pageWindow } from './paging';
import type { RegistryService } from './service';
import { repoView, sortTags, tagView } from './views';

export interface RegistryOptions {
  /** The clock (tests pin it); ISO 8601 UTC with milliseconds. */
  now?: () => string;
}

// The adapters check inputs against these schemas already; callers inside the backend do not.
const CREATE_FIELDS: ReadonlySet<string> = new Set(Object.keys(CreateRepoBody.properties));
const UPDATE_FIELDS: ReadonlySet<string> = new Set(Object.keys(UpdateRepoBody.properties));

function isPlainObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Unknown or read-only fields are refused, not silently ignored. */
function refuseUnknownFields(input: object, allowed: ReadonlySet<string>): void {
  const errors: Record<string, string> = {};
  for (const key of Object.keys(input)) {
    if (!allowed.has(key)) errors[key] = 'This field is unknown or read-only.';
  }
  assertValid(errors);
}

function namespaceNotFound(ns: string): BerthError {
  return BerthError.notFound(`Namespace ${ns} was not found.`);
}

function repoNotFound(ns: string, repo: string): BerthError {
  return BerthError.notFound(`Repository ${ns}/${repo} was not found.`);
}

function tagNotFound(ns: string, repo: string, tag: string): BerthError {
  return BerthError.notFound(`Tag ${tag} was not found in repository ${ns}/${repo}.`);
}

const TOKEN_VIEWER: Viewer = { authenticated: true };

function canSee(viewer: Viewer, repo: RepoRecord): boolean {
  return viewer.authenticated || repo.is_public;
}

export class Registry implements RegistryService {
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private readonly orderings = new OrderingCache();
  private readonly now: () => string;
  private searchIndex: { generation: number; rows: { name: string; ns: string; repo: RepoRecord }[] } | null = null;

  constructor(
    private readonly store: Store,
    options: RegistryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date().toISOString());
  }

  // ---- namespaces --------------------------------------------------------------------------

  async listNamespaces(viewer: Viewer, query: PageQuery): Promise<Page<NamespaceView>> {
    const names = await this.visibleNamespaces(viewer);
    const w = pageWindow(names.length, query);
    const views = await Promise.all(names.slice(w.start, w.end).map((ns) => this.namespaceSummary(viewer, ns)));
    const results = views.filter((v): v is NamespaceView => v !== undefined);
    return { count: names.length, page: w.page, page_size: w.page_size, num_pages: w.num_pages, results };
  }

  async getNamespace(viewer: Viewer, namespace: string): Promise<NamespaceView> {
    return this.namespaceView(viewer, await this.loadNamespace(namespace, viewer));
  }

  async createNamespace(namespace: string): Promise<NamespaceView> {
    assertValid({ namespace: validateNamespace(namespace) });
    await this.write(namespace, (tx) => {
      if (tx.getNamespace()) throw BerthError.conflict(`Namespace ${namespace} already exists.`);
      tx.putNamespace({ namespace, created_at: this.now() });
    }, { entity: 'namespace', action: 'created', namespace });
    return this.getNamespace({ authenticated: true }, namespace);
  }

  async deleteNamespace(namespace: string, options?: { force?: boolean }): Promise<void> {
    if (!isValidNamespace(namespace)) throw namespaceNotFound(String(namespace));
    const force = options?.force === true;
    await this.write(namespace, (tx) => {
      if (!tx.getNamespace()) throw namespaceNotFound(namespace);
      const count = tx.repoCount();
      if (count > 0 && !force) {
        throw BerthError.conflict(
          `Namespace ${namespace} still has ${count} ${count === 1 ? 'repository' : 'repositories'}; delete them first, or delete with force.`,
        );
      }
      tx.deleteNamespace();
    }, { entity: 'namespace', action: 'deleted', namespace });
  }

  // ---- repos -------------------------------------------------------------------------------

  async listRepos(viewer: Viewer, namespace: string, query: ListReposQuery): Promise<Page<RepoView>> {
    const state = await this.loadNamespace(namespace, viewer);
    const ordering: RepoOrdering = query?.ordering ?? 'name';
    if (!isOrdering(ordering)) {
      throw BerthError.validation({ ordering: ['Ordering must be one of name, last_updated, pull_count, star_count, each optionally prefixed with -.'] });
    }
    if (query?.is_public !== undefined && typeof query.is_public !== 'boolean') {
      throw BerthError.validation({ is_public: ['Must be true or false.'] });
    }
    if (query?.name !== undefined && typeof query.name !== 'string') {
      throw BerthError.validation({ name: ['Must be text.'] });
    }
    const anonymous = !viewer.authenticated;
    const sorted = anonymous
      ? this.orderings.publicSorted(state.repos, state.version, ordering)
      : this.orderings.sorted(state.repos, state.version, ordering);
    const needle = query?.name ? query.name.toLowerCase() : '';
    const isPublic = query?.is_public;
    const filtering = needle !== '' || isPublic !== undefined;
    const matches = filtering
      ? sorted.filter((r) => (isPublic === undefined || r.is_public === isPublic) && (needle === '' || matchesName(r, needle)))
      : sorted;
    const w = pageWindow(matches.length, query);
    return {
      count: matches.length,
      page: w.page,
      page_size: w.page_size,
      num_pages: w.num_pages,
      results: matches.slice(w.start, w.end).map((r) => repoView(namespace, r)),
    };
  }

  async getRepo(viewer: Viewer, namespace: string, repoName: string): Promise<RepoView> {
    return repoView(namespace, await this.loadRepo(viewer, namespace, repoName));
  }

  async createRepo(namespace: string, input: CreateRepoInput): Promise<RepoView> {
    if (!isPlainObject(input)) throw BerthError.validation({ repo_name: ['This field is required.'] });
    refuseUnknownFields(input, CREATE_FIELDS);
    const repoName = input.repo_name;
    const nsError = validateNamespace(namespace);
    assertValid({
      namespace:
        nsError ??
        (input.namespace !== undefined && input.namespace !== namespace
          ? `The namespace in the body (${String(input.namespace)}) must match the one in the path (${namespace}).`
          : null),
      repo_name: repoName === undefined ? 'This field is required.' : validateRepoName(repoName, nsError ? undefined : namespace),
      description: input.description === undefined ? null : validateDescription(input.description),
      full_description: input.full_description === undefined ? null : validateFullDescription(input.full_description),
      is_public: input.is_public === undefined ? null : validateIsPublic(input.is_public),
      build_config: input.build_config === undefined ? null : validateBuildConfig(input.build_config),
    });
    const record = await this.write(namespace, (tx) => {
      if (tx.getRepo(repoName)) throw BerthError.conflict(`Repository ${namespace}/${repoName} already exists.`);
      const now = this.now();
      if (!tx.getNamespace()) tx.putNamespace({ namespace, created_at: now });
      const plain = newRepoRecord(
        repoName,
        { description: input.description ?? '', full_description: input.full_description ?? '', is_public: input.is_public ?? true },
        now,
      );
      const repo = input.build_config ? withBuildConfig(plain, input.build_config) : plain;
      tx.putRepo(repo);
      return repo;
    }, { entity: 'repo', action: 'created', namespace, repo_name: repoName });
    return repoView(namespace, record);
  }

  async updateRepo(namespace: string, repoName: string, patch: UpdateRepoInput): Promise<RepoView> {
    this.requireNames(namespace, repoName);
    if (!isPlainObject(patch)) throw BerthError.validation({ description: ['Send the fields to change.'] });
    refuseUnknownFields(patch, UPDATE_FIELDS);
    assertValid({
      description: patch.description === undefined ? null : validateDescription(patch.description),
      full_description: patch.full_description === undefined ? null : validateFullDescription(patch.full_description),
      is_public: patch.is_public === undefined ? null : validateIsPublic(patch.is_public),
      build_config: patch.build_config === undefined ? null : validateBuildConfig(patch.build_config),
    });
    // A field given as undefined (IPC keeps such keys) changes nothing, like a field left out.
    if (Object.values(patch).every((v) => v === undefined)) return this.getRepo({ authenticated: true }, namespace, repoName);
    const outcome = await this.write(namespace, (tx) => {
      const repo = this.requireRepo(tx, namespace, repoName);
      const description = patch.description ?? repo.description;
      const full_description = patch.full_description ?? repo.full_description;
      const is_public = patch.is_public ?? repo.is_public;
      const configUnchanged =
        patch.build_config === undefined || JSON.stringify(patch.build_config) === JSON.stringify(repo.build_config ?? null);
      // Values equal to the stored ones are no edit: updated_at stays and no change is announced.
      if (description === repo.description && full_description === repo.full_description && is_public === repo.is_public && configUnchanged) {
        return { repo, changed: false };
      }
      const edited: RepoRecord = { ...repo, description, full_description, is_public, updated_at: this.now() };
      const next = patch.build_config === undefined ? edited : withBuildConfig(edited, patch.build_config);
      tx.putRepo(next);
      return { repo: next, changed: true };
    }, (result) => (result.changed ? { entity: 'repo', action: 'updated', namespace, repo_name: repoName } : null));
    return repoView(namespace, outcome.repo);
  }

  async deleteRepo(namespace: string, repoName: string): Promise<void> {
    this.requireNames(namespace, repoName);
    await this.write(namespace, (tx) => {
      this.requireRepo(tx, namespace, repoName);
      tx.deleteRepo(repoName);
    }, { entity: 'repo', action: 'deleted', namespace, repo_name: repoName });
  }

  // ---- tags --------------------------------------------------------------------------------

  async listTags(viewer: Viewer, namespace: string, repoName: string): Promise<TagView[]> {
    const repo = await this.loadRepo(viewer, namespace, repoName);
    return sortTags(repo.tags).map(tagView);
  }

  async getTag(viewer: Viewer, namespace: string, repoName: string, tag: string): Promise<TagView> {
    const repo = await this.loadRepo(viewer, namespace, repoName);
    const found = isValidTag(tag) ? repo.tags.find((t) => t.tag === tag) : undefined;
    if (!found) throw tagNotFound(namespace, repoName, String(tag));
    return tagView(found);
  }

  async putTag(namespace: string, repoName: string, tag: string, imageId: string): Promise<PutTagResult> {
    this.requireNames(namespace, repoName);
    assertValid({ tag: validateTag(tag) });
    const image = normalizeImageId(imageId);
    const outcome = await this.write(namespace, (tx) => {
      const repo = this.requireRepo(tx, namespace, repoName);
      const now = this.now();
      const old = repo.tags.find((t) => t.tag === tag);
      const next: TagRecord = { tag, image_id: image, created_at: old?.created_at ?? now, updated_at: now };
      const tags = old ? repo.tags.map((t) => (t === old ? next : t)) : [...repo.tags, next];
      // A push of the same image to the same tag is neither a create nor a move: updated_at
      // (last_updated) stays, the push counters and times change (as Docker Hub counts a push).
      const changesRepo = !old || old.image_id !== image;
      tx.putRepo({
        ...repo,
        tags,
        upload: repo.upload + 1,
        pushed_at: now,
        updated_at: changesRepo ? now : repo.updated_at,
      });
      return { tag: tagView(next), created: !old };
    }, (result) => ({ entity: 'tag', action: result.created ? 'created' : 'updated', namespace, repo_name: repoName, tag }));
    return outcome;
  }

  async deleteTag(namespace: string, repoName: string, tag: string): Promise<void> {
    this.requireNames(namespace, repoName);
    await this.write(namespace, (tx) => {
      const repo = this.requireRepo(tx, namespace, repoName);
      if (!repo.tags.some((t) => t.tag === tag)) throw tagNotFound(namespace, repoName, String(tag));
      tx.putRepo({ ...repo, tags: repo.tags.filter((t) => t.tag !== tag), updated_at: this.now() });
    }, { entity: 'tag', action: 'deleted', namespace, repo_name: repoName, tag });
  }

  async recordPull(namespace: string, repoName: string, tag: string): Promise<RepoView> {
    this.requireNames(namespace, repoName);
    const record = await this.write(namespace, (tx) => {
      const repo = this.requireRepo(tx, namespace, repoName);
      if (!repo.tags.some((t) => t.tag === tag)) throw tagNotFound(namespace, repoName, String(tag));
      const next: RepoRecord = { ...repo, download: repo.download + 1, pulled_at: this.now() };
      tx.putRepo(next);
      return next;
    }, { entity: 'repo', action: 'updated', namespace, repo_name: repoName });
    return repoView(namespace, record);
  }

  async setStar(namespace: string, repoName: string, starred: boolean): Promise<StarView> {
    this.requireNames(namespace, repoName);
    if (typeof starred !== 'boolean') throw BerthError.validation({ starred: ['Must be true or false.'] });
    const state = await this.loadNamespace(namespace);
    const current = state.repos.get(repoName);
    if (current && current.starred === starred) return { repo_starred_count: starred ? 1 : 0, is_repo_starred: starred };
    const record = await this.write(namespace, (tx) => {
      const repo = this.requireRepo(tx, namespace, repoName);
      if (repo.starred === starred) return repo;
      const next: RepoRecord = { ...repo, starred };
      tx.putRepo(next);
      return next;
    }, { entity: 'repo', action: 'updated', namespace, repo_name: repoName });
    return { repo_starred_count: record.starred ? 1 : 0, is_repo_starred: record.starred };
  }

  // ---- search ------------------------------------------------------------------------------

  async search(viewer: Viewer, query: SearchQuery): Promise<SearchPage> {
    const q = typeof query?.q === 'string' ? query.q : '';
    if (query?.q !== undefined && typeof query.q !== 'string') throw BerthError.validation({ q: ['Must be text.'] });
    await this.store.loadAll();
    const needle = q.toLowerCase();
    const matches = this.searchRows().filter(
      (row) => (viewer.authenticated || row.repo.is_public) && (row.name.includes(needle) || lowerDescription(row.repo).includes(needle)),
    );
    const w = pageWindow(matches.length, query);
    const results: SearchResultItem[] = matches.slice(w.start, w.end).map((row) => ({
      name: row.name,
      description: row.repo.description,
      is_public: row.repo.is_public,
      star_count: row.repo.starred ? 1 : 0,
      pull_count: row.repo.download,
    }));
    return { num_results: matches.length, num_pages: w.num_pages, page: w.page, page_size: w.page_size, query: q, results };
  }

  /** Every repo as `namespace/repo`, sorted, rebuilt only after a write. */
  private searchRows(): { name: string; ns: string; repo: RepoRecord }[] {
    const generation = this.store.generation;
    if (this.searchIndex && this.searchIndex.generation === generation) return this.searchIndex.rows;
    const rows: { name: string; ns: string; repo: RepoRecord }[] = [];
    for (const ns of this.store.namespaceNames()) {
      const state = this.store.loadedNamespace(ns);
      if (!state) continue;
      for (const repo of state.repos.values()) rows.push({ name: `${ns}/${repo.repo_name}`, ns, repo });
    }
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.searchIndex = { generation, rows };
    return rows;
  }

  // ---- events ------------------------------------------------------------------------------

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A broken listener must not undo or fail a write that is already on disk.
        console.error('Berth: a change listener failed:', err);
      }
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private async write<R>(
    namespace: string,
    fn: (tx: NamespaceTx) => R,
    event: ChangeEvent | ((result: R) => ChangeEvent | null),
  ): Promise<R> {
    const result = await this.store.transact(namespace, fn);
    const happened = typeof event === 'function' ? event(result) : event;
    if (happened) this.emit(happened);
    return result;
  }

  /**
   * The token holder's namespace list must not wait for thousands of repo files to load at
   * start-up: until a namespace has loaded, its count is its number of repo files. Anonymous
   * counts leave private repos out, which needs the repos themselves.
   */
  private async namespaceSummary(viewer: Viewer, ns: string): Promise<NamespaceView | undefined> {
    const loaded = this.store.loadedNamespace(ns);
    if (loaded) return this.namespaceView(viewer, loaded);
    if (viewer.authenticated) {
      const record = this.store.namespaceRecord(ns);
      const count = await this.store.repoCountHint(ns);
      if (record && count !== undefined) return { namespace: ns, repo_count: count, created_at: record.created_at };
      return undefined;
    }
    const state = await this.store.namespace(ns);
    return state ? this.namespaceView(viewer, state) : undefined;
  }

  private namespaceView(viewer: Viewer, state: NamespaceState): NamespaceView {
    const repo_count = viewer.authenticated ? state.repos.size : this.orderings.publicCount(state.repos, state.version);
    return { namespace: state.record.namespace, repo_count, created_at: state.record.created_at };
  }

  /** The namespace, or not_found when it is missing or (to an anonymous viewer) hidden. */
  private async loadNamespace(namespace: string, viewer: Viewer = TOKEN_VIEWER): Promise<NamespaceState> {
    const state = isValidNamespace(namespace) ? await this.store.namespace(namespace) : undefined;
    if (!state || this.hiddenFrom(viewer, state)) throw namespaceNotFound(String(namespace));
    return state;
  }

  /**
   * A namespace that holds only private repos does not exist for an anonymous reader: its name
   * would tell what the private repos are for. (An empty one holds nothing private.)
   */
  private hiddenFrom(viewer: Viewer, state: NamespaceState): boolean {
    return !viewer.authenticated && state.repos.size > 0 && this.orderings.publicCount(state.repos, state.version) === 0;
  }

  /** The namespaces a viewer may see, sorted; an anonymous viewer's need every namespace loaded. */
  private async visibleNamespaces(viewer: Viewer): Promise<readonly string[]> {
    if (viewer.authenticated) return this.store.namespaceNames();
    await this.store.loadAll();
    return this.store.namespaceNames().filter((ns) => {
      const state = this.store.loadedNamespace(ns);
      return state !== undefined && !this.hiddenFrom(viewer, state);
    });
  }

  /** The repo, or not_found when it is missing or private to an anonymous viewer. */
  private async loadRepo(viewer: Viewer, namespace: string, repoName: string): Promise<RepoRecord> {
    this.requireNames(namespace, repoName);
    const state = await this.store.namespace(namespace);
    const repo = state?.repos.get(repoName);
    if (!repo || !canSee(viewer, repo)) throw repoNotFound(namespace, repoName);
    return repo;
  }

  /** Names that cannot exist name nothing: not_found, never a lookup. */
  private requireNames(namespace: string, repoName: string): void {
    if (!isValidNamespace(namespace) || !isValidRepoName(repoName)) throw repoNotFound(String(namespace), String(repoName));
  }

  private requireRepo(tx: NamespaceTx, namespace: string, repoName: string): RepoRecord {
    const repo = isValidRepoName(repoName) ? tx.getRepo(repoName) : undefined;
    if (!repo) throw repoNotFound(namespace, repoName);
    return repo;
  }
}

export function createRegistry(store: Store, options?: RegistryOptions): RegistryService & Registry {
  return new Registry(store, options);
}

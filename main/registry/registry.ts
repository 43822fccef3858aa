/**
 * The registry: every rule of the API (names, limits, counters, timestamps, visibility, paging)
 * over the store. Writes go through `store.transact`, so they are on disk before they resolve
 * and before their change event is emitted.
 */
import { BerthError } from '../contract/errors';
import { assertValid, isValidNamespace, isValidTag, normalizeImageId, validateNamespace, validateTag } from '../contract/names';
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
  StarView,
  TagView,
  UpdateRepoInput,
  Viewer,
} from '../contract/types';
import type { ImportResult } from '../contract/portability';
import type { NamespaceTx, RepoRecord, Store, TagRecord } from '../store';
import { withBuildConfig } from './build-config';
import { newRepoRecord } from './defaults';
import { ChangeEvents } from './events';
import { checkCreateInput, checkUpdatePatch } from './inputs';
import { Lookup, notFound, requireNames, requireRepo } from './lookup';
import { isOrdering, matchesName, OrderingCache } from './ordering';
import { pageWindow } from './paging';
import { Portability, type ExportCall, type ImportCall, type RegistriesSource } from './portability';
import { Search } from './search';
import type { RegistryService } from './service';
import { repoView, sortTags, tagView } from './views';

export interface RegistryOptions {
  /** The clock (tests pin it); ISO 8601 UTC with milliseconds. */
  now?: () => string;
  /** The connected registries an export lists (without secrets); none until registries can be connected. */
  exportRegistries?: RegistriesSource;
}

export class Registry implements RegistryService {
  private readonly events = new ChangeEvents();
  private readonly orderings = new OrderingCache();
  private readonly lookup: Lookup;
  private readonly searcher: Search;
  private readonly now: () => string;
  private readonly portability: Portability;

  constructor(
    private readonly store: Store,
    options: RegistryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date().toISOString());
    this.lookup = new Lookup(store, this.orderings);
    this.searcher = new Search(store);
    this.portability = new Portability(store, this.now, (event) => this.events.emit(event), options.exportRegistries);
  }

  // ---- namespaces --------------------------------------------------------------------------

  async listNamespaces(viewer: Viewer, query: PageQuery): Promise<Page<NamespaceView>> {
    const names = await this.lookup.visibleNamespaces(viewer);
    const w = pageWindow(names.length, query);
    const views = await Promise.all(names.slice(w.start, w.end).map((ns) => this.lookup.namespaceSummary(viewer, ns)));
    const results = views.filter((v): v is NamespaceView => v !== undefined);
    return { count: names.length, page: w.page, page_size: w.page_size, num_pages: w.num_pages, results };
  }

  async getNamespace(viewer: Viewer, namespace: string): Promise<NamespaceView> {
    return this.lookup.namespaceView(viewer, await this.lookup.namespace(namespace, viewer));
  }

  async createNamespace(namespace: string): Promise<NamespaceView> {
    assertValid({ namespace: validateNamespace(namespace) });
    await this.write(
      namespace,
      (tx) => {
        if (tx.getNamespace()) throw BerthError.conflict(`Namespace ${namespace} already exists.`);
        tx.putNamespace({ namespace, created_at: this.now() });
      },
      { entity: 'namespace', action: 'created', namespace },
    );
    return this.getNamespace({ authenticated: true }, namespace);
  }

  async deleteNamespace(namespace: string, options?: { force?: boolean }): Promise<void> {
    if (!isValidNamespace(namespace)) throw notFound.namespace(String(namespace));
    const force = options?.force === true;
    await this.write(
      namespace,
      (tx) => {
        if (!tx.getNamespace()) throw notFound.namespace(namespace);
        const count = tx.repoCount();
        if (count > 0 && !force) {
          throw BerthError.conflict(
            `Namespace ${namespace} still has ${count} ${count === 1 ? 'repository' : 'repositories'}; delete them first, or delete with force.`,
          );
        }
        tx.deleteNamespace();
      },
      { entity: 'namespace', action: 'deleted', namespace },
    );
  }

  // ---- repos -------------------------------------------------------------------------------

  async listRepos(viewer: Viewer, namespace: string, query: ListReposQuery): Promise<Page<RepoView>> {
    const state = await this.lookup.namespace(namespace, viewer);
    const ordering: RepoOrdering = query?.ordering ?? 'name';
    if (!isOrdering(ordering)) {
      throw BerthError.validation({
        ordering: ['Ordering must be one of name, last_updated, pull_count, star_count, each optionally prefixed with -.'],
      });
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
    return repoView(namespace, await this.lookup.repo(viewer, namespace, repoName));
  }

  async createRepo(namespace: string, input: CreateRepoInput): Promise<RepoView> {
    checkCreateInput(namespace, input);
    const repoName = input.repo_name;
    const record = await this.write(
      namespace,
      (tx) => {
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
      },
      { entity: 'repo', action: 'created', namespace, repo_name: repoName },
    );
    return repoView(namespace, record);
  }

  async updateRepo(namespace: string, repoName: string, patch: UpdateRepoInput): Promise<RepoView> {
    requireNames(namespace, repoName);
    checkUpdatePatch(patch);
    // A field given as undefined (IPC keeps such keys) changes nothing, like a field left out.
    if (Object.values(patch).every((v) => v === undefined)) return this.getRepo({ authenticated: true }, namespace, repoName);
    const outcome = await this.write(
      namespace,
      (tx) => {
        const repo = requireRepo(tx, namespace, repoName);
        const description = patch.description ?? repo.description;
        const full_description = patch.full_description ?? repo.full_description;
        const is_public = patch.is_public ?? repo.is_public;
        const configUnchanged =
          patch.build_config === undefined || JSON.stringify(patch.build_config) === JSON.stringify(repo.build_config ?? null);
        // Values equal to the stored ones are no edit: updated_at stays and no change is announced.
        if (
          description === repo.description &&
          full_description === repo.full_description &&
          is_public === repo.is_public &&
          configUnchanged
        ) {
          return { repo, changed: false };
        }
        const edited: RepoRecord = { ...repo, description, full_description, is_public, updated_at: this.now() };
        const next = patch.build_config === undefined ? edited : withBuildConfig(edited, patch.build_config);
        tx.putRepo(next);
        return { repo: next, changed: true };
      },
      (result) => (result.changed ? { entity: 'repo', action: 'updated', namespace, repo_name: repoName } : null),
    );
    return repoView(namespace, outcome.repo);
  }

  async deleteRepo(namespace: string, repoName: string): Promise<void> {
    requireNames(namespace, repoName);
    await this.write(
      namespace,
      (tx) => {
        requireRepo(tx, namespace, repoName);
        tx.deleteRepo(repoName);
      },
      { entity: 'repo', action: 'deleted', namespace, repo_name: repoName },
    );
  }

  // ---- tags --------------------------------------------------------------------------------

  async listTags(viewer: Viewer, namespace: string, repoName: string): Promise<TagView[]> {
    const repo = await this.lookup.repo(viewer, namespace, repoName);
    return sortTags(repo.tags).map(tagView);
  }

  async getTag(viewer: Viewer, namespace: string, repoName: string, tag: string): Promise<TagView> {
    const repo = await this.lookup.repo(viewer, namespace, repoName);
    const found = isValidTag(tag) ? repo.tags.find((t) => t.tag === tag) : undefined;
    if (!found) throw notFound.tag(namespace, repoName, String(tag));
    return tagView(found);
  }

  async putTag(namespace: string, repoName: string, tag: string, imageId: string): Promise<PutTagResult> {
    requireNames(namespace, repoName);
    assertValid({ tag: validateTag(tag) });
    const image = normalizeImageId(imageId);
    const outcome = await this.write(
      namespace,
      (tx) => {
        const repo = requireRepo(tx, namespace, repoName);
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
      },
      (result) => ({ entity: 'tag', action: result.created ? 'created' : 'updated', namespace, repo_name: repoName, tag }),
    );
    return outcome;
  }

  async deleteTag(namespace: string, repoName: string, tag: string): Promise<void> {
    requireNames(namespace, repoName);
    await this.write(
      namespace,
      (tx) => {
        const repo = requireRepo(tx, namespace, repoName);
        if (!repo.tags.some((t) => t.tag === tag)) throw notFound.tag(namespace, repoName, String(tag));
        tx.putRepo({ ...repo, tags: repo.tags.filter((t) => t.tag !== tag), updated_at: this.now() });
      },
      { entity: 'tag', action: 'deleted', namespace, repo_name: repoName, tag },
    );
  }

  async recordPull(namespace: string, repoName: string, tag: string): Promise<RepoView> {
    requireNames(namespace, repoName);
    const record = await this.write(
      namespace,
      (tx) => {
        const repo = requireRepo(tx, namespace, repoName);
        if (!repo.tags.some((t) => t.tag === tag)) throw notFound.tag(namespace, repoName, String(tag));
        const next: RepoRecord = { ...repo, download: repo.download + 1, pulled_at: this.now() };
        tx.putRepo(next);
        return next;
      },
      { entity: 'repo', action: 'updated', namespace, repo_name: repoName },
    );
    return repoView(namespace, record);
  }

  async setStar(namespace: string, repoName: string, starred: boolean): Promise<StarView> {
    requireNames(namespace, repoName);
    if (typeof starred !== 'boolean') throw BerthError.validation({ starred: ['Must be true or false.'] });
    const state = await this.lookup.namespace(namespace);
    const current = state.repos.get(repoName);
    if (current && current.starred === starred) return { repo_starred_count: starred ? 1 : 0, is_repo_starred: starred };
    const record = await this.write(
      namespace,
      (tx) => {
        const repo = requireRepo(tx, namespace, repoName);
        if (repo.starred === starred) return repo;
        const next: RepoRecord = { ...repo, starred };
        tx.putRepo(next);
        return next;
      },
      { entity: 'repo', action: 'updated', namespace, repo_name: repoName },
    );
    return { repo_starred_count: record.starred ? 1 : 0, is_repo_starred: record.starred };
  }

  // ---- search ------------------------------------------------------------------------------

  search(viewer: Viewer, query: SearchQuery): Promise<SearchPage> {
    return this.searcher.search(viewer, query);
  }

  // ---- export and import (./portability) ----------------------------------------------------

  exportCatalogue(call?: ExportCall): AsyncIterable<string> {
    return this.portability.exportCatalogue(call);
  }

  importCatalogue(source: AsyncIterable<Buffer | string>, call?: ImportCall): Promise<ImportResult> {
    return this.portability.importCatalogue(source, call);
  }

  // ---- events ------------------------------------------------------------------------------

  onChange(listener: (event: ChangeEvent) => void): () => void {
    return this.events.on(listener);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private async write<R>(
    namespace: string,
    fn: (tx: NamespaceTx) => R,
    event: ChangeEvent | ((result: R) => ChangeEvent | null),
  ): Promise<R> {
    const result = await this.store.transact(namespace, fn);
    const happened = typeof event === 'function' ? event(result) : event;
    if (happened) this.events.emit(happened);
    return result;
  }
}

export function createRegistry(store: Store, options?: RegistryOptions): RegistryService & Registry {
  return new Registry(store, options);
}

/**
 * The registry: every rule of the API (names, limits, counters, timestamps, visibility, paging,
 * history and the trash) over the store. Writes go through `store.transact`, so they are on disk
 * before they resolve and before their change event is emitted. A registry acts for someone
 * (`as(actor)`): the HTTP API as `api`, the window as `window`, a connected registry as
 * `registry:<name>`, an import as `import`; every write's history entry names it.
 */
import { BerthError } from '../contract/errors';
import type { Actor, HistoryEntryView, TrashEntryView } from '../contract/history';
import { assertValid, isValidNamespace, isValidTag, validateNamespace } from '../contract/names';
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
  TagDetailView,
  TagView,
  UpdateRepoInput,
  UpdateRepoOptions,
  Viewer,
} from '../contract/types';
import type { ImportResult } from '../contract/portability';
import type { Store } from '../store';
import { checkActor, entry, plusDays, TRASH_DAYS, write, type Acting, type RegistryCore } from './core';
import { ChangeEvents } from './events';
import { listHistory, listRepoHistory } from './history-reads';
import { Lookup, notFound } from './lookup';
import { isOrdering, matchesName, OrderingCache } from './ordering';
import { pageWindow } from '../contract/paging';
import { Portability, type ExportCall, type ImportCall, type RegistriesPort } from './portability';
import * as repos from './repo-writes';
import * as remote from './remote-writes';
import type { LinkRecord, RemoteApplyResult, RemoteTagChanges, TagRecord } from './remote-writes';
import { noteSynced } from './sync-marks';
import { Search } from './search';
import { TOKEN_HOLDER, type RegistryService } from './service';
import * as tags from './tag-writes';
import * as trash from './trash';
import { repoView, sortTags, tagDetailView, tagView } from './views';

export interface RegistryOptions {
  /** The clock (tests pin it); ISO 8601 UTC with milliseconds. */
  now?: () => string;
  /** The registry connections an export lists (never their secrets) and an import restores. */
  registries?: RegistriesPort;
}

export class Registry implements RegistryService, Acting {
  private readonly searcher: Search;
  private readonly actingAs: Map<Actor, Registry>;
  private readonly portability: Portability;

  private constructor(
    readonly core: RegistryCore,
    readonly actor: Actor,
    searcher: Search,
    actingAs: Map<Actor, Registry>,
    portability: Portability,
  ) {
    this.searcher = searcher;
    this.actingAs = actingAs;
    this.portability = portability;
  }

  /** A registry over the store; it acts as `api` until asked to act for someone else. */
  static create(store: Store, options: RegistryOptions = {}): Registry {
    const orderings = new OrderingCache();
    const core: RegistryCore = {
      store,
      events: new ChangeEvents(),
      orderings,
      lookup: new Lookup(store, orderings),
      now: options.now ?? (() => new Date().toISOString()),
    };
    const root = new Registry(core, 'api', new Search(store), new Map(), new Portability(core, options.registries));
    root.actingAs.set('api', root);
    return root;
  }

  /** The same registry (same data, same events), its writes recorded as made by `actor`. */
  as(actor: Actor): Registry {
    let acting = this.actingAs.get(actor);
    if (!acting) {
      acting = new Registry(this.core, checkActor(actor), this.searcher, this.actingAs, this.portability);
      this.actingAs.set(actor, acting);
    }
    return acting;
  }

  private get lookup(): Lookup {
    return this.core.lookup;
  }

  private get orderings(): OrderingCache {
    return this.core.orderings;
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
    await write(
      this.core,
      namespace,
      (tx) => {
        if (tx.getNamespace()) throw BerthError.conflict(`Namespace ${namespace} already exists.`);
        tx.putNamespace({ namespace, created_at: this.core.now() });
      },
      { entity: 'namespace', action: 'created', namespace },
    );
    return this.getNamespace({ authenticated: true }, namespace);
  }

  /** With force, its repos go to the trash (each restorable, which recreates the namespace). */
  async deleteNamespace(namespace: string, options?: { force?: boolean }): Promise<void> {
    if (!isValidNamespace(namespace)) throw notFound.namespace(String(namespace));
    const force = options?.force === true;
    await write(
      this.core,
      namespace,
      (tx) => {
        if (!tx.getNamespace()) throw notFound.namespace(namespace);
        const count = tx.repoCount();
        if (count > 0 && !force) {
          throw BerthError.conflict(
            `Namespace ${namespace} still has ${count} ${count === 1 ? 'repository' : 'repositories'}; delete them first, or delete with force.`,
          );
        }
        const now = this.core.now();
        const when = { deleted_at: now, expires_at: plusDays(now, TRASH_DAYS) };
        for (const name of tx.repoNames()) tx.trashRepo(name, when, [entry(this.actor, 'repo.delete', now)]);
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

  createRepo(namespace: string, input: CreateRepoInput): Promise<RepoView> {
    return repos.createRepo(this, namespace, input);
  }

  updateRepo(namespace: string, repoName: string, patch: UpdateRepoInput, options: UpdateRepoOptions = {}): Promise<RepoView> {
    return repos.updateRepo(this, namespace, repoName, patch, options);
  }

  deleteRepo(namespace: string, repoName: string): Promise<void> {
    return repos.deleteRepo(this, namespace, repoName);
  }

  // ---- tags --------------------------------------------------------------------------------

  async listTags(viewer: Viewer, namespace: string, repoName: string): Promise<TagView[]> {
    const repo = await this.lookup.repo(viewer, namespace, repoName);
    return sortTags(repo.tags).map(tagView);
  }

  async getTag(viewer: Viewer, namespace: string, repoName: string, tag: string): Promise<TagDetailView> {
    const repo = await this.lookup.repo(viewer, namespace, repoName);
    const found = isValidTag(tag) ? repo.tags.find((t) => t.tag === tag) : undefined;
    if (!found) throw notFound.tag(namespace, repoName, String(tag));
    return tagDetailView(found);
  }

  putTag(namespace: string, repoName: string, tag: string, imageId: string): Promise<PutTagResult> {
    return tags.putTag(this, namespace, repoName, tag, imageId);
  }

  deleteTag(namespace: string, repoName: string, tag: string): Promise<void> {
    return tags.deleteTag(this, namespace, repoName, tag);
  }

  restoreTag(namespace: string, repoName: string, tag: string, historyId: string): Promise<PutTagResult> {
    return tags.restoreTag(this, namespace, repoName, tag, historyId);
  }

  recordPull(namespace: string, repoName: string, tag: string): Promise<RepoView> {
    return repos.recordPull(this, namespace, repoName, tag);
  }

  setStar(namespace: string, repoName: string, starred: boolean): Promise<StarView> {
    return repos.setStar(this, namespace, repoName, starred);
  }

  // ---- writes from a connected registry ------------------------------------------------------

  async setLink(namespace: string, repoName: string, link: LinkRecord | null, options?: { onlyIfUnlinked?: boolean }): Promise<RepoView> {
    return repoView(namespace, await remote.setLink(this, namespace, repoName, link, options));
  }

  applyRemoteTags(namespace: string, repoName: string, changes: RemoteTagChanges): Promise<RemoteApplyResult> {
    return remote.applyRemoteTags(this, namespace, repoName, changes);
  }

  importRemoteRepo(namespace: string, repoName: string, link: LinkRecord, changes: RemoteTagChanges): Promise<RemoteApplyResult> {
    return remote.importRemoteRepo(this, namespace, repoName, link, changes);
  }

  recordRemotePull(namespace: string, repoName: string, link: RemoteTagChanges['link']): Promise<void> {
    return remote.recordRemotePull(this, namespace, repoName, link);
  }

  async noteSynced(namespace: string, repoName: string, at: string): Promise<void> {
    const repo = await this.lookup.repo(TOKEN_HOLDER, namespace, repoName);
    noteSynced(repo.id, at);
    this.core.events.emit({ entity: 'repo', action: 'updated', namespace, repo_name: repoName });
  }

  async linkedState(namespace: string, repoName: string): Promise<{ link: LinkRecord | null; tags: readonly TagRecord[] }> {
    const repo = await this.lookup.repo(TOKEN_HOLDER, namespace, repoName);
    return { link: repo.link, tags: repo.tags };
  }

  linkedRepos(): Promise<{ namespace: string; repo_name: string; link: LinkRecord }[]> {
    return remote.linkedRepos(this);
  }

  // ---- history and trash --------------------------------------------------------------------

  listRepoHistory(viewer: Viewer, namespace: string, repoName: string, query: PageQuery): Promise<Page<HistoryEntryView>> {
    return listRepoHistory(this.core, viewer, namespace, repoName, query);
  }

  listHistory(viewer: Viewer, query: PageQuery): Promise<Page<HistoryEntryView>> {
    return listHistory(this.core, viewer, query);
  }

  async listTrash(viewer: Viewer, query: PageQuery): Promise<Page<TrashEntryView>> {
    return trash.listTrash(this.core, viewer, query);
  }

  restoreFromTrash(namespace: string, repoName: string): Promise<RepoView> {
    return trash.restoreFromTrash(this, namespace, repoName);
  }

  purgeTrash(namespace: string, repoName: string): Promise<void> {
    return trash.purgeTrash(this, namespace, repoName);
  }

  purgeExpiredTrash(): Promise<number> {
    return trash.purgeExpiredTrash(this.core);
  }

  // ---- search ------------------------------------------------------------------------------

  search(viewer: Viewer, query: SearchQuery): Promise<SearchPage> {
    return this.searcher.search(viewer, query);
  }

  // ---- export and import (./portability): whoever asks, an import's changes are made by `import` --

  exportCatalogue(call?: ExportCall): AsyncIterable<string> {
    return this.portability.exportCatalogue(call);
  }

  importCatalogue(source: AsyncIterable<Buffer | string>, call?: ImportCall): Promise<ImportResult> {
    return this.portability.importCatalogue(source, call);
  }

  // ---- events ------------------------------------------------------------------------------

  onChange(listener: (event: ChangeEvent) => void): () => void {
    return this.core.events.on(listener);
  }
}

export function createRegistry(store: Store, options?: RegistryOptions): RegistryService & Registry {
  return Registry.create(store, options);
}

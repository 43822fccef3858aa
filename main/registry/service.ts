/**
 * The registry's public face: every rule of the API lives behind these methods. HTTP routes and
 * IPC handlers are thin adapters over them; neither adds rules of its own.
 *
 * - Methods taking a Viewer are reads: an anonymous viewer sees public repos only (a private repo
 *   is `not_found`, and counts leave it out).
 * - The rest are writes; the adapters make sure only the token holder reaches them.
 * - Every failure is a BerthError carrying one of the codes of main/contract/errors.
 * - Every successful write emits one ChangeEvent on 'change' after it is on disk.
 * - Every change but a pull is recorded in the history, in the same transaction, as made by the
 *   registry's actor: adapters act through `as(actor)` (HTTP: api, IPC: window).
 */
import type { Actor, HistoryEntryView, TrashEntryView } from '../contract/history';
import type { LinkRecord, RemoteApplyResult, RemoteTagChanges, TagRecord } from './remote-writes';
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
  StarView,
  TagDetailView,
  TagView,
  UpdateRepoInput,
  UpdateRepoOptions,
  Viewer,
} from '../contract/types';
import type { ImportResult } from '../contract/portability';
import type { ExportCall, ImportCall } from './portability';

export interface RegistryService {
  /** Who this registry's writes are recorded as made by. */
  readonly actor: Actor;
  /** The same registry (same data, same events), its writes recorded as made by `actor`. */
  as(actor: Actor): RegistryService;

  listNamespaces(viewer: Viewer, query: PageQuery): Promise<Page<NamespaceView>>;
  getNamespace(viewer: Viewer, namespace: string): Promise<NamespaceView>;
  createNamespace(namespace: string): Promise<NamespaceView>;
  /** `conflict` when it still has repos, unless force. */
  deleteNamespace(namespace: string, options?: { force?: boolean }): Promise<void>;

  listRepos(viewer: Viewer, namespace: string, query: ListReposQuery): Promise<Page<RepoView>>;
  getRepo(viewer: Viewer, namespace: string, repoName: string): Promise<RepoView>;
  /** Creates the namespace too when it does not exist yet (the seed's sample on a fresh install). */
  createRepo(namespace: string, input: CreateRepoInput): Promise<RepoView>;
  /** With `if_updated_at`, `conflict` (and nothing saved) when the repo's updated_at is no longer that. */
  updateRepo(namespace: string, repoName: string, patch: UpdateRepoInput, options?: UpdateRepoOptions): Promise<RepoView>;
  deleteRepo(namespace: string, repoName: string): Promise<void>;

  /** Most recently pushed first, ties by tag name. */
  listTags(viewer: Viewer, namespace: string, repoName: string): Promise<TagView[]>;
  /** The tag with what Berth knows of its image (a registry's details, its source). */
  getTag(viewer: Viewer, namespace: string, repoName: string, tag: string): Promise<TagDetailView>;
  putTag(namespace: string, repoName: string, tag: string, imageId: string): Promise<PutTagResult>;
  deleteTag(namespace: string, repoName: string, tag: string): Promise<void>;
  recordPull(namespace: string, repoName: string, tag: string): Promise<RepoView>;
  setStar(namespace: string, repoName: string, starred: boolean): Promise<StarView>;
  /** Puts a tag back as it was after one of its history entries (a push: 201 created, 200 moved). */
  restoreTag(namespace: string, repoName: string, tag: string, historyId: string): Promise<PutTagResult>;

  /** A repo's history, newest first; visible as the repo is. */
  listRepoHistory(viewer: Viewer, namespace: string, repoName: string, query: PageQuery): Promise<Page<HistoryEntryView>>;
  /** Every repo's history (trashed repos' too), newest first; token holders only. */
  listHistory(viewer: Viewer, query: PageQuery): Promise<Page<HistoryEntryView>>;
  /** Deleted repos, newest deletion first; token holders only. */
  listTrash(viewer: Viewer, query: PageQuery): Promise<Page<TrashEntryView>>;
  /** The most recent deletion of that name, as it was; `conflict` when the name is taken again. */
  restoreFromTrash(namespace: string, repoName: string): Promise<RepoView>;
  /** Deletes every trashed repo of that name for good. */
  purgeTrash(namespace: string, repoName: string): Promise<void>;
  /** Purges trash entries past their time; answers how many. */
  purgeExpiredTrash(): Promise<number>;

  search(viewer: Viewer, query: SearchQuery): Promise<SearchPage>;

  /** The whole catalogue as one export document, in pieces of text (for token holders only). */
  exportCatalogue(call?: ExportCall): AsyncIterable<string>;
  /**
   * Imports an export document, read as it streams; a document with any problem is refused
   * whole (validation_error) and changes nothing. One import at a time (conflict otherwise).
   */
  importCatalogue(source: AsyncIterable<Buffer | string>, call?: ImportCall): Promise<ImportResult>;
  // Writes from a connected registry (main/sync works out what changed; see ./remote-writes).
  /** Links a repo (null: unlinks it); with onlyIfUnlinked, `conflict` when it is linked to another remote. */
  setLink(namespace: string, repoName: string, link: LinkRecord | null, options?: { onlyIfUnlinked?: boolean }): Promise<RepoView>;
  /** A sync's or an event's tag changes, in one transaction; writes nothing when nothing changes. */
  applyRemoteTags(namespace: string, repoName: string, changes: RemoteTagChanges): Promise<RemoteApplyResult>;
  /**
   * Creates a repo linked to a remote repository, with that remote's tags, in one transaction;
   * `conflict` when a repo of that name exists with another link or none.
   */
  importRemoteRepo(namespace: string, repoName: string, link: LinkRecord, changes: RemoteTagChanges): Promise<RemoteApplyResult>;
  /** A pull the registry reported (download + 1, pulled_at). */
  recordRemotePull(namespace: string, repoName: string, link: RemoteTagChanges['link']): Promise<void>;
  /** Notes, in memory, a sync that found nothing to change. */
  noteSynced(namespace: string, repoName: string, at: string): Promise<void>;
  /** A repo's link and tags as stored (image details included), for working out a sync; `not_found` when missing. */
  linkedState(namespace: string, repoName: string): Promise<{ link: LinkRecord | null; tags: readonly TagRecord[] }>;
  /** Every linked repo (loads every namespace). */
  linkedRepos(): Promise<{ namespace: string; repo_name: string; link: LinkRecord }[]>;

  onChange(listener: (event: ChangeEvent) => void): () => void;
}

export const TOKEN_HOLDER: Viewer = Object.freeze({ authenticated: true });
export const ANONYMOUS: Viewer = Object.freeze({ authenticated: false });

/**
 * A write's view of one namespace: reads see the committed records plus the changes made so far
 * in the same batch; changes go to an overlay that the store writes to disk and only then swaps
 * into memory. Each operation gets its own layer, so one that fails (a conflict, say) leaves no
 * trace while the others of its batch go ahead. A change's history entries, the history chunk it
 * seals and the trash files it writes are part of the same layer, so they land in the same
 * journal record as the change they describe.
 */
import type { HistoryChunkFile, NewHistoryRecord } from './history-records';
import { appendHistory } from './history-tail';
import { newEntryId } from './ids';
import { historyChunkRel, historyDirRel } from './layout';
import { SCHEMA_VERSION, type NamespaceRecord, type RepoRecord } from './records';
import type { TrashRecord } from './trash-records';

export interface NamespaceBase {
  record: NamespaceRecord | undefined;
  repos: ReadonlyMap<string, RepoRecord>;
  /** The whole trash, by repo id (every namespace's). */
  trash: ReadonlyMap<string, TrashRecord>;
}

/** A trash entry with its key. */
export interface TrashedRepo {
  readonly id: string;
  readonly record: TrashRecord;
}

/** What a write may do to one namespace. Records are immutable: put new objects. */
export interface NamespaceTx {
  readonly namespace: string;
  getNamespace(): NamespaceRecord | undefined;
  putNamespace(record: NamespaceRecord): void;
  /** Removes the namespace and every repo still in it, for good (move them to the trash first to keep them). */
  deleteNamespace(): void;
  getRepo(name: string): RepoRecord | undefined;
  /** Stores the record with `history` appended to its history (the store gives entries their ids); answers what it stored. */
  putRepo(record: RepoRecord, history?: readonly NewHistoryRecord[]): RepoRecord;
  /** Deletes a repo for good, with its history. */
  deleteRepo(name: string): void;
  /** Moves a repo to the trash with its whole record, after appending `history` to it. */
  trashRepo(name: string, when: { deleted_at: string; expires_at: string }, history: readonly NewHistoryRecord[]): TrashRecord;
  /** This namespace's trash entries of a repo name, the most recent deletion first. */
  trashed(name: string): TrashedRepo[];
  getTrash(repoId: string): TrashRecord | undefined;
  /** Puts a trashed repo back in this namespace as it was, `history` appended; its trash entry goes. */
  restoreRepo(repoId: string, history: readonly NewHistoryRecord[]): RepoRecord;
  /** Deletes a trash entry for good, with its history. */
  purgeTrash(repoId: string): void;
  repoNames(): string[];
  repoCount(): number;
}

export class Layer {
  /** undefined: unchanged; null: deleted. */
  nsRecord: NamespaceRecord | null | undefined = undefined;
  /** true: every repo below this layer is gone (the namespace was deleted). */
  cleared = false;
  readonly repos = new Map<string, RepoRecord | null>();
  /** Trash entries by repo id; null: removed. */
  readonly trash = new Map<string, TrashRecord | null>();
  /** History chunk files by path relative to the data folder; null: deleted. */
  readonly files = new Map<string, HistoryChunkFile | null>();
  /** Folders (relative) to remove once they are empty: a repo's history folder when it is gone for good. */
  readonly emptied = new Set<string>();

  get changed(): boolean {
    return this.nsRecord !== undefined || this.cleared || this.repos.size > 0 || this.trash.size > 0 || this.files.size > 0;
  }

  /** Folds a successful operation's layer into its batch's. */
  absorb(op: Layer): void {
    if (op.nsRecord !== undefined) this.nsRecord = op.nsRecord;
    if (op.cleared) {
      this.cleared = true;
      this.repos.clear();
    }
    for (const [name, rec] of op.repos) this.repos.set(name, rec);
    for (const [id, rec] of op.trash) this.trash.set(id, rec);
    for (const [path, data] of op.files) this.files.set(path, data);
    for (const dir of op.emptied) this.emptied.add(dir);
  }
}

/** Keys with undefined values left out: what is stored is what a reload reads back. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export class LayeredTx implements NamespaceTx {
  constructor(
    readonly namespace: string,
    private readonly base: NamespaceBase,
    private readonly layers: readonly Layer[],
  ) {}

  private get top(): Layer {
    return this.layers[this.layers.length - 1] as Layer;
  }

  getNamespace(): NamespaceRecord | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const ns = (this.layers[i] as Layer).nsRecord;
      if (ns !== undefined) return ns ?? undefined;
    }
    return this.base.record;
  }

  putNamespace(record: NamespaceRecord): void {
    if (record.namespace !== this.namespace) throw new Error(`namespace record for ${record.namespace} in ${this.namespace}`);
    this.top.nsRecord = record;
  }

  deleteNamespace(): void {
    for (const name of this.repoNames()) this.dropHistory(this.getRepo(name) as RepoRecord);
    const top = this.top;
    top.nsRecord = null;
    top.cleared = true;
    top.repos.clear();
  }

  getRepo(name: string): RepoRecord | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i] as Layer;
      if (layer.repos.has(name)) return layer.repos.get(name) ?? undefined;
      if (layer.cleared) return undefined;
    }
    return this.base.repos.get(name);
  }

  putRepo(record: RepoRecord, history: readonly NewHistoryRecord[] = []): RepoRecord {
    if (!this.getNamespace()) throw new Error(`repo ${record.repo_name} put in missing namespace ${this.namespace}`);
    let stored = record;
    if (history.length > 0) {
      const appended = appendHistory(
        record,
        history.map((h) => defined({ id: newEntryId(h.at), ...h })),
      );
      stored = appended.repo;
      if (appended.sealed) {
        const chunk: HistoryChunkFile = {
          schema_version: SCHEMA_VERSION,
          repo_id: record.id,
          namespace: this.namespace,
          repo_name: record.repo_name,
          entries: appended.sealed.entries,
        };
        this.top.files.set(historyChunkRel(record.id, appended.sealed.first), chunk);
      }
      for (const chunk of appended.dropped) this.top.files.set(historyChunkRel(record.id, chunk.first), null);
    }
    this.top.repos.set(record.repo_name, stored);
    return stored;
  }

  deleteRepo(name: string): void {
    const repo = this.getRepo(name);
    if (repo) this.dropHistory(repo);
    this.top.repos.set(name, null);
  }

  trashRepo(name: string, when: { deleted_at: string; expires_at: string }, history: readonly NewHistoryRecord[]): TrashRecord {
    const repo = this.getRepo(name);
    if (!repo) throw new Error(`repo ${name} trashed but missing in ${this.namespace}`);
    const stored = this.putRepo(repo, history);
    this.top.repos.set(name, null);
    const record: TrashRecord = { namespace: this.namespace, deleted_at: when.deleted_at, expires_at: when.expires_at, repo: stored };
    this.top.trash.set(repo.id, record);
    return record;
  }

  getTrash(repoId: string): TrashRecord | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i] as Layer;
      if (layer.trash.has(repoId)) return layer.trash.get(repoId) ?? undefined;
    }
    return this.base.trash.get(repoId);
  }

  trashed(name: string): TrashedRepo[] {
    const ids = new Set<string>();
    const consider = (id: string, rec: TrashRecord | null) => {
      if (rec && rec.namespace === this.namespace && rec.repo.repo_name === name) ids.add(id);
    };
    for (const [id, rec] of this.base.trash) consider(id, rec);
    for (const layer of this.layers) for (const [id, rec] of layer.trash) consider(id, rec);
    const found: TrashedRepo[] = [];
    for (const id of ids) {
      const record = this.getTrash(id);
      if (record) found.push({ id, record });
    }
    return found.sort((a, b) =>
      a.record.deleted_at === b.record.deleted_at ? cmp(b.id, a.id) : cmp(b.record.deleted_at, a.record.deleted_at),
    );
  }

  restoreRepo(repoId: string, history: readonly NewHistoryRecord[]): RepoRecord {
    const trashed = this.getTrash(repoId);
    if (!trashed || trashed.namespace !== this.namespace) throw new Error(`no trash entry ${repoId} in ${this.namespace}`);
    if (this.getRepo(trashed.repo.repo_name)) throw new Error(`repo ${trashed.repo.repo_name} restored over another in ${this.namespace}`);
    const stored = this.putRepo(trashed.repo, history);
    this.top.trash.set(repoId, null);
    return stored;
  }

  purgeTrash(repoId: string): void {
    const trashed = this.getTrash(repoId);
    if (!trashed) throw new Error(`no trash entry ${repoId}`);
    this.dropHistory(trashed.repo);
    this.top.trash.set(repoId, null);
  }

  repoNames(): string[] {
    const names = new Set<string>();
    const gone = new Set<string>();
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i] as Layer;
      for (const [name, rec] of layer.repos) {
        if (names.has(name) || gone.has(name)) continue;
        if (rec) names.add(name);
        else gone.add(name);
      }
      if (layer.cleared) return [...names];
    }
    for (const name of this.base.repos.keys()) if (!gone.has(name)) names.add(name);
    return [...names];
  }

  repoCount(): number {
    return this.repoNames().length;
  }

  /** A repo's chunk files go, and its history folder once it is empty. */
  private dropHistory(repo: RepoRecord): void {
    for (const chunk of repo.history_chunks) this.top.files.set(historyChunkRel(repo.id, chunk.first), null);
    this.top.emptied.add(historyDirRel(repo.id));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The repo files a layer changes: name -> new record, or null to delete. */
export function repoChanges(base: { repos: ReadonlyMap<string, RepoRecord> }, layer: Layer): Map<string, RepoRecord | null> {
  const changes = new Map<string, RepoRecord | null>();
  if (layer.cleared) for (const name of base.repos.keys()) changes.set(name, null);
  for (const [name, rec] of layer.repos) {
    if (rec === null && !base.repos.has(name)) changes.delete(name);
    else changes.set(name, rec);
  }
  return changes;
}

/**
 * The store's memory: every namespace's record (read at open) and, once loaded, its repos; and
 * the whole trash (read at open). A
 * committed batch is swapped in here only after its journal record is durable, so memory always
 * equals what the files and the journal hold. Records are immutable; maps are replaced in place.
 */
import type { NamespaceRecord, RepoRecord } from './records';
import { repoChanges, type Layer, type NamespaceBase } from './namespace-tx';
import type { TrashRecord } from './trash-records';

/** A namespace with its repos loaded. Read-only views: never mutate. */
export interface NamespaceState {
  readonly record: NamespaceRecord;
  readonly repos: ReadonlyMap<string, RepoRecord>;
  /** Grows with every committed change, for caches derived from `repos`. */
  readonly version: number;
}

/** Whether a request waits for a load (see ./loader). */
export interface LoadTask {
  urgent: boolean;
}

export interface Entry {
  record: NamespaceRecord;
  repos: Map<string, RepoRecord> | null;
  loading: Promise<Map<string, RepoRecord>> | null;
  loadTask?: LoadTask | null;
  /** Repo files counted before the repos loaded (see Loader.repoCountHint). */
  fileCount?: number;
  version: number;
}

export class Catalogue {
  private readonly entries = new Map<string, Entry>();
  /** Trash entries by repo id. */
  readonly trash = new Map<string, TrashRecord>();
  private sortedNames: string[] | null = null;
  private generationCounter = 0;

  /** Grows with every committed change and every load, anywhere (for caches spanning namespaces). */
  get generation(): number {
    return this.generationCounter;
  }

  /** Something new is in memory (a namespace's repos finished loading). */
  touch(): void {
    this.generationCounter++;
  }

  /** Every namespace, sorted by name. */
  names(): readonly string[] {
    if (!this.sortedNames) this.sortedNames = [...this.entries.keys()].sort();
    return this.sortedNames;
  }

  entry(ns: string): Entry | undefined {
    return this.entries.get(ns);
  }

  /** A namespace read at open (or moved in whole by an import); its repos load later. */
  add(record: NamespaceRecord): void {
    this.entries.set(record.namespace, { record, repos: null, loading: null, version: 0 });
    this.sortedNames = null;
    this.generationCounter++;
  }

  /** A new catalogue swapped in whole: these namespaces, their repos to load from their files. */
  replaceAll(records: readonly NamespaceRecord[]): void {
    this.entries.clear();
    for (const record of records) this.entries.set(record.namespace, { record, repos: null, loading: null, version: 0 });
    this.sortedNames = null;
    this.generationCounter++;
  }

  /** Every namespace whose repos are loading right now. */
  loadsInFlight(): Promise<unknown>[] {
    const loads: Promise<unknown>[] = [];
    for (const entry of this.entries.values()) if (entry.loading) loads.push(entry.loading.catch(() => undefined));
    return loads;
  }

  /** The namespace when its repos are in memory; else undefined. */
  loaded(ns: string): NamespaceState | undefined {
    const entry = this.entries.get(ns);
    if (!entry || !entry.repos) return undefined;
    return { record: entry.record, repos: entry.repos, version: entry.version };
  }

  /** Swaps a committed batch's changes in. */
  apply(ns: string, base: NamespaceBase, layer: Layer): void {
    const changes = repoChanges(base, layer);
    this.generationCounter++;
    for (const [id, rec] of layer.trash) {
      if (rec) this.trash.set(id, rec);
      else this.trash.delete(id);
    }
    if (layer.nsRecord === null) {
      this.entries.delete(ns);
      this.sortedNames = null;
      return;
    }
    let entry = this.entries.get(ns);
    if (!entry) {
      // Only the trash changed (a purge after the namespace was deleted).
      if (!layer.nsRecord && changes.size === 0) return;
      if (!layer.nsRecord) throw new Error(`changes to missing namespace ${ns}`);
      entry = { record: layer.nsRecord, repos: new Map(), loading: null, version: 0 };
      this.entries.set(ns, entry);
      this.sortedNames = null;
    } else if (layer.nsRecord) {
      entry.record = layer.nsRecord;
    }
    const repos = entry.repos as Map<string, RepoRecord>;
    for (const [name, rec] of changes) {
      if (rec) repos.set(name, rec);
      else repos.delete(name);
    }
    entry.version++;
  }
}

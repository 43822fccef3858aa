/**
 * A write's view of one namespace: reads see the committed records plus the changes made so far
 * in the same batch; changes go to an overlay that the store writes to disk and only then swaps
 * into memory. Each operation gets its own layer, so one that fails (a conflict, say) leaves no
 * trace while the others of its batch go ahead.
 */
import type { NamespaceRecord, RepoRecord } from './records';

export interface NamespaceBase {
  record: NamespaceRecord | undefined;
  repos: ReadonlyMap<string, RepoRecord>;
}

/** What a write may do to one namespace. Records are immutable: put new objects. */
export interface NamespaceTx {
  readonly namespace: string;
  getNamespace(): NamespaceRecord | undefined;
  putNamespace(record: NamespaceRecord): void;
  /** Removes the namespace and every repo in it. */
  deleteNamespace(): void;
  getRepo(name: string): RepoRecord | undefined;
  putRepo(record: RepoRecord): void;
  deleteRepo(name: string): void;
  repoCount(): number;
}

export class Layer {
  /** undefined: unchanged; null: deleted. */
  nsRecord: NamespaceRecord | null | undefined = undefined;
  /** true: every repo below this layer is gone (the namespace was deleted). */
  cleared = false;
  readonly repos = new Map<string, RepoRecord | null>();

  get changed(): boolean {
    return this.nsRecord !== undefined || this.cleared || this.repos.size > 0;
  }

  /** Folds a successful operation's layer into its batch's. */
  absorb(op: Layer): void {
    if (op.nsRecord !== undefined) this.nsRecord = op.nsRecord;
    if (op.cleared) {
      this.cleared = true;
      this.repos.clear();
    }
    for (const [name, rec] of op.repos) this.repos.set(name, rec);
  }
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

  putRepo(record: RepoRecord): void {
    if (!this.getNamespace()) throw new Error(`repo ${record.repo_name} put in missing namespace ${this.namespace}`);
    this.top.repos.set(record.repo_name, record);
  }

  deleteRepo(name: string): void {
    this.top.repos.set(name, null);
  }

  repoCount(): number {
    const seen = new Set<string>();
    let count = 0;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i] as Layer;
      for (const [name, rec] of layer.repos) {
        if (seen.has(name)) continue;
        seen.add(name);
        if (rec) count++;
      }
      if (layer.cleared) return count;
    }
    for (const name of this.base.repos.keys()) if (!seen.has(name)) count++;
    return count;
  }
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

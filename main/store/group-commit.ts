/**
 * Writes: operations on one namespace are queued and committed in batches. Each operation runs
 * against the namespace's records plus the earlier changes of its batch, in its own layer (so
 * one that throws leaves no trace); the batch becomes one record of the write-ahead journal,
 * and batches of every namespace share the journal's fdatasyncs. Once the record is durable the
 * new records are swapped into memory and the batch acknowledged. A journal append the disk
 * refuses rejects its batch with storage_error before anything is swapped: memory equals what
 * the files and the journal hold.
 */
import { BerthError } from '../contract/errors';
import type { Catalogue } from './catalogue';
import type { Checkpointer } from './checkpointer';
import { JournalFullError, type Journal, type JournalFile } from './journal';
import { trashFileRel, type Layout } from './layout';
import { closedError, type Loader } from './loader';
import { Layer, LayeredTx, repoChanges, type NamespaceBase, type NamespaceTx } from './namespace-tx';
import { NAME_LIKE } from './open';
import { namespaceFile, repoFile, type RepoRecord } from './records';
import { storageError } from './storage-error';
import { trashFile } from './trash-records';

/** Appends a batch tries against a full journal, each after a checkpoint, before it refuses the write. */
const FULL_JOURNAL_ATTEMPTS = 3;

interface PendingOp {
  fn: (tx: NamespaceTx) => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

interface Writer {
  queue: PendingOp[];
  flushing: Promise<void> | null;
}

export interface GroupCommitDeps {
  catalogue: Catalogue;
  loader: Loader;
  journal: Journal;
  checkpointer: Checkpointer;
  layout: Layout;
  isClosed: () => boolean;
}

export class GroupCommit {
  private readonly writers = new Map<string, Writer>();
  /** While set, queued batches wait (see pause). */
  private gate: { closed: Promise<void>; open: () => void } | null = null;
  /** Batches being committed right now. */
  private readonly committing = new Set<Promise<void>>();

  constructor(private readonly deps: GroupCommitDeps) {}

  /**
   * Runs `fn` against the namespace's current records (plus earlier changes of its batch),
   * then commits what it changed; resolves with fn's result once it is durable.
   * `fn` must be synchronous and must not mutate records; a throw discards its changes only.
   */
  transact<R>(ns: string, fn: (tx: NamespaceTx) => R): Promise<R> {
    if (this.deps.isClosed()) return Promise.reject(closedError());
    if (!NAME_LIKE.test(ns)) return Promise.reject(new BerthError('internal_error', `Not a namespace name: ${JSON.stringify(ns)}.`));
    return new Promise<R>((resolve, reject) => {
      let writer = this.writers.get(ns);
      if (!writer) {
        writer = { queue: [], flushing: null };
        this.writers.set(ns, writer);
      }
      writer.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!writer.flushing) writer.flushing = this.flush(ns, writer);
    });
  }

  /**
   * Holds every batch not yet started (writes queue up meanwhile) and resolves once the ones in
   * progress are committed: the catalogue then changes only through the caller, until resume().
   */
  async pause(): Promise<void> {
    if (!this.gate) {
      let open = () => undefined as void;
      const closed = new Promise<void>((resolve) => (open = resolve));
      this.gate = { closed, open };
    }
    await Promise.all(this.committing);
  }

  resume(): void {
    const gate = this.gate;
    this.gate = null;
    gate?.open();
  }

  /** Resolves once every batch queued so far is committed or refused. */
  async settled(): Promise<void> {
    await Promise.all([...this.writers.values()].flatMap((w) => (w.flushing ? [w.flushing] : [])));
  }

  private async flush(ns: string, writer: Writer): Promise<void> {
    try {
      while (writer.queue.length > 0) {
        while (this.gate) await this.gate.closed;
        const batch = writer.queue.splice(0);
        const commit = this.commitBatch(ns, batch);
        this.committing.add(commit);
        try {
          await commit;
        } catch (err) {
          // Unexpected (a bug, not a disk error): never leave a caller waiting. Settled ops ignore this.
          const failure = storageError(err);
          for (const op of batch) op.reject(failure);
        } finally {
          this.committing.delete(commit);
        }
      }
    } finally {
      writer.flushing = null;
      if (writer.queue.length === 0) this.writers.delete(ns);
      else writer.flushing = this.flush(ns, writer);
    }
  }

  private async commitBatch(ns: string, batch: PendingOp[]): Promise<void> {
    const { catalogue, loader, journal, checkpointer, isClosed } = this.deps;
    let entry = catalogue.entry(ns);
    if (entry && !entry.repos) {
      try {
        await loader.ensureLoaded(ns, entry);
      } catch (err) {
        for (const op of batch) op.reject(err);
        return;
      }
      entry = catalogue.entry(ns);
    }
    const base: NamespaceBase = { record: entry?.record, repos: entry?.repos ?? new Map<string, RepoRecord>(), trash: catalogue.trash };
    const batchLayer = new Layer();
    const done: { op: PendingOp; result: unknown; changed: boolean }[] = [];
    for (const op of batch) {
      const opLayer = new Layer();
      try {
        const result = op.fn(new LayeredTx(ns, base, [batchLayer, opLayer]));
        batchLayer.absorb(opLayer);
        done.push({ op, result, changed: opLayer.changed });
      } catch (err) {
        op.reject(err);
      }
    }
    const files = batchLayer.changed ? this.layerFiles(ns, base, batchLayer) : [];
    if (files.length === 0) {
      if (batchLayer.changed) catalogue.apply(ns, base, batchLayer);
      for (const d of done) d.op.resolve(d.result);
      return;
    }
    try {
      // At its bound, the journal waits for a checkpoint to let segments go (the one running, or
      // a new one; shared). Batches of several namespaces that each saw room may still join a
      // group that does not fit: that group waits likewise and tries again. Only a journal that
      // checkpoints could not empty (a file the disk refuses) refuses the write.
      for (let attempt = 1; ; attempt++) {
        if (journal.full && !isClosed()) await checkpointer.makeRoom();
        try {
          await journal.append(files);
          break;
        } catch (err) {
          if (!(err instanceof JournalFullError) || isClosed() || attempt >= FULL_JOURNAL_ATTEMPTS) throw err;
          await checkpointer.makeRoom();
        }
      }
    } catch (err) {
      // Nothing was swapped: memory still equals what the files and the journal hold.
      const failure = err instanceof JournalFullError ? checkpointer.journalFull(err) : storageError(err);
      for (const d of done) {
        if (d.changed) d.op.reject(failure);
        else d.op.resolve(d.result);
      }
      return;
    }
    // Durable from here on; the files follow at the next checkpoint.
    catalogue.apply(ns, base, batchLayer);
    for (const d of done) d.op.resolve(d.result);
    checkpointer.committed(batchLayer.nsRecord === null ? ns : null, batchLayer.emptied);
  }

  /**
   * A batch's files with their whole new content (null: delete), as its journal record holds
   * them: namespace and repo files, trash files, and the history chunks its changes sealed or dropped.
   */
  private layerFiles(ns: string, base: NamespaceBase, layer: Layer): JournalFile[] {
    const { layout } = this.deps;
    const files: JournalFile[] = [];
    if (layer.nsRecord) files.push({ path: layout.namespaceFileRel(ns), data: namespaceFile(layer.nsRecord) });
    else if (layer.nsRecord === null && base.record) files.push({ path: layout.namespaceFileRel(ns), data: null });
    for (const [name, rec] of repoChanges(base, layer)) {
      files.push({ path: layout.repoFileRel(ns, name), data: rec ? repoFile(ns, rec) : null });
    }
    for (const [id, rec] of layer.trash) files.push({ path: trashFileRel(id), data: rec ? trashFile(rec) : null });
    for (const [path, data] of layer.files) files.push({ path, data });
    return files;
  }
}

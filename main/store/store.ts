/**
 * The data folder as Maps in memory over JSON files on disk (layout in ./layout), behind one
 * small facade. Each part is one file:
 * - ./open: lock, temp files, journal replay, schema, every namespace.json;
 * - ./loader: each namespace's repo files, on first use and in the background;
 * - ./group-commit: writes queued per namespace, committed in batches through the journal;
 * - ./checkpointer: the files of journalled batches written out, and the journal let go;
 * - ./catalogue: what is in memory, swapped only once a batch is durable.
 * docs/architecture.md tells the whole story and what it guarantees.
 */
import { join, relative } from 'node:path';
import { CorruptFileError, newWriteStats, readJsonStrict, type DurableContext, type WriteStats } from '../files/durable-file';
import { nodeFileOps, type FileOps } from '../files/file-ops';
import { Catalogue, type NamespaceState } from './catalogue';
import { Checkpointer } from './checkpointer';
import { GroupCommit } from './group-commit';
import type { JournalFile } from './journal';
import { Layout } from './layout';
import { closedError, Loader } from './loader';
import type { DataDirLock } from './lock';
import { Materializer } from './materializer';
import { CURRENT_PLAN, type SchemaPlan } from './migrations';
import type { NamespaceTx } from './namespace-tx';
import { openDataFolder, type OpenedFolder } from './open';
import { ProblemLog, type StoreProblem } from './quarantine';
import { toChunkEntries, type HistoryRecord } from './history-records';
import { CatalogueImports, type Parts } from './imports';
import { ShapeError, type NamespaceRecord } from './records';
import { ImportStaging } from './staging';
import { storageError } from './storage-error';
import type { SwapHooks } from './swap';
import { prepareFileSystemFlush } from './syncfs';
import type { TrashRecord } from './trash-records';

export type { NamespaceState } from './catalogue';

export interface OpenStoreOptions {
  /** File-system calls (tests inject failures here). */
  fileOps?: FileOps;
  /** Load every namespace's repos in the background after open (default true). */
  backgroundLoad?: boolean;
  /** Schema version and migrations (tests exercise the migration step with their own). */
  schema?: SchemaPlan;
  /** Longest close spends writing files; the journal keeps the rest for the next open (default 1.5 s). */
  closeWriteBudgetMs?: number;
  /** Most the journal may hold while files cannot be written; past it writes are refused (default 64 MiB). */
  journalLimitBytes?: number;
  /** Pauses between the steps of a catalogue swap (crash tests). */
  swapHooks?: SwapHooks;
}

/**
 * Close writes files for this long at most: whatever is left stays in the (durable) journal and
 * the next open replays it, so quitting after a burst of writes does not hang.
 */
const CLOSE_WRITE_BUDGET_MS = 1500;
/**
 * The journal's bound: far above a checkpoint's trigger, so it is reached when checkpoints keep
 * failing, or when a long burst of writes outlasts them (writes then wait for the running one:
 * docs/benchmarks.md). It bounds the disk the journal takes and the memory of files waiting to
 * be written (their newest content, which the journal's segments hold).
 */
const JOURNAL_LIMIT_BYTES = 64 * 1024 * 1024;

function missingChunk(layout: Layout, repoId: string, first: string): StoreProblem {
  const file = relative(layout.dataDir, layout.historyChunk(repoId, first));
  return { file, moved_to: null, reason: 'the file is missing', message: `${file} is missing: the history entries it held are not shown.` };
}

export class Store {
  readonly layout: Layout;
  /** What the store has written since open (tests read it; so may a status view). */
  readonly stats: WriteStats;
  /** What open found in the journal: records replayed, and bytes of a torn tail ignored. */
  readonly recovery: OpenedFolder['recovery'];

  private background: Promise<void> = Promise.resolve();
  private readonly ops: FileOps;
  private readonly imports: CatalogueImports;

  private constructor(
    readonly dataDir: string,
    private readonly lifecycle: { closed: boolean },
    private readonly parts: Parts,
    private lock: DataDirLock | null,
    ops: FileOps,
    stats: WriteStats,
    recovery: OpenedFolder['recovery'],
  ) {
    this.layout = new Layout(dataDir);
    this.ops = ops;
    this.stats = stats;
    this.recovery = recovery;
    this.imports = new CatalogueImports(parts, this.layout, lifecycle);
  }

  static async open(dataDir: string, options: OpenStoreOptions = {}): Promise<Store> {
    const layout = new Layout(dataDir);
    const ops = options.fileOps ?? nodeFileOps;
    // Its checkpoints flush through a helper process, started now while the heap is small.
    if (ops === nodeFileOps) prepareFileSystemFlush();
    const stats = newWriteStats();
    const ctx: DurableContext = { ops, tmpDir: layout.tmp, stats };
    const plan = options.schema ?? CURRENT_PLAN;
    const log = new ProblemLog(ops, dataDir, layout.quarantine);
    const materializer = new Materializer(ctx, layout, (path, reason) => log.moveAside(path, reason));
    const catalogue = new Catalogue();
    const onDurable = (files: readonly JournalFile[]) =>
      materializer.stage(files.map((f) => ({ abs: join(dataDir, f.path), data: f.data })));
    let opened: OpenedFolder;
    try {
      opened = await openDataFolder({
        ctx,
        layout,
        plan,
        catalogue,
        problems: log,
        onDurable,
        journalLimitBytes: options.journalLimitBytes ?? JOURNAL_LIMIT_BYTES,
      });
    } catch (err) {
      throw storageError(err, `open the data folder ${dataDir}`);
    }
    // close() flips one flag that every part reads.
    const lifecycle = { closed: false };
    const isClosed = () => lifecycle.closed;
    const loader = new Loader({ catalogue, ops, layout, plan, problems: log, isClosed });
    const checkpointer = new Checkpointer({
      journal: opened.journal,
      materializer,
      catalogue,
      problems: log,
      dataDir,
      closeWriteBudgetMs: options.closeWriteBudgetMs ?? CLOSE_WRITE_BUDGET_MS,
      isClosed,
    });
    const writes = new GroupCommit({ catalogue, loader, journal: opened.journal, checkpointer, layout, isClosed });
    const store = new Store(
      dataDir,
      lifecycle,
      { ctx, journal: opened.journal, swapHooks: options.swapHooks ?? {}, catalogue, loader, writes, checkpointer, materializer, log },
      opened.lock,
      ops,
      stats,
      opened.recovery,
    );
    if (options.backgroundLoad !== false) store.background = loader.loadInBackground();
    return store;
  }

  // ---- reads -------------------------------------------------------------------------------

  /** Files moved aside (or left unread) while loading; grows as namespaces load. */
  get problems(): StoreProblem[] {
    return this.parts.log.list;
  }

  /** Grows with every committed change anywhere (for caches spanning namespaces). */
  get generation(): number {
    return this.parts.catalogue.generation;
  }

  /** Every namespace, sorted by name. */
  namespaceNames(): readonly string[] {
    return this.parts.catalogue.names();
  }

  namespaceRecord(ns: string): NamespaceRecord | undefined {
    return this.parts.catalogue.entry(ns)?.record;
  }

  /** The namespace with its repos, loading them first if needed; undefined when missing. */
  namespace(ns: string): Promise<NamespaceState | undefined> {
    return this.parts.loader.namespace(ns);
  }

  /** A namespace's repos without their history, not kept in memory when they were not there; `upcoming` is read ahead (see Loader.readForExport). */
  readNamespaceForExport(ns: string, upcoming?: string): ReturnType<Loader['readForExport']> {
    return this.parts.loader.readForExport(ns, upcoming);
  }

  /** An export ended (done, failed or stopped): whatever it read ahead and did not take is let go. */
  endExportReads(): Promise<void> {
    return this.parts.loader.stopReadingAhead();
  }

  /** Namespaces read ahead for an export and not taken yet. */
  get exportReadAheadHeld(): number {
    return this.parts.loader.readAheadHeld;
  }

  /** The namespace when its repos are already in memory (after loadAll, say); else undefined. */
  loadedNamespace(ns: string): NamespaceState | undefined {
    return this.parts.catalogue.loaded(ns);
  }

  /** How many repos a namespace holds, without waiting for it to load (see Loader.repoCountHint). */
  repoCountHint(ns: string): Promise<number | undefined> {
    return this.parts.loader.repoCountHint(ns);
  }

  /** Resolves once every namespace's repos are in memory. */
  loadAll(): Promise<void> {
    return this.parts.loader.loadAll();
  }

  /** Resolves when the background load started by open has finished. */
  whenLoaded(): Promise<void> {
    return this.background;
  }

  onProblem(listener: (problem: StoreProblem) => void): () => void {
    return this.parts.log.onProblem(listener);
  }

  /** Every trash entry, by repo id (read at open, kept in memory). */
  trash(): ReadonlyMap<string, TrashRecord> {
    return this.parts.catalogue.trash;
  }

  /**
   * The entries of one of a repo's sealed history chunks, oldest first: from the journal's newest
   * content while its file is not written yet, else from the file. A chunk that is gone (dropped
   * since the record naming it was read) has none; one that is missing or does not parse is
   * reported (and moved aside) and has none.
   */
  async readHistoryChunk(repoId: string, first: string): Promise<readonly HistoryRecord[]> {
    const path = this.layout.historyChunk(repoId, first);
    const pending = this.parts.materializer.pendingContent(path);
    try {
      const raw = pending ? pending.data : await readJsonStrict(this.ops, path);
      if (raw === null) {
        if (!pending) this.parts.log.add(missingChunk(this.layout, repoId, first));
        return [];
      }
      return toChunkEntries(raw, repoId);
    } catch (err) {
      if (!(err instanceof CorruptFileError || err instanceof ShapeError)) throw storageError(err, `read ${path}`);
      const reason = err instanceof CorruptFileError ? err.reason : err.message;
      await this.parts.log.report(path, reason, 'The history entries it held are not shown.');
      return [];
    }
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Runs `fn` against the namespace's current records (plus earlier changes of its batch),
   * then writes what it changed; resolves with fn's result once it is durable.
   * `fn` must be synchronous and must not mutate records; a throw discards its changes only.
   */
  transact<R>(ns: string, fn: (tx: NamespaceTx) => R): Promise<R> {
    return this.parts.writes.transact(ns, fn);
  }

  /**
   * Makes every acknowledged write durable in its own file and drops the journal segments that
   * held it. Never rejects: a file that cannot be written is reported (see problems), and the
   * journal keeps it for the next checkpoint or the next open.
   */
  checkpoint(): Promise<void> {
    return this.parts.checkpointer.checkpoint();
  }

  // ---- imports (./imports) -------------------------------------------------------------------

  /** A new staging folder for an import's files (DATA/tmp/import-<id>). */
  stageImport(): ImportStaging {
    if (this.lifecycle.closed) throw closedError();
    return ImportStaging.create(this.layout);
  }

  /**
   * Makes the staged catalogue the whole catalogue at once, even across a crash; refused (conflict)
   * when the catalogue changed since `stagedAt`, its generation the staging was decided against
   * (see CatalogueImports).
   */
  async replaceCatalogue(staging: ImportStaging, namespaces: readonly NamespaceRecord[], stagedAt: number): Promise<void> {
    await this.imports.replace(staging, namespaces, stagedAt);
    this.background = this.background.then(() => this.parts.loader.loadInBackground());
    await this.imports.removeReplaced(staging);
  }

  /** Moves staged namespaces the catalogue lacks into it whole; answers the names moved in. */
  adoptNamespaces(staging: ImportStaging, namespaces: readonly NamespaceRecord[]): Promise<string[]> {
    return this.imports.adopt(staging, namespaces);
  }

  /** Flushes pending writes, checkpoints, stops loading and releases the folder's lock. */
  async close(): Promise<void> {
    if (this.lifecycle.closed) return;
    this.lifecycle.closed = true;
    const { materializer, writes, checkpointer } = this.parts;
    materializer.hurry();
    await writes.settled();
    await this.background.catch(() => undefined);
    checkpointer.stopTimer();
    await checkpointer.checkpoint();
    await this.parts.journal.close();
    await this.parts.loader.close();
    await this.lock?.release();
    this.lock = null;
  }
}

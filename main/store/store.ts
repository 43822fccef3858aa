/**
 * The data folder as Maps in memory over lowdb JSON files on disk (layout in ./layout).
 *
 * - Open: take the folder's lock, clear leftover temp files, check the schema, read every
 *   namespace.json; each namespace's repo files load on first use and in the background.
 * - Write: operations on one namespace are queued and committed in batches; each batch becomes one
 *   record of the write-ahead journal (./journal), and batches of every namespace share its
 *   fdatasyncs. Once the record is durable the new records are swapped into memory and the batch
 *   acknowledged. A journal append the disk refuses rejects its batch with storage_error before
 *   anything is swapped: memory equals what the files and the journal hold.
 * - Checkpoint (journal past a few MB, writes idle for a moment, close): write the files of every
 *   batch since the last one (./materializer), fsync them and their folders, then drop the journal
 *   segments they cover. Files are not rewritten between checkpoints: on ext4 (data=ordered) every
 *   file written would be flushed by the journal's next fdatasync, which costs more than the
 *   fsyncs the journal saves. Open replays whatever the journal still holds before loading.
 * - Close writes files for a bounded time only (closeWriteBudgetMs): after a burst, the rest
 *   stays in the journal, which is durable already, and the next open replays it.
 */
import { Low } from 'lowdb';
import { BerthError } from '../contract/errors';
import { join, relative } from 'node:path';
import { CorruptFileError, DurableJsonFile, fsyncDir, newWriteStats, readJsonStrictSync, type DurableContext, type WriteStats } from '../files/durable-file';
import { Journal, JournalFullError, type JournalFile } from './journal';
import { FileWriteError, Materializer } from './materializer';
import { DIR_MODE, errnoOf, nodeFileOps, type FileOps } from '../files/file-ops';
import { replayJournal } from './replay';
import { Layout, NAMESPACE_FILE, repoFileName } from './layout';
import { acquireLock, isLiveLockTemp, type DataDirLock } from './lock';
import { CURRENT_PLAN, migrate, NewerSchemaError, newerDataError, type FileKind, type SchemaPlan } from './migrations';
import { quarantineFile, type StoreProblem } from './quarantine';
import {
  namespaceFile,
  repoFile,
  ShapeError,
  toMeta,
  toNamespaceRecord,
  toRepoRecord,
  type MetaFile,
  type NamespaceFile,
  type NamespaceRecord,
  type RepoRecord,
} from './records';
import { Layer, LayeredTx, type NamespaceTx } from './namespace-tx';
import { storageError } from './storage-error';

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
}

/** A namespace with its repos loaded. Read-only views: never mutate. */
export interface NamespaceState {
  readonly record: NamespaceRecord;
  readonly repos: ReadonlyMap<string, RepoRecord>;
  /** Grows with every committed change, for caches derived from `repos`. */
  readonly version: number;
}

interface LoadTask {
  /** A request is waiting for this load. */
  urgent: boolean;
}

interface Entry {
  record: NamespaceRecord;
  repos: Map<string, RepoRecord> | null;
  loading: Promise<Map<string, RepoRecord>> | null;
  loadTask?: LoadTask | null;
  /** Repo files counted before the repos loaded (see repoCountHint). */
  fileCount?: number;
  version: number;
}

interface PendingOp {
  fn: (tx: NamespaceTx) => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

interface Writer {
  queue: PendingOp[];
  flushing: Promise<void> | null;
}

const LOAD_CONCURRENCY = 32;
/** A checkpoint starts once the journal's current segment holds this much. */
const CHECKPOINT_BYTES = 4 * 1024 * 1024;
/** ...or once no batch has committed for this long. */
const CHECKPOINT_IDLE_MS = 200;
/**
 * Close writes files for this long at most: whatever is left stays in the (durable) journal and
 * the next open replays it, so quitting after a burst of writes does not hang.
 */
const CLOSE_WRITE_BUDGET_MS = 1500;
/**
 * The journal's bound: far above CHECKPOINT_BYTES, so it is reached only when checkpoints keep
 * failing. It bounds the disk the journal takes and the memory of files waiting to be written
 * (their newest content, which the journal's segments hold).
 */
const JOURNAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** Longest stretch a load blocks the event loop: short in the background, longer when awaited. */
const BACKGROUND_SLICE_MS = 4;
const URGENT_SLICE_MS = 20;
const NAME_LIKE = /^[a-z0-9][a-z0-9._-]*$/;

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function closedError(): BerthError {
  return new BerthError('storage_error', 'The data store is closed.');
}

export class Store {
  readonly layout: Layout;
  /** Files moved aside (or left unread) while loading; grows as namespaces load. */
  readonly problems: StoreProblem[] = [];
  /** What the store has written since open (tests read it; so may a status view). */
  readonly stats: WriteStats = newWriteStats();
  /** What open found in the journal: records replayed, and bytes of a torn tail ignored. */
  recovery = { records: 0, ignoredBytes: 0 };

  private readonly ops: FileOps;
  private readonly ctx: DurableContext;
  private readonly entries = new Map<string, Entry>();
  private readonly writers = new Map<string, Writer>();
  private readonly problemListeners = new Set<(p: StoreProblem) => void>();
  private sortedNames: string[] | null = null;
  private generationCounter = 0;
  private closed = false;
  private closeWriteBudgetMs = CLOSE_WRITE_BUDGET_MS;
  private background: Promise<void> = Promise.resolve();
  private lock: DataDirLock | null = null;
  private urgentLoads = 0;
  private wakeBackground: (() => void) | null = null;
  private journal: Journal | null = null;
  private readonly materializer: Materializer;
  private checkpointChain: Promise<void> = Promise.resolve();
  private checkpointQueued: Promise<void> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** A file write failed since the last good checkpoint (reported once). */
  private backlogReported = false;
  /** Why the last checkpoint failed (null after a good one): the cause a full journal names. */
  private backlogCause: string | null = null;
  private journalLimitBytes = JOURNAL_LIMIT_BYTES;
  /** Namespaces deleted since the last checkpoint, whose empty folders it removes. */
  private readonly deletedNamespaces = new Set<string>();

  private constructor(
    readonly dataDir: string,
    ops: FileOps,
    private readonly plan: SchemaPlan,
  ) {
    this.layout = new Layout(dataDir);
    this.ops = ops;
    this.ctx = { ops, tmpDir: this.layout.tmp, stats: this.stats };
    this.materializer = new Materializer(this.ctx, this.layout, (path, reason) => this.moveAside(path, reason));
  }

  static async open(dataDir: string, options: OpenStoreOptions = {}): Promise<Store> {
    const store = new Store(dataDir, options.fileOps ?? nodeFileOps, options.schema ?? CURRENT_PLAN);
    store.closeWriteBudgetMs = options.closeWriteBudgetMs ?? CLOSE_WRITE_BUDGET_MS;
    store.journalLimitBytes = options.journalLimitBytes ?? JOURNAL_LIMIT_BYTES;
    try {
      await store.start();
    } catch (err) {
      throw storageError(err, `open the data folder ${dataDir}`);
    }
    if (options.backgroundLoad !== false) store.background = store.loadInBackground();
    return store;
  }

  // ---- reads -------------------------------------------------------------------------------

  /** Grows with every committed change anywhere (for caches spanning namespaces). */
  get generation(): number {
    return this.generationCounter;
  }

  /** Every namespace, sorted by name. */
  namespaceNames(): readonly string[] {
    if (!this.sortedNames) this.sortedNames = [...this.entries.keys()].sort();
    return this.sortedNames;
  }

  namespaceRecord(ns: string): NamespaceRecord | undefined {
    return this.entries.get(ns)?.record;
  }

  /** The namespace with its repos, loading them first if needed; undefined when missing. */
  async namespace(ns: string): Promise<NamespaceState | undefined> {
    const entry = this.entries.get(ns);
    if (!entry) return undefined;
    if (!entry.repos) await this.ensureLoaded(ns, entry);
    const current = this.entries.get(ns);
    if (!current || !current.repos) return undefined;
    return { record: current.record, repos: current.repos, version: current.version };
  }

  /** The namespace when its repos are already in memory (after loadAll, say); else undefined. */
  loadedNamespace(ns: string): NamespaceState | undefined {
    const entry = this.entries.get(ns);
    if (!entry || !entry.repos) return undefined;
    return { record: entry.record, repos: entry.repos, version: entry.version };
  }

  /**
   * How many repos a namespace holds, without waiting for it to load: exact once loaded, else
   * the number of repo files in its folder (a file that turns out unreadable is set aside when
   * the namespace loads, and the count follows).
   */
  async repoCountHint(ns: string): Promise<number | undefined> {
    const entry = this.entries.get(ns);
    if (!entry) return undefined;
    if (entry.repos) return entry.repos.size;
    if (entry.fileCount === undefined) {
      try {
        const files = await this.ops.readdir(this.layout.reposDir(ns));
        entry.fileCount = files.filter((f) => f.endsWith('.json')).length;
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw storageError(err, `read namespace ${ns}`);
        entry.fileCount = 0;
      }
    }
    return entry.repos ? (entry.repos as Map<string, RepoRecord>).size : entry.fileCount;
  }

  /** Resolves once every namespace's repos are in memory. */
  async loadAll(): Promise<void> {
    await mapLimit([...this.entries.keys()], 4, async (ns) => {
      await this.namespace(ns);
    });
  }

  /** Resolves when the background load started by open has finished. */
  whenLoaded(): Promise<void> {
    return this.background;
  }

  onProblem(listener: (problem: StoreProblem) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Runs `fn` against the namespace's current records (plus earlier changes of its batch),
   * then writes what it changed; resolves with fn's result once the files are on disk.
   * `fn` must be synchronous and must not mutate records; a throw discards its changes only.
   */
  transact<R>(ns: string, fn: (tx: NamespaceTx) => R): Promise<R> {
    if (this.closed) return Promise.reject(closedError());
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
   * Makes every acknowledged write durable in its own file and drops the journal segments that
   * held it. Never rejects: a file that cannot be written is reported (see problems), and the
   * journal keeps it for the next checkpoint or the next open.
   */
  checkpoint(): Promise<void> {
    if (this.checkpointQueued) return this.checkpointQueued;
    const run = this.checkpointChain.then(() => {
      this.checkpointQueued = null;
      return this.runCheckpoint();
    });
    this.checkpointQueued = run;
    this.checkpointChain = run;
    return run;
  }

  /** Flushes pending writes, checkpoints, stops loading and releases the folder's lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.materializer.hurry();
    await Promise.all([...this.writers.values()].map((w) => w.flushing));
    await this.background.catch(() => undefined);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.journal) await this.checkpoint();
    await this.lock?.release();
    this.lock = null;
  }

  private async runCheckpoint(): Promise<void> {
    const journal = this.journal;
    if (!journal || (journal.empty && !this.materializer.hasUnsynced)) return;
    const covered = await journal.rotate();
    const urgent = this.closed;
    try {
      // Stopped early: for close, whose checkpoint (right after this one) writes the rest; or
      // close's own time ran out, and the durable journal keeps the rest for the next open.
      const deadline = urgent ? performance.now() + this.closeWriteBudgetMs : Infinity;
      if (!(await this.materializer.writeAll(urgent, deadline))) return;
      for (const ns of this.deletedNamespaces) {
        if (!this.entries.has(ns)) await this.materializer.removeNamespaceDirs(ns);
        this.deletedNamespaces.delete(ns);
      }
      await this.materializer.sync(urgent);
      await journal.drop(covered);
      this.backlogReported = false;
      this.backlogCause = null;
    } catch (err) {
      await this.reportBacklog(journal, err);
    }
  }

  /**
   * A checkpoint failed: says which file and why, and whether the changes are safe in the
   * journal, which it reads back to check before saying so.
   */
  private async reportBacklog(journal: Journal, err: unknown): Promise<void> {
    const file = err instanceof FileWriteError ? relative(this.dataDir, err.path) : 'journal';
    const what = file === 'journal' ? 'the files of acknowledged changes' : file;
    const reason = storageError(err, `write ${what}`).message;
    this.backlogCause = reason.replace(/^Could not /, '').replace(/\.$/, '');
    if (this.backlogReported && !this.closed) return;
    this.backlogReported = true;
    const unsafe = await journal.verify().catch((e: unknown) => `the journal could not be read back (${(e as Error).message})`);
    const fate = unsafe
      ? `Some acknowledged changes may be lost: ${unsafe}.`
      : `Those changes are safe in the journal (read back and checked) and are written out at the next checkpoint or start.`;
    this.addProblem({ file, moved_to: null, reason, message: `${reason} ${fate}` });
  }

  /** A write the full journal refused, naming why the journal could not be emptied. */
  private journalFull(err: JournalFullError): BerthError {
    const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
    const why = this.backlogCause ? `: ${this.backlogCause}` : '';
    return new BerthError(
      'storage_error',
      `Could not save: the journal is full (${mib(err.heldBytes)} of changes wait to be written to their files, at most ${mib(err.limitBytes)})${why}.`,
    );
  }

  /** What stands where a file must go is moved to the quarantine folder (kept) and reported. */
  private async moveAside(path: string, reason: string): Promise<boolean> {
    const problem = await quarantineFile(this.ops, this.dataDir, this.layout.quarantine, path, reason, 'The file was then written in its place.');
    this.addProblem({ ...problem, message: problem.message.replace(' could not be read: ', ' could not be written: ') });
    return problem.moved_to !== null;
  }

  private afterCommit(): void {
    if (this.closed || !this.journal) return;
    if (this.journal.size >= CHECKPOINT_BYTES) void this.checkpoint();
    if (this.idleTimer) this.idleTimer.refresh();
    else {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        if (!this.closed) void this.checkpoint();
      }, CHECKPOINT_IDLE_MS);
      this.idleTimer.unref();
    }
  }

  // ---- open --------------------------------------------------------------------------------

  private async start(): Promise<void> {
    const { ops, layout } = this;
    await ops.mkdir(this.dataDir, { recursive: true, mode: DIR_MODE });
    // A folder made by an older build, or by hand, is tightened: private repos are in it.
    await ops.chmod(this.dataDir, DIR_MODE).catch((err: unknown) => {
      const reason = `its permissions could not be limited to this user (${errnoOf(err) ?? String(err)})`;
      this.addProblem({ file: '.', moved_to: null, reason, message: `The data folder ${this.dataDir}: ${reason}; other users of this machine may be able to read it.` });
    });
    await ops.mkdir(layout.tmp, { recursive: true, mode: DIR_MODE });
    this.lock = await acquireLock(ops, this.dataDir, layout.lock, layout.tmp);
    try {
      await this.cleanTemp();
      for (const dir of [layout.quarantine, layout.namespaces, layout.journal]) await ops.mkdir(dir, { recursive: true, mode: DIR_MODE });
      await fsyncDir(ops, this.dataDir);
      await this.replayJournal();
      await this.checkSchema();
      await this.readNamespaces();
    } catch (err) {
      await this.lock.release().catch(() => undefined);
      this.lock = null;
      throw err;
    }
  }

  /** Temp files are writes a crash interrupted: never loaded, always removed. */
  private async cleanTemp(): Promise<void> {
    for (const name of await this.ops.readdir(this.layout.tmp)) {
      if (isLiveLockTemp(name)) continue;
      await this.ops.rm(join(this.layout.tmp, name), { force: true, recursive: true });
    }
  }

  /** Replays what the journal holds (see ./replay), then starts a new one after it. */
  private async replayJournal(): Promise<void> {
    const { ops, layout } = this;
    const replayed = await replayJournal(
      this.ctx,
      layout,
      (path, reason) => this.moveAside(path, reason),
      (path, reason, consequence) => quarantineFile(ops, this.dataDir, layout.quarantine, path, reason, consequence),
      (problem) => this.addProblem(problem),
    );
    this.recovery.records += replayed.records;
    this.recovery.ignoredBytes += replayed.ignoredBytes;
    this.journal = new Journal(ops, layout.journal, this.stats, replayed.lastSegment + 1, (files) => this.stageDurable(files), this.journalLimitBytes);
    await this.journal.drop(replayed.segments);
  }

  private stageDurable(files: readonly JournalFile[]): void {
    this.materializer.stage(files.map((f) => ({ abs: join(this.dataDir, f.path), data: f.data })));
  }

  private async checkSchema(): Promise<void> {
    const low = new Low<MetaFile | null>(new DurableJsonFile<MetaFile | null>(this.ctx, this.layout.meta), null);
    let meta: MetaFile | null = null;
    try {
      await low.read();
      if (low.data) meta = toMeta(low.data);
    } catch (err) {
      if (!(err instanceof CorruptFileError || err instanceof ShapeError)) throw err;
      await this.report(this.layout.meta, err.message, 'A new berth.json was written; the namespaces and repos are unaffected.');
    }
    if (meta && meta.schema_version > this.plan.version) {
      throw newerDataError(this.dataDir, meta.schema_version, this.plan.version);
    }
    if (!meta || meta.schema_version !== this.plan.version) {
      low.data = { schema_version: this.plan.version, created_at: meta?.created_at ?? new Date().toISOString() };
      await low.write();
    }
  }

  private async readNamespaces(): Promise<void> {
    const dirents = await this.ops.readdir(this.layout.namespaces, { withFileTypes: true });
    const names: string[] = [];
    for (const d of dirents) {
      if (d.isDirectory() && NAME_LIKE.test(d.name)) names.push(d.name);
      else this.addProblem({ file: `namespaces/${d.name}`, moved_to: null, reason: 'not a namespace folder', message: `namespaces/${d.name} is not a namespace folder; it was left alone and ignored.` });
    }
    await mapLimit(names, LOAD_CONCURRENCY, async (ns) => {
      const record = await this.readNamespaceFile(ns);
      if (record) this.entries.set(ns, { record, repos: null, loading: null, version: 0 });
    });
    this.sortedNames = null;
  }

  private async readNamespaceFile(ns: string): Promise<NamespaceRecord | null> {
    const path = this.layout.namespaceFile(ns);
    const low = new Low<unknown>(new DurableJsonFile<unknown>(this.ctx, path), null);
    try {
      await low.read();
      if (low.data !== null) {
        const record = toNamespaceRecord(this.migrated('namespace', path, low.data));
        if (record.namespace !== ns) throw new ShapeError(`it names namespace "${record.namespace}" but sits in folder "${ns}"`);
        return record;
      }
    } catch (err) {
      if (!(err instanceof CorruptFileError || err instanceof ShapeError || err instanceof NewerSchemaError)) throw err;
      const createdAt = await this.ops
        .stat(path)
        .then((s) => s.mtime.toISOString())
        .catch(() => new Date().toISOString());
      const reason = err instanceof CorruptFileError ? err.reason : err.message;
      await this.report(path, reason, `Namespace ${ns} was kept with a new namespace.json; its repos are unaffected.`);
      return this.rebuildNamespaceFile(ns, createdAt);
    }
    // namespace.json missing: an interrupted create or delete left the folder behind.
    const repoFiles = await this.ops.readdir(this.layout.reposDir(ns)).catch((e: unknown) => {
      if (errnoOf(e) === 'ENOENT') return [] as string[];
      throw e;
    });
    if (repoFiles.length === 0) {
      await this.ops.rm(this.layout.namespaceDir(ns), { recursive: true, force: true });
      return null;
    }
    this.addProblem({
      file: `namespaces/${ns}/${NAMESPACE_FILE}`,
      moved_to: null,
      reason: 'the file is missing',
      message: `namespaces/${ns}/${NAMESPACE_FILE} was missing although the namespace holds repos; a new one was written.`,
    });
    return this.rebuildNamespaceFile(ns, new Date().toISOString());
  }

  private async rebuildNamespaceFile(ns: string, createdAt: string): Promise<NamespaceRecord> {
    const record: NamespaceRecord = { namespace: ns, created_at: createdAt };
    const low = new Low<NamespaceFile>(new DurableJsonFile<NamespaceFile>(this.ctx, this.layout.namespaceFile(ns)), namespaceFile(record));
    await low.write();
    return record;
  }

  private migrated(kind: FileKind, path: string, raw: unknown): Record<string, unknown> {
    return migrate(this.plan, kind, path, raw);
  }

  // ---- loading repos -----------------------------------------------------------------------

  private async loadInBackground(): Promise<void> {
    for (const ns of this.namespaceNames()) {
      if (this.closed) return;
      const entry = this.entries.get(ns);
      if (!entry || entry.repos) continue;
      try {
        await this.ensureLoaded(ns, entry, false);
      } catch (err) {
        if (this.closed) return;
        this.addProblem({
          file: `namespaces/${ns}`,
          moved_to: null,
          reason: (err as Error).message,
          message: `The repos of namespace ${ns} could not be loaded: ${(err as Error).message}.`,
        });
      }
    }
  }

  /**
   * Loads a namespace's repos once (concurrent callers share the load). A request waiting for
   * them makes the load urgent: background loads pause while an urgent one runs.
   */
  private ensureLoaded(ns: string, entry: Entry, urgent = true): Promise<Map<string, RepoRecord>> {
    if (entry.repos) return Promise.resolve(entry.repos);
    if (!entry.loading) {
      const task: LoadTask = { urgent: false };
      entry.loadTask = task;
      entry.loading = this.readRepos(ns, task).then(
        (repos) => {
          entry.repos = repos;
          this.generationCounter++;
          return repos;
        },
        (err: unknown) => {
          throw storageError(err, `read namespace ${ns}`);
        },
      );
      void entry.loading
        .finally(() => {
          entry.loading = null;
          entry.loadTask = null;
          if (task.urgent) this.endUrgent();
        })
        .catch(() => undefined);
    }
    if (urgent && entry.loadTask && !entry.loadTask.urgent) {
      entry.loadTask.urgent = true;
      this.urgentLoads++;
    }
    return entry.loading;
  }

  private endUrgent(): void {
    this.urgentLoads--;
    if (this.urgentLoads === 0) {
      const wake = this.wakeBackground;
      this.wakeBackground = null;
      wake?.();
    }
  }

  /** Between slices: lets requests run, and holds a background load while an urgent one runs. */
  private async yieldSlice(task: LoadTask): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (!task.urgent && this.urgentLoads > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const previous = this.wakeBackground;
        this.wakeBackground = () => {
          previous?.();
          resolve();
        };
      });
    }
  }

  /**
   * Reads repo files with blocking calls in short time slices: tens of thousands of small files
   * load several times faster than through the thread pool, and requests still run in between.
   */
  private async readRepos(ns: string, task: LoadTask): Promise<Map<string, RepoRecord>> {
    const dir = this.layout.reposDir(ns);
    let files: string[];
    try {
      files = await this.ops.readdir(dir);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
      await this.ops.mkdir(dir, { recursive: true });
      files = [];
    }
    files.sort();
    const repos = new Map<string, RepoRecord>();
    let sliceStart = performance.now();
    for (const file of files) {
      if (performance.now() - sliceStart > (task.urgent ? URGENT_SLICE_MS : BACKGROUND_SLICE_MS)) {
        await this.yieldSlice(task);
        // Closing does not wait for a big namespace to finish loading.
        if (this.closed) throw closedError();
        sliceStart = performance.now();
      }
      if (!file.endsWith('.json')) {
        this.addProblem({ file: `namespaces/${ns}/repos/${file}`, moved_to: null, reason: 'not a repo file', message: `namespaces/${ns}/repos/${file} is not a repo file; it was left alone and ignored.` });
        continue;
      }
      const repo = await this.readRepoFile(ns, join(dir, file), file);
      if (repo) repos.set(repo.repo_name, repo);
    }
    return repos;
  }

  /** One repo file; null (and a problem reported) when it is missing, corrupt or too new. */
  private async readRepoFile(ns: string, path: string, file: string): Promise<RepoRecord | null> {
    try {
      const raw = readJsonStrictSync(path);
      if (raw === null) return null;
      const { namespace, repo } = toRepoRecord(this.migrated('repo', path, raw));
      if (namespace !== ns) throw new ShapeError(`it names namespace "${namespace}" but sits in folder "${ns}"`);
      if (repoFileName(repo.repo_name) !== file) throw new ShapeError(`it names repo "${repo.repo_name}" but is called ${file}`);
      return repo;
    } catch (err) {
      if (!(err instanceof CorruptFileError || err instanceof ShapeError || err instanceof NewerSchemaError)) throw err;
      const reason = err instanceof CorruptFileError ? err.reason : err.message;
      await this.report(path, reason, `The repo it held is not shown.`);
      return null;
    }
  }

  private async report(path: string, reason: string, consequence: string): Promise<void> {
    this.addProblem(await quarantineFile(this.ops, this.dataDir, this.layout.quarantine, path, reason, consequence));
  }

  private addProblem(problem: StoreProblem): void {
    this.problems.push(problem);
    for (const listener of this.problemListeners) listener(problem);
  }

  // ---- group commit ------------------------------------------------------------------------

  private async flush(ns: string, writer: Writer): Promise<void> {
    try {
      while (writer.queue.length > 0) {
        const batch = writer.queue.splice(0);
        try {
          await this.commitBatch(ns, batch);
        } catch (err) {
          // Unexpected (a bug, not a disk error): never leave a caller waiting. Settled ops ignore this.
          const failure = storageError(err);
          for (const op of batch) op.reject(failure);
        }
      }
    } finally {
      writer.flushing = null;
      if (writer.queue.length === 0) this.writers.delete(ns);
      else writer.flushing = this.flush(ns, writer);
    }
  }

  private async commitBatch(ns: string, batch: PendingOp[]): Promise<void> {
    let entry = this.entries.get(ns);
    if (entry && !entry.repos) {
      try {
        await this.ensureLoaded(ns, entry);
      } catch (err) {
        for (const op of batch) op.reject(err);
        return;
      }
      entry = this.entries.get(ns);
    }
    const base = { record: entry?.record, repos: entry?.repos ?? new Map<string, RepoRecord>() };
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
      if (batchLayer.changed) this.applyLayer(ns, base, batchLayer);
      for (const d of done) d.op.resolve(d.result);
      return;
    }
    try {
      if (!this.journal) throw closedError();
      // At its bound, the journal waits for a checkpoint to let segments go (one, shared).
      if (this.journal.full && !this.closed) await this.checkpoint();
      await this.journal.append(files);
    } catch (err) {
      // Nothing was swapped: memory still equals what the files and the journal hold.
      const failure = err instanceof JournalFullError ? this.journalFull(err) : storageError(err);
      for (const d of done) {
        if (d.changed) d.op.reject(failure);
        else d.op.resolve(d.result);
      }
      return;
    }
    // Durable from here on; the files follow at the next checkpoint.
    if (batchLayer.nsRecord === null) this.deletedNamespaces.add(ns);
    this.applyLayer(ns, base, batchLayer);
    for (const d of done) d.op.resolve(d.result);
    this.afterCommit();
  }

  /** The repo files a layer changes: name -> new record, or null to delete. */
  private repoChanges(base: { repos: ReadonlyMap<string, RepoRecord> }, layer: Layer): Map<string, RepoRecord | null> {
    const changes = new Map<string, RepoRecord | null>();
    if (layer.cleared) for (const name of base.repos.keys()) changes.set(name, null);
    for (const [name, rec] of layer.repos) {
      if (rec === null && !base.repos.has(name)) changes.delete(name);
      else changes.set(name, rec);
    }
    return changes;
  }

  /** A batch's files with their whole new content (null: delete), as its journal record holds them. */
  private layerFiles(ns: string, base: { record: NamespaceRecord | undefined; repos: ReadonlyMap<string, RepoRecord> }, layer: Layer): JournalFile[] {
    const { layout } = this;
    const files: JournalFile[] = [];
    if (layer.nsRecord) files.push({ path: layout.namespaceFileRel(ns), data: namespaceFile(layer.nsRecord) });
    else if (layer.nsRecord === null && base.record) files.push({ path: layout.namespaceFileRel(ns), data: null });
    for (const [name, rec] of this.repoChanges(base, layer)) {
      files.push({ path: layout.repoFileRel(ns, name), data: rec ? repoFile(ns, rec) : null });
    }
    return files;
  }

  private applyLayer(ns: string, base: { repos: ReadonlyMap<string, RepoRecord> }, layer: Layer): void {
    const changes = this.repoChanges(base, layer);
    this.generationCounter++;
    if (layer.nsRecord === null) {
      this.entries.delete(ns);
      this.sortedNames = null;
      return;
    }
    let entry = this.entries.get(ns);
    if (!entry) {
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

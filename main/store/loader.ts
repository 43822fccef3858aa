/**
 * Loading repos: a namespace's repo files are read on first use, and every namespace's in the
 * background after open. A load a request waits for is urgent: background loads pause while one
 * runs. Files are read with blocking calls in short time slices — tens of thousands of small
 * files load several times faster than through the thread pool, and requests still run between
 * slices.
 */
import { basename, join } from 'node:path';
import pLimit from 'p-limit';
import { BerthError } from '../contract/errors';
import { CorruptFileError, readBlocking, readJsonStrict, type ReadText } from '../files/durable-file';
import { errnoOf, type FileOps } from '../files/file-ops';
import { FolderReadAhead } from '../files/read-ahead';
import type { Catalogue, Entry, LoadTask, NamespaceState } from './catalogue';
import { repoFileName, type Layout } from './layout';
import { migrate, NewerSchemaError, type SchemaPlan } from './migrations';
import type { ProblemLog } from './quarantine';
import { ShapeError, toRepoRecord, withoutHistoryTail, type NamespaceRecord, type RepoRecord, type RepoWithoutHistory } from './records';
import { storageError } from './storage-error';

/** Longest stretch a load blocks the event loop: short in the background, longer when awaited. */
const BACKGROUND_SLICE_MS = 4;
const URGENT_SLICE_MS = 20;
/** Namespaces loadAll reads at once. */
const LOAD_ALL_CONCURRENCY = 4;

export function closedError(): BerthError {
  return new BerthError('storage_error', 'The data store is closed.');
}

export interface LoaderDeps {
  catalogue: Catalogue;
  ops: FileOps;
  layout: Layout;
  plan: SchemaPlan;
  problems: ProblemLog;
  isClosed: () => boolean;
}

export class Loader {
  private urgentLoads = 0;
  private wakeBackground: (() => void) | null = null;
  /** While set, loads wait before reading anything (see pause). */
  private gate: { closed: Promise<void>; open: () => void } | null = null;
  /** Reads an export's next namespace (see readForExport), and for which entry it was asked. */
  private readAhead: FolderReadAhead | null = null;
  private readonly readAheadEntries = new Map<string, Entry>();

  constructor(private readonly deps: LoaderDeps) {}

  /** The namespace with its repos, loading them first if needed; undefined when missing. */
  async namespace(ns: string): Promise<NamespaceState | undefined> {
    // Again after a load: an import may have swapped in a new catalogue meanwhile.
    for (;;) {
      const entry = this.deps.catalogue.entry(ns);
      if (!entry) return undefined;
      if (entry.repos) return this.deps.catalogue.loaded(ns);
      await this.ensureLoaded(ns, entry);
    }
  }

  /**
   * A namespace's repos for an export, without their history tails and without keeping them in
   * memory when they are not there yet: read from its files, which hold all of a namespace that
   * is not in memory. For reading a whole catalogue once, as an export of a folder opened for it
   * does, without holding all of it. `upcoming`, the namespace the export reads next, has its
   * files read in a worker meanwhile.
   */
  async readForExport(
    ns: string,
    upcoming?: string,
  ): Promise<{ record: NamespaceRecord; repos: ReadonlyMap<string, RepoWithoutHistory> } | undefined> {
    const entry = this.deps.catalogue.entry(ns);
    if (!entry) return undefined;
    if (entry.repos || entry.loading) return this.namespace(ns);
    const texts = await this.takeReadAhead(ns, entry);
    this.readAheadFor(upcoming);
    const read: ReadText = (path) => withoutHistoryTail(texts.get(basename(path)) ?? (readBlocking(path) as string));
    let repos: Map<string, RepoWithoutHistory>;
    try {
      repos = await this.readRepos(ns, { urgent: true }, entry, read);
    } catch (err) {
      throw storageError(err, `read namespace ${ns}`);
    }
    // Loaded (and maybe written) or swapped out meanwhile: what memory holds now is the truth.
    if (this.deps.catalogue.entry(ns) !== entry || entry.repos) return this.namespace(ns);
    return { record: entry.record, repos };
  }

  /** Stops reading ahead (the store is closing). */
  async close(): Promise<void> {
    await this.stopReadingAhead();
  }

  /** Namespaces read ahead for an export and not taken yet. */
  get readAheadHeld(): number {
    return this.readAheadEntries.size;
  }

  /**
   * Lets go of what was read ahead and not taken (an export that stopped early), and stops the
   * worker; another export running meanwhile reads its next namespace itself.
   */
  async stopReadingAhead(): Promise<void> {
    this.readAheadEntries.clear();
    const ahead = this.readAhead;
    this.readAhead = null;
    await ahead?.close();
  }

  /** Starts reading a namespace's files in the worker, when they are all it has. */
  private readAheadFor(ns: string | undefined): void {
    const entry = ns === undefined ? undefined : this.deps.catalogue.entry(ns);
    if (!ns || !entry || entry.repos || entry.loading) return;
    this.readAhead ??= new FolderReadAhead('.json');
    this.readAhead.request(this.deps.layout.reposDir(ns));
    this.readAheadEntries.set(ns, entry);
  }

  /**
   * What the worker read of a namespace's files, by name (empty when nothing was asked for). Read
   * for another entry of that name, before a catalogue swap, it is the old catalogue's: dropped.
   */
  private async takeReadAhead(ns: string, entry: Entry): Promise<Map<string, string>> {
    const readFor = this.readAheadEntries.get(ns);
    if (!this.readAhead || !readFor) return new Map();
    this.readAheadEntries.delete(ns);
    const texts = await this.readAhead.take(this.deps.layout.reposDir(ns));
    return readFor === entry && this.deps.catalogue.entry(ns) === entry ? texts : new Map();
  }

  /**
   * Holds every load not yet started and resolves once those in progress have finished: a load
   * that ran on across a catalogue swap would mix the two catalogues' files.
   */
  async pause(): Promise<void> {
    if (!this.gate) {
      let open = () => undefined as void;
      const closed = new Promise<void>((resolve) => (open = resolve));
      this.gate = { closed, open };
    }
    const { catalogue } = this.deps;
    for (const ns of catalogue.names()) {
      const entry = catalogue.entry(ns);
      // Hurried: nothing else runs until they are done.
      if (entry?.loading) void this.ensureLoaded(ns, entry, true).catch(() => undefined);
    }
    await Promise.all(catalogue.loadsInFlight());
  }

  resume(): void {
    const gate = this.gate;
    this.gate = null;
    gate?.open();
  }

  /** Resolves once every namespace's repos are in memory. */
  async loadAll(): Promise<void> {
    await pLimit(LOAD_ALL_CONCURRENCY).map(this.deps.catalogue.names(), (ns) => this.namespace(ns));
  }

  /**
   * How many repos a namespace holds, without waiting for it to load: exact once loaded, else
   * the number of repo files in its folder (a file that turns out unreadable is set aside when
   * the namespace loads, and the count follows).
   */
  async repoCountHint(ns: string): Promise<number | undefined> {
    const entry = this.deps.catalogue.entry(ns);
    if (!entry) return undefined;
    if (entry.repos) return entry.repos.size;
    if (entry.fileCount === undefined) {
      try {
        const files = await this.deps.ops.readdir(this.deps.layout.reposDir(ns));
        entry.fileCount = files.filter((f) => f.endsWith('.json')).length;
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw storageError(err, `read namespace ${ns}`);
        entry.fileCount = 0;
      }
    }
    return entry.repos ? (entry.repos as Map<string, RepoRecord>).size : entry.fileCount;
  }

  /** Loads every namespace not loaded yet, one after another; a namespace that fails is reported. */
  async loadInBackground(): Promise<void> {
    const { catalogue, problems, isClosed } = this.deps;
    for (const ns of catalogue.names()) {
      if (isClosed()) return;
      const entry = catalogue.entry(ns);
      if (!entry || entry.repos) continue;
      try {
        await this.ensureLoaded(ns, entry, false);
      } catch (err) {
        if (isClosed()) return;
        problems.add({
          file: `namespaces/${ns}`,
          moved_to: null,
          reason: (err as Error).message,
          message: `The repos of namespace ${ns} could not be loaded: ${(err as Error).message}.`,
        });
      }
    }
  }

  /** Loads a namespace's repos once (concurrent callers share the load). */
  ensureLoaded(ns: string, entry: Entry, urgent = true): Promise<Map<string, RepoRecord>> {
    if (entry.repos) return Promise.resolve(entry.repos);
    if (!entry.loading) {
      const task: LoadTask = { urgent: false };
      entry.loadTask = task;
      entry.loading = this.readRepos(ns, task, entry).then(
        (repos) => {
          entry.repos = repos;
          this.deps.catalogue.touch();
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
    while (!task.urgent && this.urgentLoads > 0 && !this.deps.isClosed()) {
      await new Promise<void>((resolve) => {
        const previous = this.wakeBackground;
        this.wakeBackground = () => {
          previous?.();
          resolve();
        };
      });
    }
  }

  /** `read` other than readBlocking may leave each repo's history out unread (RepoWithoutHistory, see readForExport). */
  private async readRepos(ns: string, task: LoadTask, entry: Entry, read: ReadText = readBlocking): Promise<Map<string, RepoRecord>> {
    const { ops, layout, problems, isClosed } = this.deps;
    while (this.gate) await this.gate.closed;
    if (isClosed()) throw closedError();
    // Swapped out while it waited: its callers look again and load the new catalogue's.
    if (this.deps.catalogue.entry(ns) !== entry) return new Map();
    const dir = layout.reposDir(ns);
    let files: string[];
    try {
      files = await ops.readdir(dir);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
      await ops.mkdir(dir, { recursive: true });
      files = [];
    }
    files.sort();
    const repos = new Map<string, RepoRecord>();
    let sliceStart = performance.now();
    for (const file of files) {
      if (performance.now() - sliceStart > (task.urgent ? URGENT_SLICE_MS : BACKGROUND_SLICE_MS)) {
        await this.yieldSlice(task);
        // Closing does not wait for a big namespace to finish loading.
        if (isClosed()) throw closedError();
        sliceStart = performance.now();
      }
      if (!file.endsWith('.json')) {
        const rel = `namespaces/${ns}/repos/${file}`;
        problems.add({
          file: rel,
          moved_to: null,
          reason: 'not a repo file',
          message: `${rel} is not a repo file; it was left alone and ignored.`,
        });
        continue;
      }
      const repo = await this.readRepoFile(ns, join(dir, file), file, read);
      if (repo) repos.set(repo.repo_name, repo);
    }
    return repos;
  }

  /** One repo file; null (and a problem reported) when it is missing, corrupt or too new. */
  private async readRepoFile(ns: string, path: string, file: string, read: ReadText): Promise<RepoRecord | null> {
    try {
      const raw = await readJsonStrict(read, path);
      if (raw === null) return null;
      const { namespace, repo } = toRepoRecord(migrate(this.deps.plan, 'repo', path, raw));
      if (namespace !== ns) throw new ShapeError(`it names namespace "${namespace}" but sits in folder "${ns}"`);
      if (repoFileName(repo.repo_name) !== file) throw new ShapeError(`it names repo "${repo.repo_name}" but is called ${file}`);
      return repo;
    } catch (err) {
      if (!(err instanceof CorruptFileError || err instanceof ShapeError || err instanceof NewerSchemaError)) throw err;
      const reason = err instanceof CorruptFileError ? err.reason : err.message;
      await this.deps.problems.report(path, reason, `The repo it held is not shown.`);
      return null;
    }
  }
}

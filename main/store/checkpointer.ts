/**
 * Checkpoints: write the files of every batch the journal holds (./materializer), make them and
 * their folders durable, then drop the journal segments they cover. One runs when the journal's
 * segment passes a few MB, when writes have been idle for a moment, when the journal is full,
 * and at close (for a bounded time: whatever is left stays in the durable journal and the next
 * open replays it). Files are not rewritten between checkpoints: on ext4 (data=ordered) every
 * file written would be flushed by the journal's next fdatasync, which costs more than the
 * fsyncs the journal saves. A checkpoint never rejects: a file that cannot be written is
 * reported, and the journal keeps it for the next checkpoint or the next open.
 */
import { join, relative } from 'node:path';
import { BerthError } from '../contract/errors';
import type { Catalogue } from './catalogue';
import type { Journal, JournalFullError } from './journal';
import { FileWriteError, type Materializer } from './materializer';
import type { ProblemLog } from './quarantine';
import { storageError } from './storage-error';

/** A checkpoint starts once the journal's current segment holds this much. */
const CHECKPOINT_BYTES = 4 * 1024 * 1024;
/** ...or once no batch has committed for this long. */
const CHECKPOINT_IDLE_MS = 200;

export interface CheckpointerDeps {
  journal: Journal;
  materializer: Materializer;
  catalogue: Catalogue;
  problems: ProblemLog;
  dataDir: string;
  /** Longest the checkpoint at close spends writing files. */
  closeWriteBudgetMs: number;
  isClosed: () => boolean;
}

export class Checkpointer {
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  /** The checkpoint running now, if any. */
  private current: Promise<void> | null = null;
  /**
   * Writes wait at the journal's bound for the checkpoint running now (or the next, when none
   * runs): it writes its files at close's width. Only that one: it ends with it.
   */
  private hastened = false;
  private idleTimer: NodeJS.Timeout | null = null;
  /** A file write failed since the last good checkpoint (reported once). */
  private backlogReported = false;
  /** Why the last checkpoint failed (null after a good one): the cause a full journal names. */
  private backlogCause: string | null = null;
  /** Namespaces deleted since the last checkpoint, whose empty folders it removes. */
  private readonly deletedNamespaces = new Set<string>();
  /** Other folders (relative) to remove once empty: the history folders of repos gone for good. */
  private readonly emptiedDirs = new Set<string>();

  constructor(private readonly deps: CheckpointerDeps) {}

  /** One checkpoint after the one running, shared by everyone who asks meanwhile. */
  checkpoint(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.chain.then(async () => {
      this.queued = null;
      this.current = run;
      try {
        await this.run();
      } finally {
        this.current = null;
        this.hastened = false;
      }
    });
    this.queued = run;
    this.chain = run;
    return run;
  }

  /**
   * Resolves once a full journal may have room again: when the checkpoint running now has let
   * its segments go, or else after a new one; either writes its files at full width meanwhile.
   * (Waiting for a new checkpoint after the running one would hold writes for the files of every
   * change made meanwhile too: seconds under load.)
   */
  makeRoom(): Promise<void> {
    this.hastened = true;
    this.deps.materializer.hasten();
    return this.current ?? this.checkpoint();
  }

  /** Why the last checkpoint failed; null after a good one. */
  get failureCause(): string | null {
    return this.backlogCause;
  }

  /** A batch is durable in the journal: schedules the checkpoint that writes its files. */
  committed(deletedNamespace: string | null, emptiedDirs: Iterable<string> = []): void {
    if (deletedNamespace !== null) this.deletedNamespaces.add(deletedNamespace);
    for (const dir of emptiedDirs) this.emptiedDirs.add(dir);
    const { journal, isClosed } = this.deps;
    if (isClosed()) return;
    if (journal.size >= CHECKPOINT_BYTES) void this.checkpoint();
    if (this.idleTimer) this.idleTimer.refresh();
    else {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        if (!isClosed()) void this.checkpoint();
      }, CHECKPOINT_IDLE_MS);
      this.idleTimer.unref();
    }
  }

  /** No more idle checkpoints (close runs the last one itself). */
  stopTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** A write the full journal refused, naming why the journal could not be emptied. */
  journalFull(err: JournalFullError): BerthError {
    const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
    const why = this.backlogCause ? `: ${this.backlogCause}` : '';
    return new BerthError(
      'storage_error',
      `Could not save: the journal is full (${mib(err.heldBytes)} of changes wait to be written to their files, at most ${mib(err.limitBytes)})${why}.`,
    );
  }

  private async run(): Promise<void> {
    const { journal, materializer, catalogue, isClosed } = this.deps;
    if (journal.empty && !materializer.hasUnsynced) return;
    const covered = await journal.rotate();
    const urgent = isClosed();
    try {
      // Stopped early: for close, whose checkpoint (right after this one) writes the rest; or
      // close's own time ran out, and the durable journal keeps the rest for the next open.
      const deadline = urgent ? performance.now() + this.deps.closeWriteBudgetMs : Infinity;
      if (!(await materializer.writeAll(urgent, deadline, this.hastened))) return;
      for (const ns of this.deletedNamespaces) {
        if (!catalogue.entry(ns)) await materializer.removeNamespaceDirs(ns);
        this.deletedNamespaces.delete(ns);
      }
      for (const dir of this.emptiedDirs) {
        await materializer.removeDirIfEmpty(join(this.deps.dataDir, dir));
        this.emptiedDirs.delete(dir);
      }
      await materializer.sync(urgent);
      await journal.drop(covered);
      this.backlogReported = false;
      this.backlogCause = null;
    } catch (err) {
      await this.reportBacklog(err);
    }
  }

  /**
   * A checkpoint failed: says which file and why, and whether the changes are safe in the
   * journal, which it reads back to check before saying so.
   */
  private async reportBacklog(err: unknown): Promise<void> {
    const { journal, problems, dataDir, isClosed } = this.deps;
    const file = err instanceof FileWriteError ? relative(dataDir, err.path) : 'journal';
    const what = file === 'journal' ? 'the files of acknowledged changes' : file;
    const reason = storageError(err, `write ${what}`).message;
    this.backlogCause = reason.replace(/^Could not /, '').replace(/\.$/, '');
    if (this.backlogReported && !isClosed()) return;
    this.backlogReported = true;
    const unsafe = await journal.verify().catch((e: unknown) => `the journal could not be read back (${(e as Error).message})`);
    const fate = unsafe
      ? `Some acknowledged changes may be lost: ${unsafe}.`
      : `Those changes are safe in the journal (read back and checked) and are written out at the next checkpoint or start.`;
    problems.add({ file, moved_to: null, reason, message: `${reason} ${fate}` });
  }
}

/**
 * Brings the catalogue's files (namespace, repo, history chunk and trash files) up to what the
 * journal holds (see ./journal).
 *
 * Once a batch's record is durable its files are staged (their newest content kept by path). A
 * checkpoint writes them whole (unique temp file, rename), makes them and their folders durable
 * (an fsync each when they are few; one syncfs of the data's file system when they are many and
 * it is available), and only then lets the journal drop the segments it covered. A file that
 * cannot be written stays pending: the journal keeps it, and the next checkpoint tries again. Each path is written by one writer at a time, always with
 * its newest content, so a retry can never put back an older version.
 */
import { dirname, sep } from 'node:path';
import { blocking, fsyncDir, serialize, threadPool, writeFileAtomic, type DurableContext, type WriteCalls } from '../files/durable-file';
import { DIR_MODE, errnoOf, nodeFileOps } from '../files/file-ops';
import type { Layout } from './layout';
import { SettleAll, settleAll } from './settle-all';
import { syncFileSystem } from './syncfs';

interface Version {
  /** Whole content as JSON data; null: the file is deleted. */
  data: unknown;
}

/** A file the checkpoint could not write: which one, and the system's reason (its code kept). */
export class FileWriteError extends Error {
  readonly code: string | undefined;
  constructor(
    readonly path: string,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'FileWriteError';
    this.code = errnoOf(reason);
  }
}

/**
 * Moves aside what stands where a file must be written (a folder in its place), keeping it;
 * true when it was moved and the write can be tried again.
 */
export type MoveAside = (path: string, reason: string) => Promise<boolean>;

/** A folder where the file belongs: rename cannot replace it. */
const BLOCKED = new Set(['EISDIR']);

/**
 * Files written and fsync'd at once. Node's thread pool has 4 threads, shared with the journal's
 * appends: a background checkpoint leaves it room (a deep queue of file writes ahead of an
 * append is what a waiting acknowledgement would feel); close has nothing left to wait for.
 */
const BACKGROUND_CONCURRENCY = 2;
const URGENT_CONCURRENCY = 16;

/**
 * Files and folders from which a checkpoint flushes the whole file system at once (`sync -f`, a
 * child process) rather than fsyncing each in the thread pool. Below it, a few fsyncs cost less
 * than starting a process: an import checkpoints a repo or two every few hundred milliseconds.
 */
const SYNCFS_FROM = 64;

export class Materializer {
  /** Newest content not yet written, by absolute path. */
  private readonly pending = new Map<string, Version>();
  private readonly locks = new Map<string, Promise<void>>();
  /** Written (or deleted) since the last checkpoint: to fsync before the journal lets go. */
  private dirtyFiles = new Set<string>();
  private dirtyDirs = new Set<string>();
  private hurried = false;
  /** The background writeAll's runners, while it runs (see hasten). */
  private background: SettleAll<string> | null = null;

  constructor(
    private readonly ctx: DurableContext,
    private readonly layout: Layout,
    private readonly moveAside?: MoveAside,
  ) {}

  /** Files whose newest content is not on disk yet. */
  get backlog(): number {
    return this.pending.size;
  }

  get hasUnsynced(): boolean {
    return this.pending.size > 0 || this.dirtyFiles.size > 0 || this.dirtyDirs.size > 0;
  }

  /** The newest content of a file not written yet (null: it is to be deleted); undefined when nothing is pending. */
  pendingContent(path: string): { data: unknown } | undefined {
    return this.pending.get(path);
  }

  /** Records a durable batch's files as the newest content of their paths (synchronous). */
  stage(files: readonly { abs: string; data: unknown }[]): void {
    for (const f of files) this.pending.set(f.abs, { data: f.data });
  }

  /**
   * Writes everything pending, each path's newest content; throws the first failure (it stays
   * pending). false: it stopped early, for hurry() or at `deadline` (performance.now() time),
   * leaving some pending. `wide`: writes are waiting for it, so it writes at close's width.
   */
  async writeAll(urgent = false, deadline = Infinity, wide = false): Promise<boolean> {
    if (urgent && this.ctx.ops === nodeFileOps) return this.writeAllBlocking(deadline);
    const width = urgent || wide ? URGENT_CONCURRENCY : BACKGROUND_CONCURRENCY;
    const writes = new SettleAll([...this.pending.keys()], width, (p) =>
      // Close is waiting: leave the rest to its own (faster) checkpoint.
      !urgent && this.hurried ? Promise.resolve() : this.writePath(p),
    );
    if (!urgent) this.background = writes;
    try {
      await writes.done();
    } finally {
      if (!urgent) this.background = null;
    }
    return urgent || !this.hurried;
  }

  /**
   * Writes are waiting for the background writeAll running now (the journal is at its bound): it
   * goes on at close's width, since nothing else needs the thread pool meanwhile.
   */
  hasten(): void {
    this.background?.widen(URGENT_CONCURRENCY);
  }

  /** A background writeAll in progress stops early (and says so); the caller finishes the job. */
  hurry(): void {
    this.hurried = true;
  }

  /** fsyncs every file and folder written since the last call. On failure they stay to sync. */
  async sync(urgent = false): Promise<void> {
    const files = this.dirtyFiles;
    const dirs = this.dirtyDirs;
    this.dirtyFiles = new Set();
    this.dirtyDirs = new Set();
    try {
      if (files.size === 0 && dirs.size === 0) return;
      // Real files only: injected file operations (tests) keep the fsync-per-file path they observe.
      const many = files.size + dirs.size >= SYNCFS_FROM;
      if (many && this.ctx.ops === nodeFileOps && (await syncFileSystem(this.layout.dataDir))) return;
      const width = urgent ? URGENT_CONCURRENCY : BACKGROUND_CONCURRENCY + 1;
      await settleAll(files, width, async (p) => {
        let fh;
        try {
          fh = await this.ctx.ops.open(p, 'r');
        } catch (err) {
          // Deleted since: its folder's fsync makes that durable.
          if (errnoOf(err) === 'ENOENT') return;
          throw err;
        }
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
      });
      // Deepest first, so a new folder's own entries are durable before its parent's entry.
      const byDepth = new Map<number, string[]>();
      for (const d of dirs) {
        const depth = pathDepth(d);
        byDepth.set(depth, [...(byDepth.get(depth) ?? []), d]);
      }
      for (const depth of [...byDepth.keys()].sort((a, b) => b - a)) {
        await settleAll(byDepth.get(depth) ?? [], width, async (d) => {
          try {
            await fsyncDir(this.ctx.ops, d);
          } catch (err) {
            if (errnoOf(err) !== 'ENOENT') throw err;
          }
        });
      }
    } catch (err) {
      for (const f of files) this.dirtyFiles.add(f);
      for (const d of dirs) this.dirtyDirs.add(d);
      throw err;
    }
  }

  /**
   * Close and start-up have nothing else to serve: blocking calls write thousands of small files
   * several times faster than round trips through the thread pool (see WriteCalls).
   */
  private async writeAllBlocking(deadline: number): Promise<boolean> {
    let first: { error: unknown } | null = null;
    for (const path of [...this.pending.keys()]) {
      if (performance.now() > deadline) break;
      const inFlight = this.locks.get(path);
      try {
        if (inFlight) await this.writePath(path);
        else await this.unblocked(path, () => this.writeNewest(path, blocking));
      } catch (err) {
        first ??= { error: err };
      }
    }
    if (first) throw first.error;
    return this.pending.size === 0;
  }

  /**
   * One file's write; a folder standing in its place is moved aside (kept) and the write tried
   * once more. Any failure names the file.
   */
  private async unblocked(path: string, write: () => unknown): Promise<void> {
    try {
      await write();
      return;
    } catch (err) {
      if (!this.moveAside || !BLOCKED.has(errnoOf(err) ?? '')) throw new FileWriteError(path, err);
      if (!(await this.moveAside(path, 'something other than a file stands where it belongs').catch(() => false))) {
        throw new FileWriteError(path, err);
      }
    }
    try {
      await write();
    } catch (err) {
      throw new FileWriteError(path, err);
    }
  }

  private writePath(path: string): Promise<void> {
    const previous = this.locks.get(path) ?? Promise.resolve();
    const run = previous.then(() => this.unblocked(path, () => this.writeNewest(path, threadPool(this.ctx.ops))));
    const tail = run.catch(() => undefined);
    this.locks.set(path, tail);
    void tail.then(() => {
      if (this.locks.get(path) === tail) this.locks.delete(path);
    });
    return run;
  }

  /**
   * Writes a path's newest content (or deletes it), without fsync: sync() fsyncs everything
   * written together afterwards, and the journal holds the content until then.
   */
  private async writeNewest(path: string, calls: WriteCalls): Promise<void> {
    const version = this.pending.get(path);
    if (!version) return;
    const dir = dirname(path);
    if (version.data === null) {
      try {
        await calls.unlink(path);
        this.ctx.stats.filesDeleted++;
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
      }
    } else {
      const text = serialize(version.data);
      try {
        await writeFileAtomic(this.ctx, path, text, { fsync: false, calls });
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
        // The file's folders come with its first file (a new namespace, a repo's first history chunk).
        for (const d of this.foldersFor(path)) await calls.mkdirs(d, DIR_MODE);
        await writeFileAtomic(this.ctx, path, text, { fsync: false, calls });
      }
      this.dirtyFiles.add(path);
    }
    this.dirtyDirs.add(dir);
    if (this.pending.get(path) === version) this.pending.delete(path);
  }

  /**
   * The folders a file needs (deepest last), each marked to fsync: a namespace's with its repos
   * folder, or the file's own folder and those above it up to the data folder.
   */
  private foldersFor(path: string): string[] {
    const { layout } = this;
    if (path.startsWith(layout.namespaces + sep)) {
      const ns = nsOf(layout, path);
      const dirs = [layout.reposDir(ns)];
      for (const d of [layout.reposDir(ns), layout.namespaceDir(ns), layout.namespaces]) this.dirtyDirs.add(d);
      return dirs;
    }
    const dir = dirname(path);
    for (let d = dir; d.length > layout.dataDir.length; d = dirname(d)) this.dirtyDirs.add(d);
    return [dir];
  }

  /** A deleted namespace's folders, once its files are gone and when nothing else is in them. */
  async removeNamespaceDirs(ns: string): Promise<void> {
    for (const d of [this.layout.reposDir(ns), this.layout.namespaceDir(ns)]) {
      try {
        await this.ctx.ops.rmdir(d);
      } catch (err) {
        const code = errnoOf(err);
        // Not empty: a repo file still pending, or a stray file; the next open tidies up.
        if (code === 'ENOENT') continue;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') return;
        throw err;
      }
    }
    this.dirtyDirs.add(this.layout.namespaces);
  }

  /** A folder, when nothing is left in it (or pending for it); its parent is then fsync'd. */
  async removeDirIfEmpty(dir: string): Promise<void> {
    for (const path of this.pending.keys()) if (dirname(path) === dir) return;
    try {
      await this.ctx.ops.rmdir(dir);
    } catch (err) {
      const code = errnoOf(err);
      if (code === 'ENOENT' || code === 'ENOTEMPTY' || code === 'EEXIST') return;
      throw err;
    }
    this.dirtyDirs.add(dirname(dir));
  }
}

/** Either separator: Windows paths use '\\' and accept '/'. */
const SEPARATOR = /[\\/]/;

/** The namespace a path under DATA/namespaces belongs to. */
export function nsOf(layout: Layout, path: string): string {
  return path.slice(layout.namespaces.length + 1).split(SEPARATOR)[0] ?? '';
}

/** How deep a folder is, on any platform (deeper folders are fsync'd before their parents). */
export function pathDepth(path: string): number {
  return path.split(SEPARATOR).filter((p) => p !== '').length;
}

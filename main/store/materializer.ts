/**
 * Brings the namespace and repo files up to what the journal holds (see ./journal).
 *
 * Once a batch's record is durable its files are staged (their newest content kept by path). A
 * checkpoint writes them whole (unique temp file, rename), makes them and their folders durable
 * (one syncfs of the data's file system where available, else an fsync each), and only then
 * lets the journal drop the segments it covered. A file that cannot be written stays pending: the journal keeps it, and
 * the next checkpoint tries again. Each path is written by one writer at a time, always with
 * its newest content, so a retry can never put back an older version.
 */
import { dirname } from 'node:path';
import { mkdirSync, unlinkSync } from 'node:fs';
import { fsyncDir, serialize, writeFileAtomic, writeFileAtomicSync, type DurableContext } from './durable-file';
import { errnoOf, nodeFileOps } from './file-ops';
import type { Layout } from './layout';
import { syncFileSystem } from './syncfs';

interface Version {
  /** Whole content as JSON data; null: the file is deleted. */
  data: unknown;
}

/**
 * Files written and fsync'd at once. Node's thread pool has 4 threads, shared with the journal's
 * appends: a background checkpoint leaves it room (a deep queue of file writes ahead of an
 * append is what a waiting acknowledgement would feel); close has nothing left to wait for.
 */
const BACKGROUND_CONCURRENCY = 2;
const URGENT_CONCURRENCY = 16;

async function settleAll<T>(items: Iterable<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const list = [...items];
  let next = 0;
  let first: { error: unknown } | null = null;
  const worker = async () => {
    while (next < list.length) {
      const item = list[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        first ??= { error: err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  if (first) throw (first as { error: unknown }).error;
}

export class Materializer {
  /** Newest content not yet written, by absolute path. */
  private readonly pending = new Map<string, Version>();
  private readonly locks = new Map<string, Promise<void>>();
  /** Written (or deleted) since the last checkpoint: to fsync before the journal lets go. */
  private dirtyFiles = new Set<string>();
  private dirtyDirs = new Set<string>();
  private hurried = false;

  constructor(
    private readonly ctx: DurableContext,
    private readonly layout: Layout,
  ) {}

  /** Files whose newest content is not on disk yet. */
  get backlog(): number {
    return this.pending.size;
  }

  get hasUnsynced(): boolean {
    return this.pending.size > 0 || this.dirtyFiles.size > 0 || this.dirtyDirs.size > 0;
  }

  /** Records a durable batch's files as the newest content of their paths (synchronous). */
  stage(files: readonly { abs: string; data: unknown }[]): void {
    for (const f of files) this.pending.set(f.abs, { data: f.data });
  }

  /**
   * Writes everything pending, each path's newest content; throws the first failure (it stays
   * pending). false: it stopped early, for hurry() or at `deadline` (performance.now() time),
   * leaving some pending.
   */
  async writeAll(urgent = false, deadline = Infinity): Promise<boolean> {
    if (urgent && this.ctx.ops === nodeFileOps) return this.writeAllBlocking(deadline);
    await settleAll([...this.pending.keys()], urgent ? URGENT_CONCURRENCY : BACKGROUND_CONCURRENCY, (p) =>
      // Close is waiting: leave the rest to its own (faster) checkpoint.
      !urgent && this.hurried ? Promise.resolve() : this.writePath(p),
    );
    return urgent || !this.hurried;
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
      if (this.ctx.ops === nodeFileOps && (await syncFileSystem(this.layout.dataDir))) return;
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
        const depth = d.split('/').length;
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
   * several times faster than round trips through the thread pool (see writeFileAtomicSync).
   */
  private async writeAllBlocking(deadline: number): Promise<boolean> {
    let first: { error: unknown } | null = null;
    for (const path of [...this.pending.keys()]) {
      if (performance.now() > deadline) break;
      const inFlight = this.locks.get(path);
      try {
        if (inFlight) await this.writePath(path);
        else this.writeNewestSync(path);
      } catch (err) {
        first ??= { error: err };
      }
    }
    if (first) throw first.error;
    return this.pending.size === 0;
  }

  private writeNewestSync(path: string): void {
    const version = this.pending.get(path);
    if (!version) return;
    const dir = dirname(path);
    if (version.data === null) {
      try {
        unlinkSync(path);
        this.ctx.stats.filesDeleted++;
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
      }
    } else {
      const text = serialize(version.data);
      try {
        writeFileAtomicSync(this.ctx, path, text, { fsync: false });
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
        const ns = nsOf(this.layout, path);
        mkdirSync(this.layout.reposDir(ns), { recursive: true });
        this.dirtyDirs.add(this.layout.reposDir(ns));
        this.dirtyDirs.add(this.layout.namespaceDir(ns));
        this.dirtyDirs.add(this.layout.namespaces);
        writeFileAtomicSync(this.ctx, path, text, { fsync: false });
      }
      this.dirtyFiles.add(path);
    }
    this.dirtyDirs.add(dir);
    this.pending.delete(path);
  }

  private writePath(path: string): Promise<void> {
    const previous = this.locks.get(path) ?? Promise.resolve();
    const run = previous.then(() => this.writeNewest(path));
    const tail = run.catch(() => undefined);
    this.locks.set(path, tail);
    void tail.then(() => {
      if (this.locks.get(path) === tail) this.locks.delete(path);
    });
    return run;
  }

  private async writeNewest(path: string): Promise<void> {
    const version = this.pending.get(path);
    if (!version) return;
    const dir = dirname(path);
    if (version.data === null) {
      try {
        await this.ctx.ops.unlink(path);
        this.ctx.stats.filesDeleted++;
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
      }
      this.dirtyDirs.add(dir);
    } else {
      const text = serialize(version.data);
      // sync() fsyncs them all together afterwards; the journal holds the content until then.
      const fsync = false;
      try {
        await writeFileAtomic(this.ctx, path, text, { fsync });
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
        // A new namespace: its folders come with its first file.
        const ns = nsOf(this.layout, path);
        await this.ctx.ops.mkdir(this.layout.reposDir(ns), { recursive: true });
        this.dirtyDirs.add(this.layout.reposDir(ns));
        this.dirtyDirs.add(this.layout.namespaceDir(ns));
        this.dirtyDirs.add(this.layout.namespaces);
        await writeFileAtomic(this.ctx, path, text, { fsync });
      }
      this.dirtyFiles.add(path);
      this.dirtyDirs.add(dir);
    }
    if (this.pending.get(path) === version) this.pending.delete(path);
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
}

/** The namespace a path under DATA/namespaces belongs to. */
function nsOf(layout: Layout, path: string): string {
  const rest = path.slice(layout.namespaces.length + 1);
  return rest.slice(0, rest.indexOf('/'));
}

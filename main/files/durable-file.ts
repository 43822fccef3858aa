/**
 * lowdb adapter that makes every write durable and every read strict (SPEC §4):
 * - write: a uniquely named temp file in DATA/tmp, fsync'd, renamed over the target, then the
 *   target's folder fsync'd; a crash leaves the old or the new file, never a torn or empty one.
 *   (steno's JSONFile, behind lowdb's presets, renames without any fsync.)
 * - read: a missing file is null; an empty or unparseable file is a CorruptFileError, so the
 *   caller moves it aside instead of starting empty over it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { errnoError, errnoOf, FILE_MODE, type FileOps } from './file-ops';

export class CorruptFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'CorruptFileError';
  }
}

/** Counts what the store writes, so tests can show a write touches one small file. */
export interface WriteStats {
  filesWritten: number;
  bytesWritten: number;
  filesDeleted: number;
  /** Journal records appended (one per committed batch) and their bytes. */
  journalRecords: number;
  journalBytes: number;
  /** Paths written since the last reset (bounded, most recent last). */
  recentPaths: string[];
}

export function newWriteStats(): WriteStats {
  return { filesWritten: 0, bytesWritten: 0, filesDeleted: 0, journalRecords: 0, journalBytes: 0, recentPaths: [] };
}

const RECENT_MAX = 1000;

export interface DurableContext {
  ops: FileOps;
  /** DATA/tmp: on the same file system as the data, so rename is atomic. */
  tmpDir: string;
  stats: WriteStats;
}

let sequence = 0;
const processTag = `${process.pid}-${randomBytes(4).toString('hex')}`;

function tempName(): string {
  sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER;
  return `${processTag}-${sequence}.tmp`;
}

/**
 * Writes every byte of `buf` or throws: the system may write part of a buffer and say so (a disk
 * that fills midway), and a short write taken for a whole one is a torn file called durable.
 */
export async function writeFully(fh: FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await fh.write(buf, offset, buf.length - offset);
    if (!(bytesWritten > 0)) throw errnoError('ENOSPC', 'the disk accepted no more bytes');
    offset += bytesWritten;
  }
}

/** The same, blocking. */
export function writeFullySync(fd: number, buf: Buffer): void {
  let offset = 0;
  while (offset < buf.length) {
    const written = writeSync(fd, buf, offset, buf.length - offset);
    if (!(written > 0)) throw errnoError('ENOSPC', 'the disk accepted no more bytes');
    offset += written;
  }
}

/** File systems that cannot fsync a folder at all answer these (PostgreSQL ignores them too). */
const NO_FOLDER_SYNC = new Set(['EINVAL', 'ENOTSUP', 'EBADF']);
/** Windows cannot open a folder as a file, nor flush one: its renames are durable without it. */
const NO_FOLDER_SYNC_WINDOWS = new Set(['EISDIR', 'EPERM', 'EACCES']);

function folderSyncUnsupported(ops: FileOps, err: unknown): boolean {
  const code = errnoOf(err) ?? '';
  return NO_FOLDER_SYNC.has(code) || ((ops.platform ?? process.platform) === 'win32' && NO_FOLDER_SYNC_WINDOWS.has(code));
}

/** Makes a folder's entries durable, where the platform can; any real failure is thrown. */
export async function fsyncDir(ops: FileOps, dir: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await ops.open(dir, 'r');
  } catch (err) {
    if (folderSyncUnsupported(ops, err)) return;
    throw err;
  }
  try {
    await fh.sync();
  } catch (err) {
    if (!folderSyncUnsupported(ops, err)) throw err;
  } finally {
    await fh.close();
  }
}

/**
 * Writes text to `path` durably, except the folder fsync, which callers batch per folder.
 * `fsync: false` is for generated data only (bulk catalogues), never for acknowledged writes.
 */
export async function writeFileAtomic(ctx: DurableContext, path: string, text: string, options: { fsync?: boolean; mode?: number } = {}): Promise<void> {
  const tmp = join(ctx.tmpDir, tempName());
  const fh = await ctx.ops.open(tmp, 'wx', options.mode ?? FILE_MODE);
  try {
    try {
      await writeFully(fh, Buffer.from(text, 'utf8'));
      if (options.fsync !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    await ctx.ops.rename(tmp, path);
  } catch (err) {
    // The temp file is garbage either way; start-up removes any that this misses.
    await ctx.ops.unlink(tmp).catch(() => undefined);
    throw err;
  }
  const s = ctx.stats;
  s.filesWritten++;
  s.bytesWritten += Buffer.byteLength(text);
  s.recentPaths.push(path);
  if (s.recentPaths.length > RECENT_MAX) s.recentPaths.splice(0, s.recentPaths.length - RECENT_MAX);
}

/**
 * The same write, blocking: for close, start-up and tools that generate data (bulk catalogues),
 * where thousands of small files go several times faster without the thread pool's round trips.
 */
export function writeFileAtomicSync(ctx: DurableContext, path: string, text: string, options: { fsync?: boolean } = {}): void {
  const tmp = join(ctx.tmpDir, tempName());
  const fd = openSync(tmp, 'wx', FILE_MODE);
  try {
    try {
      writeFullySync(fd, Buffer.from(text, 'utf8'));
      if (options.fsync !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Start-up removes leftover temp files.
    }
    throw err;
  }
  const s = ctx.stats;
  s.filesWritten++;
  s.bytesWritten += Buffer.byteLength(text);
}

/** An empty or unparseable file is corrupt: it is reported and kept aside, never read as empty. */
function parseJsonStrict(path: string, text: string): unknown {
  if (text.trim() === '') throw new CorruptFileError(path, 'the file is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CorruptFileError(path, `the file is not valid JSON (${(err as Error).message})`);
  }
}

/** Blocking read for the loader, which reads thousands of small files in time slices. */
export function readJsonStrictSync(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null;
    throw err;
  }
  return parseJsonStrict(path, text);
}

export function serialize(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** Reads and parses a JSON file; null when missing; CorruptFileError when empty or unparseable. */
export async function readJsonStrict(ops: FileOps, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await ops.readFile(path, 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null;
    throw err;
  }
  return parseJsonStrict(path, text);
}

export interface DurableAdapterOptions {
  /** false when the caller fsyncs the folder once for a batch of files. */
  syncDir?: boolean;
}

/** One file, read and written through lowdb's `Low` with our durability guarantees. */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly ctx: DurableContext,
    readonly path: string,
    private readonly options: DurableAdapterOptions = {},
  ) {}

  async read(): Promise<T | null> {
    return (await readJsonStrict(this.ctx.ops, this.path)) as T | null;
  }

  async write(data: T): Promise<void> {
    await writeFileAtomic(this.ctx, this.path, serialize(data));
    if (this.options.syncDir !== false) await fsyncDir(this.ctx.ops, dirname(this.path));
  }
}

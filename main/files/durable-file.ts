/**
 * Durable files: every file Berth stores is written and read through these functions.
 * - write: a uniquely named temp file in DATA/tmp, every byte written (a short write is an
 *   error), fsync'd, renamed over the target; the caller fsyncs the folder (once per batch of
 *   files). A crash leaves the old or the new file, never a torn or empty one. (steno's JSONFile,
 *   behind lowdb's presets, renames without any fsync.)
 * - read: a missing file is null; an empty or unparseable file is a CorruptFileError, so the
 *   caller moves it aside instead of starting empty over it.
 * - DurableJsonFile: the same as a lowdb adapter, for the files read and written whole through
 *   lowdb's `Low` (see the README's Libraries section for which ones, and why the rest are not).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
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
}

export function newWriteStats(): WriteStats {
  return { filesWritten: 0, bytesWritten: 0, filesDeleted: 0, journalRecords: 0, journalBytes: 0 };
}

export interface DurableContext {
  ops: FileOps;
  /** DATA/tmp: on the same file system as the data, so rename is atomic. */
  tmpDir: string;
  stats: WriteStats;
}

/** A file open for writing: its calls answer at once (blocking) or later (through the thread pool). */
export interface WritableFile {
  write(buf: Buffer, offset: number, length: number): number | Promise<number>;
  sync(): void | Promise<void>;
  close(): void | Promise<void>;
}

/**
 * The calls a write makes. Through the thread pool (`threadPool(ops)`) requests keep being
 * served meanwhile; `blocking` is for start-up, close and generated data, where thousands of
 * small files go several times faster without the thread pool's round trips. One write path
 * serves both: awaiting a blocking call's plain answer costs a microtask, not a round trip.
 */
export interface WriteCalls {
  /** Creates the file (it must not exist yet). */
  create(path: string, mode: number): WritableFile | Promise<WritableFile>;
  rename(from: string, to: string): void | Promise<void>;
  unlink(path: string): void | Promise<void>;
  mkdirs(path: string, mode: number): unknown;
}

/** A FileHandle as a WritableFile. */
export function writableHandle(fh: FileHandle): WritableFile {
  return {
    write: async (buf, offset, length) => (await fh.write(buf, offset, length)).bytesWritten,
    sync: () => fh.sync(),
    close: () => fh.close(),
  };
}

export function threadPool(ops: FileOps): WriteCalls {
  return {
    create: async (path, mode) => writableHandle(await ops.open(path, 'wx', mode)),
    rename: (from, to) => ops.rename(from, to),
    unlink: (path) => ops.unlink(path),
    mkdirs: (path, mode) => ops.mkdir(path, { recursive: true, mode }),
  };
}

/** Blocking calls on the real file system (never through injected FileOps). */
export const blocking: WriteCalls = {
  create: (path, mode) => {
    const fd = openSync(path, 'wx', mode);
    return { write: (buf, offset, length) => writeSync(fd, buf, offset, length), sync: () => fsyncSync(fd), close: () => closeSync(fd) };
  },
  rename: renameSync,
  unlink: unlinkSync,
  mkdirs: (path, mode) => mkdirSync(path, { recursive: true, mode }),
};

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
export async function writeFully(file: WritableFile, buf: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const written = await file.write(buf, offset, buf.length - offset);
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

export interface AtomicWriteOptions {
  /** false for files whose fsync the caller batches (a checkpoint's syncfs) or for generated data. */
  fsync?: boolean;
  mode?: number;
  /** Default: through the thread pool, with the context's FileOps. */
  calls?: WriteCalls;
}

/** Writes text to `path` durably, except the folder fsync, which callers batch per folder. */
export async function writeFileAtomic(ctx: DurableContext, path: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const calls = options.calls ?? threadPool(ctx.ops);
  const tmp = join(ctx.tmpDir, tempName());
  const file = await calls.create(tmp, options.mode ?? FILE_MODE);
  try {
    try {
      await writeFully(file, Buffer.from(text, 'utf8'));
      if (options.fsync !== false) await file.sync();
    } finally {
      await file.close();
    }
    await calls.rename(tmp, path);
  } catch (err) {
    // The temp file is garbage either way; start-up removes any that this misses.
    await Promise.resolve()
      .then(() => calls.unlink(tmp))
      .catch(() => undefined);
    throw err;
  }
  ctx.stats.filesWritten++;
  ctx.stats.bytesWritten += Buffer.byteLength(text);
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

/** Reads text through the thread pool (FileOps) or blocking (the loader reads thousands of small files in time slices). */
export type ReadText = (path: string) => string | Promise<string>;

export const readBlocking: ReadText = (path) => readFileSync(path, 'utf8');

/** Reads and parses a JSON file; null when missing; CorruptFileError when empty or unparseable. */
export async function readJsonStrict(ops: FileOps | ReadText, path: string): Promise<unknown> {
  const read: ReadText = typeof ops === 'function' ? ops : (p) => ops.readFile(p, 'utf8');
  let text: string;
  try {
    text = await read(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null;
    throw err;
  }
  return parseJsonStrict(path, text);
}

export function serialize(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** One file, read and written whole through lowdb's `Low`, with the guarantees above. */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly ctx: DurableContext,
    readonly path: string,
  ) {}

  async read(): Promise<T | null> {
    return (await readJsonStrict(this.ctx.ops, this.path)) as T | null;
  }

  async write(data: T): Promise<void> {
    await writeFileAtomic(this.ctx, this.path, serialize(data));
    await fsyncDir(this.ctx.ops, dirname(this.path));
  }
}

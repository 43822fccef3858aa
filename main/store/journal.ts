/**
 * Write-ahead journal with group commit across every namespace (SPEC §4, §7).
 *
 * A committed batch is one line in DATA/journal/<segment>.log:
 *   <16 hex digits of sha1(json)> <json>\n     json = {"seq":N,"files":[{"path":"namespaces/…","data":{…}|null}]}
 * `data` is a file's whole new content (null: delete it), so replaying a record twice is harmless.
 * Batches that arrive while an fdatasync is in flight wait, then go out together under the next
 * one: one fdatasync acknowledges a whole group, whichever namespaces it touches.
 *
 * Each group is padded with a line of spaces to a whole number of 4 KiB blocks, so an append never
 * rewrites a block that holds acknowledged records (a torn write cannot reach them), and a full
 * disk refuses the next group instead of slipping it into the slack of the last block.
 *
 * A line that is incomplete or fails its checksum was never acknowledged (a crash or a refused
 * append cut it): replay stops there. After a refused append the segment is cut back to its
 * last good record before anything else is appended, so a bad line is only ever a segment's tail.
 */
import { createHash } from 'node:crypto';
import { join, resolve, sep } from 'node:path';
import { fsyncDir, type WriteStats } from './durable-file';
import { errnoOf, type FileOps } from './file-ops';

export interface JournalFile {
  /** Relative to the data folder, always under namespaces/. */
  path: string;
  /** The file's whole new content as JSON data; null deletes the file. */
  data: unknown;
}

interface Waiter {
  line: Buffer;
  files: JournalFile[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

const SEGMENT = /^(\d{12})\.log$/;
const BLOCK = 4096;

/** The group's records followed by a padding line up to the next block boundary. */
export function padGroup(lines: readonly Buffer[]): Buffer {
  const size = lines.reduce((n, l) => n + l.length, 0);
  const pad = (BLOCK - ((size + 1) % BLOCK)) % BLOCK;
  return Buffer.concat([...lines, Buffer.from(`${' '.repeat(pad)}\n`, 'latin1')]);
}

export function segmentName(n: number): string {
  return `${String(n).padStart(12, '0')}.log`;
}

function checksum(json: string): string {
  return createHash('sha1').update(json).digest('hex').slice(0, 16);
}

export function encodeRecord(seq: number, files: JournalFile[]): Buffer {
  const json = JSON.stringify({ seq, files });
  return Buffer.from(`${checksum(json)} ${json}\n`, 'utf8');
}

const PATH_SEGMENT = /^[a-z0-9][a-z0-9._~-]*$/;

/** A journal path that names a namespace or repo file inside DATA/namespaces; else null. */
export function safeJournalPath(dataDir: string, path: unknown): string | null {
  if (typeof path !== 'string') return null;
  const parts = path.split('/');
  const shaped =
    (parts.length === 3 && parts[0] === 'namespaces' && parts[2] === 'namespace.json') ||
    (parts.length === 4 && parts[0] === 'namespaces' && parts[2] === 'repos' && (parts[3] ?? '').endsWith('.json'));
  if (!shaped || !parts.slice(1).every((p) => PATH_SEGMENT.test(p))) return null;
  const root = resolve(dataDir, 'namespaces');
  const abs = resolve(dataDir, ...parts);
  return abs.startsWith(root + sep) ? abs : null;
}

export interface DecodedSegment {
  records: { seq: number; files: { abs: string; data: unknown }[] }[];
  /** Bytes after the last valid record (a torn or refused append), ignored. */
  ignoredBytes: number;
  /** Why replay stopped at a complete record, when it did (it named a file outside the data). */
  refused: string | null;
}

/** Every complete, checksum-valid record of a segment, up to the first one that is not. */
export function decodeSegment(dataDir: string, text: string): DecodedSegment {
  const records: DecodedSegment['records'] = [];
  let offset = 0;
  let refused: string | null = null;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break;
    const line = text.slice(offset, end);
    if (line.trim() === '') {
      offset = end + 1;
      continue;
    }
    const space = line.indexOf(' ');
    if (space !== 16) break;
    const json = line.slice(17);
    if (checksum(json) !== line.slice(0, 16)) break;
    let parsed: { seq?: unknown; files?: unknown };
    try {
      parsed = JSON.parse(json) as { seq?: unknown; files?: unknown };
    } catch {
      break;
    }
    if (typeof parsed.seq !== 'number' || !Array.isArray(parsed.files)) break;
    const files: { abs: string; data: unknown }[] = [];
    for (const f of parsed.files as { path?: unknown; data?: unknown }[]) {
      const abs = safeJournalPath(dataDir, f?.path);
      // Never followed outside DATA/namespaces; what comes after such a record is suspect too.
      if (!abs || (f.data !== null && (typeof f.data !== 'object' || Array.isArray(f.data)))) {
        refused = `it names a file outside the namespaces folder or content that is not a JSON object (${JSON.stringify(f?.path)})`;
        break;
      }
      files.push({ abs, data: f.data });
    }
    if (refused) break;
    records.push({ seq: parsed.seq, files });
    offset = end + 1;
  }
  return { records, ignoredBytes: Buffer.byteLength(text.slice(offset)), refused };
}

/** The segment files in a journal folder, oldest first. */
export async function listSegments(ops: FileOps, dir: string): Promise<{ name: string; n: number }[]> {
  const names = await ops.readdir(dir);
  return names
    .map((name) => ({ name, m: SEGMENT.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ name, n: Number(m[1]) }))
    .sort((a, b) => a.n - b.n);
}

export class Journal {
  private waiting: Waiter[] = [];
  private running = false;
  private seq = 0;
  private segment: number;
  /** Bytes of acknowledged records in the current segment. */
  private goodSize = 0;
  /** The current segment's file exists and its folder entry is durable. */
  private segmentDurable = false;
  /** A refused append may have left bytes after goodSize: cut them before appending again. */
  private dirtyTail = false;
  /** Segments before the current one, still needed until a checkpoint covers them. */
  private readonly older: number[] = [];
  private rotateWaiters: (() => void)[] = [];

  constructor(
    private readonly ops: FileOps,
    readonly dir: string,
    private readonly stats: WriteStats,
    firstSegment: number,
    /** Called synchronously once a group is durable, before anyone hears of it. */
    private readonly onDurable: (files: JournalFile[]) => void,
  ) {
    this.segment = firstSegment;
  }

  /** Bytes in the current segment: the store checkpoints when it grows large. */
  get size(): number {
    return this.goodSize;
  }

  /** Nothing acknowledged is waiting for a checkpoint. */
  get empty(): boolean {
    return this.goodSize === 0 && this.older.length === 0;
  }

  /** Resolves once the batch's record is on disk (fdatasync'd); rejects if the disk refused it. */
  append(files: JournalFile[]): Promise<void> {
    const line = encodeRecord(++this.seq, files);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ line, files, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  /**
   * Starts a new segment between two groups. Resolves with the segments before it: every record
   * in them is durable and was handed to onDurable.
   */
  async rotate(): Promise<number[]> {
    await new Promise<void>((r) => {
      this.rotateWaiters.push(r);
      if (!this.running) void this.run();
    });
    return [...this.older];
  }

  /** After a checkpoint made every file of these segments durable: remove them, oldest first. */
  async drop(segments: readonly number[]): Promise<void> {
    for (const n of [...segments].sort((a, b) => a - b)) {
      try {
        await this.ops.unlink(join(this.dir, segmentName(n)));
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
      }
      // One at a time, oldest first: an older segment that outlived a newer one would make a
      // replay roll files back to its older content.
      await fsyncDir(this.ops, this.dir);
      const i = this.older.indexOf(n);
      if (i >= 0) this.older.splice(i, 1);
    }
  }

  private async rotateNow(): Promise<void> {
    if (this.dirtyTail) {
      // Best effort: if the tail cannot be cut it stays the segment's last line, and the
      // checkpoint that drops the segment removes it.
      await this.cutTail().catch(() => undefined);
    }
    if (this.goodSize > 0 || this.segmentDurable || this.dirtyTail) this.older.push(this.segment);
    this.segment++;
    this.goodSize = 0;
    this.segmentDurable = false;
    this.dirtyTail = false;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0 || this.rotateWaiters.length > 0) {
        if (this.rotateWaiters.length > 0) {
          await this.rotateNow();
          for (const r of this.rotateWaiters.splice(0)) r();
          continue;
        }
        const group = this.waiting.splice(0);
        try {
          await this.write(padGroup(group.map((w) => w.line)));
        } catch (err) {
          for (const w of group) w.reject(err);
          continue;
        }
        this.stats.journalRecords += group.length;
        for (const w of group) this.onDurable(w.files);
        for (const w of group) w.resolve();
      }
    } finally {
      this.running = false;
    }
  }

  /** Cuts a refused append off the current segment, back to its last acknowledged record. */
  private async cutTail(): Promise<void> {
    const fh = await this.ops.open(join(this.dir, segmentName(this.segment)), 'r+');
    try {
      await fh.truncate(this.goodSize);
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.dirtyTail = false;
  }

  private async write(buf: Buffer): Promise<void> {
    const path = join(this.dir, segmentName(this.segment));
    if (this.dirtyTail) await this.cutTail();
    const fh = await this.ops.open(path, 'a', 0o644);
    try {
      try {
        await fh.write(buf);
        await fh.datasync();
      } catch (err) {
        this.dirtyTail = true;
        throw err;
      }
    } finally {
      await fh.close().catch(() => undefined);
    }
    if (!this.segmentDurable) {
      try {
        await fsyncDir(this.ops, this.dir);
      } catch (err) {
        this.dirtyTail = true;
        throw err;
      }
      this.segmentDurable = true;
    }
    this.goodSize += buf.length;
    this.stats.journalBytes += buf.length;
  }
}

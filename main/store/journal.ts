/**
 * Write-ahead journal with group commit across every namespace (format in ./journal-format).
 *
 * Batches that arrive while an fdatasync is in flight wait, then go out together under the next
 * one: one fdatasync acknowledges a whole group, whichever namespaces it touches. Each group is
 * padded to a whole number of 4 KiB blocks, so an append never rewrites a block that holds
 * acknowledged records (a torn write cannot reach them), and a full disk refuses the next group
 * instead of slipping it into the slack of the last block.
 *
 * Every byte of a group is written or the append fails (a disk that fills midway writes part of
 * it). A failed append is cut off the segment at once, back to its last acknowledged record, and
 * nothing is appended after it until that cut has succeeded: a damaged record is only ever a
 * segment's tail, which replay ignores (it was never acknowledged).
 *
 * The journal is bounded (`limitBytes`): when the files of acknowledged changes cannot be written
 * (checkpoints fail), its segments cannot be dropped, and past the bound appends are refused
 * (JournalFullError) rather than letting the disk and the store's memory of pending files grow.
 */
import type { FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir, writableHandle, writeFully, type WriteStats } from '../files/durable-file';
import { errnoOf, FILE_MODE, type FileOps } from '../files/file-ops';
import { decodeSegment, encodeRecord, padGroup, segmentName, type JournalFile } from './journal-format';

export { encodeRecord, padGroup } from './journal-format';
export type { JournalFile } from './journal-format';

interface Waiter {
  line: Buffer;
  files: JournalFile[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The journal holds as much as it may: the files of acknowledged changes must be written first. */
export class JournalFullError extends Error {
  readonly code = 'EJOURNALFULL';
  constructor(
    readonly heldBytes: number,
    readonly limitBytes: number,
  ) {
    super(`the journal holds ${heldBytes} bytes of changes not yet written to their files (at most ${limitBytes})`);
    this.name = 'JournalFullError';
  }
}

interface SegmentState {
  /** Bytes of acknowledged groups. */
  bytes: number;
  /** Acknowledged records. */
  records: number;
}

export class Journal {
  private waiting: Waiter[] = [];
  private running = false;
  private seq = 0;
  private segment: number;
  /** Bytes and records of acknowledged groups in the current segment. */
  private current: SegmentState = { bytes: 0, records: 0 };
  /** The current segment's file exists and its folder entry is durable. */
  private segmentDurable = false;
  /** A refused append may have left bytes after the last good record: cut them before appending again. */
  private dirtyTail = false;
  /** Segments before the current one, still needed until a checkpoint covers them. */
  private readonly older = new Map<number, SegmentState>();
  private rotateWaiters: (() => void)[] = [];
  /**
   * The current segment, open for appending from its first group until it is rotated out (or an
   * append fails): an append is then a write and an fdatasync, two trips through the thread
   * pool instead of four, which is most of what a write waits for besides the disk.
   */
  private handle: FileHandle | null = null;

  constructor(
    private readonly ops: FileOps,
    readonly dir: string,
    private readonly stats: WriteStats,
    firstSegment: number,
    /** Called synchronously once a group is durable, before anyone hears of it. */
    private readonly onDurable: (files: JournalFile[]) => void,
    private readonly limitBytes = Infinity,
  ) {
    this.segment = firstSegment;
  }

  /** Bytes in the current segment: the store checkpoints when it grows large. */
  get size(): number {
    return this.current.bytes;
  }

  /** Bytes of every segment still held (acknowledged records not yet checkpointed). */
  get heldBytes(): number {
    let n = this.current.bytes;
    for (const s of this.older.values()) n += s.bytes;
    return n;
  }

  /** At its bound: appends are refused until a checkpoint lets segments go. */
  get full(): boolean {
    return this.heldBytes >= this.limitBytes;
  }

  /** Nothing acknowledged is waiting for a checkpoint. */
  get empty(): boolean {
    return this.current.bytes === 0 && this.older.size === 0;
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
    return [...this.older.keys()];
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
      this.older.delete(n);
    }
  }

  /**
   * Reads back every segment still held and checks that it replays to every record acknowledged
   * in it: what the store may promise ("safe in the journal") after a checkpoint failed. Null
   * when it does; else what is wrong.
   */
  async verify(): Promise<string | null> {
    const held = [...this.older.entries()];
    if (this.current.records > 0) held.push([this.segment, this.current]);
    for (const [n, state] of held) {
      let buf: Buffer;
      try {
        buf = await this.ops.readFile(join(this.dir, segmentName(n)));
      } catch (err) {
        return `journal/${segmentName(n)} cannot be read (${errnoOf(err) ?? String(err)})`;
      }
      const decoded = decodeSegment(dirname(this.dir), buf);
      if (decoded.damaged) return `journal/${segmentName(n)}: ${decoded.damaged.reason}`;
      if (decoded.records.length < state.records) {
        return `journal/${segmentName(n)} replays ${decoded.records.length} of its ${state.records} records`;
      }
    }
    return null;
  }

  /** Closes the current segment's file (the store closes the journal last). */
  async close(): Promise<void> {
    const fh = this.handle;
    this.handle = null;
    await fh?.close().catch(() => undefined);
  }

  private async rotateNow(): Promise<void> {
    await this.close();
    if (this.dirtyTail) {
      // Best effort: if the tail cannot be cut it stays the segment's last line (replay ignores
      // it), and the checkpoint that drops the segment removes it.
      await this.cutTail().catch(() => undefined);
    }
    if (this.current.bytes > 0 || this.segmentDurable || this.dirtyTail) this.older.set(this.segment, this.current);
    this.segment++;
    this.current = { bytes: 0, records: 0 };
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
          const buf = padGroup(group.map((w) => w.line));
          // An empty journal takes any group, however large: one record must always fit.
          if (this.heldBytes > 0 && this.heldBytes + buf.length > this.limitBytes) {
            throw new JournalFullError(this.heldBytes, this.limitBytes);
          }
          await this.write(buf, group.length);
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
    let fh;
    try {
      fh = await this.ops.open(join(this.dir, segmentName(this.segment)), 'r+');
    } catch (err) {
      // The append never created the file: nothing to cut.
      if (errnoOf(err) !== 'ENOENT' || this.current.bytes > 0) throw err;
      this.dirtyTail = false;
      return;
    }
    try {
      await fh.truncate(this.current.bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.dirtyTail = false;
  }

  private async write(buf: Buffer, records: number): Promise<void> {
    const path = join(this.dir, segmentName(this.segment));
    if (this.dirtyTail) await this.cutTail();
    try {
      this.handle ??= await this.ops.open(path, 'a', FILE_MODE);
      await writeFully(writableHandle(this.handle), buf);
      await this.handle.datasync();
      if (!this.segmentDurable) {
        await fsyncDir(this.ops, this.dir);
        this.segmentDurable = true;
      }
    } catch (err) {
      // Part of the group may be in the file: cut it off now, so that neither a crash nor the
      // next append finds it there; if that fails too, the next append tries again first.
      this.dirtyTail = true;
      // The next append opens the segment afresh, after the cut.
      await this.close();
      await this.cutTail().catch(() => undefined);
      throw err;
    }
    this.current.bytes += buf.length;
    this.current.records += records;
    this.stats.journalBytes += buf.length;
  }
}

/**
 * Counts the store's writes from the outside, by its journal (docs/architecture.md, "The store"):
 * every committed batch is one journal record `{seq, files}`, and `seq` counts the records of one
 * `serve` process (1, 2, 3, …). Records live in `journal/*.log` until a checkpoint (200 ms after
 * the last write) drops them, so the benchmark brackets a phase with two marker writes of its own,
 * read from the journal right after they are acknowledged: the records between them are the
 * phase's writes. A tail polled during the phase names the files they wrote, where it saw them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeSegment, type DecodedRecord } from '../../main/store/journal-format';

export async function journalRecords(dataDir: string): Promise<DecodedRecord[]> {
  const dir = path.join(dataDir, 'journal');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.log')).sort();
  const records: DecodedRecord[] = [];
  for (const name of names) {
    const buf = await readFile(path.join(dir, name)).catch(() => null);
    // A segment dropped between readdir and read held only checkpointed records.
    if (buf) records.push(...decodeSegment(dataDir, buf).records);
  }
  return records;
}

/** The seq of the newest record that wrote `file` (absolute path), if the journal still holds one. */
export async function seqOfWrite(dataDir: string, file: string): Promise<number | null> {
  const records = await journalRecords(dataDir);
  const mine = records.filter((r) => r.files.some((f) => f.abs === file));
  return mine.length ? Math.max(...mine.map((r) => r.seq)) : null;
}

/** Polls the journal every `everyMs`, remembering each record after `afterSeq` it sees (seq → files written). */
export function tailJournal(dataDir: string, afterSeq: number, everyMs = 50): { stop(): Promise<Map<number, string[]>> } {
  const seen = new Map<number, string[]>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const r of await journalRecords(dataDir)) {
        if (r.seq > afterSeq && !seen.has(r.seq))
          seen.set(
            r.seq,
            r.files.map((f) => path.relative(dataDir, f.abs)),
          );
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    /** Ends the loop (again: harmless) and answers what it saw. */
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

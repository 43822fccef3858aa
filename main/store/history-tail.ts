/**
 * Appending to a repo's history without rewriting anything that grows: the repo record keeps a
 * short tail of its newest entries; when the tail passes its bound, all but its newest entry are
 * sealed into a new chunk file, and chunks past the repo's bound are dropped, oldest first. The
 * sealed chunk and the dropped ones are files of the same journal record as the change itself.
 */
import type { ChunkRef, HistoryRecord, NewHistoryRecord } from './history-records';
import { newEntryId } from './ids';
import type { RepoRecord } from './records';

/** The tail is sealed once it holds more entries than this... */
export const HISTORY_TAIL_ENTRIES = 32;
/** ...or more bytes of compact JSON than this (a full description edit is up to 50 KB of before and after). */
export const HISTORY_TAIL_BYTES = 16 * 1024;
/** Entries kept per repo at least; whole chunks beyond it are dropped. */
export const HISTORY_KEEP = 1000;

export interface HistoryAppend {
  repo: RepoRecord;
  /** A new chunk to write, or null. */
  sealed: { first: string; entries: HistoryRecord[] } | null;
  /** Chunks to delete. */
  dropped: ChunkRef[];
}

function jsonBytes(entries: readonly HistoryRecord[]): number {
  let n = 0;
  for (const e of entries) n += JSON.stringify(e).length;
  return n;
}

/** How many entries a repo's history holds (tail and chunks). */
export function historyCount(repo: RepoRecord): number {
  let n = repo.history.length;
  for (const c of repo.history_chunks) n += c.count;
  return n;
}

export function appendHistory(repo: RepoRecord, entries: readonly HistoryRecord[]): HistoryAppend {
  let tail: readonly HistoryRecord[] = [...repo.history, ...entries];
  let chunks: readonly ChunkRef[] = repo.history_chunks;
  let sealed: HistoryAppend['sealed'] = null;
  if (tail.length > 1 && (tail.length > HISTORY_TAIL_ENTRIES || jsonBytes(tail) > HISTORY_TAIL_BYTES)) {
    const seal = tail.slice(0, -1);
    const first = (seal[0] as HistoryRecord).id;
    sealed = { first, entries: seal };
    chunks = [...chunks, { first, count: seal.length }];
    tail = tail.slice(-1);
  }
  let total = tail.length + chunks.reduce((n, c) => n + c.count, 0);
  const dropped: ChunkRef[] = [];
  while (chunks.length > 0 && total - (chunks[0] as ChunkRef).count >= HISTORY_KEEP) {
    const oldest = chunks[0] as ChunkRef;
    dropped.push(oldest);
    total -= oldest.count;
    chunks = chunks.slice(1);
  }
  return { repo: { ...repo, history: tail, history_chunks: chunks }, sealed, dropped };
}

/**
 * An import's entries, appended to the tail without sealing: an import writes its files outside
 * the journal, so it adds no chunk files; the repo's next ordinary change seals the long tail.
 * (Entries with undefined fields lose them, as ./namespace-tx stores them.)
 */
export function appendUnsealed(repo: RepoRecord, entries: readonly NewHistoryRecord[]): RepoRecord {
  if (entries.length === 0) return repo;
  const added = entries.map((h) => Object.fromEntries(Object.entries({ id: newEntryId(h.at), ...h }).filter(([, v]) => v !== undefined)));
  return { ...repo, history: [...repo.history, ...(added as unknown as HistoryRecord[])] };
}

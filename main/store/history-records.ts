/**
 * History as the store keeps it (docs/architecture.md, "History and the trash"): each repo record
 * carries its newest entries (its tail) and the list of its sealed chunks; a chunk is an
 * immutable file `history/<repo id>/<first entry id>.json` holding older entries, written once in
 * the journal record of the change that sealed it and deleted when the repo's bound drops it.
 * Entries are stored without their namespace and repo (the file they sit in names them).
 */
import { ID_PATTERN } from './ids';
import { isObject, list, objectOf, plainJson, ShapeError, str, type Json } from './json-shape';

/** One change, as stored. `before`/`after`: a tag's image id (null: the tag did not exist), or an object of a repo's changed fields. */
export interface HistoryRecord {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly tag?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** An entry before the store gives it its id. */
export type NewHistoryRecord = Omit<HistoryRecord, 'id'>;

/** A sealed chunk: its file is named by its first (oldest) entry's id. */
export interface ChunkRef {
  readonly first: string;
  readonly count: number;
}

export interface HistoryChunkFile {
  schema_version: number;
  repo_id: string;
  namespace: string;
  repo_name: string;
  entries: HistoryRecord[];
}

export function recordId(o: Json, key: string): string {
  const v = str(o, key);
  if (!ID_PATTERN.test(v)) throw new ShapeError(`"${key}" is not an id`);
  return v;
}

export function toHistoryRecord(raw: unknown): HistoryRecord {
  if (!isObject(raw)) throw new ShapeError('a history entry is not a JSON object');
  const entry: { -readonly [K in keyof HistoryRecord]: HistoryRecord[K] } = {
    id: recordId(raw, 'id'),
    at: str(raw, 'at'),
    actor: str(raw, 'actor'),
    action: str(raw, 'action'),
  };
  if (raw.tag !== undefined) entry.tag = str(raw, 'tag');
  // Absent and null differ: null says the tag did not exist.
  if ('before' in raw) entry.before = plainJson(raw.before, 'before');
  if ('after' in raw) entry.after = plainJson(raw.after, 'after');
  return entry;
}

function toChunkRef(raw: unknown): ChunkRef {
  if (!isObject(raw)) throw new ShapeError('a history chunk is not a JSON object');
  const count = raw.count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1)
    throw new ShapeError('"count" of a history chunk is not a count');
  return { first: recordId(raw, 'first'), count };
}

/** A repo record's history fields. */
export function historyFieldsOf(o: Json): { history: HistoryRecord[]; history_chunks: ChunkRef[] } {
  return { history: list(o, 'history').map(toHistoryRecord), history_chunks: list(o, 'history_chunks').map(toChunkRef) };
}

/** A chunk file's entries, checked against the repo it must belong to. */
export function toChunkEntries(raw: unknown, repoId: string): HistoryRecord[] {
  const o = objectOf(raw);
  if (recordId(o, 'repo_id') !== repoId) throw new ShapeError(`it belongs to repo ${String(o.repo_id)}, not ${repoId}`);
  return list(o, 'entries').map(toHistoryRecord);
}

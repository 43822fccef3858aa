/**
 * The trash: a deleted repo's whole record (tags, stars, counters, history tail and chunk list,
 * and whatever else a repo record carries) in `trash/<repo id>.json`, until it is restored or
 * purged. Its history chunks stay where they are (`history/<repo id>/`).
 */
import { objectOf, str } from './json-shape';
import { SCHEMA_VERSION, toRepoFields, type RepoRecord } from './records';

export interface TrashRecord {
  /** The namespace the repo was deleted from (it may be gone since). */
  readonly namespace: string;
  readonly deleted_at: string;
  readonly expires_at: string;
  readonly repo: RepoRecord;
}

export interface TrashFile extends TrashRecord {
  schema_version: number;
}

export function toTrashRecord(raw: unknown): TrashRecord {
  const o = objectOf(raw);
  return { namespace: str(o, 'namespace'), deleted_at: str(o, 'deleted_at'), expires_at: str(o, 'expires_at'), repo: toRepoFields(o.repo) };
}

export function trashFile(record: TrashRecord): TrashFile {
  return { schema_version: SCHEMA_VERSION, ...record };
}

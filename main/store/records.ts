/**
 * What the store keeps: one namespace.json per namespace and one file per repo holding the repo
 * with its tags (so a tag push rewrites one small file). Records are treated as immutable: a
 * write builds new objects and the store swaps them in once they are on disk.
 */

import type { BuildConfig } from '../contract/types';
import { historyFieldsOf, recordId, type ChunkRef, type HistoryRecord } from './history-records';
import { bool, count, isObject, objectOf, plainJson, ShapeError, str, strOrNull, type Json } from './json-shape';

export { ShapeError } from './json-shape';

/**
 * The schema this build writes; every file carries its own `schema_version`. 2: repos have an id,
 * a history tail and history chunks; the trash and history folders exist.
 */
export const SCHEMA_VERSION = 2;

export interface TagRecord {
  readonly tag: string;
  readonly image_id: string;
  readonly created_at: string;
  /** Last push of this tag. */
  readonly updated_at: string;
}

export interface RepoRecord {
  /** This incarnation's id: a repo deleted and created again under its name is another repo. */
  readonly id: string;
  readonly repo_name: string;
  readonly description: string;
  readonly full_description: string;
  readonly is_public: boolean;
  readonly is_automated: boolean;
  readonly logo: string;
  readonly logo_file: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly download: number;
  readonly upload: number;
  readonly pulled_at: string | null;
  readonly pushed_at: string | null;
  /** The local user's star (there is one user, so the star count is 0 or 1). */
  readonly starred: boolean;
  readonly tags: readonly TagRecord[];
  /** Automated-build settings as given; absent in files written before they existed. */
  readonly build_config?: BuildConfig;
  /** The newest history entries, oldest first (see ./history-tail). */
  readonly history: readonly HistoryRecord[];
  /** Older entries sealed in chunk files, oldest first. */
  readonly history_chunks: readonly ChunkRef[];
}

export interface NamespaceRecord {
  readonly namespace: string;
  readonly created_at: string;
}

export interface MetaFile {
  schema_version: number;
  created_at: string;
}

export interface NamespaceFile extends NamespaceRecord {
  schema_version: number;
}

export interface RepoFile extends RepoRecord {
  schema_version: number;
  namespace: string;
}

/** Absent or null in a file means no build settings. */
function buildConfigOf(o: Json): { build_config?: BuildConfig } {
  const v = o.build_config;
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new ShapeError('"build_config" is not a JSON object');
  return { build_config: plainJson(v, 'build_config') as BuildConfig };
}

export function schemaVersionOf(raw: unknown): number {
  if (!isObject(raw)) throw new ShapeError('the file does not hold a JSON object');
  const v = raw.schema_version;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ShapeError('"schema_version" is missing');
  return v;
}

/**
 * Copies only known fields into fresh objects, so nothing read from disk (a `__proto__` key
 * included) ever becomes anything but plain data in memory.
 */
export function toMeta(raw: unknown): MetaFile {
  if (!isObject(raw)) throw new ShapeError('the file does not hold a JSON object');
  return { schema_version: schemaVersionOf(raw), created_at: str(raw, 'created_at') };
}

export function toNamespaceRecord(raw: unknown): NamespaceRecord {
  if (!isObject(raw)) throw new ShapeError('the file does not hold a JSON object');
  return { namespace: str(raw, 'namespace'), created_at: str(raw, 'created_at') };
}

function toTagRecord(raw: unknown): TagRecord {
  if (!isObject(raw)) throw new ShapeError('a tag is not a JSON object');
  return {
    tag: str(raw, 'tag'),
    image_id: str(raw, 'image_id'),
    created_at: str(raw, 'created_at'),
    updated_at: str(raw, 'updated_at'),
  };
}

/** A repo's fields (a repo file's or a trash file's `repo`). */
export function toRepoFields(raw: unknown): RepoRecord {
  const o: Json = objectOf(raw);
  const tags = o.tags;
  if (!Array.isArray(tags)) throw new ShapeError('"tags" is not a list');
  return {
    id: recordId(o, 'id'),
    repo_name: str(o, 'repo_name'),
    description: str(o, 'description'),
    full_description: str(o, 'full_description'),
    is_public: bool(o, 'is_public'),
    is_automated: bool(o, 'is_automated'),
    logo: str(o, 'logo'),
    logo_file: str(o, 'logo_file'),
    created_at: str(o, 'created_at'),
    updated_at: str(o, 'updated_at'),
    download: count(o, 'download'),
    upload: count(o, 'upload'),
    pulled_at: strOrNull(o, 'pulled_at'),
    pushed_at: strOrNull(o, 'pushed_at'),
    starred: bool(o, 'starred'),
    tags: tags.map(toTagRecord),
    ...buildConfigOf(o),
    ...historyFieldsOf(o),
  };
}

export function toRepoRecord(raw: unknown): { namespace: string; repo: RepoRecord } {
  const o = objectOf(raw);
  return { namespace: str(o, 'namespace'), repo: toRepoFields(o) };
}

export function namespaceFile(record: NamespaceRecord): NamespaceFile {
  return { schema_version: SCHEMA_VERSION, namespace: record.namespace, created_at: record.created_at };
}

export function repoFile(namespace: string, repo: RepoRecord): RepoFile {
  return { schema_version: SCHEMA_VERSION, namespace, ...repo };
}

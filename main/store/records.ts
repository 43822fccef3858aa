/**
 * What the store keeps: one namespace.json per namespace and one file per repo holding the repo
 * with its tags (so a tag push rewrites one small file). Records are treated as immutable: a
 * write builds new objects and the store swaps them in once they are on disk.
 */

import type { BuildConfig } from '../contract/types';
import { historyFieldsOf, recordId, type ChunkRef, type HistoryRecord } from './history-records';
import { bool, count, isObject, list, objectOf, plainJson, ShapeError, str, strOrNull, type Json } from './json-shape';

export { ShapeError } from './json-shape';

/**
 * The schema this build writes; every file carries its own `schema_version`. 2: repos have an id,
 * a history tail and history chunks; the trash and history folders exist. 3: tags have a source
 * (and, from a registry, their image's details); repos have a link (or null).
 */
export const SCHEMA_VERSION = 3;

/** What a registry told Berth of a tag's image (the manifest its digest names). */
export interface ImageRecord {
  /** `sha256:<image_id>` */
  readonly digest: string;
  readonly media_type: string;
  readonly size: number;
  /** An index's platforms; empty for a single image. */
  readonly platforms: readonly { readonly os: string; readonly architecture: string; readonly variant: string | null }[];
  /** The config's `created`; null for an index or when the config has none. */
  readonly image_created: string | null;
}

export interface TagRecord {
  readonly tag: string;
  readonly image_id: string;
  readonly created_at: string;
  /** Last push of this tag. */
  readonly updated_at: string;
  /** Who last pushed it: `api`, `window`, `import` or `registry:<name>` (an actor). */
  readonly source: string;
  /** Set when the tag came from a registry (and its image was read there). */
  readonly image?: ImageRecord;
}

/** A repo linked to a remote repository. */
export interface LinkRecord {
  readonly registry: string;
  readonly repository: string;
  /** `host[:port]/repository` as docker pull takes it, worked out from the registry's URL when linked. */
  readonly pull_ref: string;
  readonly last_synced_at: string | null;
  readonly last_sync_error: string | null;
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
  /** The remote repository this repo is linked to, or null. */
  readonly link: LinkRecord | null;
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

function toImageRecord(raw: unknown): ImageRecord {
  const o = objectOf(raw, 'a tag\'s "image"');
  const size = o.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new ShapeError('"image.size" is not a count');
  return {
    digest: str(o, 'digest'),
    media_type: str(o, 'media_type'),
    size,
    platforms: list(o, 'platforms').map((p) => {
      const q = objectOf(p, 'a platform');
      return { os: str(q, 'os'), architecture: str(q, 'architecture'), variant: strOrNull(q, 'variant') };
    }),
    image_created: strOrNull(o, 'image_created'),
  };
}

function toTagRecord(raw: unknown): TagRecord {
  if (!isObject(raw)) throw new ShapeError('a tag is not a JSON object');
  return {
    tag: str(raw, 'tag'),
    image_id: str(raw, 'image_id'),
    created_at: str(raw, 'created_at'),
    updated_at: str(raw, 'updated_at'),
    source: str(raw, 'source'),
    ...(raw.image === undefined ? {} : { image: toImageRecord(raw.image) }),
  };
}

function toLinkRecord(raw: unknown): LinkRecord | null {
  if (raw === null) return null;
  const o = objectOf(raw, '"link"');
  return {
    registry: str(o, 'registry'),
    repository: str(o, 'repository'),
    pull_ref: str(o, 'pull_ref'),
    last_synced_at: strOrNull(o, 'last_synced_at'),
    last_sync_error: strOrNull(o, 'last_sync_error'),
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
    link: toLinkRecord(o.link),
  };
}

export function toRepoRecord(raw: unknown): { namespace: string; repo: RepoRecord } {
  const o = objectOf(raw);
  return { namespace: str(o, 'namespace'), repo: toRepoFields(o) };
}

export function namespaceFile(record: NamespaceRecord): NamespaceFile {
  return { schema_version: SCHEMA_VERSION, namespace: record.namespace, created_at: record.created_at };
}

/** A repo as an export reads it: everything but the history tail, which no export carries. */
export type RepoWithoutHistory = Omit<RepoRecord, 'history'>;

/**
 * A repo file's text with its history tail left out, for reads that do not need it (an export):
 * not parsing the tail halves the work and the garbage. Files are written with
 * `JSON.stringify(…, null, 2)`, which starts each top-level key on a line of its own after two
 * spaces; no string value can hold that (a newline in a string is escaped), so the lines from
 * `"history"` to `"history_chunks"` are exactly the tail. Text of any other shape is returned whole.
 */
export function withoutHistoryTail(text: string): string {
  const start = text.indexOf('\n  "history": [');
  if (start < 0) return text;
  const end = text.indexOf('\n  "history_chunks": ', start);
  if (end < 0) return text;
  return `${text.slice(0, start)}\n  "history": [],${text.slice(end)}`;
}

export function repoFile(namespace: string, repo: RepoRecord): RepoFile {
  return { schema_version: SCHEMA_VERSION, namespace, ...repo };
}

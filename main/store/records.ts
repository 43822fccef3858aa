/**
 * What the store keeps: one namespace.json per namespace and one file per repo holding the repo
 * with its tags (so a tag push rewrites one small file). Records are treated as immutable: a
 * write builds new objects and the store swaps them in once they are on disk.
 */

import type { BuildConfig } from '../contract/types';

/** The schema this build writes; every file carries its own `schema_version`. */
export const SCHEMA_VERSION = 1;

export interface TagRecord {
  readonly tag: string;
  readonly image_id: string;
  readonly created_at: string;
  /** Last push of this tag. */
  readonly updated_at: string;
}

export interface RepoRecord {
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

export class ShapeError extends Error {}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Json, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ShapeError(`"${key}" is not text`);
  return v;
}

function strOrNull(o: Json, key: string): string | null {
  const v = o[key];
  if (v === null) return null;
  if (typeof v !== 'string') throw new ShapeError(`"${key}" is not text or null`);
  return v;
}

function bool(o: Json, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new ShapeError(`"${key}" is not true or false`);
  return v;
}

function count(o: Json, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ShapeError(`"${key}" is not a count`);
  return v;
}

/** Deeper than any request may nest: only a file edited by hand gets here. */
const MAX_JSON_DEPTH = 100;

/** A fresh copy of JSON data read from disk, without `__proto__` keys (they could reach a prototype). */
function plainJson(value: unknown, key: string, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_JSON_DEPTH) throw new ShapeError(`"${key}" is nested too deeply`);
  if (Array.isArray(value)) return value.map((item) => plainJson(item, key, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k !== '__proto__') out[k] = plainJson(v, key, depth + 1);
  }
  return out;
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

export function toRepoRecord(raw: unknown): { namespace: string; repo: RepoRecord } {
  if (!isObject(raw)) throw new ShapeError('the file does not hold a JSON object');
  const tags = raw.tags;
  if (!Array.isArray(tags)) throw new ShapeError('"tags" is not a list');
  return {
    namespace: str(raw, 'namespace'),
    repo: {
      repo_name: str(raw, 'repo_name'),
      description: str(raw, 'description'),
      full_description: str(raw, 'full_description'),
      is_public: bool(raw, 'is_public'),
      is_automated: bool(raw, 'is_automated'),
      logo: str(raw, 'logo'),
      logo_file: str(raw, 'logo_file'),
      created_at: str(raw, 'created_at'),
      updated_at: str(raw, 'updated_at'),
      download: count(raw, 'download'),
      upload: count(raw, 'upload'),
      pulled_at: strOrNull(raw, 'pulled_at'),
      pushed_at: strOrNull(raw, 'pushed_at'),
      starred: bool(raw, 'starred'),
      tags: tags.map(toTagRecord),
      ...buildConfigOf(raw),
    },
  };
}

export function namespaceFile(record: NamespaceRecord): NamespaceFile {
  return { schema_version: SCHEMA_VERSION, namespace: record.namespace, created_at: record.created_at };
}

export function repoFile(namespace: string, repo: RepoRecord): RepoFile {
  return { schema_version: SCHEMA_VERSION, namespace, ...repo };
}

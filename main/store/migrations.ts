/**
 * Schema migrations: an ordered list of steps, each taking a file's JSON from one schema version
 * to the next. Every file carries its own `schema_version` and is migrated as it is read (the
 * next write stores the new form); berth.json records the version the folder was last opened
 * with. A file newer than this build is refused rather than mangled.
 */
import { BerthError } from '../contract/errors';
import { derivedRepoId } from './ids';
import { SCHEMA_VERSION, schemaVersionOf, ShapeError } from './records';

export type FileKind = 'meta' | 'namespace' | 'repo' | 'trash' | 'history';

export interface Migration {
  /** The version this step reads; it produces `from + 1`. */
  from: number;
  /** Rewrites one file's JSON; must not mutate its argument. */
  up(kind: FileKind, raw: Record<string, unknown>): Record<string, unknown>;
}

/**
 * 1 -> 2: a repo gains its id and an empty history (tail and chunks). The id is derived from the
 * repo's namespace, name and creation time, so every read of a file not yet rewritten gives the
 * same id. (Trash and history files exist from schema 2 on.)
 */
const REPO_IDS_AND_HISTORY: Migration = {
  from: 1,
  up(kind, raw) {
    if (kind !== 'repo') return raw;
    const id = derivedRepoId(String(raw.namespace), String(raw.repo_name), String(raw.created_at));
    return { ...raw, id, history: [], history_chunks: [] };
  },
};

/**
 * 2 -> 3: a tag gains its source (who last pushed it: the actor of its newest entry in the
 * repo's history tail, else `api`, the only door that could push before the window had a
 * history); a repo gains `link: null`. A trash file's repo changes the same way.
 */
const TAG_SOURCES_AND_LINKS: Migration = {
  from: 2,
  up(kind, raw) {
    if (kind === 'repo') return withSourcesAndLink(raw);
    if (kind === 'trash' && typeof raw.repo === 'object' && raw.repo !== null) {
      return { ...raw, repo: withSourcesAndLink(raw.repo as Record<string, unknown>) };
    }
    return raw;
  },
};

function withSourcesAndLink(repo: Record<string, unknown>): Record<string, unknown> {
  const lastActor = new Map<string, string>();
  if (Array.isArray(repo.history)) {
    for (const e of repo.history as unknown[]) {
      const entry = e as { tag?: unknown; actor?: unknown } | null;
      if (entry && typeof entry.tag === 'string' && typeof entry.actor === 'string') lastActor.set(entry.tag, entry.actor);
    }
  }
  const tags = Array.isArray(repo.tags)
    ? (repo.tags as unknown[]).map((t) => {
        if (typeof t !== 'object' || t === null) return t;
        const tag = t as Record<string, unknown>;
        return { ...tag, source: (typeof tag.tag === 'string' && lastActor.get(tag.tag)) || 'api' };
      })
    : repo.tags;
  return { ...repo, tags, link: null };
}

/** Steps in order, each from the version before. */
export const MIGRATIONS: readonly Migration[] = [REPO_IDS_AND_HISTORY, TAG_SOURCES_AND_LINKS];

export interface SchemaPlan {
  version: number;
  migrations: readonly Migration[];
}

export const CURRENT_PLAN: SchemaPlan = { version: SCHEMA_VERSION, migrations: MIGRATIONS };

export class NewerSchemaError extends Error {
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(`${path} was written by a newer version of Berth (schema ${found}; this version reads up to ${supported}).`);
  }
}

/** Brings one file's JSON up to the plan's version. */
export function migrate(plan: SchemaPlan, kind: FileKind, path: string, raw: unknown): Record<string, unknown> {
  let version = schemaVersionOf(raw);
  if (version > plan.version) throw new NewerSchemaError(path, version, plan.version);
  let data = raw as Record<string, unknown>;
  while (version < plan.version) {
    const step = plan.migrations.find((m) => m.from === version);
    if (!step) throw new ShapeError(`no migration from schema ${version}`);
    data = { ...step.up(kind, data), schema_version: version + 1 };
    version++;
  }
  return data;
}

export function newerDataError(dataDir: string, found: number, supported: number): BerthError {
  return new BerthError(
    'storage_error',
    `Data folder ${dataDir} was written by a newer version of Berth (schema ${found}); this version reads schema ${supported} at most. Update Berth to open it.`,
  );
}

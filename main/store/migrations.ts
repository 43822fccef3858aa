/**
 * Schema migrations: an ordered list of steps, each taking a file's JSON from one schema version
 * to the next. Every file carries its own `schema_version` and is migrated as it is read (the
 * next write stores the new form); berth.json records the version the folder was last opened
 * with. A file newer than this build is refused rather than mangled.
 */
import { BerthError } from '../contract/errors';
import { SCHEMA_VERSION, schemaVersionOf, ShapeError } from './records';

export type FileKind = 'meta' | 'namespace' | 'repo';

export interface Migration {
  /** The version this step reads; it produces `from + 1`. */
  from: number;
  /** Rewrites one file's JSON; must not mutate its argument. */
  up(kind: FileKind, raw: Record<string, unknown>): Record<string, unknown>;
}

/** Schema 1 is the first released form: nothing to migrate yet. Add steps here, in order. */
export const MIGRATIONS: readonly Migration[] = [];

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

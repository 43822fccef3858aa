/**
 * History and the trash as they cross a boundary (README, "History, undo and the trash"): who
 * changed what, and deleted repos kept for a while. Defined once as TypeBox schemas; the types
 * are derived from them.
 */
import { Type, type Static } from '@sinclair/typebox';

/**
 * Who made a change: a local tool over HTTP (`api`), the desktop window (`window`), a connected
 * registry (`registry:<its name>`: its events and syncs), or an import (`import`).
 */
export type Actor = 'api' | 'window' | 'import' | `registry:${string}`;

/** What a history entry records. Tag entries carry image ids; repo entries objects of the changed fields. */
export const HISTORY_ACTIONS = [
  'repo.create',
  'repo.update',
  'repo.star',
  'repo.unstar',
  'repo.delete',
  'repo.restore',
  'tag.create',
  'tag.move',
  'tag.push',
  'tag.delete',
  'tag.restore',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

const Time = Type.String({ format: 'date-time' });
const ImageOrNone = Type.Union([Type.String(), Type.Null()]);
const ChangedFields = Type.Object({}, { additionalProperties: true, description: "The repo's changed fields" });

export const HistoryEntryView = Type.Object({
  /** Sortable by time (a ULID in lower case). */
  id: Type.String(),
  at: Time,
  actor: Type.String({ description: 'api, window, import, or registry:<name>' }),
  action: Type.String({ description: HISTORY_ACTIONS.join(', ') }),
  namespace: Type.String(),
  repo: Type.String(),
  tag: Type.Optional(Type.String()),
  /** Tags: the image id before (null: the tag did not exist); repos: the changed fields' old values. */
  before: Type.Optional(Type.Union([ImageOrNone, ChangedFields])),
  /** Tags: the image id after (null: the tag is gone); repos: the changed fields' new values. */
  after: Type.Optional(Type.Union([ImageOrNone, ChangedFields])),
});
export type HistoryEntryView = Static<typeof HistoryEntryView>;

export const TrashEntryView = Type.Object({
  namespace: Type.String(),
  repo_name: Type.String(),
  deleted_at: Time,
  /** When it is purged for good. */
  expires_at: Time,
  tag_count: Type.Integer({ minimum: 0 }),
});
export type TrashEntryView = Static<typeof TrashEntryView>;

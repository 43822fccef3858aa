/**
 * When a linked repo was last synced, for syncs that changed nothing: such a sync writes nothing
 * (so that checking a registry costs no disk writes), and its time is kept here, in memory, by
 * repo id (ids are unique per incarnation, so several registries in one process never mix).
 * The link's stored `last_synced_at` is the last sync that wrote; views show the later of the two.
 */
const marks = new Map<string, string>();
/** One entry per linked repo synced since start; far above any real catalogue's linked repos. */
const MAX_MARKS = 200_000;

export function noteSynced(repoId: string, at: string): void {
  marks.delete(repoId);
  if (marks.size >= MAX_MARKS) marks.delete(marks.keys().next().value as string);
  marks.set(repoId, at);
}

export function syncedAt(repoId: string, stored: string | null): string | null {
  const mark = marks.get(repoId);
  return mark !== undefined && (stored === null || mark > stored) ? mark : stored;
}

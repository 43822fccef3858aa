/**
 * What an import records in the history (README, "History, undo and the trash"): every repo and
 * tag it creates or changes gets the entries an ordinary write would have made, attributed to
 * `import`, and so does every repo a replace removes (it goes to the trash, like a delete).
 * A repo the import replaces keeps its id and its history; the document's copy brings none.
 */
import type { HistoryAction } from '../../contract/history';
import type { NewHistoryRecord, RepoRecord } from '../../store';
import { entry } from '../core';

const ACTOR = 'import';

/** The repo fields an import can change, as their history entries name them. */
function fieldsOf(r: RepoRecord): Record<string, unknown> {
  return {
    description: r.description,
    full_description: r.full_description,
    is_public: r.is_public,
    build_config: r.build_config ?? null,
    logo: r.logo,
    logo_file: r.logo_file,
    created_at: r.created_at,
    download: r.download,
    upload: r.upload,
    pulled_at: r.pulled_at,
    pushed_at: r.pushed_at,
  };
}

function tagEntries(local: RepoRecord | undefined, next: RepoRecord, at: string): NewHistoryRecord[] {
  const entries: NewHistoryRecord[] = [];
  const before = new Map((local?.tags ?? []).map((t) => [t.tag, t.image_id]));
  for (const t of next.tags) {
    const old = before.get(t.tag);
    before.delete(t.tag);
    if (old === t.image_id) continue;
    const action: HistoryAction = old === undefined ? 'tag.create' : 'tag.move';
    entries.push(entry(ACTOR, action, at, { tag: t.tag, before: old ?? null, after: t.image_id }));
  }
  for (const [tag, old] of before) entries.push(entry(ACTOR, 'tag.delete', at, { tag, before: old, after: null }));
  return entries;
}

/** The entries for writing `next` over `local` (undefined: the import creates the repo). */
export function importEntries(local: RepoRecord | undefined, next: RepoRecord, at: string): NewHistoryRecord[] {
  if (!local) {
    const { description, full_description, is_public, build_config } = fieldsOf(next);
    const after = next.build_config
      ? { description, full_description, is_public, build_config }
      : { description, full_description, is_public };
    const star = next.starred
      ? [entry(ACTOR, 'repo.star', at, { before: { is_repo_starred: false }, after: { is_repo_starred: true } })]
      : [];
    return [entry(ACTOR, 'repo.create', at, { after }), ...star, ...tagEntries(undefined, next, at)];
  }
  const entries: NewHistoryRecord[] = [];
  const old = fieldsOf(local);
  const now = fieldsOf(next);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of Object.keys(now)) {
    if (JSON.stringify(old[field]) === JSON.stringify(now[field])) continue;
    before[field] = old[field];
    after[field] = now[field];
  }
  if (Object.keys(after).length > 0) entries.push(entry(ACTOR, 'repo.update', at, { before, after }));
  if (local.starred !== next.starred) {
    const action = next.starred ? 'repo.star' : 'repo.unstar';
    entries.push(entry(ACTOR, action, at, { before: { is_repo_starred: local.starred }, after: { is_repo_starred: next.starred } }));
  }
  return [...entries, ...tagEntries(local, next, at)];
}

/** The entry of a repo a replace removes (it goes to the trash). */
export function removalEntry(at: string): NewHistoryRecord {
  return entry(ACTOR, 'repo.delete', at);
}

/** The document's copy of a repo that exists locally: the local repo's id and history go on. */
export function asLocalRepo(local: RepoRecord, imported: RepoRecord): RepoRecord {
  return { ...imported, id: local.id, history: local.history, history_chunks: local.history_chunks };
}

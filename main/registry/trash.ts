/**
 * The trash (README, "History, undo and the trash"): a deleted repo is kept whole for 30 days,
 * then purged. Restoring puts back the most recent deletion of a name, exactly as it was (tags,
 * stars, counters, history, and whatever else its record holds), recreating its namespace if
 * that went too; purging deletes every trashed repo of that name for good. Entries past their
 * time are purged at start and periodically, and never listed or restored meanwhile.
 */
import { BerthError } from '../contract/errors';
import type { TrashEntryView } from '../contract/history';
import type { Page, PageQuery, RepoView, Viewer } from '../contract/types';
import type { TrashRecord } from '../store';
import { entry, write, type Acting, type RegistryCore } from './core';
import { requireToken } from './history-reads';
import { requireNames } from './lookup';
import { pageWindow } from '../contract/paging';
import { repoView } from './views';

const notInTrash = (namespace: string, repoName: string) => BerthError.notFound(`Repository ${namespace}/${repoName} is not in the trash.`);

const expired = (record: TrashRecord, now: string) => record.expires_at <= now;

function trashView(record: TrashRecord): TrashEntryView {
  return {
    namespace: record.namespace,
    repo_name: record.repo.repo_name,
    deleted_at: record.deleted_at,
    expires_at: record.expires_at,
    tag_count: record.repo.tags.length,
  };
}

/** Newest deletion first; ties by name. */
function newestFirst(a: TrashRecord, b: TrashRecord): number {
  if (a.deleted_at !== b.deleted_at) return a.deleted_at < b.deleted_at ? 1 : -1;
  const an = `${a.namespace}/${a.repo.repo_name}`;
  const bn = `${b.namespace}/${b.repo.repo_name}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

export function listTrash(core: RegistryCore, viewer: Viewer, query: PageQuery): Page<TrashEntryView> {
  requireToken(viewer, 'The trash');
  const now = core.now();
  const records = [...core.store.trash().values()].filter((r) => !expired(r, now)).sort(newestFirst);
  const w = pageWindow(records.length, query);
  return {
    count: records.length,
    page: w.page,
    page_size: w.page_size,
    num_pages: w.num_pages,
    results: records.slice(w.start, w.end).map(trashView),
  };
}

/** 409 when a repo of that name exists again; the namespace is recreated if it is gone. */
export async function restoreFromTrash({ core, actor }: Acting, namespace: string, repoName: string): Promise<RepoView> {
  requireNames(namespace, repoName);
  const record = await write(
    core,
    namespace,
    (tx) => {
      const now = core.now();
      const latest = tx.trashed(repoName).find((t) => !expired(t.record, now));
      if (!latest) throw notInTrash(namespace, repoName);
      if (tx.getRepo(repoName)) {
        throw BerthError.conflict(
          `Repository ${namespace}/${repoName} exists again: delete it, or keep it, before restoring the deleted one.`,
        );
      }
      if (!tx.getNamespace()) tx.putNamespace({ namespace, created_at: now });
      return tx.restoreRepo(latest.id, [entry(actor, 'repo.restore', now)]);
    },
    { entity: 'repo', action: 'created', namespace, repo_name: repoName },
  );
  return repoView(namespace, record);
}

/** Every trashed repo of that name goes for good, with its history. */
export async function purgeTrash({ core }: Acting, namespace: string, repoName: string): Promise<void> {
  requireNames(namespace, repoName);
  await write(
    core,
    namespace,
    (tx) => {
      const found = tx.trashed(repoName);
      if (found.length === 0) throw notInTrash(namespace, repoName);
      for (const t of found) tx.purgeTrash(t.id);
    },
    { entity: 'trash', action: 'deleted', namespace, repo_name: repoName },
  );
}

/** Purges what has passed its time; answers how many were purged. */
export async function purgeExpiredTrash(core: RegistryCore): Promise<number> {
  const now = core.now();
  const byNamespace = new Map<string, string[]>();
  for (const [id, record] of core.store.trash()) {
    if (expired(record, now)) byNamespace.set(record.namespace, [...(byNamespace.get(record.namespace) ?? []), id]);
  }
  let purged = 0;
  for (const [namespace, ids] of byNamespace) {
    const names = await write(
      core,
      namespace,
      (tx) => {
        const gone: string[] = [];
        for (const id of ids) {
          const record = tx.getTrash(id);
          if (!record || !expired(record, now)) continue;
          tx.purgeTrash(id);
          gone.push(record.repo.repo_name);
        }
        return gone;
      },
      () => null,
    );
    purged += names.length;
    for (const repoName of new Set(names)) core.events.emit({ entity: 'trash', action: 'deleted', namespace, repo_name: repoName });
  }
  return purged;
}

/**
 * Writes that come from a connected registry: linking a repo, applying a sync's or an event's tag
 * changes (creates and moves count as pushes, deletions as deletions, all of one call in one
 * transaction), and a registry's pull. The caller (main/sync) works out what changed from the
 * registry; the rules of how the catalogue takes it live here.
 */
import { BerthError } from '../contract/errors';
import type { Actor, HistoryAction } from '../contract/history';
import type { ImageRecord, LinkRecord, NewHistoryRecord, RepoRecord, TagRecord } from '../store';
import { entry, write, type Acting } from './core';
import { newRepoRecord } from './defaults';
import { checkCreateInput } from './inputs';
import { requireNames, requireRepo } from './lookup';

export type { ImageRecord, LinkRecord, TagRecord } from '../store';

/** What one sync or event changes in one linked repo. */
export interface RemoteTagChanges {
  /** The link the changes were worked out for: if the repo was relinked meanwhile, nothing is applied. */
  readonly link: { readonly registry: string; readonly repository: string };
  /** Tags to create or move (an unchanged image only takes the details). */
  readonly put: readonly { readonly tag: string; readonly image_id: string; readonly image: ImageRecord | null }[];
  /** Tags to delete; with `image_id`, only while the tag still points at it. */
  readonly remove: readonly { readonly tag: string; readonly image_id?: string }[];
  /** Who the tags now come from: `registry:<name>`. */
  readonly source: string;
  /** A sync's outcome, stored on the link when the repo is written (or when the error changed). */
  readonly synced?: { readonly at: string; readonly error: string | null };
}

export interface RemoteApplyResult {
  /** Tags created, moved or deleted. */
  readonly changed: number;
  /** Whether anything was written. */
  readonly written: boolean;
}

function sameLink(link: LinkRecord | null, want: RemoteTagChanges['link']): boolean {
  return link !== null && link.registry === want.registry && link.repository === want.repository;
}

function linkMovedError(namespace: string, repoName: string): BerthError {
  return new BerthError('conflict', `Repository ${namespace}/${repoName} was linked elsewhere or unlinked meanwhile; nothing was applied.`);
}

/** Links a repo (or, with null, unlinks it); recorded as a repo update of `link`. */
export async function setLink(
  { core, actor }: Acting,
  namespace: string,
  repoName: string,
  link: LinkRecord | null,
  options: { onlyIfUnlinked?: boolean } = {},
): Promise<RepoRecord> {
  requireNames(namespace, repoName);
  return write(
    core,
    namespace,
    (tx) => {
      const repo = requireRepo(tx, namespace, repoName);
      if (options.onlyIfUnlinked && repo.link && !sameLink(repo.link, link ?? { registry: '', repository: '' })) {
        throw new BerthError(
          'conflict',
          `Repository ${namespace}/${repoName} is linked to ${repo.link.registry}:${repo.link.repository}, not ${link?.registry}:${link?.repository}.`,
        );
      }
      const describe = (l: LinkRecord | null) => (l ? `${l.registry}:${l.repository}` : null);
      if (describe(repo.link) === describe(link) && !(link && !repo.link)) {
        if (link === null || repo.link === null) return repo;
        // Same remote: keep its sync state, take a new pull_ref (the registry's URL may have changed).
        if (repo.link.pull_ref === link.pull_ref) return repo;
        return tx.putRepo({ ...repo, link: { ...repo.link, pull_ref: link.pull_ref } });
      }
      const now = core.now();
      const history = [entry(actor, 'repo.update', now, { before: { link: describe(repo.link) }, after: { link: describe(link) } })];
      return tx.putRepo({ ...repo, link, updated_at: now }, history);
    },
    { entity: 'repo', action: 'updated', namespace, repo_name: repoName },
  );
}

/** Applies a sync's or an event's tag changes to a linked repo, in one transaction. */
export async function applyRemoteTags(
  { core, actor }: Acting,
  namespace: string,
  repoName: string,
  changes: RemoteTagChanges,
): Promise<RemoteApplyResult> {
  requireNames(namespace, repoName);
  const current = (await core.lookup.namespace(namespace)).repos.get(repoName);
  if (!current) throw BerthError.notFound(`Repository ${namespace}/${repoName} was not found.`);
  // Nothing to change: no write at all (a second sync of an unchanged repo writes nothing).
  if (!sameLink(current.link, changes.link)) throw linkMovedError(namespace, repoName);
  if (!changesAnything(current, changes)) return { changed: 0, written: false };
  return write(
    core,
    namespace,
    (tx) => {
      const repo = requireRepo(tx, namespace, repoName);
      if (!sameLink(repo.link, changes.link)) throw linkMovedError(namespace, repoName);
      const applied = withRemoteTags(repo, changes, actor, core.now());
      tx.putRepo(applied.repo, applied.history);
      return { changed: applied.changed, written: true };
    },
    () => ({ entity: 'tag', action: 'updated', namespace, repo_name: repoName }),
  );
}

/**
 * An imported repository: the local repo is created, linked and given its tags in one
 * transaction (recorded as its creation, the link and each tag), so an import that fails or is
 * cancelled leaves nothing behind. A repo made meanwhile with the same link takes the changes as
 * a sync's; any other is a `conflict`.
 */
export async function importRemoteRepo(
  { core, actor }: Acting,
  namespace: string,
  repoName: string,
  link: LinkRecord,
  changes: RemoteTagChanges,
): Promise<RemoteApplyResult> {
  checkCreateInput(namespace, { repo_name: repoName });
  if (!sameLink(link, changes.link)) throw new Error('importRemoteRepo: the link and the changes name different remotes');
  return write(
    core,
    namespace,
    (tx) => {
      const now = core.now();
      const existing = tx.getRepo(repoName);
      if (existing && !sameLink(existing.link, link)) {
        const what = existing.link ? `linked to ${describeLink(existing.link)}` : 'not linked';
        throw new BerthError('conflict', `Repository ${namespace}/${repoName} was made meanwhile and is ${what}; nothing was imported.`);
      }
      if (existing) {
        if (!changesAnything(existing, changes)) return { changed: 0, written: false, created: false };
        const applied = withRemoteTags(existing, changes, actor, now);
        tx.putRepo(applied.repo, applied.history);
        return { changed: applied.changed, written: true, created: false };
      }
      if (!tx.getNamespace()) tx.putNamespace({ namespace, created_at: now });
      const fields = { description: '', full_description: '', is_public: true };
      const created = [
        entry(actor, 'repo.create', now, { after: fields }),
        entry(actor, 'repo.update', now, { before: { link: null }, after: { link: describeLink(link) } }),
      ];
      const applied = withRemoteTags({ ...newRepoRecord(repoName, fields, now), link }, changes, actor, now);
      tx.putRepo(applied.repo, [...created, ...applied.history]);
      return { changed: applied.changed, written: true, created: true };
    },
    (result) =>
      result.created
        ? { entity: 'repo', action: 'created', namespace, repo_name: repoName }
        : result.written
          ? { entity: 'tag', action: 'updated', namespace, repo_name: repoName }
          : null,
  ).then(({ changed, written }) => ({ changed, written }));
}

const describeLink = (l: Pick<LinkRecord, 'registry' | 'repository'>) => `${l.registry}:${l.repository}`;

/** The repo with the changes applied (creates and moves count as pushes), and what the history records. */
function withRemoteTags(
  repo: RepoRecord,
  changes: RemoteTagChanges,
  actor: Actor,
  now: string,
): { repo: RepoRecord; history: NewHistoryRecord[]; changed: number } {
  const history: NewHistoryRecord[] = [];
  const tags = new Map<string, TagRecord>(repo.tags.map((t) => [t.tag, t]));
  let pushes = 0;
  for (const put of changes.put) {
    const old = tags.get(put.tag);
    const image = put.image ?? (old?.image_id === put.image_id ? old.image : undefined);
    if (old && old.image_id === put.image_id) {
      // The same image: only what Berth knows of it may change, which is no push.
      if (image && old.image !== image) tags.set(put.tag, { ...old, image });
      continue;
    }
    const action: HistoryAction = old ? 'tag.move' : 'tag.create';
    tags.set(put.tag, {
      tag: put.tag,
      image_id: put.image_id,
      created_at: old?.created_at ?? now,
      updated_at: now,
      source: changes.source,
      ...(image ? { image } : {}),
    });
    history.push(entry(actor, action, now, { tag: put.tag, before: old?.image_id ?? null, after: put.image_id }));
    pushes++;
  }
  let deletions = 0;
  for (const gone of changes.remove) {
    const old = tags.get(gone.tag);
    if (!old || (gone.image_id !== undefined && old.image_id !== gone.image_id)) continue;
    tags.delete(gone.tag);
    history.push(entry(actor, 'tag.delete', now, { tag: gone.tag, before: old.image_id, after: null }));
    deletions++;
  }
  const changed = pushes + deletions;
  const link =
    changes.synced && repo.link ? { ...repo.link, last_synced_at: changes.synced.at, last_sync_error: changes.synced.error } : repo.link;
  return {
    repo: {
      ...repo,
      tags: [...tags.values()],
      link,
      upload: repo.upload + pushes,
      pushed_at: pushes > 0 ? now : repo.pushed_at,
      updated_at: changed > 0 ? now : repo.updated_at,
    },
    history,
    changed,
  };
}

function changesAnything(repo: RepoRecord, changes: RemoteTagChanges): boolean {
  const tags = new Map(repo.tags.map((t) => [t.tag, t]));
  for (const put of changes.put) {
    const old = tags.get(put.tag);
    if (!old || old.image_id !== put.image_id || (put.image && !old.image)) return true;
  }
  for (const gone of changes.remove) {
    const old = tags.get(gone.tag);
    if (old && (gone.image_id === undefined || old.image_id === gone.image_id)) return true;
  }
  // A sync's error is stored when it changes (a success after a failure clears it).
  return changes.synced !== undefined && (repo.link?.last_sync_error ?? null) !== changes.synced.error;
}

/** A pull the registry reported: download + 1 and pulled_at, as a pull recorded over the API (not in the history). */
export async function recordRemotePull(
  { core }: Acting,
  namespace: string,
  repoName: string,
  link: RemoteTagChanges['link'],
): Promise<void> {
  requireNames(namespace, repoName);
  await write(
    core,
    namespace,
    (tx) => {
      const repo = requireRepo(tx, namespace, repoName);
      if (!sameLink(repo.link, link)) throw linkMovedError(namespace, repoName);
      return tx.putRepo({ ...repo, download: repo.download + 1, pulled_at: core.now() });
    },
    { entity: 'repo', action: 'updated', namespace, repo_name: repoName },
  );
}

/** Every linked repo, for the events' index: loads every namespace. */
export async function linkedRepos({ core }: Acting): Promise<{ namespace: string; repo_name: string; link: LinkRecord }[]> {
  const out: { namespace: string; repo_name: string; link: LinkRecord }[] = [];
  for (const ns of core.store.namespaceNames()) {
    const state = await core.store.namespace(ns);
    for (const repo of state?.repos.values() ?? []) if (repo.link) out.push({ namespace: ns, repo_name: repo.repo_name, link: repo.link });
  }
  return out;
}

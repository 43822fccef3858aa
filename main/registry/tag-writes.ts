/**
 * Writes to tags: push (create, move, or the same image again), delete, and restore from a
 * history entry. Each records a history entry with the tag's image id before and after.
 */
import { BerthError } from '../contract/errors';
import type { HistoryAction } from '../contract/history';
import { assertValid, normalizeImageId, validateTag } from '../contract/names';
import type { PutTagResult } from '../contract/types';
import type { TagRecord } from '../store';
import { entry, write, type Acting } from './core';
import { findEntry } from './history-reads';
import { notFound, requireNames, requireRepo } from './lookup';
import { TOKEN_HOLDER } from './service';
import { tagView } from './views';

/**
 * A push: creates or moves the tag, counts an upload. `restoring` names the repo the restored
 * entry belongs to: the push is refused if that repo was deleted (and another made) meanwhile.
 */
async function push(
  { core, actor }: Acting,
  namespace: string,
  repoName: string,
  tag: string,
  image: string,
  restoring?: { repoId: string; historyId: string },
): Promise<PutTagResult> {
  return write(
    core,
    namespace,
    (tx) => {
      const repo = requireRepo(tx, namespace, repoName);
      if (restoring && repo.id !== restoring.repoId) throw notInHistory(namespace, repoName, restoring.historyId);
      const now = core.now();
      const old = repo.tags.find((t) => t.tag === tag);
      // The tag is now the pusher's: what a registry said of the image it had no longer holds (unless it is the same image).
      const kept = old?.image && old.image_id === image ? { image: old.image } : {};
      const next: TagRecord = { tag, image_id: image, created_at: old?.created_at ?? now, updated_at: now, source: actor, ...kept };
      const tags = old ? repo.tags.map((t) => (t === old ? next : t)) : [...repo.tags, next];
      // A push of the same image to the same tag is neither a create nor a move: updated_at
      // (last_updated) stays, the push counters and times change (as Docker Hub counts a push).
      const changesRepo = !old || old.image_id !== image;
      const action: HistoryAction = restoring ? 'tag.restore' : !old ? 'tag.create' : changesRepo ? 'tag.move' : 'tag.push';
      const record = { ...repo, tags, upload: repo.upload + 1, pushed_at: now, updated_at: changesRepo ? now : repo.updated_at };
      tx.putRepo(record, [entry(actor, action, now, { tag, before: old?.image_id ?? null, after: image })]);
      return { tag: tagView(next), created: !old };
    },
    (result) => ({ entity: 'tag', action: result.created ? 'created' : 'updated', namespace, repo_name: repoName, tag }),
  );
}

export async function putTag(acting: Acting, namespace: string, repoName: string, tag: string, imageId: string): Promise<PutTagResult> {
  requireNames(namespace, repoName);
  assertValid({ tag: validateTag(tag) });
  return push(acting, namespace, repoName, tag, normalizeImageId(imageId));
}

export async function deleteTag({ core, actor }: Acting, namespace: string, repoName: string, tag: string): Promise<void> {
  requireNames(namespace, repoName);
  await write(
    core,
    namespace,
    (tx) => {
      const repo = requireRepo(tx, namespace, repoName);
      const old = repo.tags.find((t) => t.tag === tag);
      if (!old) throw notFound.tag(namespace, repoName, String(tag));
      const now = core.now();
      const history = [entry(actor, 'tag.delete', now, { tag, before: old.image_id, after: null })];
      tx.putRepo({ ...repo, tags: repo.tags.filter((t) => t !== old), updated_at: now }, history);
    },
    { entity: 'tag', action: 'deleted', namespace, repo_name: repoName, tag },
  );
}

function notInHistory(namespace: string, repoName: string, historyId: string): BerthError {
  return BerthError.validation({ history_id: [`There is no entry ${historyId} in the history of ${namespace}/${repoName}.`] });
}

/**
 * Puts a tag back as it was after a history entry of this repo and tag (a push): the entry must
 * be one after which the tag existed.
 */
export async function restoreTag(
  acting: Acting,
  namespace: string,
  repoName: string,
  tag: string,
  historyId: string,
): Promise<PutTagResult> {
  requireNames(namespace, repoName);
  assertValid({ tag: validateTag(tag), history_id: typeof historyId === 'string' && historyId !== '' ? null : 'This field is required.' });
  const repo = await acting.core.lookup.repo(TOKEN_HOLDER, namespace, repoName);
  const id = historyId.toLowerCase();
  const found = await findEntry(acting.core.store, repo, id);
  if (!found) throw notInHistory(namespace, repoName, historyId);
  if (found.tag !== tag) {
    const about = found.tag === undefined ? 'the repository itself' : `tag ${found.tag}`;
    throw BerthError.validation({ history_id: [`Entry ${historyId} is about ${about}, not tag ${tag}.`] });
  }
  if (typeof found.after !== 'string') {
    throw BerthError.validation({
      history_id: [`Tag ${tag} did not exist after entry ${historyId} (it was deleted): choose an entry after which it existed.`],
    });
  }
  return push(acting, namespace, repoName, tag, found.after, { repoId: repo.id, historyId: id });
}

/**
 * History and the trash in the window: a repo's history page by page, the trash, and the writes
 * that undo (restore a tag from an entry, restore a repo from the trash) or purge for good.
 */
import { useInfiniteQuery, useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { HistoryEntryView, Page, TagView } from '../../../main/contract/types';
import { useToast } from '../components/Toasts';
import { berth, toErrorBody } from './berth';
import { keys } from './keys';
import { shortImageId } from './pull';

const HISTORY_PAGE = 20;
const TRASH_PAGE = 100;

const nextPage = <T>(last: Page<T>) => (last.page < last.num_pages ? last.page + 1 : undefined);

/** A repo's history, newest first, a page at a time ("Show more" fetches the next). */
export function useRepoHistory(namespace: string, repoName: string) {
  return useInfiniteQuery({
    queryKey: keys.history(namespace, repoName),
    queryFn: ({ pageParam }) => berth().listRepoHistory(namespace, repoName, { page: pageParam, page_size: HISTORY_PAGE }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

export function useTrash() {
  return useInfiniteQuery({
    queryKey: keys.trash,
    queryFn: ({ pageParam }) => berth().listTrash({ page: pageParam, page_size: TRASH_PAGE }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

function useRefresh() {
  const client = useQueryClient();
  return (...queryKeys: QueryKey[]) => Promise.all(queryKeys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

/** Puts a tag back as it was after one of its history entries. */
export function useRestoreTag(namespace: string, repoName: string) {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: (entry: HistoryEntryView) => berth().restoreTag(namespace, repoName, entry.tag ?? '', entry.id),
    onSuccess: (result) => {
      toast.success(`Tag ${result.tag.tag} restored to ${shortImageId(result.tag.image_id)}.`);
      return refresh(keys.tags(namespace, repoName), keys.repo(namespace, repoName), keys.reposOf(namespace), keys.historyAll);
    },
    onError: (error) => toast.error(error),
  });
}

/**
 * The entries deleted tags can be restored from: for each tag, the newest entry of that tag after
 * which it existed (the one before its deletion). Searches the first pages of the repo's history.
 */
export async function entriesBeforeDeletion(
  namespace: string,
  repoName: string,
  tags: readonly string[],
): Promise<Map<string, HistoryEntryView>> {
  const wanted = new Set(tags);
  const found = new Map<string, HistoryEntryView>();
  for (let page = 1; page <= 10 && found.size < wanted.size; page++) {
    const result = await berth().listRepoHistory(namespace, repoName, { page, page_size: 100 });
    for (const entry of result.results) {
      if (entry.tag && wanted.has(entry.tag) && !found.has(entry.tag) && typeof entry.after === 'string') found.set(entry.tag, entry);
    }
    if (page >= result.num_pages) break;
  }
  return found;
}

/**
 * Undo of a deletion of one or more tags: each comes back as it was just before. A tag that
 * cannot come back does not stop the others; the outcome is reported once.
 */
export function useUndoTagDelete(namespace: string, repoName: string) {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: async (tags: readonly string[]) => {
      const entries = await entriesBeforeDeletion(namespace, repoName, tags);
      const restored: TagView[] = [];
      const failed: { tag: string; detail: string }[] = [];
      for (const tag of tags) {
        const entry = entries.get(tag);
        if (!entry) {
          failed.push({ tag, detail: 'its history no longer holds it' });
          continue;
        }
        try {
          restored.push((await berth().restoreTag(namespace, repoName, tag, entry.id)).tag);
        } catch (error) {
          failed.push({ tag, detail: toErrorBody(error).detail });
        }
      }
      return { restored, failed };
    },
    onSuccess: ({ restored, failed }, tags) => {
      const [only] = restored;
      if (restored.length === 1 && only) toast.success(`Tag ${only.tag} is back (${shortImageId(only.image_id)}).`);
      else if (restored.length > 1) toast.success(`${restored.length} tags are back in ${namespace}/${repoName}.`);
      const [first] = failed;
      if (first && tags.length === 1) toast.error(`Tag ${first.tag} cannot be restored: ${first.detail}.`);
      else if (first) toast.error(`${failed.length} of ${tags.length} tags cannot be restored (${first.tag}: ${first.detail}).`);
      return refresh(keys.tags(namespace, repoName), keys.repo(namespace, repoName), keys.reposOf(namespace), keys.historyAll);
    },
    onError: (error) => toast.error(error),
  });
}

/**
 * `onRestored` runs with the mutation itself, not with one caller's mutate, so it still runs when
 * the component that offered the restore (a delete dialog behind an Undo toast) is gone.
 */
export function useRestoreFromTrash({ onRestored }: { onRestored?(namespace: string, repoName: string): void } = {}) {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ namespace, repoName }: { namespace: string; repoName: string }) => berth().restoreFromTrash(namespace, repoName),
    onSuccess: (repo) => {
      toast.success(`Restored ${repo.repo_path}.`);
      onRestored?.(repo.namespace, repo.repo_name);
      return refresh(keys.trash, keys.namespaces, keys.reposOf(repo.namespace), keys.historyAll);
    },
    onError: (error) => toast.error(error),
  });
}

export function usePurgeTrash() {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ namespace, repoName }: { namespace: string; repoName: string }) => berth().purgeTrash(namespace, repoName),
    onSuccess: (_r, { namespace, repoName }) => {
      toast.success(`${namespace}/${repoName} was deleted for good.`);
      return refresh(keys.trash, keys.historyAll);
    },
    onError: (error) => toast.error(error),
  });
}

/**
 * History and the trash in the window: a repo's history page by page, the trash, and the writes
 * that undo (restore a tag from an entry, restore a repo from the trash) or purge for good.
 */
import { useInfiniteQuery, useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { HistoryEntryView, Page } from '../../../main/contract/types';
import { useToast } from '../components/Toasts';
import { berth } from './berth';
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
 * The entry a deleted tag can be restored from: the newest one of that tag after which it
 * existed (the one before its deletion). Searches the first pages of the repo's history.
 */
export async function entryBeforeDeletion(namespace: string, repoName: string, tag: string): Promise<HistoryEntryView | null> {
  for (let page = 1; page <= 10; page++) {
    const result = await berth().listRepoHistory(namespace, repoName, { page, page_size: 100 });
    const found = result.results.find((e) => e.tag === tag && typeof e.after === 'string');
    if (found) return found;
    if (page >= result.num_pages) return null;
  }
  return null;
}

/** Undo of a tag's deletion: the tag comes back as it was just before. */
export function useUndoTagDelete(namespace: string, repoName: string) {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: async (tag: string) => {
      const entry = await entryBeforeDeletion(namespace, repoName, tag);
      if (!entry) throw { detail: `Tag ${tag} cannot be restored: its history no longer holds it.`, code: 'not_found' };
      return berth().restoreTag(namespace, repoName, tag, entry.id);
    },
    onSuccess: (result) => {
      toast.success(`Tag ${result.tag.tag} is back (${shortImageId(result.tag.image_id)}).`);
      return refresh(keys.tags(namespace, repoName), keys.repo(namespace, repoName), keys.reposOf(namespace), keys.historyAll);
    },
    onError: (error) => toast.error(error),
  });
}

export function useRestoreFromTrash() {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ namespace, repoName }: { namespace: string; repoName: string }) => berth().restoreFromTrash(namespace, repoName),
    onSuccess: (repo) => {
      toast.success(`Restored ${repo.repo_path}.`);
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

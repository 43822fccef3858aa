/** Reads: every piece of server state goes through TanStack Query, keyed by api/keys. */
import { keepPreviousData, useQueries, useQuery, useQueryClient, type QueryClient, type UseQueryResult } from '@tanstack/react-query';
import type { ListReposQuery, NamespaceView, Page, RepoView } from '../../../main/contract/types';
import { berth, isNotFound } from './berth';
import { keys } from './keys';

/** The API clamps page_size to 100 (DRF's max_page_size). */
export const PAGE_SIZE = 100;

/** All namespaces: there are few (tens to hundreds), so the sidebar reads every page. */
export function useNamespaces(): UseQueryResult<NamespaceView[]> {
  return useQuery({
    queryKey: keys.namespaces,
    queryFn: async () => {
      const all: NamespaceView[] = [];
      for (let page = 1; ; page += 1) {
        const result = await berth().listNamespaces({ page, page_size: PAGE_SIZE });
        all.push(...result.results);
        if (page >= result.num_pages) return all;
      }
    },
  });
}

export type RepoFilter = Omit<ListReposQuery, 'page' | 'page_size'>;

function emptyPage(page: number): Page<RepoView> {
  return { count: 0, page, page_size: PAGE_SIZE, num_pages: 0, results: [] };
}

function repoPageQuery(namespace: string, filter: RepoFilter, page: number, keepPrevious = false) {
  const query: ListReposQuery = { ...filter, page, page_size: PAGE_SIZE };
  return {
    queryKey: keys.repoPage(namespace, query),
    queryFn: async () => {
      try {
        return await berth().listRepos(namespace, query);
      } catch (error) {
        // A page past the end ("Invalid page.") after repos were deleted elsewhere is just empty.
        if (page > 1 && isNotFound(error)) return emptyPage(page);
        throw error;
      }
    },
    // While a new search runs, the old rows stay rather than flashing an empty list.
    placeholderData: keepPrevious ? keepPreviousData : undefined,
  };
}

/** One page of a namespace's repos; page 1 also gives the total for the virtual list. */
export function useRepoPage(namespace: string, filter: RepoFilter, page: number) {
  return useQuery(repoPageQuery(namespace, filter, page, true));
}

/**
 * Random access into a namespace's repos: only the pages under the visible rows are fetched, so
 * jumping to row 9,000 of 10,000 is one request, not ninety.
 */
export function useRepoPageSet(namespace: string, filter: RepoFilter, pages: number[]): Map<number, Page<RepoView>> {
  const results = useQueries({ queries: pages.map((page) => repoPageQuery(namespace, filter, page)) });
  const byPage = new Map<number, Page<RepoView>>();
  results.forEach((result, i) => {
    const page = pages[i];
    if (result.data && page !== undefined) byPage.set(page, result.data);
  });
  return byPage;
}

/** The repo as a list page already holds it (list rows carry the whole detail), if one does. */
export function repoFromLists(client: QueryClient, namespace: string, repoName: string): RepoView | undefined {
  for (const [, page] of client.getQueriesData<Page<RepoView>>({ queryKey: keys.reposOf(namespace) })) {
    const found = page?.results.find((repo) => repo.repo_name === repoName);
    if (found) return found;
  }
  return undefined;
}

/** A repo's detail; while it loads, the row the user clicked stands in for it (no empty "Loading…"). */
export function useRepo(namespace: string, repoName: string) {
  const client = useQueryClient();
  return useQuery({
    queryKey: keys.repo(namespace, repoName),
    queryFn: () => berth().getRepo(namespace, repoName),
    placeholderData: () => repoFromLists(client, namespace, repoName),
    retry: (count, error) => !isNotFound(error) && count < 2,
  });
}

export function useTags(namespace: string, repoName: string) {
  return useQuery({
    queryKey: keys.tags(namespace, repoName),
    queryFn: () => berth().listTags(namespace, repoName),
    retry: (count, error) => !isNotFound(error) && count < 2,
  });
}

export function useServerInfo() {
  // Settings changes restart the API without a change event; a slow poll keeps the status bar true.
  return useQuery({ queryKey: keys.serverInfo, queryFn: () => berth().getServerInfo(), refetchInterval: 5_000 });
}

export function useSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => berth().getSettings(), staleTime: Infinity });
}

/** Stored settings Berth could not use; they change only when a setting is changed (see useUpdateSettings). */
export function useSettingsProblems() {
  return useQuery({ queryKey: keys.settingsProblems, queryFn: () => berth().getSettingsProblems(), staleTime: Infinity });
}

/** Search across every namespace (the registry's v1 search): the first page of matches. */
export function useGlobalSearch(q: string) {
  return useQuery({
    queryKey: keys.searchFor(q),
    queryFn: () => berth().search({ q, page: 1, page_size: 20 }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
}

/**
 * Registry connections and what they hold, through window.berth (the registry traffic itself
 * leaves from main, never from this window). Reads are TanStack queries keyed by api/keys; writes
 * refresh what they touched, and registry change events do the same for changes made elsewhere.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { CreateRegistryInput, RegistryView, SaveRegistryOptions, UpdateRegistryInput } from '../../../main/contract/types';
import { useToast } from '../components/Toasts';
import { berth, isNotFound, toErrorBody } from './berth';
import { keys } from './keys';
import { PAGE_SIZE } from './queries';

/** Names per page asked of a registry (the API allows up to 1000). */
export const REGISTRY_PAGE = 500;

/** Every registry connection: a handful, so the sidebar reads every page. */
export function useRegistries() {
  return useQuery({
    queryKey: keys.registries,
    queryFn: async () => {
      const all: RegistryView[] = [];
      for (let page = 1; ; page += 1) {
        const result = await berth().listRegistries({ page, page_size: PAGE_SIZE });
        all.push(...result.results);
        if (page >= result.num_pages) return all;
      }
    },
  });
}

/** A registry's failures are not worth repeating at once: each costs a round trip to it. */
const noRetryOnRegistryErrors = (count: number, error: unknown) => {
  const code = toErrorBody(error).code;
  return !isNotFound(error) && code !== 'validation_error' && !code.startsWith('registry_') && count < 1;
};

/** The catalogue (Docker Hub: one namespace's repositories), page by page as the list scrolls. */
export function useRegistryRepositories(name: string, namespace: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: keys.registryRepositories(name, namespace),
    queryFn: ({ pageParam }) =>
      berth().listRegistryRepositories(name, {
        n: REGISTRY_PAGE,
        ...(pageParam ? { last: pageParam } : {}),
        ...(namespace ? { namespace } : {}),
      }),
    initialPageParam: '',
    getNextPageParam: (page) => page.next ?? undefined,
    enabled,
    retry: noRetryOnRegistryErrors,
  });
}

export function useRegistryTags(name: string, repository: string) {
  return useInfiniteQuery({
    queryKey: keys.registryTags(name, repository),
    queryFn: ({ pageParam }) => berth().listRegistryTags(name, { repository, n: REGISTRY_PAGE, ...(pageParam ? { last: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (page) => page.next ?? undefined,
    retry: noRetryOnRegistryErrors,
  });
}

/** One manifest's summary; rows ask only while they are on screen. */
export function useRegistryManifest(name: string, repository: string, reference: string, enabled = true) {
  return useQuery({
    queryKey: keys.registryManifest(name, repository, reference),
    queryFn: () => berth().getRegistryManifest(name, { repository, reference }),
    enabled,
    // A manifest by digest never changes; a tag's is refreshed by events or a reload.
    staleTime: 5 * 60_000,
    retry: noRetryOnRegistryErrors,
  });
}

export function useRegistryDigestTags(name: string, repository: string, reference: string) {
  return useQuery({
    queryKey: keys.registryDigestTags(name, repository, reference),
    queryFn: () => berth().getRegistryDigestTags(name, { repository, reference }),
    staleTime: 0,
    retry: noRetryOnRegistryErrors,
  });
}

/** Shows a query's failure once as a toast, with the registry's own message. */
export function useErrorToast(error: unknown): void {
  const toast = useToast();
  const shown = useRef<unknown>(null);
  useEffect(() => {
    if (error && error !== shown.current) {
      shown.current = error;
      toast.error(error);
    }
  }, [error, toast]);
}

function useRefreshRegistries() {
  const client = useQueryClient();
  return (name?: string) =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.registries }),
      ...(name ? [client.invalidateQueries({ queryKey: keys.registryContent(name) })] : []),
    ]);
}

export function useCreateRegistry() {
  const refresh = useRefreshRegistries();
  return useMutation({
    mutationFn: ({ input, options }: { input: CreateRegistryInput; options: SaveRegistryOptions }) =>
      berth().createRegistry(input, options),
    onSuccess: () => refresh(),
  });
}

export function useUpdateRegistry(name: string) {
  const refresh = useRefreshRegistries();
  return useMutation({
    mutationFn: ({ patch, options }: { patch: UpdateRegistryInput; options: SaveRegistryOptions }) =>
      berth().updateRegistry(name, patch, options),
    onSuccess: () => refresh(name),
  });
}

export function useDeleteRegistry() {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (name: string) => berth().deleteRegistry(name),
    onSuccess: (_r, name) => {
      client.removeQueries({ queryKey: keys.registryContent(name) });
      toast.success(`Removed registry ${name}.`);
      return client.invalidateQueries({ queryKey: keys.registries });
    },
  });
}

export function useCheckRegistry(name: string) {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: () => berth().checkRegistry(name),
    onSuccess: (registry) => {
      if (registry.status.ok) toast.success(registry.status.detail);
      else toast.show('error', registry.status.detail);
      return client.invalidateQueries({ queryKey: keys.registries });
    },
    onError: (error) => toast.error(error),
  });
}

/** Deletes the manifest a tag points at, with every tag sharing it (the user confirmed them all). */
export function useDeleteRegistryManifest(name: string, repository: string) {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ digest }: { digest: string; tags: string[] }) =>
      berth().deleteRegistryManifest(name, { repository, reference: digest, all_tags: true }),
    onSuccess: (_r, { tags }) => {
      toast.success(
        tags.length === 1 ? `Tag ${tags[0]} deleted from ${repository}.` : `Tags ${tags.join(', ')} deleted from ${repository}.`,
      );
      return client.invalidateQueries({ queryKey: keys.registryContent(name) });
    },
    onError: (error) => toast.error(error),
  });
}

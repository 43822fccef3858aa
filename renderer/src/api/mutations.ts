/**
 * Writes. Each one refreshes what it touched at once (the change event that follows does the
 * same for other windows and tools) and reports a failure with the API's own message.
 */
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { CreateRepoInput, Settings, UpdateRepoInput } from '../../../main/contract/types';
import { useToast } from '../components/Toasts';
import { berth } from './berth';
import { useRestoreFromTrash, useUndoTagDelete } from './history';
import { keys } from './keys';

function useRefresh() {
  const client = useQueryClient();
  return (...queryKeys: QueryKey[]) => Promise.all(queryKeys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

export function useCreateNamespace() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (namespace: string) => berth().createNamespace(namespace),
    onSuccess: () => refresh(keys.namespaces),
  });
}

export function useDeleteNamespace() {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ namespace, force }: { namespace: string; force: boolean }) => berth().deleteNamespace(namespace, { force }),
    onSuccess: (_r, { namespace }) => {
      toast.success(`Deleted namespace ${namespace}.`);
      return refresh(keys.namespaces);
    },
  });
}

export function useCreateRepo() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ namespace, input }: { namespace: string; input: CreateRepoInput }) => berth().createRepo(namespace, input),
    onSuccess: (_r, { namespace }) => refresh(keys.namespaces, keys.reposOf(namespace)),
  });
}

export function useUpdateRepo(namespace: string, repoName: string) {
  const client = useQueryClient();
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: (patch: UpdateRepoInput) => berth().updateRepo(namespace, repoName, patch),
    onSuccess: (repo) => {
      client.setQueryData(keys.repo(namespace, repoName), repo);
      return refresh(keys.reposOf(namespace), keys.namespaces);
    },
    onError: (error) => toast.error(error),
  });
}

/** The repo goes to the trash; the toast offers to bring it back. */
export function useDeleteRepo() {
  const client = useQueryClient();
  const refresh = useRefresh();
  const toast = useToast();
  const restore = useRestoreFromTrash();
  return useMutation({
    mutationFn: ({ namespace, repoName }: { namespace: string; repoName: string }) => berth().deleteRepo(namespace, repoName),
    onSuccess: (_r, { namespace, repoName }) => {
      client.removeQueries({ queryKey: keys.repo(namespace, repoName) });
      client.removeQueries({ queryKey: keys.tags(namespace, repoName) });
      toast.success(`Deleted ${namespace}/${repoName}.`, { label: 'Undo', run: () => restore.mutate({ namespace, repoName }) });
      return refresh(keys.reposOf(namespace), keys.namespaces);
    },
  });
}

export function usePutTag(namespace: string, repoName: string) {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ tag, imageId }: { tag: string; imageId: string }) => berth().putTag(namespace, repoName, tag, imageId),
    onSuccess: (result) => {
      toast.success(result.created ? `Tag ${result.tag.tag} added.` : `Tag ${result.tag.tag} moved.`);
      return refresh(keys.tags(namespace, repoName), keys.repo(namespace, repoName), keys.reposOf(namespace));
    },
  });
}

/** The toast offers to bring the tag back from its history. */
export function useDeleteTag(namespace: string, repoName: string) {
  const refresh = useRefresh();
  const toast = useToast();
  const undo = useUndoTagDelete(namespace, repoName);
  return useMutation({
    mutationFn: (tag: string) => berth().deleteTag(namespace, repoName, tag),
    onSuccess: (_r, tag) => {
      toast.success(`Tag ${tag} deleted.`, { label: 'Undo', run: () => undo.mutate(tag) });
      return refresh(keys.tags(namespace, repoName), keys.repo(namespace, repoName), keys.reposOf(namespace));
    },
    onError: (error) => toast.error(error),
  });
}

export function useSetStar(namespace: string, repoName: string) {
  const client = useQueryClient();
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: (starred: boolean) => berth().setStar(namespace, repoName, starred),
    onSuccess: (star) => {
      client.setQueryData(keys.repo(namespace, repoName), (repo: import('../../../main/contract/types').RepoView | undefined) =>
        repo ? { ...repo, ...star } : repo,
      );
      return refresh(keys.reposOf(namespace));
    },
    onError: (error) => toast.error(error),
  });
}

/**
 * Settings changes reach the backend one at a time, in the order they were made, so every click
 * counts and the last one wins. Each shows at once (optimistically); an answer is written back
 * only when no later change is still on its way, since the later one's answer is newer.
 * `toastErrors: false` is for a control that shows its own error (the Port field).
 */
export function useUpdateSettings({ toastErrors = true }: { toastErrors?: boolean } = {}) {
  const client = useQueryClient();
  const toast = useToast();
  // Counted while the change itself is still pending: 1 means no later change is queued.
  const isLatest = () => client.isMutating({ mutationKey: keys.settingsChange }) <= 1;
  return useMutation({
    mutationKey: keys.settingsChange,
    scope: { id: 'settings' },
    mutationFn: (patch: Partial<Settings>) => berth().updateSettings(patch),
    onMutate: async (patch) => {
      await client.cancelQueries({ queryKey: keys.settings });
      client.setQueryData<Settings>(keys.settings, (shown) => (shown ? { ...shown, ...patch } : shown));
    },
    onSuccess: (settings) => {
      if (isLatest()) client.setQueryData(keys.settings, settings);
    },
    onError: async (error) => {
      if (toastErrors) toast.error(error);
      // The refused value is still shown: read back what is saved (done before the control lets go).
      if (isLatest()) await client.invalidateQueries({ queryKey: keys.settings });
    },
    onSettled: () => {
      if (!isLatest()) return undefined;
      // Settings changes restart the API without a change event: ask where it listens now.
      return Promise.all([
        client.invalidateQueries({ queryKey: keys.serverInfo }),
        client.invalidateQueries({ queryKey: keys.settingsProblems }),
      ]);
    },
  });
}

export function useRegenerateToken() {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: () => berth().regenerateToken(),
    onSuccess: (token) => {
      client.setQueryData(keys.token, token);
      toast.success('A new token was made; the old one no longer works.');
    },
    onError: (error) => toast.error(error),
  });
}

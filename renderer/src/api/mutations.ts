/**
 * Writes. Each one refreshes what it touched at once (the change event that follows does the
 * same for other windows and tools) and reports a failure once, with the API's own message: under
 * the form's fields when the error names only fields the form shows (`inline`), else as a toast.
 */
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { CreateRepoInput, RepoView, Settings, UpdateRepoInput, UpdateRepoOptions } from '../../../main/contract/types';
import { useToast } from '../components/Toasts';
import { berth, inlineFieldErrors, toErrorBody } from './berth';
import { useRestoreFromTrash, useUndoTagDelete } from './history';
import { keys } from './keys';

/** Fields a form shows its own errors under; `conflict` too when the form shows a duplicate name. */
export interface InlineErrors {
  fields: readonly string[];
  conflict?: boolean;
}

function isInline(error: unknown, inline: InlineErrors | undefined): boolean {
  if (!inline) return false;
  if (inline.conflict && toErrorBody(error).code === 'conflict') return true;
  return inlineFieldErrors(error, inline.fields) !== null;
}

function useRefresh() {
  const client = useQueryClient();
  return (...queryKeys: QueryKey[]) => Promise.all(queryKeys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

export function useCreateNamespace() {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: (namespace: string) => berth().createNamespace(namespace),
    onSuccess: () => refresh(keys.namespaces),
    onError: (error) => {
      if (!isInline(error, { fields: ['namespace'], conflict: true })) toast.error(error);
    },
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
    onError: (error) => toast.error(error),
  });
}

export function useCreateRepo() {
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ namespace, input }: { namespace: string; input: CreateRepoInput }) => berth().createRepo(namespace, input),
    onSuccess: (_r, { namespace }) => refresh(keys.namespaces, keys.reposOf(namespace)),
    onError: (error) => {
      if (!isInline(error, { fields: ['namespace', 'repo_name', 'description'], conflict: true })) toast.error(error);
    },
  });
}

/** A repo's fields; with `options.if_updated_at`, only onto the version last read (else `conflict`). */
export function useUpdateRepo(namespace: string, repoName: string, inline?: InlineErrors) {
  const client = useQueryClient();
  const refresh = useRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ patch, options = {} }: { patch: UpdateRepoInput; options?: UpdateRepoOptions }) =>
      berth().updateRepo(namespace, repoName, patch, options),
    onSuccess: (repo) => {
      client.setQueryData(keys.repo(namespace, repoName), repo);
      return refresh(keys.reposOf(namespace), keys.namespaces);
    },
    onError: (error) => {
      if (!isInline(error, inline)) toast.error(error);
    },
  });
}

/**
 * The repo goes to the trash; the toast offers to bring it back (`onRestored` then shows it: the
 * toast outlives the dialog that deleted it, so it is told here rather than through mutate).
 */
export function useDeleteRepo({ onRestored }: { onRestored?(namespace: string, repoName: string): void } = {}) {
  const client = useQueryClient();
  const refresh = useRefresh();
  const toast = useToast();
  const restore = useRestoreFromTrash({ onRestored });
  return useMutation({
    mutationFn: ({ namespace, repoName }: { namespace: string; repoName: string }) => berth().deleteRepo(namespace, repoName),
    onSuccess: (_r, { namespace, repoName }) => {
      client.removeQueries({ queryKey: keys.repo(namespace, repoName) });
      client.removeQueries({ queryKey: keys.tags(namespace, repoName) });
      toast.success(`Deleted ${namespace}/${repoName}.`, { label: 'Undo', run: () => restore.mutate({ namespace, repoName }) });
      return refresh(keys.reposOf(namespace), keys.namespaces);
    },
    onError: (error) => toast.error(error),
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
    onError: (error) => {
      if (!isInline(error, { fields: ['tag', 'image_id'] })) toast.error(error);
    },
  });
}

/**
 * Deletes several tags, one request each (the API deletes one tag at a time), and reports the
 * outcome once: how many went, and the first reason any did not. The toast offers to bring the
 * deleted tags back from their history.
 */
export function useDeleteTags(namespace: string, repoName: string) {
  const refresh = useRefresh();
  const toast = useToast();
  const undo = useUndoTagDelete(namespace, repoName);
  return useMutation({
    mutationFn: async (tags: readonly string[]) => {
      const deleted: string[] = [];
      const failed: { tag: string; error: unknown }[] = [];
      for (const tag of tags) {
        try {
          await berth().deleteTag(namespace, repoName, tag);
          deleted.push(tag);
        } catch (error) {
          // Already gone (another program deleted it) is what was asked for.
          if (toErrorBody(error).code !== 'not_found') failed.push({ tag, error });
        }
      }
      return { deleted, failed, gone: tags.length - deleted.length - failed.length };
    },
    onSuccess: ({ deleted, failed, gone }, tags) => {
      const undoAction = { label: 'Undo', run: () => undo.mutate(deleted) };
      const count = deleted.length + gone;
      if (tags.length === 1 && deleted.length === 1) toast.success(`Tag ${tags[0]} deleted.`, undoAction);
      else if (count > 0) {
        const message = `Deleted ${count} ${count === 1 ? 'tag' : 'tags'} from ${namespace}/${repoName}.`;
        if (deleted.length > 0) toast.success(message, undoAction);
        else toast.success(message);
      }
      const first = failed[0];
      if (first && tags.length === 1) toast.error(`Tag ${first.tag} was not deleted: ${toErrorBody(first.error).detail}`);
      else if (first) {
        toast.error(`${failed.length} of ${tags.length} tags were not deleted (${first.tag}: ${toErrorBody(first.error).detail})`);
      }
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
      client.setQueryData(keys.repo(namespace, repoName), (repo: RepoView | undefined) => (repo ? { ...repo, ...star } : repo));
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

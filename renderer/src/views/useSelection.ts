/**
 * What the window shows (a namespace, a repo in it) and the one place that handles deletions.
 *
 * A deletion can be learnt four ways — this window's own dialog, the live change event (from this
 * window or another program), a repo that answers "not found", a namespace whose list does — and
 * in whichever order they arrive, the effect is the same and happens once: the neighbour of what
 * was deleted is selected (the row below it, else the one above, as the list last showed them),
 * and when another program did it the window says so ("acme/web was deleted by another program").
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { BerthChangeEvent } from '../../../main/contract/api';
import type { NamespaceView } from '../../../main/contract/types';
import { keys } from '../api/keys';
import { subscribeToChanges } from '../api/live';
import { useUpdateSettings } from '../api/mutations';
import { useToast } from '../components/Toasts';
import type { Neighbours } from './RepoList';

/** How long a deletion started here counts as this window's own (its change event may come late). */
const OWN_DELETION_MS = 10_000;

export interface Gone {
  namespace: string;
  /** Absent when the whole namespace went. */
  repoName?: string;
}

export interface Selection {
  namespace: string | null;
  repoName: string | null;
  selectNamespace(next: string | null, remember?: boolean): void;
  selectRepo(next: string | null): void;
  /** Shows a repo, in its namespace (a repo back from the trash); safe to call from a stale closure. */
  showRepo(namespace: string, repoName: string): void;
  /** Call just before this window deletes something. */
  markOwnDeletion(gone: Gone): void;
  /** Something was deleted (however it was learnt); `byThisWindow` overrides the own-deletion marks. */
  handleGone(gone: Gone, byThisWindow?: boolean): void;
  /** Kept current by the repo list: the rows around the selected repo. */
  repoNeighbours: RefObject<Neighbours | null>;
}

const keyOf = (gone: Gone) => (gone.repoName === undefined ? gone.namespace : `${gone.namespace}/${gone.repoName}`);

export function useSelection(options: {
  namespaces: NamespaceView[] | undefined;
  /** Runs after a deletion moved the selection: where focus goes (own deletions) and what else closes. */
  onAfterGone(gone: Gone, byThisWindow: boolean, neighbour: string | null): void;
}): Selection {
  const { namespaces, onAfterGone } = options;
  const client = useQueryClient();
  const toast = useToast();
  const updateSettings = useUpdateSettings();
  const [namespace, setNamespace] = useState<string | null>(null);
  const [repoName, setRepoName] = useState<string | null>(null);
  // Read by event handlers between renders: updated at once, not after the next render.
  const current = useRef<{ namespace: string | null; repoName: string | null }>({ namespace: null, repoName: null });
  const repoNeighbours = useRef<Neighbours | null>(null);
  const namespaceNeighbours = useRef<{ namespace: string; previous: string | null; next: string | null } | null>(null);
  const own = useRef(new Set<string>());
  const afterGone = useRef(onAfterGone);
  useEffect(() => {
    afterGone.current = onAfterGone;
  });

  const selectNamespace = useCallback(
    (next: string | null, remember = true) => {
      current.current = { namespace: next, repoName: null };
      setNamespace(next);
      setRepoName(null);
      if (remember) updateSettings.mutate({ last_namespace: next });
    },
    // updateSettings.mutate is stable across renders.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [updateSettings.mutate],
  );
  const selectRepo = useCallback((next: string | null) => {
    current.current = { ...current.current, repoName: next };
    setRepoName(next);
  }, []);

  const showRepo = useCallback(
    (ns: string, repo: string) => {
      if (current.current.namespace !== ns) selectNamespace(ns);
      selectRepo(repo);
    },
    [selectNamespace, selectRepo],
  );

  // The namespaces around the selected one, as the sidebar shows them.
  useEffect(() => {
    const names = namespaces?.map((n) => n.namespace) ?? [];
    const at = namespace === null ? -1 : names.indexOf(namespace);
    if (namespace !== null && at >= 0) {
      namespaceNeighbours.current = { namespace, previous: names[at - 1] ?? null, next: names[at + 1] ?? null };
    }
  }, [namespaces, namespace]);

  const markOwnDeletion = useCallback((gone: Gone) => {
    const key = keyOf(gone);
    own.current.add(key);
    setTimeout(() => own.current.delete(key), OWN_DELETION_MS);
  }, []);

  const handleGone = useCallback(
    (gone: Gone, byThisWindow?: boolean) => {
      const mine = byThisWindow ?? own.current.has(keyOf(gone));
      const shown = current.current;
      if (gone.repoName === undefined) {
        if (gone.namespace !== shown.namespace) return;
        const around = namespaceNeighbours.current;
        const neighbour = around?.namespace === gone.namespace ? (around.next ?? around.previous) : null;
        selectNamespace(neighbour);
        if (!mine) toast.info(`Namespace ${gone.namespace} was deleted by another program.`);
        afterGone.current(gone, mine, neighbour);
        return;
      }
      client.removeQueries({ queryKey: keys.repo(gone.namespace, gone.repoName) });
      if (gone.namespace !== shown.namespace || gone.repoName !== shown.repoName) return;
      const around = repoNeighbours.current;
      const neighbour = around?.namespace === gone.namespace && around.repoName === gone.repoName ? (around.next ?? around.previous) : null;
      selectRepo(neighbour);
      if (!mine) toast.info(`${gone.namespace}/${gone.repoName} was deleted by another program.`);
      afterGone.current(gone, mine, neighbour);
    },
    [client, selectNamespace, selectRepo, toast],
  );

  // Live: a deletion anywhere (this window, a tool over HTTP) reaches handleGone.
  useEffect(() => {
    const onEvent = (event: BerthChangeEvent) => {
      if (event.entity === 'registry' || event.action !== 'deleted') return;
      if (event.entity === 'namespace') handleGone({ namespace: event.namespace });
      else if (event.entity === 'repo' && event.repo_name) handleGone({ namespace: event.namespace, repoName: event.repo_name });
    };
    return subscribeToChanges(client, onEvent);
  }, [client, handleGone]);

  return { namespace, repoName, selectNamespace, selectRepo, showRepo, markOwnDeletion, handleGone, repoNeighbours };
}

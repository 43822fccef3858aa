/**
 * Keeps every cache in step with the backend: each ChangeEvent (from this window or from a local
 * tool over HTTP) marks the affected queries stale. Events are gathered for a short moment so a
 * burst of writes (a script creating thousands of repos) causes one refetch, not thousands.
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { BerthChangeEvent } from '../../../main/contract/api';
import { berth } from './berth';
import { keys } from './keys';

const FLUSH_MS = 120;

export function keysFor(event: BerthChangeEvent): QueryKey[] {
  if (event.entity === 'registry') {
    // A status change leaves what the registry holds alone; any other change may not.
    return event.status_only ? [keys.registries] : [keys.registries, keys.registryContent(event.registry)];
  }
  // The catalogue changes a job makes arrive as their own events; a finished sync also moved its link's last sync.
  if (event.entity === 'job') {
    const touched: QueryKey[] = [keys.jobs];
    const [namespace, repoName] = event.job.repo?.split('/') ?? [];
    if (namespace && repoName && event.job.finished_at) touched.push(keys.repo(namespace, repoName));
    return touched;
  }
  const ns = event.namespace;
  // Every change is recorded in the history, and a deletion or restore changes the trash.
  const touched: QueryKey[] = [keys.namespaces, keys.reposOf(ns), keys.search, keys.historyAll, keys.trash];
  if (event.entity === 'namespace') {
    touched.push(keys.reposDetailOf(ns), keys.tagsOf(ns));
  } else if (event.repo_name) {
    touched.push(keys.repo(ns, event.repo_name));
    if (event.entity === 'tag' || event.action === 'deleted') touched.push(keys.tags(ns, event.repo_name));
  } else {
    touched.push(keys.reposDetailOf(ns), keys.tagsOf(ns));
  }
  return touched;
}

export function subscribeToChanges(client: QueryClient, onEvent?: (event: BerthChangeEvent) => void): () => void {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    const batch = [...pending.values()];
    pending.clear();
    for (const queryKey of batch) void client.invalidateQueries({ queryKey });
  };

  const unsubscribe = berth().onChange((event) => {
    // A job's progress is in the event itself: shown at once, without a round trip.
    if (event.entity === 'job') client.setQueryData(keys.job(event.job.id), event.job);
    for (const key of keysFor(event)) pending.set(JSON.stringify(key), key);
    onEvent?.(event);
    timer ??= setTimeout(flush, FLUSH_MS);
  });

  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}

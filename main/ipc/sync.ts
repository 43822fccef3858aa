/**
 * Links, imports, syncs and registry events in window.berth: the same service calls their routes
 * make (the window acts as the token holder). Arguments are checked before, with the schemas the
 * routes declare (main/contract/operations.ts).
 */
import type { BerthOperations } from '../contract/api';
import type { SyncService } from '../contract/sync';

type SyncOperations = Pick<
  BerthOperations,
  'getLink' | 'linkRepo' | 'unlinkRepo' | 'syncRepo' | 'importRepositories' | 'listJobs' | 'getJob' | 'cancelJob' | 'getEventsConfig'
>;

export function syncOperations(sync: SyncService): SyncOperations {
  return {
    getLink: (ns, repo) => sync.getLink(ns, repo),
    linkRepo: (ns, repo, input) => sync.link(ns, repo, input, 'window'),
    unlinkRepo: (ns, repo) => sync.unlink(ns, repo, 'window'),
    syncRepo: (ns, repo) => sync.sync(ns, repo),
    importRepositories: (registry, input) => sync.importRepositories(registry, input),
    listJobs: (query) => sync.listJobs(query),
    getJob: (id) => sync.getJob(id),
    cancelJob: (id) => sync.cancelJob(id),
    getEventsConfig: (registry) => sync.eventsConfig(registry),
  };
}

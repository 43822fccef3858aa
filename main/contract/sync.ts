/**
 * Links, imports, syncs and registry events (docs/registries.md, "Links, imports and sync" and
 * "Live registry events") as the adapters see them: the HTTP routes and the IPC handlers call
 * this service, main/sync implements it and the composition root wires it. Every method is for
 * the token holder except `receiveEvents`, which checks the registry's own events secret. Every
 * failure is a BerthError; job changes are emitted as JobChangeEvents (at most 10 a second per
 * job), catalogue changes as the registry's ChangeEvents.
 */
import type { Actor } from './history';
import type { ImportBody, LinkBody } from './schemas';
import type { PageQuery, Page } from './types';
import type { EventsConfigView, EventsReceipt, JobView, LinkView } from './views';

export interface SyncService {
  /** `not_found` when the repo does not exist or is not linked. */
  getLink(namespace: string, repoName: string): Promise<LinkView>;
  /**
   * Links (or re-links) a local repo to a remote repository; the registry must know it. Nothing
   * is synced yet. `actor` is who the history names (default api).
   */
  link(namespace: string, repoName: string, input: LinkBody, actor?: Actor): Promise<LinkView>;
  /** Unlinks; the repo keeps its tags. `not_found` when it was not linked. */
  unlink(namespace: string, repoName: string, actor?: Actor): Promise<void>;

  /** Starts a sync of a linked repo (202): the job, queued. */
  sync(namespace: string, repoName: string): Promise<JobView>;
  /** Starts an import from a registry (202): the job, queued. */
  importRepositories(registry: string, input: ImportBody): Promise<JobView>;
  /** Newest first. */
  listJobs(query: PageQuery): Promise<Page<JobView>>;
  getJob(id: string): Promise<JobView>;
  /** Cancels a queued or running job (what it applied stays); a finished job is answered as it is. */
  cancelJob(id: string): Promise<JobView>;

  /** The URL, secret and `notifications:` YAML to give the registry. */
  eventsConfig(registry: string): Promise<EventsConfigView>;
  /**
   * Applies a delivery of Distribution's notification envelope. `secret` is the bearer the
   * request carried (undefined: none); a wrong or missing one is `unauthorized`.
   */
  receiveEvents(registry: string, secret: string | undefined, envelope: unknown): Promise<EventsReceipt>;

  onChange(listener: (event: JobChangeEvent) => void): () => void;
  /** Cancels running jobs (they read `interrupted` at the next start) and stops taking events. */
  close(): Promise<void>;
}

/** A job was created, made progress or finished. */
export interface JobChangeEvent {
  entity: 'job';
  action: 'created' | 'updated';
  job: JobView;
}

/**
 * Links, imports and syncs (docs/registries.md, "Links, imports and sync"): the contract's
 * SyncService over the registry (catalogue rules) and the registry connections (real
 * registries). Jobs run two at a time; an import works on 16 repositories at a time.
 */
import pLimit from 'p-limit';
import { BerthError, isBerthError } from '../contract/errors';
import type { Actor } from '../contract/history';
import { validateNamespace } from '../contract/names';
import type { JobChangeEvent, SyncService } from '../contract/sync';
import type { EventsConfigView, EventsReceipt, ImportBody, JobView, LinkBody, LinkView, Page, PageQuery } from '../contract/types';
import type { RegistryService } from '../registry/sync-facing';
import { ConfigCache, type RegistryConnections } from '../registries/index';
import { eventsConfig } from './events-config';
import { EventIntake } from './events';
import type { JobBook } from './jobs';
import { LinkIndex } from './link-index';
import { localNameOf } from '../contract/local-names';
import { syncRepo } from './sync-repo';
import { compileTagFilter, type TagFilter } from '../contract/tag-filter';

const TOKEN_HOLDER = { authenticated: true } as const;
const JOBS_AT_ONCE = 2;
const REPOS_AT_ONCE = 16;

export interface SyncServiceOptions {
  /** The registry (any actor: the service acts through `as`). */
  registry: RegistryService;
  connections: RegistryConnections;
  jobs: JobBook;
  /** Where this Berth's API listens (for the events URL); null when it is not listening. */
  apiUrl: () => string | null;
  now?: () => string;
}

export const messageOf = (err: unknown): string => (isBerthError(err) ? err.detail : err instanceof Error ? err.message : String(err));

export class RegistrySync implements SyncService {
  private readonly registry: RegistryService;
  private readonly connections: RegistryConnections;
  private readonly jobs: JobBook;
  private readonly index: LinkIndex;
  private readonly intake: EventIntake;
  private readonly runJob = pLimit(JOBS_AT_ONCE);
  private readonly now: () => string;
  private closing = false;
  private readonly stopWatching: () => void;

  constructor(private readonly options: SyncServiceOptions) {
    this.registry = options.registry;
    this.connections = options.connections;
    this.jobs = options.jobs;
    this.now = options.now ?? (() => new Date().toISOString());
    this.index = new LinkIndex(this.registry);
    this.stopWatching = this.registry.onChange((event) => this.index.observe(event));
    this.intake = new EventIntake({
      registry: this.registry,
      connections: this.connections,
      index: this.index,
      autoImport: (registry, repository) => this.autoImport(registry, repository),
    });
  }

  // ---- links ---------------------------------------------------------------------------------

  async getLink(namespace: string, repoName: string): Promise<LinkView> {
    const repo = await this.registry.getRepo(TOKEN_HOLDER, namespace, repoName);
    if (!repo.link) throw BerthError.notFound(`Repository ${namespace}/${repoName} is not linked to a registry.`);
    return repo.link;
  }

  async link(namespace: string, repoName: string, input: LinkBody, actor: Actor = 'api'): Promise<LinkView> {
    await this.registry.getRepo(TOKEN_HOLDER, namespace, repoName);
    await this.connections.get(input.registry);
    const other = await this.index.find(input.registry, input.repository);
    if (other && (other.namespace !== namespace || other.repo_name !== repoName)) {
      throw new BerthError(
        'conflict',
        `${input.registry}:${input.repository} is already linked to ${other.namespace}/${other.repo_name}; unlink it there first.`,
      );
    }
    // The registry must know the repository (its own not-found message is quoted).
    await this.connections.withClient(input.registry, (client) => client.listTags(input.repository, { n: 1 }));
    const pullRef = this.connections.pullRef(input.registry, input.repository);
    const before = (await this.registry.linkedState(namespace, repoName)).link;
    const view = await this.registry.as(actor).setLink(namespace, repoName, {
      registry: input.registry,
      repository: input.repository,
      pull_ref: pullRef,
      last_synced_at: null,
      last_sync_error: null,
    });
    if (before) this.index.remove(before.registry, before.repository, { namespace, repo_name: repoName });
    this.index.set(input.registry, input.repository, { namespace, repo_name: repoName });
    return view.link as LinkView;
  }

  async unlink(namespace: string, repoName: string, actor: Actor = 'api'): Promise<void> {
    const { link } = await this.registry.linkedState(namespace, repoName);
    if (!link) throw BerthError.notFound(`Repository ${namespace}/${repoName} is not linked to a registry.`);
    await this.registry.as(actor).setLink(namespace, repoName, null);
    this.index.remove(link.registry, link.repository, { namespace, repo_name: repoName });
  }

  /** Unlinks every local repo linked to a registry that is being removed (they keep their tags). */
  async unlinkRegistry(registry: string): Promise<void> {
    for (const repo of await this.index.ofRegistry(registry)) {
      await this.unlink(repo.namespace, repo.repo_name, `registry:${registry}`).catch((err: unknown) => {
        if (!isBerthError(err) || err.code !== 'not_found') throw err;
      });
    }
  }

  // ---- jobs ----------------------------------------------------------------------------------

  async sync(namespace: string, repoName: string): Promise<JobView> {
    const { link } = await this.registry.linkedState(namespace, repoName);
    if (!link) throw new BerthError('conflict', `Repository ${namespace}/${repoName} is not linked to a registry: link it first.`);
    const job = await this.jobs.create('sync', link.registry, `${namespace}/${repoName}`);
    void this.runJob(() => this.runSync(job.id, namespace, repoName, link));
    return job;
  }

  async importRepositories(registry: string, input: ImportBody): Promise<JobView> {
    await this.connections.get(registry);
    const errors: Record<string, string[]> = {};
    if (input.namespace !== undefined) {
      const problem = validateNamespace(input.namespace);
      if (problem) errors.namespace = [problem];
    }
    let tagFilter: TagFilter | undefined;
    if (input.tags !== undefined) {
      const compiled = compileTagFilter(input.tags);
      if ('problem' in compiled) errors.tags = [compiled.problem];
      else tagFilter = compiled;
    }
    if (Object.keys(errors).length > 0) throw BerthError.validation(errors);
    const job = await this.jobs.create('import', registry, null);
    void this.runJob(() => this.runImport(job.id, registry, input, tagFilter));
    return job;
  }

  async listJobs(query: PageQuery): Promise<Page<JobView>> {
    return this.jobs.list(query);
  }

  async getJob(id: string): Promise<JobView> {
    return this.jobs.get(id);
  }

  async cancelJob(id: string): Promise<JobView> {
    return this.jobs.cancel(id);
  }

  // ---- events --------------------------------------------------------------------------------

  async eventsConfig(registry: string): Promise<EventsConfigView> {
    const secret = await this.connections.eventsSecret(registry);
    const api = this.options.apiUrl();
    if (!api)
      throw new BerthError('conflict', "Berth's API is not listening, so a registry cannot reach it: start it first (Settings, API port).");
    return eventsConfig(api, registry, secret);
  }

  receiveEvents(registry: string, secret: string | undefined, envelope: unknown): Promise<EventsReceipt> {
    return this.intake.receive(registry, secret, envelope);
  }

  onChange(listener: (event: JobChangeEvent) => void): () => void {
    return this.jobs.onChange(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.stopWatching();
    await this.intake.close();
    await this.jobs.close();
  }

  // ---- running jobs --------------------------------------------------------------------------

  private stopped(jobId: string): boolean {
    return this.closing || this.jobs.isCancelled(jobId);
  }

  /** Ends a job unless Berth is closing (then it stays unfinished on disk: `interrupted` at the next start). */
  private finish(jobId: string, state: 'succeeded' | 'failed' | 'cancelled', detail: string | null = null): void {
    if (this.closing) return;
    if (this.jobs.isCancelled(jobId) && state !== 'failed') this.jobs.finish(jobId, 'cancelled', 'cancelled');
    else this.jobs.finish(jobId, state, detail);
  }

  private async runSync(jobId: string, namespace: string, repoName: string, link: { registry: string; repository: string }): Promise<void> {
    if (this.stopped(jobId)) return;
    this.jobs.start(jobId);
    try {
      const result = await syncRepo(
        this.registry,
        this.connections,
        { namespace, repo_name: repoName, link },
        {
          actor: `registry:${link.registry}`,
          isCancelled: () => this.stopped(jobId),
          onTotal: (total) => this.jobs.setTotal(jobId, total),
          onStep: () => this.jobs.step(jobId),
          onItemError: (item, detail) => this.jobs.addError(jobId, item, detail),
          now: this.now,
          configs: new ConfigCache(),
        },
      );
      this.finish(jobId, result.cancelled ? 'cancelled' : 'succeeded');
    } catch (err) {
      this.finish(jobId, 'failed', messageOf(err));
    }
  }

  private async runImport(jobId: string, registry: string, input: ImportBody, tagFilter: TagFilter | undefined): Promise<void> {
    if (this.stopped(jobId)) return;
    this.jobs.start(jobId);
    let paths: string[];
    try {
      paths =
        input.repositories === '*'
          ? await this.connections.withClient(registry, (client) => client.allRepositories())
          : [...new Set(input.repositories)];
    } catch (err) {
      this.finish(jobId, 'failed', messageOf(err));
      return;
    }
    this.jobs.setTotal(jobId, paths.length);
    const configs = new ConfigCache();
    let failed = 0;
    const limit = pLimit(REPOS_AT_ONCE);
    await Promise.all(
      paths.map((path) =>
        limit(async () => {
          if (this.stopped(jobId)) return;
          // A repository the cancel caught half-read was left as it was: not one of those done.
          let done = true;
          try {
            done = await this.importOne(jobId, registry, path, { namespace: input.namespace, tagFilter, configs });
          } catch (err) {
            failed++;
            if (!this.closing) this.jobs.addError(jobId, path, messageOf(err));
          } finally {
            if (!this.closing && done) this.jobs.step(jobId);
          }
        }),
      ),
    );
    if (this.stopped(jobId)) this.finish(jobId, 'cancelled');
    else if (failed > 0 && failed === paths.length)
      this.finish(jobId, 'failed', `None of the ${paths.length} repositories could be imported.`);
    else this.finish(jobId, 'succeeded');
  }

  /** Imports one repository; false when the import was cancelled before it was written. */
  private async importOne(
    jobId: string,
    registry: string,
    path: string,
    { namespace, tagFilter, configs }: { namespace: string | undefined; tagFilter: TagFilter | undefined; configs: ConfigCache },
  ): Promise<boolean> {
    const name = localNameOf(path, namespace);
    if (!name.ok) throw new Error(name.detail);
    const { namespace: ns, repo_name: repo } = name;
    const linkedElsewhere = await this.index.find(registry, path);
    if (linkedElsewhere && (linkedElsewhere.namespace !== ns || linkedElsewhere.repo_name !== repo)) {
      throw new Error(`${path} is already linked to local repo ${linkedElsewhere.namespace}/${linkedElsewhere.repo_name}.`);
    }
    const existing = await this.registry.linkedState(ns, repo).catch((err: unknown) => {
      if (isBerthError(err) && err.code === 'not_found') return null;
      throw err;
    });
    if (existing && !(existing.link && existing.link.registry === registry && existing.link.repository === path)) {
      const what = existing.link ? `linked to ${existing.link.registry}:${existing.link.repository}` : 'not linked';
      throw new Error(`${ns}/${repo} already exists and is ${what}: link it (PUT …/link) or import into another namespace.`);
    }
    // A new repo is created, linked and given its tags in one transaction, once the remote has
    // been read: a repository the registry does not know, or a cancelled import, leaves nothing.
    const result = await syncRepo(
      this.registry,
      this.connections,
      {
        namespace: ns,
        repo_name: repo,
        link: { registry, repository: path },
        ...(existing ? {} : { create: { pull_ref: this.connections.pullRef(registry, path) } }),
      },
      {
        actor: 'import',
        ...(tagFilter ? { tagFilter } : {}),
        isCancelled: () => this.stopped(jobId),
        onItemError: (item, detail) => this.jobs.addError(jobId, item, detail),
        now: this.now,
        configs,
      },
    );
    if (!existing && result.written) this.index.set(registry, path, { namespace: ns, repo_name: repo });
    if (result.failedTags > 0) throw new Error(`${result.failedTags} tags could not be read (listed above).`);
    return !result.cancelled;
  }

  /** A push to a repository no local repo links, on a registry with auto_import: import it (once at a time). */
  private async autoImport(registry: string, repository: string): Promise<boolean> {
    const busy = this.jobs
      .active('import')
      .some((j) => j.registry === registry && j.repo === null && this.pendingAuto.get(j.id) === repository);
    if (busy) return false;
    const job = await this.importRepositories(registry, { repositories: [repository] });
    this.pendingAuto.set(job.id, repository);
    return true;
  }

  private readonly pendingAuto = new Map<string, string>();
}

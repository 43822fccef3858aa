/**
 * Finding what a viewer may see: a namespace, a repo, the namespace list and its counts. Anything
 * missing, and anything an anonymous viewer may not see, is the same `not_found`, so a private
 * repo's existence never leaks; names that cannot exist are `not_found` without a lookup.
 */
import { BerthError } from '../contract/errors';
import { isValidNamespace, isValidRepoName } from '../contract/names';
import type { NamespaceView, Viewer } from '../contract/types';
import type { NamespaceState, NamespaceTx, RepoRecord, Store } from '../store';
import type { OrderingCache } from './ordering';
import { TOKEN_HOLDER } from './service';

export const notFound = {
  namespace: (ns: string) => BerthError.notFound(`Namespace ${ns} was not found.`),
  repo: (ns: string, repo: string) => BerthError.notFound(`Repository ${ns}/${repo} was not found.`),
  tag: (ns: string, repo: string, tag: string) => BerthError.notFound(`Tag ${tag} was not found in repository ${ns}/${repo}.`),
};

/** Names that cannot exist name nothing: not_found, never a lookup. */
export function requireNames(namespace: string, repoName: string): void {
  if (!isValidNamespace(namespace) || !isValidRepoName(repoName)) throw notFound.repo(String(namespace), String(repoName));
}

/** The repo inside a write, or not_found. */
export function requireRepo(tx: NamespaceTx, namespace: string, repoName: string): RepoRecord {
  const repo = isValidRepoName(repoName) ? tx.getRepo(repoName) : undefined;
  if (!repo) throw notFound.repo(namespace, repoName);
  return repo;
}

export class Lookup {
  constructor(
    private readonly store: Store,
    private readonly orderings: OrderingCache,
  ) {}

  /** The namespace, or not_found when it is missing or (to an anonymous viewer) hidden. */
  async namespace(namespace: string, viewer: Viewer = TOKEN_HOLDER): Promise<NamespaceState> {
    const state = isValidNamespace(namespace) ? await this.store.namespace(namespace) : undefined;
    if (!state || this.hiddenFrom(viewer, state)) throw notFound.namespace(String(namespace));
    return state;
  }

  /** The repo, or not_found when it is missing or private to an anonymous viewer. */
  async repo(viewer: Viewer, namespace: string, repoName: string): Promise<RepoRecord> {
    requireNames(namespace, repoName);
    const state = await this.store.namespace(namespace);
    const repo = state?.repos.get(repoName);
    if (!repo || !(viewer.authenticated || repo.is_public)) throw notFound.repo(namespace, repoName);
    return repo;
  }

  /** The namespaces a viewer may see, sorted; an anonymous viewer's need every namespace loaded. */
  async visibleNamespaces(viewer: Viewer): Promise<readonly string[]> {
    if (viewer.authenticated) return this.store.namespaceNames();
    await this.store.loadAll();
    return this.store.namespaceNames().filter((ns) => {
      const state = this.store.loadedNamespace(ns);
      return state !== undefined && !this.hiddenFrom(viewer, state);
    });
  }

  /**
   * The token holder's namespace list must not wait for thousands of repo files to load at
   * start-up: until a namespace has loaded, its count is its number of repo files. Anonymous
   * counts leave private repos out, which needs the repos themselves.
   */
  async namespaceSummary(viewer: Viewer, ns: string): Promise<NamespaceView | undefined> {
    const loaded = this.store.loadedNamespace(ns);
    if (loaded) return this.namespaceView(viewer, loaded);
    if (viewer.authenticated) {
      const record = this.store.namespaceRecord(ns);
      const count = await this.store.repoCountHint(ns);
      if (record && count !== undefined) return { namespace: ns, repo_count: count, created_at: record.created_at };
      return undefined;
    }
    const state = await this.store.namespace(ns);
    return state ? this.namespaceView(viewer, state) : undefined;
  }

  namespaceView(viewer: Viewer, state: NamespaceState): NamespaceView {
    const repo_count = viewer.authenticated ? state.repos.size : this.orderings.publicCount(state.repos, state.version);
    return { namespace: state.record.namespace, repo_count, created_at: state.record.created_at };
  }

  /**
   * A namespace that holds only private repos does not exist for an anonymous reader: its name
   * would tell what the private repos are for. (An empty one holds nothing private.)
   */
  private hiddenFrom(viewer: Viewer, state: NamespaceState): boolean {
    return !viewer.authenticated && state.repos.size > 0 && this.orderings.publicCount(state.repos, state.version) === 0;
  }
}

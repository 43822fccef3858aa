/**
 * Which local repo links each remote repository, for registry events: built from the catalogue
 * when first needed, kept up to date by links made here, and rebuilt after a repo is created or
 * deleted or a namespace changes (a repo restored from the trash comes back with its link; an
 * import announces each namespace it changed, links included).
 */
import type { ChangeEvent } from '../contract/types';
import type { RegistryService } from '../registry/sync-facing';

export interface LocalRepo {
  namespace: string;
  repo_name: string;
}

const keyOf = (registry: string, repository: string) => `${registry}\u0000${repository}`;

export class LinkIndex {
  private links = new Map<string, LocalRepo>();
  private built: Promise<void> | null = null;

  constructor(private readonly registry: RegistryService) {}

  /** A catalogue change that may add or remove links the index did not make. */
  observe(event: ChangeEvent): void {
    if ((event.entity === 'repo' && event.action !== 'updated') || event.entity === 'namespace') {
      this.built = null;
    }
  }

  async find(registry: string, repository: string): Promise<LocalRepo | undefined> {
    await this.ensure();
    return this.links.get(keyOf(registry, repository));
  }

  set(registry: string, repository: string, repo: LocalRepo): void {
    this.links.set(keyOf(registry, repository), repo);
  }

  remove(registry: string, repository: string, repo: LocalRepo): void {
    const key = keyOf(registry, repository);
    const found = this.links.get(key);
    if (found && found.namespace === repo.namespace && found.repo_name === repo.repo_name) this.links.delete(key);
  }

  /** Every local repo linked to a registry (to unlink them when it is removed). */
  async ofRegistry(registry: string): Promise<LocalRepo[]> {
    await this.ensure();
    const prefix = `${registry}\u0000`;
    return [...this.links].filter(([key]) => key.startsWith(prefix)).map(([, repo]) => repo);
  }

  private ensure(): Promise<void> {
    if (!this.built) {
      const building = this.registry.linkedRepos().then((all) => {
        const links = new Map<string, LocalRepo>();
        for (const r of all) links.set(keyOf(r.link.registry, r.link.repository), { namespace: r.namespace, repo_name: r.repo_name });
        if (this.built === building) this.links = links;
      });
      building.catch(() => {
        if (this.built === building) this.built = null;
      });
      this.built = building;
    }
    return this.built;
  }
}

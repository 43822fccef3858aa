/**
 * The registry connections service (docs/registries.md) as the adapters see it: the HTTP routes
 * and the IPC handlers call it, main/registries implements it (RegistryConnections) and the
 * composition root wires the two. It is declared here, in the contract, so the adapters need
 * nothing of main/registries; its arguments and answers are the schemas of ./schemas and ./views.
 * All of its methods are for the token holder; the adapters make sure of that. Every failure is
 * a BerthError; every successful change emits one RegistryChangeEvent.
 */
import type {
  CreateRegistryInput,
  DeleteManifestQuery,
  DigestTagsView,
  ManifestQuery,
  ManifestView,
  Page,
  PageQuery,
  RegistryChangeEvent,
  RegistryTagPage,
  RegistryTagsQuery,
  RegistryView,
  RepositoriesQuery,
  RepositoryPage,
  SaveRegistryOptions,
  UpdateRegistryInput,
} from './types';

export interface RegistriesService {
  /** By name, DRF-style pages. */
  list(query: PageQuery): Promise<Page<RegistryView>>;
  get(name: string): Promise<RegistryView>;
  /** Checks the registry first (GET /v2/ with the credentials) unless verify is false; a failed check saves nothing. */
  create(input: CreateRegistryInput, options?: SaveRegistryOptions): Promise<RegistryView>;
  /** Checks again only when the way to reach the registry changed (URL, credentials, CA, insecure). */
  update(name: string, patch: UpdateRegistryInput, options?: SaveRegistryOptions): Promise<RegistryView>;
  /** Forgets the connection and its secrets; the registry itself is not touched. */
  delete(name: string): Promise<void>;
  /** Checks the registry now; the answer's status says how it went (a failed check is not an error). */
  check(name: string): Promise<RegistryView>;

  repositories(name: string, query: RepositoriesQuery): Promise<RepositoryPage>;
  tags(name: string, query: RegistryTagsQuery): Promise<RegistryTagPage>;
  manifest(name: string, query: ManifestQuery): Promise<ManifestView>;
  digestTags(name: string, query: ManifestQuery): Promise<DigestTagsView>;
  /** `conflict` when other tags share the manifest, unless all_tags. */
  deleteManifest(name: string, query: DeleteManifestQuery): Promise<void>;

  /** The secret the registry's event notifications must carry (made when the registry was added). */
  eventsSecret(name: string): Promise<string>;

  onChange(listener: (event: RegistryChangeEvent) => void): () => void;
  /** Closes every connection pool. */
  close(): Promise<void>;
}

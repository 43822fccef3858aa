/**
 * What the routes and the window ask of a connected registry, over its client: pages of
 * repositories and tags, manifest summaries with the pull reference, the tags sharing a
 * manifest, and deleting a manifest without taking other tags along unasked.
 */
import { BerthError } from '../contract/errors';
import type {
  DeleteManifestQuery,
  DigestTagsView,
  ManifestQuery,
  ManifestView,
  RegistryTagPage,
  RegistryTagsQuery,
  RepositoriesQuery,
  RepositoryPage,
} from '../contract/types';
import type { RegistryClient } from './client';
import { type RegistryEndpoint, repositoryPath } from './endpoint';

export const DEFAULT_PAGE_SIZE = 100;

/** What `docker pull` takes for a repository, without tag or digest (Hub: docker.io/…, no library/). */
export function pullRef(endpoint: RegistryEndpoint, repository: string): string {
  const path = repositoryPath(endpoint, repository);
  if (endpoint.kind === 'dockerhub') return `docker.io/${path.replace(/^library\//, '')}`;
  return `${endpoint.host}/${path}`;
}

export function repositories(client: RegistryClient, query: RepositoriesQuery): Promise<RepositoryPage> {
  return client.listRepositories({
    n: query.n ?? DEFAULT_PAGE_SIZE,
    ...(query.last !== undefined ? { last: query.last } : {}),
    ...(query.namespace ? { namespace: query.namespace } : {}),
  });
}

export async function tags(client: RegistryClient, query: RegistryTagsQuery): Promise<RegistryTagPage> {
  const page = await client.listTags(query.repository, {
    n: query.n ?? DEFAULT_PAGE_SIZE,
    ...(query.last !== undefined ? { last: query.last } : {}),
  });
  return { repository: query.repository, results: page.results, next: page.next };
}

export async function manifest(client: RegistryClient, query: ManifestQuery): Promise<ManifestView> {
  const summary = await client.manifestSummary(query.repository, query.reference);
  return { ...summary, pull_ref: pullRef(client.endpoint, query.repository) };
}

/** The manifest a tag or digest names, and every tag pointing at it (what deleting it deletes). */
export async function digestTags(client: RegistryClient, query: ManifestQuery): Promise<DigestTagsView> {
  const { digest } = await client.headManifest(query.repository, query.reference);
  const sharing = await client.tagsPointingAt(query.repository, digest);
  return { repository: query.repository, reference: query.reference, digest, tags: sharing };
}

function listed(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Deletes the manifest a tag (or digest) names. The registry deletes every tag pointing at it,
 * so other tags sharing it make this a conflict naming them, unless all_tags is set.
 */
export async function deleteManifest(client: RegistryClient, query: DeleteManifestQuery): Promise<DigestTagsView> {
  const shared = await digestTags(client, query);
  const others = shared.tags.filter((tag) => tag !== query.reference);
  if (others.length > 0 && query.all_tags !== true) {
    const named = `${others.length === 1 ? 'Tag' : 'Tags'} ${listed(others)} of ${query.repository}`;
    const what = shared.tags.includes(query.reference) ? `the same manifest as ${query.reference} (${shared.digest})` : `${shared.digest}`;
    throw BerthError.conflict(
      `${named} ${others.length === 1 ? 'points' : 'point'} at ${what}: deleting it deletes ${others.length === 1 ? 'it' : 'them'} too. ` +
        'Pass all_tags=true to delete them all.',
    );
  }
  await client.deleteManifest(query.repository, shared.digest);
  return shared;
}

/** Ping, delete, and which tags point at a digest. */
import { BerthError } from '../contract/errors';
import { failure } from './answers';
import { isDigest, repositoryPath } from './endpoint';
import { registryErrorCodes, registryFailure } from './errors';
import { allTags, type ListingContext } from './listing';
import { headManifest } from './manifests';

/** `GET /v2/`: the registry speaks the distribution API and accepts the credentials (if any). */
export async function ping(ctx: ListingContext): Promise<void> {
  const { session, endpoint } = ctx;
  const what = 'the API check (GET /v2/)';
  const answer = await session.request({ method: 'GET', url: new URL('/v2/', endpoint.api), scopes: [], maxBytes: 64 * 1024, what });
  if (answer.status === 200) return;
  if (answer.status === 404) {
    throw registryFailure(
      'registry_error',
      `${endpoint.label} does not answer /v2/: it is not an OCI distribution registry (or not at this URL).`,
    );
  }
  throw failure(answer, endpoint.label, what);
}

/**
 * How deletes are enabled, for the error of a registry that refuses them. CNCF Distribution
 * answers 405 UNSUPPORTED while `storage.delete.enabled` is off.
 */
export const ENABLE_DELETES =
  'On CNCF Distribution (registry:2) deletes are off by default: set storage.delete.enabled: true in its config.yml ' +
  '(or REGISTRY_STORAGE_DELETE_ENABLED=true) and restart it. Other registries allow deletes through their own permissions.';

/** Deletes the manifest `digest` (and with it every tag pointing at it). */
export async function deleteManifest(ctx: ListingContext, repository: string, digest: string): Promise<void> {
  const { session, endpoint } = ctx;
  if (!isDigest(digest)) throw BerthError.validation({ reference: ['must be a digest (sha256:<hex>) to delete; resolve a tag first.'] });
  const path = repositoryPath(endpoint, repository);
  const what = `the manifest ${repository}@${digest}`;
  const answer = await session.request({
    method: 'DELETE',
    url: new URL(`/v2/${path}/manifests/${digest}`, endpoint.api),
    scopes: [`repository:${path}:delete`],
    maxBytes: 64 * 1024,
    what,
  });
  if (answer.status === 202 || answer.status === 200 || answer.status === 204) return;
  const codes = registryErrorCodes(answer.body);
  if (answer.status === 405 || codes?.codes.includes('UNSUPPORTED')) {
    const said = codes ? ` ("${codes.quote}")` : '';
    throw registryFailure('registry_refused', `${endpoint.label} refuses to delete manifests${said}. ${ENABLE_DELETES}`);
  }
  throw failure(answer, endpoint.label, what);
}

/** The tags of `repository` whose manifest is `digest` (one HEAD per tag, at most 8 at once). */
export async function tagsPointingAt(ctx: ListingContext, repository: string, digest: string): Promise<string[]> {
  const tags = await allTags(ctx, repository);
  const heads = await Promise.all(
    tags.map(async (tag) => {
      try {
        return { tag, digest: (await headManifest(ctx, repository, tag)).digest };
      } catch (err) {
        // A tag deleted between the list and its HEAD does not share anything.
        if (err instanceof BerthError && err.code === 'not_found') return { tag, digest: null };
        throw err;
      }
    }),
  );
  return heads.filter((h) => h.digest === digest).map((h) => h.tag);
}

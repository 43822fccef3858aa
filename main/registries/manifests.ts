/**
 * Manifests and config blobs, verified against their digests. A manifest fetched by digest must
 * hash to it; one fetched by tag must hash to the registry's `Docker-Content-Digest`. When a
 * registry sends no such header for a tag, the digest is computed from the bytes received: they
 * are the manifest as pushed (registries never rewrite it), so that digest is the one
 * `docker pull repo@digest` resolves.
 */
import { failure } from './answers';
import { digestLike, verifyDigest } from './digest';
import { checkReference, isDigest, repositoryPath } from './endpoint';
import { registryFailure } from './errors';
import type { ListingContext } from './listing';
import { pullScope } from './listing';
import { isObject, type Manifest, parseManifest, stringMap } from './manifest-parse';
import { MANIFEST_ACCEPT } from './media-types';
import { single } from './session';

export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
export const CONFIG_MAX_BYTES = 8 * 1024 * 1024;

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  size: number;
  manifest: Manifest;
}

export interface ManifestHead {
  digest: string;
  media_type: string;
  size: number;
}

export interface ConfigSummary {
  digest: string;
  created: string | null;
  os: string | null;
  architecture: string | null;
  labels: Record<string, string>;
  history_length: number;
}

export async function fetchManifest(ctx: ListingContext, repository: string, reference: string): Promise<FetchedManifest> {
  const { session, endpoint } = ctx;
  const path = repositoryPath(endpoint, repository);
  checkReference(reference);
  const what = `the manifest ${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
  const answer = await session.request({
    method: 'GET',
    url: new URL(`/v2/${path}/manifests/${reference}`, endpoint.api),
    scopes: [pullScope(path)],
    accept: MANIFEST_ACCEPT,
    maxBytes: MANIFEST_MAX_BYTES,
    what,
  });
  if (answer.status !== 200) throw failure(answer, endpoint.label, what);
  const announced = single(answer.headers['docker-content-digest']);
  if (isDigest(reference)) {
    verifyDigest(answer.body, reference, endpoint.label, what);
    if (announced && announced !== reference) {
      throw registryFailure('registry_error', `${endpoint.label} sent ${what} under another digest (${announced}).`);
    }
  } else if (announced) {
    verifyDigest(answer.body, announced, endpoint.label, what);
  }
  const digest = isDigest(reference) ? reference : (announced ?? digestLike(answer.body, undefined));
  const manifest = parseManifest(answer.body, single(answer.headers['content-type']), endpoint.label);
  return { digest, mediaType: manifest.mediaType, size: answer.body.length, manifest };
}

/** The digest, media type and size of a manifest, from a HEAD (a GET when the registry names no digest). */
export async function headManifest(ctx: ListingContext, repository: string, reference: string): Promise<ManifestHead> {
  return (await headUnless(ctx, repository, reference, undefined)) as ManifestHead;
}

/**
 * A tag's manifest head, or null while the tag still points at `known` (a digest). The HEAD is
 * conditional (`If-None-Match: "<known>"`): registries use a manifest's digest as its ETag, so an
 * unchanged tag is answered 304 without the registry reading the manifest (Distribution then
 * sends no pull event either). A registry that ignores the condition answers as to a plain HEAD.
 */
export function headManifestIfChanged(ctx: ListingContext, repository: string, tag: string, known: string): Promise<ManifestHead | null> {
  return headUnless(ctx, repository, tag, known);
}

async function headUnless(
  ctx: ListingContext,
  repository: string,
  reference: string,
  known: string | undefined,
): Promise<ManifestHead | null> {
  const { session, endpoint } = ctx;
  const path = repositoryPath(endpoint, repository);
  checkReference(reference);
  const what = `the manifest ${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
  const answer = await session.request({
    method: 'HEAD',
    url: new URL(`/v2/${path}/manifests/${reference}`, endpoint.api),
    scopes: [pullScope(path)],
    accept: MANIFEST_ACCEPT,
    ...(known ? { ifNoneMatch: `"${known}"` } : {}),
    maxBytes: 0,
    what,
  });
  if (known && answer.status === 304) return null;
  if (answer.status !== 200) throw failure(answer, endpoint.label, what);
  const announced = single(answer.headers['docker-content-digest']);
  const mediaType = (single(answer.headers['content-type']) ?? '').split(';')[0]?.trim() ?? '';
  const size = Number(single(answer.headers['content-length']));
  if (!announced || !mediaType || !Number.isSafeInteger(size)) {
    const fetched = await fetchManifest(ctx, repository, reference);
    return { digest: fetched.digest, media_type: fetched.mediaType, size: fetched.size };
  }
  if (isDigest(reference) && announced !== reference) {
    throw registryFailure('registry_error', `${endpoint.label} answered ${what} with another digest (${announced}).`);
  }
  return { digest: announced, media_type: mediaType, size };
}

/** An image's config blob, verified against its digest, reduced to what Berth shows. */
export async function fetchConfig(ctx: ListingContext, repository: string, digest: string): Promise<ConfigSummary> {
  const { session, endpoint } = ctx;
  const path = repositoryPath(endpoint, repository);
  const what = `the image config ${digest.slice(0, 19)}… of ${repository}`;
  if (!isDigest(digest)) throw registryFailure('registry_error', `${endpoint.label} named a config without a valid digest.`);
  const answer = await session.request({
    method: 'GET',
    url: new URL(`/v2/${path}/blobs/${digest}`, endpoint.api),
    scopes: [pullScope(path)],
    maxBytes: CONFIG_MAX_BYTES,
    what,
    followRedirects: true,
  });
  if (answer.status !== 200) throw failure(answer, endpoint.label, what);
  verifyDigest(answer.body, digest, endpoint.label, what);
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw registryFailure('registry_error', `${endpoint.label} sent ${what} that is not valid JSON.`);
  }
  if (!isObject(json)) throw registryFailure('registry_error', `${endpoint.label} sent ${what} that is not a JSON object.`);
  const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
  const inner = isObject(json.config) ? json.config : {};
  return {
    digest,
    created: text(json.created),
    os: text(json.os),
    architecture: text(json.architecture),
    labels: stringMap(inner.Labels),
    history_length: Array.isArray(json.history) ? json.history.length : 0,
  };
}

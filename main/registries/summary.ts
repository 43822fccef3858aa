/**
 * The manifest summary Berth shows and answers: platforms of an index, the config and layers of
 * an image, and sizes. For an index, `total_size` is the largest platform's (config + layers),
 * read from each platform's manifest.
 */
import type { ListingContext } from './listing';
import type { Descriptor, ImageManifest, IndexManifest } from './manifest-parse';
import { type ConfigSummary, fetchConfig, fetchManifest } from './manifests';
import { IMAGE_CONFIGS } from './media-types';

export interface PlatformSummary {
  os: string;
  architecture: string;
  variant: string | null;
  digest: string;
  size: number;
}

export interface LayerSummary {
  digest: string;
  size: number;
  media_type: string;
}

export interface ManifestSummary {
  repository: string;
  reference: string;
  digest: string;
  media_type: string;
  size: number;
  /** The images of an index or manifest list; empty for a single manifest. */
  platforms: PlatformSummary[];
  /** The image's config; null for an index. */
  config: ConfigSummary | null;
  layers: LayerSummary[];
  total_size: number;
  annotations: Record<string, string>;
}

/** Platform manifests read to size an index; an index of more is sized by its first ones. */
const MAX_SIZED_PLATFORMS = 64;

export async function manifestSummary(ctx: ListingContext, repository: string, reference: string): Promise<ManifestSummary> {
  const fetched = await fetchManifest(ctx, repository, reference);
  const base = {
    repository,
    reference,
    digest: fetched.digest,
    media_type: fetched.mediaType,
    size: fetched.size,
    annotations: fetched.manifest.annotations,
  };
  if (fetched.manifest.kind === 'index') {
    const platforms = platformsOf(fetched.manifest);
    return { ...base, platforms, config: null, layers: [], total_size: await largestPlatform(ctx, repository, platforms) };
  }
  const image = fetched.manifest;
  return {
    ...base,
    platforms: [],
    config: await configOf(ctx, repository, image.config),
    layers: image.layers.map(layer),
    total_size: imageSize(image),
  };
}

/** The images of an index, leaving out attestations (BuildKit's provenance and SBOM entries). */
export function platformsOf(index: IndexManifest): PlatformSummary[] {
  return index.manifests
    .filter((m) => m.annotations['vnd.docker.reference.type'] !== 'attestation-manifest')
    .map((m) => ({
      os: m.platform?.os ?? 'unknown',
      architecture: m.platform?.architecture ?? 'unknown',
      variant: m.platform?.variant ?? null,
      digest: m.digest,
      size: m.size,
    }));
}

function layer(d: Descriptor): LayerSummary {
  return { digest: d.digest, size: d.size, media_type: d.mediaType };
}

export function imageSize(image: ImageManifest): number {
  return image.config.size + image.layers.reduce((sum, l) => sum + l.size, 0);
}

/** Only image configs are read; an artifact's config (Helm chart, signature) is named, not fetched. */
async function configOf(ctx: ListingContext, repository: string, config: Descriptor): Promise<ConfigSummary> {
  if (IMAGE_CONFIGS.has(config.mediaType)) return fetchConfig(ctx, repository, config.digest);
  return { digest: config.digest, created: null, os: null, architecture: null, labels: {}, history_length: 0 };
}

async function largestPlatform(ctx: ListingContext, repository: string, platforms: PlatformSummary[]): Promise<number> {
  const sizes = await Promise.all(
    platforms.slice(0, MAX_SIZED_PLATFORMS).map(async (p) => {
      const child = await fetchManifest(ctx, repository, p.digest);
      return child.manifest.kind === 'image' ? imageSize(child.manifest) : 0;
    }),
  );
  return sizes.reduce((max, size) => Math.max(max, size), 0);
}

/** What a sync keeps of a tag's image: the manifest's kind and size, an index's platforms, an image's creation time. */
export interface ImageDetails {
  digest: string;
  media_type: string;
  size: number;
  platforms: { os: string; architecture: string; variant: string | null }[];
  /** The config's `created`; null for an index (or a config without one). */
  image_created: string | null;
}

/**
 * Config summaries by digest, shared by the reads of one job: a config is content-addressed (its
 * digest is verified), so many tags sharing one need a single fetch. A failed read is forgotten,
 * so a later tag asks again.
 */
export class ConfigCache {
  private readonly byDigest = new Map<string, Promise<ConfigSummary>>();

  get(digest: string, read: () => Promise<ConfigSummary>): Promise<ConfigSummary> {
    let pending = this.byDigest.get(digest);
    if (!pending) {
      pending = read();
      this.byDigest.set(digest, pending);
      pending.catch(() => {
        if (this.byDigest.get(digest) === pending) this.byDigest.delete(digest);
      });
    }
    return pending;
  }
}

/**
 * One manifest read (by digest, or by tag: the digest then comes from the registry's
 * `Docker-Content-Digest`, verified against the body) and, for an image, its config (through
 * `configs` when given): less than a summary (an index's platforms are not sized).
 */
export async function imageDetails(
  ctx: ListingContext,
  repository: string,
  reference: string,
  configs?: ConfigCache,
): Promise<ImageDetails> {
  const fetched = await fetchManifest(ctx, repository, reference);
  const base = { digest: fetched.digest, media_type: fetched.mediaType, size: fetched.size };
  if (fetched.manifest.kind === 'index') {
    const platforms = platformsOf(fetched.manifest).map((p) => ({ os: p.os, architecture: p.architecture, variant: p.variant }));
    return { ...base, platforms, image_created: null };
  }
  const descriptor = fetched.manifest.config;
  const config = configs
    ? await configs.get(descriptor.digest, () => configOf(ctx, repository, descriptor))
    : await configOf(ctx, repository, descriptor);
  return { ...base, platforms: [], image_created: config.created };
}

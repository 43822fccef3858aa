/**
 * Fills a loopback docker-registry through its v2 API, as `docker push` would: every tag its own
 * small image (a config blob naming the repo and tag, so every manifest has its own digest) over
 * one shared layer, uploaded once per repository. Pushed with the registry tests' rig.
 */
import pLimit from 'p-limit';
import { blob, buildImage, MEDIA, type Blob, type BuiltImage } from '../../test/registries/rig/images';
import { pushBlob, putManifest, type PushTarget } from '../../test/registries/rig/pusher';

export interface SeedShape {
  repos: number;
  tags: number;
}

/** Five namespaces, so an import without `namespace` spreads over several local namespaces. */
export function seedRepository(index: number): string {
  return `team-${index % 5}/app-${String(index).padStart(4, '0')}`;
}

export function seedTag(index: number): string {
  return `1.${index}`;
}

const base = buildImage({ format: 'oci', layers: [{ 'hello.txt': 'hello from the registry benchmark\n' }] });
const baseConfig = JSON.parse(base.config.content.toString('utf8')) as { config: Record<string, unknown> };

const descriptor = (b: Blob | BuiltImage) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });

/** The image a repository's tag points at: its own config (labels name the repo and tag), the shared layer. */
export function tagImage(repository: string, tag: string): BuiltImage {
  const configJson = { ...baseConfig, config: { ...baseConfig.config, Labels: { 'bench.repository': repository, 'bench.tag': tag } } };
  const config = blob(MEDIA.oci.config, Buffer.from(JSON.stringify(configJson)));
  const manifest = { schemaVersion: 2, mediaType: MEDIA.oci.manifest, config: descriptor(config), layers: base.layers.map(descriptor) };
  const content = Buffer.from(JSON.stringify(manifest));
  const image = blob(MEDIA.oci.manifest, content);
  return { ...image, config, layers: base.layers, os: base.os, architecture: base.architecture };
}

/** Pushes the shared layer (already there: one HEAD), the image's config and its manifest under `tag`. */
export async function pushTag(target: PushTarget, repository: string, tag: string): Promise<BuiltImage> {
  const image = tagImage(repository, tag);
  await pushBlob(target, repository, image.config);
  await putManifest(target, repository, tag, image);
  return image;
}

/** The config blob of a tag's image, uploaded ahead of a timed manifest push. */
export async function pushConfigOnly(target: PushTarget, repository: string, tag: string): Promise<BuiltImage> {
  const image = tagImage(repository, tag);
  await pushBlob(target, repository, image.config);
  return image;
}

export { putManifest };

/**
 * Seeds `shape.repos` repositories of `shape.tags` tags, `concurrency` repositories at a time,
 * each repository's pushes in order (layer, then config and manifest per tag). Refuses to run past
 * `deadline` (performance.now() time).
 */
export async function seedRegistry(
  target: PushTarget,
  shape: SeedShape,
  concurrency: number,
  deadline: number,
  progress: (reposDone: number) => void,
): Promise<void> {
  const limit = pLimit(concurrency);
  let done = 0;
  // After a failure the queued repositories are skipped, so the run ends instead of going on.
  let failed = false;
  await Promise.all(
    Array.from({ length: shape.repos }, (_, r) =>
      limit(async () => {
        if (failed) return;
        const repository = seedRepository(r);
        try {
          for (const layer of base.layers) await pushBlob(target, repository, layer);
          for (let t = 0; t < shape.tags && !failed; t++) {
            if (performance.now() > deadline) throw new Error(`seeding ran out of time at ${repository}:${seedTag(t)}`);
            await pushTag(target, repository, seedTag(t));
          }
        } catch (err) {
          failed = true;
          throw err;
        }
        progress(++done);
      }),
    ),
  );
}

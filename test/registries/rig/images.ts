/**
 * Real images built in memory: gzip'd tar layers, an image config whose diff_ids match them, and
 * an OCI or Docker schema 2 manifest; or an index / manifest list over several of them.
 */
import { createHash } from 'node:crypto';
import { tarLayer } from './tar';

export type Format = 'oci' | 'docker';

export const MEDIA = {
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    index: 'application/vnd.oci.image.index.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const;

export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  content: Buffer;
}

export interface BuiltManifest {
  mediaType: string;
  digest: string;
  size: number;
  content: Buffer;
}

export interface BuiltImage extends BuiltManifest {
  config: Blob;
  layers: Blob[];
  os: string;
  architecture: string;
  variant?: string;
}

export interface ImageSpec {
  format: Format;
  os?: string;
  architecture?: string;
  variant?: string;
  labels?: Record<string, string>;
  created?: string;
  /** One layer per entry; each entry is the layer's files. */
  layers?: Array<Record<string, string>>;
}

export function digestOf(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

export function blob(mediaType: string, content: Buffer): Blob {
  return { mediaType, digest: digestOf(content), size: content.length, content };
}

function descriptor(b: { mediaType: string; digest: string; size: number }): { mediaType: string; digest: string; size: number } {
  return { mediaType: b.mediaType, digest: b.digest, size: b.size };
}

export function buildImage(spec: ImageSpec): BuiltImage {
  const media = MEDIA[spec.format];
  const os = spec.os ?? 'linux';
  const architecture = spec.architecture ?? 'amd64';
  const files = spec.layers ?? [{ 'hello.txt': `hello from ${os}/${architecture}\n` }];
  const tars = files.map((f) => tarLayer(f));
  const layers = tars.map((t) => blob(media.layer, t.gz));
  const created = spec.created ?? '2024-05-01T12:00:00Z';
  const configJson = {
    created,
    architecture,
    os,
    ...(spec.variant ? { variant: spec.variant } : {}),
    config: { Labels: spec.labels ?? {}, Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: tars.map((t) => digestOf(t.tar)) },
    history: tars.map((_, i) => ({ created, created_by: `COPY layer-${i} /` })),
  };
  const config = blob(media.config, Buffer.from(JSON.stringify(configJson)));
  const manifestJson = { schemaVersion: 2, mediaType: media.manifest, config: descriptor(config), layers: layers.map(descriptor) };
  const content = Buffer.from(JSON.stringify(manifestJson, null, 3));
  return {
    mediaType: media.manifest,
    digest: digestOf(content),
    size: content.length,
    content,
    config,
    layers,
    os,
    architecture,
    ...(spec.variant ? { variant: spec.variant } : {}),
  };
}

/** `extraEntries` are added as they are (e.g. an attestation manifest BuildKit attaches). */
export function buildIndex(
  format: Format,
  images: BuiltImage[],
  annotations?: Record<string, string>,
  extraEntries: object[] = [],
): BuiltManifest {
  const media = MEDIA[format];
  const json = {
    schemaVersion: 2,
    mediaType: media.index,
    manifests: images
      .map((image) => ({
        ...descriptor(image),
        platform: { os: image.os, architecture: image.architecture, ...(image.variant ? { variant: image.variant } : {}) },
      }))
      .concat(extraEntries as never[]),
    ...(annotations ? { annotations } : {}),
  };
  const content = Buffer.from(JSON.stringify(json, null, 2));
  return { mediaType: media.index, digest: digestOf(content), size: content.length, content };
}

/** The sum Berth reports as total_size for one image: config plus layers. */
export function imageTotal(image: BuiltImage): number {
  return image.config.size + image.layers.reduce((sum, l) => sum + l.size, 0);
}

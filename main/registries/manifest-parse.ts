/** Reading a manifest's JSON into an image manifest or an index, checking the fields Berth uses. */
import { registryFailure } from './errors';
import { DOCKER_SCHEMA1, IMAGE_MANIFESTS, INDEX_MANIFESTS, OCI_INDEX, OCI_MANIFEST } from './media-types';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
}

export interface Platform {
  os: string;
  architecture: string;
  variant: string | null;
}

export interface ImageManifest {
  kind: 'image';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations: Record<string, string>;
}

export interface IndexManifest {
  kind: 'index';
  mediaType: string;
  manifests: Array<Descriptor & { platform: Platform | null }>;
  annotations: Record<string, string>;
}

export type Manifest = ImageManifest | IndexManifest;

/**
 * `contentType` is the answer's Content-Type: an OCI manifest may leave out `mediaType`, and then
 * the header (or, failing that, the shape) says what it is.
 */
export function parseManifest(body: Buffer, contentType: string | undefined, label: string): Manifest {
  const bad = (why: string): Error => registryFailure('registry_error', `${label} sent a manifest that ${why}.`);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw bad('is not valid JSON');
  }
  if (!isObject(json)) throw bad('is not a JSON object');
  if (json.schemaVersion === 1 || DOCKER_SCHEMA1.test(contentType ?? '')) throw bad('uses Docker schema 1, which Berth does not read');
  const header = (contentType ?? '').split(';')[0]?.trim() ?? '';
  const mediaType =
    typeof json.mediaType === 'string' && json.mediaType
      ? json.mediaType
      : IMAGE_MANIFESTS.has(header) || INDEX_MANIFESTS.has(header)
        ? header
        : Array.isArray(json.manifests)
          ? OCI_INDEX
          : OCI_MANIFEST;
  const annotations = stringMap(json.annotations);
  if (INDEX_MANIFESTS.has(mediaType)) {
    if (!Array.isArray(json.manifests)) throw bad('is an index without a manifests list');
    const manifests = json.manifests.map((entry) => {
      const descriptor = readDescriptor(entry, bad);
      return { ...descriptor, platform: readPlatform((entry as Record<string, unknown>).platform) };
    });
    return { kind: 'index', mediaType, manifests, annotations };
  }
  if (IMAGE_MANIFESTS.has(mediaType)) {
    if (!Array.isArray(json.layers)) throw bad('has no layers list');
    return {
      kind: 'image',
      mediaType,
      config: readDescriptor(json.config, bad),
      layers: json.layers.map((l) => readDescriptor(l, bad)),
      annotations,
    };
  }
  throw bad(`has a media type Berth does not read (${mediaType.slice(0, 100)})`);
}

function readDescriptor(value: unknown, bad: (why: string) => Error): Descriptor {
  if (!isObject(value)) throw bad('has a descriptor that is not an object');
  const { digest, size, mediaType } = value;
  if (typeof digest !== 'string' || !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest))
    throw bad('has a descriptor without a valid digest');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw bad('has a descriptor without a valid size');
  return { mediaType: typeof mediaType === 'string' ? mediaType : '', digest, size, annotations: stringMap(value.annotations) };
}

function readPlatform(value: unknown): Platform | null {
  if (!isObject(value)) return null;
  const { os, architecture, variant } = value;
  if (typeof os !== 'string' || typeof architecture !== 'string') return null;
  return { os, architecture, variant: typeof variant === 'string' && variant ? variant : null };
}

export function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Pushes images over the registry's v2 API, as `docker push` does: each blob by a monolithic
 * upload (POST to open it, PUT with the digest and the bytes), then the manifest by tag.
 */
import { type Dispatcher, request } from 'undici';
import type { Blob, BuiltImage, BuiltManifest } from './images';

export interface PushTarget {
  /** The registry's origin, e.g. http://127.0.0.1:5000 */
  url: string;
  /** The Authorization header for a push to `repository` (none for an open registry). */
  authorization?: (repository: string) => Promise<string | undefined>;
  /** For a registry behind TLS with a test CA. */
  dispatcher?: Dispatcher;
}

async function send(
  target: PushTarget,
  repository: string,
  method: 'POST' | 'PUT' | 'HEAD',
  url: URL,
  headers: Record<string, string>,
  body?: Buffer,
) {
  const authorization = await target.authorization?.(repository);
  const res = await request(url, {
    method,
    headers: { ...headers, ...(authorization ? { authorization } : {}) },
    ...(body ? { body } : {}),
    ...(target.dispatcher ? { dispatcher: target.dispatcher } : {}),
  });
  const text = method === 'HEAD' ? (await res.body.dump(), '') : await res.body.text();
  return { status: res.statusCode, headers: res.headers, text };
}

export async function pushBlob(target: PushTarget, repository: string, blob: Blob): Promise<void> {
  const base = new URL(target.url);
  const exists = await send(target, repository, 'HEAD', new URL(`/v2/${repository}/blobs/${blob.digest}`, base), {});
  if (exists.status === 200) return;
  const opened = await send(target, repository, 'POST', new URL(`/v2/${repository}/blobs/uploads/`, base), { 'content-length': '0' });
  if (opened.status !== 202) throw new Error(`opening an upload to ${repository} answered ${opened.status}: ${opened.text}`);
  const location = new URL(String(opened.headers.location), base);
  location.searchParams.set('digest', blob.digest);
  const put = await send(target, repository, 'PUT', location, { 'content-type': 'application/octet-stream' }, blob.content);
  if (put.status !== 201) throw new Error(`uploading ${blob.digest} to ${repository} answered ${put.status}: ${put.text}`);
}

export async function putManifest(target: PushTarget, repository: string, reference: string, manifest: BuiltManifest): Promise<void> {
  const url = new URL(`/v2/${repository}/manifests/${reference}`, target.url);
  const put = await send(target, repository, 'PUT', url, { 'content-type': manifest.mediaType }, manifest.content);
  if (put.status !== 201) throw new Error(`putting the manifest ${repository}:${reference} answered ${put.status}: ${put.text}`);
}

/** Pushes an image's blobs and its manifest under each tag given. */
export async function pushImage(target: PushTarget, repository: string, tags: string[], image: BuiltImage): Promise<void> {
  for (const b of [image.config, ...image.layers]) await pushBlob(target, repository, b);
  if (tags.length === 0) await putManifest(target, repository, image.digest, image);
  for (const tag of tags) await putManifest(target, repository, tag, image);
}

/** Pushes every platform image by digest, then the index under each tag. */
export async function pushIndex(
  target: PushTarget,
  repository: string,
  tags: string[],
  index: BuiltManifest,
  images: BuiltImage[],
): Promise<void> {
  for (const image of images) await pushImage(target, repository, [], image);
  for (const tag of tags) await putManifest(target, repository, tag, index);
}

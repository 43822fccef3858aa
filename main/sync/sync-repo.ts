/**
 * One linked repo made equal to its remote repository: the tag list (per page), then per tag
 * either one conditional HEAD (a tag Berth holds: usually unchanged, answered 304 without a body
 * while it points at the digest Berth knows), the manifest by digest (and an image's config) only
 * when that digest is new for it; or,
 * for a tag Berth does not hold yet (every tag of a first import), one GET of the manifest by tag,
 * whose digest the registry names and Berth verifies against the body. The changes are applied in
 * one transaction; none when nothing changed.
 */
import pLimit from 'p-limit';
import { isBerthError } from '../contract/errors';
import type { Actor } from '../contract/history';
import type { ImageRecord, LinkRecord, RegistryService, TagRecord } from '../registry/sync-facing';
import type { ConfigCache, ImageDetails, RegistryConnections } from '../registries/index';
import type { TagFilter } from '../contract/tag-filter';

/** HEADs and manifest reads in flight per repo (the client caps a registry at 8 requests anyway). */
const CONCURRENCY = 8;
const SHA256 = /^sha256:([0-9a-f]{64})$/;

export interface SyncTarget {
  namespace: string;
  repo_name: string;
  link: Pick<LinkRecord, 'registry' | 'repository'>;
  /**
   * The repo does not exist yet (an import): it is created and linked, with this pull line,
   * together with its tags; nothing is left behind when the remote cannot be read.
   */
  create?: { pull_ref: string };
}

export interface SyncRepoOptions {
  /** Who the history names: `registry:<name>` for a sync, `import` for an import. */
  actor: Actor;
  /** Only tags matching it are created or moved (every tag the registry lost is still deleted). */
  tagFilter?: TagFilter;
  isCancelled: () => boolean;
  onTotal?: (total: number) => void;
  onStep?: () => void;
  onItemError?: (item: string, detail: string) => void;
  now: () => string;
  /** Config summaries already read in this job (many tags share one config). */
  configs?: ConfigCache;
}

export interface SyncRepoResult {
  changed: number;
  written: boolean;
  cancelled: boolean;
  /** Tags that could not be read (left as they were). */
  failedTags: number;
}

function hexOf(digest: string): string {
  const hex = SHA256.exec(digest)?.[1];
  if (!hex) throw new Error(`the registry names its manifest by ${digest}, not a sha256 digest`);
  return hex;
}

const messageOf = (err: unknown): string => (isBerthError(err) ? err.detail : err instanceof Error ? err.message : String(err));

function imageRecord(details: ImageDetails): ImageRecord {
  return {
    digest: details.digest,
    media_type: details.media_type,
    size: details.size,
    platforms: details.platforms.map((p) => ({ os: p.os, architecture: p.architecture, variant: p.variant })),
    image_created: details.image_created,
  };
}

export async function syncRepo(
  registry: RegistryService,
  connections: RegistryConnections,
  target: SyncTarget,
  options: SyncRepoOptions,
): Promise<SyncRepoResult> {
  const { namespace, repo_name: repoName, link } = target;
  const acting = registry.as(options.actor);
  const source = `registry:${link.registry}`;
  let remoteTags: string[];
  try {
    remoteTags = await connections.withClient(link.registry, (client) => client.allTags(link.repository));
  } catch (err) {
    if (target.create) throw err;
    // Nothing could be read: the link says why (stored once, while it stays the same).
    const detail = messageOf(err);
    await acting
      .applyRemoteTags(namespace, repoName, { link, put: [], remove: [], source, synced: { at: options.now(), error: detail } })
      .catch(() => undefined);
    throw err;
  }
  const state = target.create ? { tags: [] } : await registry.linkedState(namespace, repoName);
  const local = new Map<string, TagRecord>(state.tags.map((t) => [t.tag, t]));
  const wanted = options.tagFilter ? remoteTags.filter((t) => options.tagFilter?.test(t)) : remoteTags;
  options.onTotal?.(wanted.length);

  // What Berth already knows of each digest (any tag of the repo), and reads in flight.
  const known = new Map<string, ImageRecord>();
  for (const t of state.tags) if (t.image) known.set(t.image.digest, t.image);
  const reading = new Map<string, Promise<ImageRecord>>();
  const detailsOf = (digest: string): Promise<ImageRecord> => {
    const have = known.get(digest);
    if (have) return Promise.resolve(have);
    let pending = reading.get(digest);
    if (!pending) {
      pending = connections
        .withClient(link.registry, (client) => client.imageDetails(link.repository, digest, options.configs))
        .then(imageRecord);
      reading.set(digest, pending);
    }
    return pending;
  };

  const put: { tag: string; image_id: string; image: ImageRecord | null }[] = [];
  let failedTags = 0;
  let cancelled = false;
  const limit = pLimit(CONCURRENCY);
  await Promise.all(
    wanted.map((tag) =>
      limit(async () => {
        if (cancelled || options.isCancelled()) {
          cancelled = true;
          return;
        }
        try {
          const old = local.get(tag);
          if (old?.image) {
            const head = await connections.withClient(link.registry, (client) =>
              client.headManifestIfChanged(link.repository, tag, `sha256:${old.image_id}`),
            );
            // null: still the digest Berth knows.
            const hex = head ? hexOf(head.digest) : old.image_id;
            if (hex !== old.image_id) put.push({ tag, image_id: hex, image: await detailsOf(`sha256:${hex}`) });
          } else {
            const image = imageRecord(
              await connections.withClient(link.registry, (client) => client.imageDetails(link.repository, tag, options.configs)),
            );
            const hex = hexOf(image.digest);
            known.set(image.digest, image);
            put.push({ tag, image_id: hex, image });
          }
        } catch (err) {
          failedTags++;
          options.onItemError?.(`${link.repository}:${tag}`, messageOf(err));
        } finally {
          options.onStep?.();
        }
      }),
    ),
  );
  // A repo's changes from one sync are applied together or not at all: a cancelled one applies none.
  if (cancelled) return { changed: 0, written: false, cancelled: true, failedTags };
  const present = new Set(remoteTags);
  const remove = state.tags.filter((t) => !present.has(t.tag)).map((t) => ({ tag: t.tag, image_id: t.image_id }));
  const at = options.now();
  const error = failedTags > 0 ? `${failedTags} of ${wanted.length} tags could not be read; they were left as they were.` : null;
  const changes = { link, put, remove, source, synced: { at, error } };
  const result = target.create
    ? await acting.importRemoteRepo(
        namespace,
        repoName,
        { ...link, pull_ref: target.create.pull_ref, last_synced_at: at, last_sync_error: error },
        changes,
      )
    : await acting.applyRemoteTags(namespace, repoName, changes);
  if (!result.written) await registry.noteSynced(namespace, repoName, at);
  return { changed: result.changed, written: result.written, cancelled: false, failedTags };
}

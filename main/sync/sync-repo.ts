/**
 * One linked repo made equal to its remote repository: the tag list (per page), one HEAD per tag
 * for its digest, and the manifest (and an image's config) only for a digest Berth does not
 * already know for that tag. The changes are applied in one transaction; none when nothing changed.
 */
import pLimit from 'p-limit';
import { isBerthError } from '../contract/errors';
import type { Actor } from '../contract/history';
import type { ImageRecord, LinkRecord, RegistryService, TagRecord } from '../registry/sync-facing';
import type { ImageDetails, RegistryConnections } from '../registries/index';
import type { TagFilter } from '../contract/tag-filter';

/** HEADs and manifest reads in flight per repo (the client caps a registry at 8 requests anyway). */
const CONCURRENCY = 8;
const SHA256 = /^sha256:([0-9a-f]{64})$/;

export interface SyncTarget {
  namespace: string;
  repo_name: string;
  link: Pick<LinkRecord, 'registry' | 'repository'>;
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
}

export interface SyncRepoResult {
  changed: number;
  written: boolean;
  cancelled: boolean;
  /** Tags that could not be read (left as they were). */
  failedTags: number;
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
    // Nothing could be read: the link says why (stored once, while it stays the same).
    const detail = messageOf(err);
    await acting
      .applyRemoteTags(namespace, repoName, { link, put: [], remove: [], source, synced: { at: options.now(), error: detail } })
      .catch(() => undefined);
    throw err;
  }
  const state = await registry.linkedState(namespace, repoName);
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
      pending = connections.withClient(link.registry, (client) => client.imageDetails(link.repository, digest)).then(imageRecord);
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
          const head = await connections.withClient(link.registry, (client) => client.headManifest(link.repository, tag));
          const hex = SHA256.exec(head.digest)?.[1];
          if (!hex) throw new Error(`the registry names its manifest by ${head.digest}, not a sha256 digest`);
          const old = local.get(tag);
          if (!(old && old.image_id === hex && old.image)) put.push({ tag, image_id: hex, image: await detailsOf(head.digest) });
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
  const result = await acting.applyRemoteTags(namespace, repoName, { link, put, remove, source, synced: { at, error } });
  if (!result.written) await registry.noteSynced(namespace, repoName, at);
  return { changed: result.changed, written: result.written, cancelled: false, failedTags };
}

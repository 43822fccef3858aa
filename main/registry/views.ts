import type { LinkView, RepoView, TagDetailView, TagView } from '../contract/types';
import type { LinkRecord, RepoRecord, RepoWithoutHistory, TagRecord } from '../store';
import { buildConfigView } from './build-config';
import { syncedAt } from './sync-marks';

/** A repo's own fields, as its detail and an export both give them (each adds the rest its own way). */
export function repoFields(namespace: string, r: RepoWithoutHistory) {
  return {
    namespace,
    repo_name: r.repo_name,
    repo_path: `${namespace}/${r.repo_name}`,
    logo_file: r.logo_file,
    description: r.description,
    full_description: r.full_description,
    repo_starred_count: r.starred ? 1 : 0,
    created_at: r.created_at,
    updated_at: r.updated_at,
    is_public: r.is_public,
    logo: r.logo,
    is_automated: r.is_automated,
    download: r.download,
    upload: r.upload,
    pulled_at: r.pulled_at,
    pushed_at: r.pushed_at,
    is_repo_starred: r.starred,
  };
}

export function repoView(namespace: string, r: RepoRecord): RepoView {
  return {
    ...repoFields(namespace, r),
    build_config: buildConfigView(namespace, r.repo_name, r.build_config),
    tag_count: r.tags.length,
    link: r.link ? linkView(r.link, r.id) : null,
  };
}

export function linkView(l: LinkRecord, repoId: string): LinkView {
  return {
    registry: l.registry,
    repository: l.repository,
    pull_ref: l.pull_ref,
    last_synced_at: syncedAt(repoId, l.last_synced_at),
    last_sync_error: l.last_sync_error,
  };
}

export function tagDetailView(t: TagRecord): TagDetailView {
  const image = t.image;
  return {
    ...tagView(t),
    digest: image?.digest ?? null,
    media_type: image?.media_type ?? null,
    size: image?.size ?? null,
    platforms: image ? image.platforms.map((p) => ({ os: p.os, architecture: p.architecture, variant: p.variant })) : [],
    image_created: image?.image_created ?? null,
    source: t.source,
  };
}

export function tagView(t: TagRecord): TagView {
  return { tag: t.tag, image_id: t.image_id, created_at: t.created_at, updated_at: t.updated_at };
}

/** Most recently pushed first, ties by tag name (as Docker Hub lists them). */
export function sortTags(tags: readonly TagRecord[]): TagRecord[] {
  return [...tags].sort((a, b) => {
    if (a.updated_at !== b.updated_at) return a.updated_at < b.updated_at ? 1 : -1;
    return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
  });
}

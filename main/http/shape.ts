/**
 * The seed names the same facts differently on each endpoint (creation_time, creation_at,
 * created_at). RepoView is the detail object; these functions cut the exact object each
 * seed endpoint returns from it, so every field name lives in one place.
 */
import type { NamespaceView, RepoView, TagView } from '../contract/types';

/** POST /v1/repositories/{namespace}/ */
export function createdRepo(r: RepoView) {
  return {
    repo_name: r.repo_name,
    namespace: r.namespace,
    repo_path: r.repo_path,
    is_automated: r.is_automated,
    description: r.description,
    creation_time: r.created_at,
    updated_time: r.updated_at,
    is_public: r.is_public,
    logo: r.logo,
  };
}

/** One result of GET /v1/repositories/{namespace}/ */
export function listedRepo(r: RepoView) {
  return {
    repo_name: r.repo_name,
    namespace: r.namespace,
    repo_path: r.repo_path,
    is_automated: r.is_automated,
    description: r.description,
    creation_at: r.created_at,
    updated_at: r.updated_at,
    is_public: r.is_public,
    logo: r.logo,
    repo_starred_count: r.repo_starred_count,
    full_description: r.full_description,
    download: r.download,
    upload: r.upload,
    pulled_at: r.pulled_at,
    pushed_at: r.pushed_at,
  };
}

/** PUT/PATCH /v1/repositories/{namespace}/{repo_name} (full_description added: it can be updated). */
export function updatedRepo(r: RepoView) {
  return {
    repo_name: r.repo_name,
    namespace: r.namespace,
    repo_path: r.repo_path,
    description: r.description,
    full_description: r.full_description,
    is_public: r.is_public,
    logo: r.logo,
  };
}

/** GET /v1/repositories/{namespace}/{repo_name}, and the answer of a recorded pull. */
export function repoDetail(r: RepoView) {
  return {
    namespace: r.namespace,
    repo_name: r.repo_name,
    repo_path: r.repo_path,
    logo_file: r.logo_file,
    description: r.description,
    full_description: r.full_description,
    repo_starred_count: r.repo_starred_count,
    created_at: r.created_at,
    updated_at: r.updated_at,
    is_public: r.is_public,
    logo: r.logo,
    is_automated: r.is_automated,
    download: r.download,
    upload: r.upload,
    pulled_at: r.pulled_at,
    pushed_at: r.pushed_at,
    is_repo_starred: r.is_repo_starred,
    // The hosted service's clients read build_config.code_repo_client, created_by and docker_repo_path here.
    build_config: r.build_config,
  };
}

/** One item of GET .../tags (the seed shows exactly these two fields). */
export function listedTag(t: TagView) {
  return { image_id: t.image_id, tag: t.tag };
}

/** PUT/GET .../tags/{tag} */
export function tagObject(t: TagView) {
  return { tag: t.tag, image_id: t.image_id, created_at: t.created_at, updated_at: t.updated_at };
}

export function namespaceObject(n: NamespaceView) {
  return { namespace: n.namespace, repo_count: n.repo_count, created_at: n.created_at };
}

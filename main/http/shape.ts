/**
 * The seed names the same facts differently on each endpoint (creation_time, creation_at,
 * created_at). Each seed answer is cut from a contract view (main/contract/views.ts) by one
 * field map, `{ answer field: view field }`, which gives both the function that builds the
 * answer and its schema for the OpenAPI document: the field list of each answer lives here once,
 * and the type of each field comes from the view.
 */
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { NamespaceView, RepoView, TagDetailView, TagView } from '../contract/views';

type FieldMap<V extends TProperties> = Readonly<Record<string, keyof V & string>>;
type Cut<V extends TProperties, M extends FieldMap<V>> = { [K in keyof M]: V[M[K]] };

export interface SeedShape<V extends TProperties, M extends FieldMap<V>> {
  /** The answer's schema (documentation only: answers are serialized with JSON.stringify). */
  readonly schema: TObject<Cut<V, M>>;
  /** The answer, fields in the seed's order. */
  readonly cut: (view: Static<TObject<V>>) => Static<TObject<Cut<V, M>>>;
}

function seedShape<V extends TProperties, const M extends FieldMap<V>>(view: TObject<V>, fields: M): SeedShape<V, M> {
  const entries = Object.entries(fields);
  const properties = Object.fromEntries(entries.map(([answer, from]) => [answer, view.properties[from]])) as Cut<V, M>;
  return {
    schema: Type.Object(properties),
    cut: (source) => {
      const out: Record<string, unknown> = {};
      for (const [answer, from] of entries) out[answer] = (source as Record<string, unknown>)[from];
      return out as Static<TObject<Cut<V, M>>>;
    },
  };
}

/** POST /v1/repositories/{namespace}/ */
export const CreatedRepo = seedShape(RepoView, {
  repo_name: 'repo_name',
  namespace: 'namespace',
  repo_path: 'repo_path',
  is_automated: 'is_automated',
  description: 'description',
  creation_time: 'created_at',
  updated_time: 'updated_at',
  is_public: 'is_public',
  logo: 'logo',
});

/** One result of GET /v1/repositories/{namespace}/ */
export const ListedRepo = seedShape(RepoView, {
  repo_name: 'repo_name',
  namespace: 'namespace',
  repo_path: 'repo_path',
  is_automated: 'is_automated',
  description: 'description',
  creation_at: 'created_at',
  updated_at: 'updated_at',
  is_public: 'is_public',
  logo: 'logo',
  repo_starred_count: 'repo_starred_count',
  full_description: 'full_description',
  download: 'download',
  upload: 'upload',
  pulled_at: 'pulled_at',
  pushed_at: 'pushed_at',
});

/** PUT/PATCH /v1/repositories/{namespace}/{repo_name} (full_description added: it can be updated). */
export const UpdatedRepo = seedShape(RepoView, {
  repo_name: 'repo_name',
  namespace: 'namespace',
  repo_path: 'repo_path',
  description: 'description',
  full_description: 'full_description',
  is_public: 'is_public',
  logo: 'logo',
});

/** GET /v1/repositories/{namespace}/{repo_name}, and the answer of a recorded pull: the view without tag_count. */
export const RepoDetail = seedShape(RepoView, {
  namespace: 'namespace',
  repo_name: 'repo_name',
  repo_path: 'repo_path',
  logo_file: 'logo_file',
  description: 'description',
  full_description: 'full_description',
  repo_starred_count: 'repo_starred_count',
  created_at: 'created_at',
  updated_at: 'updated_at',
  is_public: 'is_public',
  logo: 'logo',
  is_automated: 'is_automated',
  download: 'download',
  upload: 'upload',
  pulled_at: 'pulled_at',
  pushed_at: 'pushed_at',
  is_repo_starred: 'is_repo_starred',
  // The hosted service's clients read build_config.code_repo_client, created_by and docker_repo_path here.
  build_config: 'build_config',
  // Berth's: the remote repository it is linked to (docs/registries.md), null when catalogue-only.
  link: 'link',
});

/** One item of GET .../tags (the seed shows exactly these two fields). */
export const ListedTag = seedShape(TagView, { image_id: 'image_id', tag: 'tag' });

/** PUT/GET .../tags/{tag} */
export const TagObject = seedShape(TagView, { tag: 'tag', image_id: 'image_id', created_at: 'created_at', updated_at: 'updated_at' });

/** GET .../tags/{tag}: the tag object plus what Berth knows of its image (docs/registries.md, "Tag details"). */
export const TagDetail = seedShape(TagDetailView, {
  tag: 'tag',
  image_id: 'image_id',
  created_at: 'created_at',
  updated_at: 'updated_at',
  digest: 'digest',
  media_type: 'media_type',
  size: 'size',
  platforms: 'platforms',
  image_created: 'image_created',
  source: 'source',
});

export const NamespaceObject = seedShape(NamespaceView, { namespace: 'namespace', repo_count: 'repo_count', created_at: 'created_at' });

export const createdRepo = CreatedRepo.cut;
export const listedRepo = ListedRepo.cut;
export const updatedRepo = UpdatedRepo.cut;
export const repoDetail = RepoDetail.cut;
export const listedTag = ListedTag.cut;
export const tagObject = TagObject.cut;
export const tagDetail = TagDetail.cut;
export const namespaceObject = NamespaceObject.cut;

/**
 * What the backend answers, defined once as TypeBox schemas; every view type is `Static<>` of
 * its schema. The window receives these views as they are; the HTTP layer cuts the seed's exact
 * objects from them (main/http/shape.ts), so a field is named here and nowhere else, and the
 * OpenAPI document describes answers with these very schemas.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { BuildConfig } from './schemas';

const Text = Type.String();
const Time = Type.String({ format: 'date-time' });
const MaybeTime = Type.Union([Time, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
const Bool = Type.Boolean();

export const TagView = Type.Object({
  tag: Text,
  /** 64 lowercase hex characters, without the `sha256:` prefix. */
  image_id: Text,
  created_at: Time,
  /** Last push of this tag (a move updates it). */
  updated_at: Time,
});
export type TagView = Static<typeof TagView>;

/** Where a tag's image came from: `registry:<name>` (an import, a sync or a registry's event), `api` or `window`. */
const TagSource = Type.String({ description: 'registry:<name> for a tag from a registry; api or window otherwise' });
const TagPlatform = Type.Object({ os: Text, architecture: Text, variant: Type.Union([Text, Type.Null()]) });

/**
 * GET …/tags/{tag}: the tag with what Berth knows of its image. For a tag from a registry,
 * `digest` is `sha256:<image_id>` (the manifest's digest: `docker pull <pull_ref>@<digest>`
 * works), with the manifest's media type and size, an index's platforms and the image's creation
 * time (null for an index, or where the config says none); for other tags those fields are null.
 */
export const TagDetailView = Type.Object({
  tag: Text,
  image_id: Text,
  created_at: Time,
  updated_at: Time,
  digest: Type.Union([Text, Type.Null()]),
  media_type: Type.Union([Text, Type.Null()]),
  size: Type.Union([Count, Type.Null()]),
  platforms: Type.Array(TagPlatform, { description: 'The platforms of an index or manifest list; empty for a single image' }),
  image_created: MaybeTime,
  source: TagSource,
});
export type TagDetailView = Static<typeof TagDetailView>;

function LinkViewSchema() {
  return Type.Object(
    {
      /** The registry connection's name. */
      registry: Text,
      /** The repository path in that registry (Docker Hub: library/ for official images). */
      repository: Text,
      pull_ref: Type.String({
        description: 'What docker pull takes, without tag: host[:port]/repository (Docker Hub: docker.io/…, no library/)',
      }),
      last_synced_at: MaybeTime,
      last_sync_error: Type.Union([Text, Type.Null()], { description: "The last sync's failure, null once a sync succeeds" }),
    },
    { description: 'A local repo linked to a remote repository' },
  );
}
/** PUT/GET /v1/repositories/{ns}/{repo}/link, and a repo's `link`. */
export const LinkView = LinkViewSchema();
export type LinkView = Static<typeof LinkView>;

/** The settings as a repo's detail shows them, with the hosted service's two derived fields. */
export type BuildConfigView = BuildConfig & {
  /** The repo's namespace. */
  readonly created_by: string;
  /** `namespace/repo_name` */
  readonly docker_repo_path: string;
};

const BuildConfigView = Type.Unsafe<BuildConfigView>(
  Type.Object(
    { created_by: Text, docker_repo_path: Text },
    {
      additionalProperties: true,
      description: 'Build settings as given, with the namespace (created_by) and namespace/repo (docker_repo_path) added',
    },
  ),
);

/** The seed's detail object (GET /v1/repositories/{ns}/{repo}) plus a tag count. */
export const RepoView = Type.Object({
  namespace: Text,
  repo_name: Text,
  repo_path: Text,
  logo_file: Text,
  description: Text,
  full_description: Text,
  repo_starred_count: Count,
  created_at: Time,
  updated_at: Time,
  is_public: Bool,
  logo: Text,
  is_automated: Bool,
  download: Count,
  upload: Count,
  pulled_at: MaybeTime,
  pushed_at: MaybeTime,
  is_repo_starred: Bool,
  /** null unless the repo has build settings (then is_automated is true). */
  build_config: Type.Union([BuildConfigView, Type.Null()]),
  tag_count: Count,
  /** The remote repository this repo is linked to (docs/registries.md, "Links"); null when it is catalogue-only. */
  link: Type.Union([LinkViewSchema(), Type.Null()]),
});
export type RepoView = Static<typeof RepoView>;

export const NamespaceView = Type.Object({
  namespace: Text,
  /** Repos the viewer can see (anonymous viewers: public ones only). */
  repo_count: Count,
  created_at: Time,
});
export type NamespaceView = Static<typeof NamespaceView>;

export const StarView = Type.Object({ repo_starred_count: Count, is_repo_starred: Bool });
export type StarView = Static<typeof StarView>;

export const SearchResultItem = Type.Object({
  /** `namespace/repo_name` */
  name: Text,
  description: Text,
  is_public: Bool,
  star_count: Count,
  pull_count: Count,
});
export type SearchResultItem = Static<typeof SearchResultItem>;

/** Docker registry v1 search response. */
export const SearchPage = Type.Object({
  num_results: Count,
  num_pages: Count,
  page: Count,
  page_size: Count,
  query: Text,
  results: Type.Array(SearchResultItem),
});
export type SearchPage = Static<typeof SearchPage>;

// ---- registry connections (docs/registries.md) ---------------------------------------------

const MaybeText = Type.Union([Type.String(), Type.Null()]);
const Labels = Type.Record(Type.String(), Type.String());

export const RegistryStatus = Type.Object(
  {
    ok: Type.Union([Type.Boolean(), Type.Null()], { description: 'null until the registry was first checked' }),
    checked_at: MaybeTime,
    detail: Text,
  },
  { description: 'The last check of the registry (on save, Check, or any request to it)' },
);
export type RegistryStatus = Static<typeof RegistryStatus>;

export const REGISTRY_KINDS = ['distribution', 'dockerhub'] as const;

/** A registry connection; never its password (has_password says whether one is saved). */
export const RegistryView = Type.Object({
  name: Text,
  url: Text,
  kind: Type.Union(REGISTRY_KINDS.map((k) => Type.Literal(k))),
  username: MaybeText,
  has_password: Bool,
  insecure: Bool,
  auto_import: Bool,
  use_docker_config: Bool,
  ca_pem: MaybeText,
  created_at: Time,
  updated_at: Time,
  status: RegistryStatus,
});
export type RegistryView = Static<typeof RegistryView>;

export const RepositoryPage = Type.Object({ results: Type.Array(Text), next: MaybeText });
export type RepositoryPage = Static<typeof RepositoryPage>;

export const RegistryTagPage = Type.Object({ repository: Text, results: Type.Array(Text), next: MaybeText });
export type RegistryTagPage = Static<typeof RegistryTagPage>;

const Platform = Type.Object({ os: Text, architecture: Text, variant: MaybeText, digest: Text, size: Count });
const Layer = Type.Object({ digest: Text, size: Count, media_type: Text });
const ImageConfig = Type.Object({
  digest: Text,
  created: MaybeText,
  os: MaybeText,
  architecture: MaybeText,
  labels: Labels,
  history_length: Count,
});

export const ManifestView = Type.Object({
  repository: Text,
  reference: Text,
  digest: Text,
  media_type: Text,
  size: Count,
  platforms: Type.Array(Platform, { description: 'The images of an index or manifest list; empty for a single manifest' }),
  config: Type.Union([ImageConfig, Type.Null()], { description: 'The image config; null for an index' }),
  layers: Type.Array(Layer),
  total_size: Type.Integer({ minimum: 0, description: "Config + layers (an index: its largest platform's)" }),
  annotations: Labels,
  pull_ref: Type.String({
    description: 'What docker pull takes, without tag or digest: host[:port]/repository (Docker Hub: docker.io/…, no library/)',
  }),
});
export type ManifestView = Static<typeof ManifestView>;

export const DigestTagsView = Type.Object({
  repository: Text,
  reference: Text,
  digest: Text,
  tags: Type.Array(Text, { description: 'Every tag of the repository pointing at the digest, in byte order' }),
});
export type DigestTagsView = Static<typeof DigestTagsView>;

// ---- imports, syncs and registry events (docs/registries.md) -------------------------------

export const JOB_KINDS = ['import', 'sync'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
/** A job is queued, then running, then one of the last three (final). */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

const JobError = Type.Object({
  item: Type.String({ description: 'The remote repository (import) or local repo (sync) concerned' }),
  detail: Text,
});

/**
 * An import or a sync. `progress` counts repositories (an import) or the repo's tags (a sync).
 * A job that finished with errors of some items still `succeeded` (its `errors` list them); it
 * `failed` when it could do nothing, and after a restart an unfinished job reads `failed` with
 * `detail: "interrupted"`.
 */
export const JobView = Type.Object({
  id: Text,
  kind: Type.Union(JOB_KINDS.map((k) => Type.Literal(k))),
  state: Type.Union(JOB_STATES.map((s) => Type.Literal(s))),
  /** The registry connection it reads from. */
  registry: Text,
  /** A sync: its local repo as `namespace/repo`; an import: null. */
  repo: Type.Union([Text, Type.Null()]),
  progress: Type.Object({ done: Count, total: Count }),
  created_at: Time,
  started_at: MaybeTime,
  finished_at: MaybeTime,
  /** Why it failed or stopped (`interrupted`, `cancelled`, the registry's message); null otherwise. */
  detail: Type.Union([Text, Type.Null()]),
  errors: Type.Array(JobError),
});
export type JobView = Static<typeof JobView>;

/** GET /v1/registries/{name}/events-config: how to point a registry's notifications at Berth. */
export const EventsConfigView = Type.Object({
  /** Where the registry sends its events: this Berth's /v1/registries/{name}/events. */
  url: Text,
  /** The bearer secret the registry must send (not the API token). */
  secret: Text,
  /** A `notifications:` block for Distribution's config.yml, ready to paste. */
  yaml: Text,
});
export type EventsConfigView = Static<typeof EventsConfigView>;

/** The answer to a delivery of registry events (given at once; accepted events are applied right after, in order). */
export const EventsReceipt = Type.Object({
  /** Manifest pushes, pulls and deletes taken to be applied (an event about a repository no local repo links then changes nothing, unless auto_import). */
  accepted: Count,
  /** Events dropped at once: blobs, HEAD pulls, Berth's own pulls, pushes without a tag, ids seen before. */
  ignored: Count,
});
export type EventsReceipt = Static<typeof EventsReceipt>;

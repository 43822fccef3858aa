/**
 * What the backend takes, defined once as TypeBox schemas; every input type is `Static<>` of its
 * schema. The HTTP routes declare them (and the OpenAPI document is generated from them); the
 * IPC handlers validate their arguments with the very same objects (see ./operations), and both
 * report a mismatch through ./field-errors. Shapes live here; the rules on names and limits live
 * in ./names (shared with the window), the rest in main/registry (and, for registry connections,
 * in main/registries).
 */
import { Type, type Static } from '@sinclair/typebox';

const name = (description: string) => Type.String({ description });

export const NamespaceParam = name('Namespace (user or organization)');
export const RepoNameParam = name('Image repository name');
export const TagParam = name('Tag name');

/**
 * Automated-build settings as a client gives them (the hosted service's `build_config`, e.g.
 * `{code_repo_client, code_repo_clone_url, tag_configs}`): any JSON object, kept as given. Their
 * rules (size, keys) are the registry's, shared with the window.
 */
export type BuildConfig = { readonly [key: string]: unknown };

const BuildConfigField = Type.Union([Type.Unsafe<BuildConfig>(Type.Object({}, { additionalProperties: true })), Type.Null()], {
  description:
    'Automated-build settings, kept as given (a JSON object of at most 16 KiB as compact JSON); the repo is then automated. ' +
    'On update, null removes them.',
});

export const CreateRepoBody = Type.Object(
  {
    repo_name: Type.String({ description: 'Image repo name' }),
    namespace: Type.Optional(Type.String({ description: 'Must equal the namespace in the path' })),
    description: Type.Optional(Type.String({ description: 'Short description (≤ 100 characters)' })),
    full_description: Type.Optional(Type.String({ description: 'Markdown (≤ 25,000 characters)' })),
    is_public: Type.Optional(Type.Boolean({ description: 'True if the image repo is public' })),
    /** Makes the repo automated; null is the same as leaving it out. */
    build_config: Type.Optional(BuildConfigField),
  },
  { additionalProperties: false, $id: 'CreateRepoBody' },
);
export type CreateRepoBody = Static<typeof CreateRepoBody>;
export type CreateRepoInput = CreateRepoBody;

export const UpdateRepoBody = Type.Object(
  {
    description: Type.Optional(Type.String()),
    full_description: Type.Optional(Type.String()),
    is_public: Type.Optional(Type.Boolean()),
    /** Replaces the build settings; null removes them (the repo is no longer automated). */
    build_config: Type.Optional(BuildConfigField),
  },
  { additionalProperties: false, $id: 'UpdateRepoBody' },
);
export type UpdateRepoBody = Static<typeof UpdateRepoBody>;
export type UpdateRepoInput = UpdateRepoBody;

/**
 * A precondition on an update (HTTP: the query string): the repo's `updated_at` as last read.
 * When the repo changed since, the update is refused (`conflict`) and nothing is saved, so an
 * edit started on an older version never silently overwrites a newer one.
 */
export const UpdateRepoOptions = Type.Object(
  {
    if_updated_at: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
        description: "Save only if the repo's updated_at is still this (as last read); 409 conflict otherwise",
      }),
    ),
  },
  { additionalProperties: false },
);
export type UpdateRepoOptions = Static<typeof UpdateRepoOptions>;

export const CreateNamespaceBody = Type.Object(
  { namespace: Type.String({ description: 'Namespace name' }) },
  { additionalProperties: false, $id: 'CreateNamespaceBody' },
);
export type CreateNamespaceBody = Static<typeof CreateNamespaceBody>;

export const ImageIdField = Type.String({ description: '64 lowercase hex characters; a sha256: prefix is accepted' });

export const PutTagBody = Type.Object({ image_id: ImageIdField }, { additionalProperties: false, $id: 'PutTagBody' });
export type PutTagBody = Static<typeof PutTagBody>;

const PositiveInt = (description: string) => Type.Integer({ minimum: 1, description });
const pageFields = {
  page: Type.Optional(PositiveInt('1-based page number')),
  page_size: Type.Optional(PositiveInt('Items per page (default 10, at most 100)')),
};

export const PageQuery = Type.Object(pageFields, { additionalProperties: false });
export type PageQuery = Static<typeof PageQuery>;

export const REPO_ORDERINGS = [
  'name',
  '-name',
  'last_updated',
  '-last_updated',
  'pull_count',
  '-pull_count',
  'star_count',
  '-star_count',
] as const;
export const RepoOrdering = Type.Union(REPO_ORDERINGS.map((o) => Type.Literal(o)));
export type RepoOrdering = (typeof REPO_ORDERINGS)[number];

export const ListReposQuery = Type.Object(
  {
    ...pageFields,
    ordering: Type.Optional(RepoOrdering),
    name: Type.Optional(Type.String({ description: 'Case-insensitive substring of repo_name or description' })),
    is_public: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ListReposQuery = Static<typeof ListReposQuery>;

export const SearchQuery = Type.Object(
  {
    q: Type.String({ description: 'Case-insensitive substring of namespace/repo_name or description' }),
    ...pageFields,
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const DeleteNamespaceOptions = Type.Object(
  { force: Type.Optional(Type.Boolean({ description: 'Delete the namespace with all its repos' })) },
  { additionalProperties: false },
);
export type DeleteNamespaceOptions = Static<typeof DeleteNamespaceOptions>;

export const StarredFlag = Type.Boolean();

export const HistoryIdField = Type.String({ description: "A history entry's id (from the repo's history)" });

export const RestoreTagBody = Type.Object({ history_id: HistoryIdField }, { additionalProperties: false, $id: 'RestoreTagBody' });
export type RestoreTagBody = Static<typeof RestoreTagBody>;

export const PortNumber = Type.Integer({ minimum: 1, maximum: 65535 });

export const ThemeSetting = Type.Union([Type.Literal('system'), Type.Literal('light'), Type.Literal('dark')]);
export type ThemeSetting = Static<typeof ThemeSetting>;

/** The desktop user's settings (main/settings keeps them; the window changes them). */
export const Settings = Type.Object(
  {
    theme: ThemeSetting,
    api_port: PortNumber,
    anonymous_reads: Type.Boolean(),
    last_namespace: Type.Union([Type.String({ maxLength: 255 }), Type.Null()]),
    /** Width in pixels the user gave the repository list (null: the default width). */
    list_pane_width: Type.Union([Type.Integer({ minimum: 160, maximum: 4000 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type Settings = Static<typeof Settings>;

/** A change to some of the settings. */
export const SettingsPatch = Type.Partial(Settings, { additionalProperties: false });
export type SettingsPatch = Static<typeof SettingsPatch>;

// ---- registry connections (docs/registries.md) ---------------------------------------------

export const RegistryNameParam = Type.String({ description: 'Registry name (lower-case letters, digits, and . _ - between them)' });

const RegistryUrl = Type.String({
  description: 'https://host[:port]; http://… only with insecure: true or a loopback host; docker.io for Docker Hub',
});
const RegistryUsername = Type.Union([Type.String(), Type.Null()], { description: 'Empty or null: anonymous access' });
const RegistryPassword = Type.Union([Type.String(), Type.Null()], {
  description: 'Kept in the credentials file, never returned. On update: left out keeps it, null or "" removes it',
});
const CaPem = Type.Union([Type.String(), Type.Null()], {
  description: "A CA certificate (PEM) trusted for this registry besides the system's; null removes it",
});

const connectionFields = {
  url: RegistryUrl,
  username: Type.Optional(RegistryUsername),
  password: Type.Optional(RegistryPassword),
  insecure: Type.Optional(Type.Boolean({ description: 'Allows plain http to a non-loopback host (TLS is always verified)' })),
  auto_import: Type.Optional(Type.Boolean({ description: 'Import repositories the registry reports pushes to' })),
  use_docker_config: Type.Optional(
    Type.Boolean({ description: "Read the credentials from Docker's config.json (or its credential helper) each time they are needed" }),
  ),
  ca_pem: Type.Optional(CaPem),
};

export const CreateRegistryBody = Type.Object(
  { name: Type.String({ description: 'Registry name (the namespace rule)' }), ...connectionFields },
  { additionalProperties: false, $id: 'CreateRegistryBody' },
);
export type CreateRegistryBody = Static<typeof CreateRegistryBody>;
export type CreateRegistryInput = CreateRegistryBody;

export const UpdateRegistryBody = Type.Object(
  { ...connectionFields, url: Type.Optional(RegistryUrl) },
  { additionalProperties: false, $id: 'UpdateRegistryBody' },
);
export type UpdateRegistryBody = Static<typeof UpdateRegistryBody>;
export type UpdateRegistryInput = UpdateRegistryBody;

export const SaveRegistryOptions = Type.Object(
  {
    verify: Type.Optional(Type.Boolean({ description: 'Check the registry (GET /v2/ with the credentials) before saving (default true)' })),
  },
  { additionalProperties: false },
);
export type SaveRegistryOptions = Static<typeof SaveRegistryOptions>;

/** A registry's repositories and tags are paged by cursor: `last` is the `next` of the previous page. */
const NamesPerPage = Type.Integer({ minimum: 1, maximum: 1000, description: 'Names per page (default 100, at most 1000)' });
const Last = Type.String({ description: 'The `next` of the previous page' });
const Repository = Type.String({ description: 'Repository path in the registry, e.g. team/app (Docker Hub: nginx means library/nginx)' });
const Reference = Type.String({ description: 'A tag or a digest (sha256:…)' });

export const RepositoriesQuery = Type.Object(
  {
    n: Type.Optional(NamesPerPage),
    last: Type.Optional(Last),
    namespace: Type.Optional(Type.String({ description: 'Required on Docker Hub, which has no catalog: whose repositories to list' })),
  },
  { additionalProperties: false },
);
export type RepositoriesQuery = Static<typeof RepositoriesQuery>;

export const RegistryTagsQuery = Type.Object(
  { repository: Repository, n: Type.Optional(NamesPerPage), last: Type.Optional(Last) },
  { additionalProperties: false },
);
export type RegistryTagsQuery = Static<typeof RegistryTagsQuery>;

export const ManifestQuery = Type.Object({ repository: Repository, reference: Reference }, { additionalProperties: false });
export type ManifestQuery = Static<typeof ManifestQuery>;

export const DeleteManifestQuery = Type.Object(
  {
    repository: Repository,
    reference: Reference,
    all_tags: Type.Optional(Type.Boolean({ description: 'Delete even when other tags point at the same manifest (they go too)' })),
  },
  { additionalProperties: false },
);
export type DeleteManifestQuery = Static<typeof DeleteManifestQuery>;

/** A file the user chose in a dialog (export, import). */
export const FilePath = Type.String({ minLength: 1, maxLength: 4096 });

export { ImportOptions } from './portability';
// ---- links, imports, syncs and registry events (docs/registries.md) ------------------------

export const LinkBody = Type.Object(
  {
    registry: Type.String({ description: "A registry connection's name" }),
    repository: Repository,
  },
  { additionalProperties: false, $id: 'LinkBody' },
);
export type LinkBody = Static<typeof LinkBody>;

export const ImportBody = Type.Object(
  {
    repositories: Type.Union([Type.Array(Repository, { minItems: 1, maxItems: 10000 }), Type.Literal('*')], {
      description: 'Remote repository paths, or "*" for every repository of the catalog',
    }),
    namespace: Type.Optional(
      Type.String({ description: 'Local namespace for every repository (the repo is then the path with / replaced by -)' }),
    ),
    tags: Type.Optional(Type.String({ description: 'A regular expression the tag names must match (others are left out)' })),
  },
  { additionalProperties: false, $id: 'ImportBody' },
);
export type ImportBody = Static<typeof ImportBody>;

export const JobIdParam = Type.String({ description: "A job's id" });

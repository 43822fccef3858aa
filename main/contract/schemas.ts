/**
 * What the backend takes, defined once as TypeBox schemas; every input type is `Static<>` of its
 * schema. The HTTP routes declare them (and the OpenAPI document is generated from them); the
 * IPC handlers validate their arguments with the very same objects (see ./operations), and both
 * report a mismatch through ./field-errors. Shapes live here; the rules on names and limits live
 * in ./names (shared with the window), the rest in main/registry.
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
  },
  { additionalProperties: false },
);
export type Settings = Static<typeof Settings>;

/** A change to some of the settings. */
export const SettingsPatch = Type.Partial(Settings, { additionalProperties: false });
export type SettingsPatch = Static<typeof SettingsPatch>;

/** A file the user chose in a dialog (export, import). */
export const FilePath = Type.String({ minLength: 1, maxLength: 4096 });

export { ImportOptions } from './portability';

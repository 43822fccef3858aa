/**
 * Request schemas, defined once. The HTTP routes declare them (and the OpenAPI document is
 * generated from them); the IPC handlers validate their arguments with the very same objects.
 * Shapes and types live here; naming rules and limits live in main/registry, so both doors
 * report them with the same messages.
 */
import { Type, type Static } from '@sinclair/typebox';
import { REPO_ORDERINGS } from './types';

const name = (description: string) => Type.String({ description });

export const NamespaceParam = name('Namespace (user or organization)');
export const RepoNameParam = name('Image repository name');
export const TagParam = name('Tag name');

/** Automated-build settings: their rules (size, keys) are the registry's, shared with the window. */
const BuildConfigField = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
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
    build_config: Type.Optional(BuildConfigField),
  },
  { additionalProperties: false, $id: 'CreateRepoBody' },
);
export type CreateRepoBody = Static<typeof CreateRepoBody>;

export const UpdateRepoBody = Type.Object(
  {
    description: Type.Optional(Type.String()),
    full_description: Type.Optional(Type.String()),
    is_public: Type.Optional(Type.Boolean()),
    build_config: Type.Optional(BuildConfigField),
  },
  { additionalProperties: false, $id: 'UpdateRepoBody' },
);
export type UpdateRepoBody = Static<typeof UpdateRepoBody>;

export const CreateNamespaceBody = Type.Object(
  { namespace: Type.String({ description: 'Namespace name' }) },
  { additionalProperties: false, $id: 'CreateNamespaceBody' },
);
export type CreateNamespaceBody = Static<typeof CreateNamespaceBody>;

export const PutTagBody = Type.Object(
  { image_id: Type.String({ description: '64 lowercase hex characters; a sha256: prefix is accepted' }) },
  { additionalProperties: false, $id: 'PutTagBody' },
);
export type PutTagBody = Static<typeof PutTagBody>;

const PositiveInt = (description: string) => Type.Integer({ minimum: 1, description });

export const PageQuery = Type.Object(
  {
    page: Type.Optional(PositiveInt('1-based page number')),
    page_size: Type.Optional(PositiveInt('Items per page (default 10, at most 100)')),
  },
  { additionalProperties: false },
);

export const ListReposQuery = Type.Object(
  {
    page: Type.Optional(PositiveInt('1-based page number')),
    page_size: Type.Optional(PositiveInt('Items per page (default 10, at most 100)')),
    ordering: Type.Optional(Type.Union(REPO_ORDERINGS.map((o) => Type.Literal(o)))),
    name: Type.Optional(Type.String({ description: 'Case-insensitive substring of repo_name or description' })),
    is_public: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const SearchQuery = Type.Object(
  {
    q: Type.String({ description: 'Case-insensitive substring of namespace/repo_name or description' }),
    page: Type.Optional(PositiveInt('1-based page number')),
    page_size: Type.Optional(PositiveInt('Items per page (default 10, at most 100)')),
  },
  { additionalProperties: false },
);

export const DeleteNamespaceOptions = Type.Object(
  { force: Type.Optional(Type.Boolean({ description: 'Delete the namespace with all its repos' })) },
  { additionalProperties: false },
);

export const PortNumber = Type.Integer({ minimum: 1, maximum: 65535 });

export const SettingsPatch = Type.Object(
  {
    theme: Type.Optional(Type.Union([Type.Literal('system'), Type.Literal('light'), Type.Literal('dark')])),
    api_port: Type.Optional(PortNumber),
    anonymous_reads: Type.Optional(Type.Boolean()),
    last_namespace: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type SettingsPatch = Static<typeof SettingsPatch>;

export const StarredFlag = Type.Boolean();

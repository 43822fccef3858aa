/**
 * The contract of registry connections (docs/registries.md): request and answer schemas, defined
 * once, for the HTTP routes (and so the OpenAPI document) and the IPC handlers alike; the types
 * the window and the backend share are derived from them.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Page, PageQuery } from './types';

const Str = Type.String();
const Time = Type.String({ format: 'date-time' });
const MaybeStr = Type.Union([Type.String(), Type.Null()]);
const Int = Type.Integer({ minimum: 0 });
const StringMap = Type.Record(Type.String(), Type.String());

export const RegistryNameParam = Type.String({ description: 'Registry name (lower-case letters, digits, and . _ - between them)' });

const Url = Type.String({
  description: 'https://host[:port]; http://… only with insecure: true or a loopback host; docker.io for Docker Hub',
});
const Username = Type.Union([Type.String(), Type.Null()], { description: 'Empty or null: anonymous access' });
const Password = Type.Union([Type.String(), Type.Null()], {
  description: 'Kept in the credentials file, never returned. On update: left out keeps it, null or "" removes it',
});
const CaPem = Type.Union([Type.String(), Type.Null()], {
  description: "A CA certificate (PEM) trusted for this registry besides the system's; null removes it",
});

const connectionFields = {
  url: Url,
  username: Type.Optional(Username),
  password: Type.Optional(Password),
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
export type CreateRegistryInput = Static<typeof CreateRegistryBody>;

export const UpdateRegistryBody = Type.Object(
  { ...connectionFields, url: Type.Optional(Url) },
  { additionalProperties: false, $id: 'UpdateRegistryBody' },
);
export type UpdateRegistryInput = Static<typeof UpdateRegistryBody>;

export const SaveRegistryOptions = Type.Object(
  {
    verify: Type.Optional(
      Type.Boolean({ description: 'Check the registry (GET /v2/ with the credentials) before saving (default true)' }),
    ),
  },
  { additionalProperties: false },
);
export type SaveRegistryOptions = Static<typeof SaveRegistryOptions>;

/** Repositories and tags are paged by cursor: `last` is the `next` of the previous page. */
const PageSize = Type.Integer({ minimum: 1, maximum: 1000, description: 'Names per page (default 100, at most 1000)' });
const Last = Type.String({ description: 'The `next` of the previous page' });
const Repository = Type.String({ description: 'Repository path in the registry, e.g. team/app (Docker Hub: nginx means library/nginx)' });
const Reference = Type.String({ description: 'A tag or a digest (sha256:…)' });

export const RepositoriesQuery = Type.Object(
  {
    n: Type.Optional(PageSize),
    last: Type.Optional(Last),
    namespace: Type.Optional(Type.String({ description: 'Required on Docker Hub, which has no catalog: whose repositories to list' })),
  },
  { additionalProperties: false },
);
export type RepositoriesQuery = Static<typeof RepositoriesQuery>;

export const RegistryTagsQuery = Type.Object({ repository: Repository, n: Type.Optional(PageSize), last: Type.Optional(Last) }, { additionalProperties: false });
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

// ---- answers ----------------------------------------------------------------------------------

export const RegistryStatus = Type.Object(
  {
    ok: Type.Union([Type.Boolean(), Type.Null()], { description: 'null until the registry was first checked' }),
    checked_at: Type.Union([Time, Type.Null()]),
    detail: Str,
  },
  { description: 'The last check of the registry (on save, Check, or any request to it)' },
);
export type RegistryStatus = Static<typeof RegistryStatus>;

export const REGISTRY_KINDS = ['distribution', 'dockerhub'] as const;

export const RegistryObject = Type.Object({
  name: Str,
  url: Str,
  kind: Type.Union(REGISTRY_KINDS.map((k) => Type.Literal(k))),
  username: MaybeStr,
  has_password: Type.Boolean(),
  insecure: Type.Boolean(),
  auto_import: Type.Boolean(),
  use_docker_config: Type.Boolean(),
  ca_pem: MaybeStr,
  created_at: Time,
  updated_at: Time,
  status: RegistryStatus,
});
export type RegistryView = Static<typeof RegistryObject>;

export const RegistryList = Type.Object({
  count: Int,
  next: Type.Union([Type.String({ format: 'uri' }), Type.Null()]),
  previous: Type.Union([Type.String({ format: 'uri' }), Type.Null()]),
  results: Type.Array(RegistryObject),
});

export const RepositoryPage = Type.Object({ results: Type.Array(Str), next: MaybeStr });
export type RepositoryPage = Static<typeof RepositoryPage>;

export const RegistryTagPage = Type.Object({ repository: Str, results: Type.Array(Str), next: MaybeStr });
export type RegistryTagPage = Static<typeof RegistryTagPage>;

const Platform = Type.Object({ os: Str, architecture: Str, variant: MaybeStr, digest: Str, size: Int });
const Layer = Type.Object({ digest: Str, size: Int, media_type: Str });
const Config = Type.Object({
  digest: Str,
  created: MaybeStr,
  os: MaybeStr,
  architecture: MaybeStr,
  labels: StringMap,
  history_length: Int,
});

export const ManifestObject = Type.Object({
  repository: Str,
  reference: Str,
  digest: Str,
  media_type: Str,
  size: Int,
  platforms: Type.Array(Platform, { description: 'The images of an index or manifest list; empty for a single manifest' }),
  config: Type.Union([Config, Type.Null()], { description: 'The image config; null for an index' }),
  layers: Type.Array(Layer),
  total_size: Type.Integer({ minimum: 0, description: "Config + layers (an index: its largest platform's)" }),
  annotations: StringMap,
  pull_ref: Type.String({ description: 'What docker pull takes, without tag or digest: host[:port]/repository (Docker Hub: docker.io/…, no library/)' }),
});
export type ManifestView = Static<typeof ManifestObject>;

export const DigestTags = Type.Object({
  repository: Str,
  reference: Str,
  digest: Str,
  tags: Type.Array(Str, { description: 'Every tag of the repository pointing at the digest, in byte order' }),
});
export type DigestTagsView = Static<typeof DigestTags>;

/** Emitted when a registry connection is added, changed (its status included) or removed. */
export interface RegistryChangeEvent {
  entity: 'registry';
  action: 'created' | 'updated' | 'deleted';
  registry: string;
  /** Set when only the status changed (what the registry holds is as it was). */
  status_only?: true;
}

/** The registry operations of window.berth (the same as the /v1/registries routes). */
export interface RegistryOperations {
  listRegistries(query: PageQuery): Promise<Page<RegistryView>>;
  getRegistry(name: string): Promise<RegistryView>;
  createRegistry(input: CreateRegistryInput, options: SaveRegistryOptions): Promise<RegistryView>;
  updateRegistry(name: string, patch: UpdateRegistryInput, options: SaveRegistryOptions): Promise<RegistryView>;
  deleteRegistry(name: string): Promise<void>;
  /** Checks the registry now (GET /v2/); the answer's status says how it went. */
  checkRegistry(name: string): Promise<RegistryView>;
  listRegistryRepositories(name: string, query: RepositoriesQuery): Promise<RepositoryPage>;
  listRegistryTags(name: string, query: RegistryTagsQuery): Promise<RegistryTagPage>;
  getRegistryManifest(name: string, query: ManifestQuery): Promise<ManifestView>;
  /** The tags pointing at the manifest a reference names: what deleting it would delete. */
  getRegistryDigestTags(name: string, query: ManifestQuery): Promise<DigestTagsView>;
  deleteRegistryManifest(name: string, query: DeleteManifestQuery): Promise<void>;
}

export const REGISTRY_OPERATION_NAMES = [
  'listRegistries',
  'getRegistry',
  'createRegistry',
  'updateRegistry',
  'deleteRegistry',
  'checkRegistry',
  'listRegistryRepositories',
  'listRegistryTags',
  'getRegistryManifest',
  'getRegistryDigestTags',
  'deleteRegistryManifest',
] as const satisfies readonly (keyof RegistryOperations)[];

/** Fails to compile when an operation of RegistryOperations is missing from the list above. */
type UnlistedOperation = Exclude<keyof RegistryOperations, (typeof REGISTRY_OPERATION_NAMES)[number]>;
export const REGISTRY_OPERATIONS_LISTED: [UnlistedOperation] extends [never] ? true : never = true;

/**
 * The export document and the answers of export and import (docs/portability.md): one JSON
 * document `{format, version, exported_at, namespaces, repos, registries}`, streamed both ways.
 * The schemas describe its items; the rules on names, limits and times are the API's own
 * (./names), applied by main/registry when a document is imported.
 */
import { Type, type Static } from '@sinclair/typebox';

export const EXPORT_FORMAT = 'berth-export';
export const EXPORT_VERSION = 1;

const Text = Type.String();
/** ISO 8601 UTC with milliseconds, as every time the API answers (checked by the importer). */
const Time = Type.String({ description: 'ISO 8601 UTC with milliseconds, e.g. 2024-01-31T12:00:00.000Z' });
const MaybeTime = Type.Union([Time, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

export const ExportedNamespace = Type.Object({ namespace: Text, created_at: Time }, { additionalProperties: false });
export type ExportedNamespace = Static<typeof ExportedNamespace>;

/** What a registry told Berth of a tag's image (the manifest its digest names). */
export const ExportedImage = Type.Object(
  {
    digest: Text,
    media_type: Text,
    size: Count,
    platforms: Type.Array(
      Type.Object({ os: Text, architecture: Text, variant: Type.Union([Text, Type.Null()]) }, { additionalProperties: false }),
    ),
    image_created: Type.Union([Text, Type.Null()]),
  },
  { additionalProperties: false },
);
export type ExportedImage = Static<typeof ExportedImage>;

/**
 * A tag with its times; `source` says who last pushed it (api, window, import or
 * registry:<name>; an import writes `import` where it is absent) and `image` what a registry
 * told of its image, for a tag that came from one.
 */
export const ExportedTag = Type.Object(
  { tag: Text, image_id: Text, created_at: Time, updated_at: Time, source: Type.Optional(Text), image: Type.Optional(ExportedImage) },
  { additionalProperties: false },
);
export type ExportedTag = Static<typeof ExportedTag>;

/**
 * The remote repository a repo is linked to, on a registry connection the document (or, for a
 * merge, the catalogue it goes into) has.
 */
export const ExportedLink = Type.Object(
  { registry: Text, repository: Text, pull_ref: Text, last_synced_at: MaybeTime, last_sync_error: Type.Union([Text, Type.Null()]) },
  { additionalProperties: false },
);
export type ExportedLink = Static<typeof ExportedLink>;

/**
 * One repo: every field of its detail, counters and times included, with its tags (and their
 * times), its star, its build settings as they were given and its link (the detail adds created_by and
 * docker_repo_path, derived). An export writes every field; an import needs only the names and
 * the two times, the rest taking the API's defaults, and checks derived fields (repo_path,
 * repo_starred_count, is_automated) against what they derive from.
 */
export const ExportedRepo = Type.Object(
  {
    namespace: Text,
    repo_name: Text,
    repo_path: Type.Optional(Text),
    logo_file: Type.Optional(Text),
    description: Type.Optional(Text),
    full_description: Type.Optional(Text),
    repo_starred_count: Type.Optional(Type.Integer({ minimum: 0, maximum: 1 })),
    created_at: Time,
    updated_at: Time,
    is_public: Type.Optional(Type.Boolean()),
    logo: Type.Optional(Text),
    is_automated: Type.Optional(Type.Boolean()),
    download: Type.Optional(Count),
    upload: Type.Optional(Count),
    pulled_at: Type.Optional(MaybeTime),
    pushed_at: Type.Optional(MaybeTime),
    is_repo_starred: Type.Optional(Type.Boolean()),
    build_config: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
    tags: Type.Optional(Type.Array(ExportedTag)),
    link: Type.Optional(Type.Union([ExportedLink, Type.Null()])),
  },
  { additionalProperties: false },
);
export type ExportedRepo = Static<typeof ExportedRepo>;

/**
 * One registry connection: its name, address and settings, never a password, token or events
 * secret (those stay in the data folder's credentials, and a restored connection asks for its
 * password again). An import needs only the name and the address; the rest take the defaults of
 * POST /v1/registries.
 */
export const ExportedRegistry = Type.Object(
  {
    name: Text,
    url: Text,
    kind: Type.Optional(Type.Union([Type.Literal('distribution'), Type.Literal('dockerhub')])),
    username: Type.Optional(Type.Union([Text, Type.Null()])),
    insecure: Type.Optional(Type.Boolean()),
    auto_import: Type.Optional(Type.Boolean()),
    use_docker_config: Type.Optional(Type.Boolean()),
    ca_pem: Type.Optional(Type.Union([Text, Type.Null()])),
    created_at: Type.Optional(Time),
    updated_at: Type.Optional(Time),
  },
  { additionalProperties: false },
);
export type ExportedRegistry = Static<typeof ExportedRegistry>;

/** The document's head; `namespaces`, `repos` and `registries` are lists streamed after it. */
export const ExportDocument = Type.Object(
  {
    format: Type.Literal(EXPORT_FORMAT),
    version: Type.Literal(EXPORT_VERSION),
    exported_at: Time,
    namespaces: Type.Array(ExportedNamespace),
    repos: Type.Array(ExportedRepo),
    registries: Type.Array(ExportedRegistry, {
      description: 'Registry connections: name, address and settings, never a password, token or secret.',
    }),
  },
  { additionalProperties: false },
);

export const IMPORT_MODES = ['merge', 'replace'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const ImportQuery = Type.Object(
  {
    mode: Type.Optional(
      Type.Union(
        IMPORT_MODES.map((m) => Type.Literal(m)),
        { description: 'merge (default): never overwrites a newer local change; replace: the catalogue becomes the document' },
      ),
    ),
    dry_run: Type.Optional(Type.Boolean({ description: 'Report what the import would do and change nothing (default false)' })),
  },
  { additionalProperties: false },
);
export type ImportQuery = Static<typeof ImportQuery>;

/** The window's import options: the same as the route's query. */
export const ImportOptions = ImportQuery;
export type ImportOptions = ImportQuery;

export const ImportConflict = Type.Union([
  /** A repo kept as it was: `namespace/repo_name`. */
  Type.Object({ repo: Text, detail: Text }),
  /** A registry connection a merge kept as it was (a connection of that name exists and differs). */
  Type.Object({ registry: Text, detail: Text }),
]);
export type ImportConflict = Static<typeof ImportConflict>;

export const ImportResult = Type.Object({
  /** Repos the import created, replaced with the document's copy, or found identical. */
  created: Count,
  updated: Count,
  unchanged: Count,
  /** Local repos a replace removed (always 0 for a merge). */
  deleted: Count,
  /** Repos the import kept as they were (merge: the local copy is as new or newer), and registries a merge kept. */
  conflicts: Type.Array(ImportConflict),
  /** Registry connections the import added, changed, found identical, or (replace) removed. */
  registries: Type.Object({ created: Count, updated: Count, unchanged: Count, deleted: Count }),
  mode: Type.Union(IMPORT_MODES.map((m) => Type.Literal(m))),
  dry_run: Type.Boolean(),
});
export type ImportResult = Static<typeof ImportResult>;

/** What an export to a file wrote (the window's Export…, the command line). */
export interface ExportSummary {
  namespaces: number;
  repos: number;
  bytes: number;
}

/** How far an export or import of the window has come, for its progress bar. */
export interface TransferProgress {
  kind: 'export' | 'import';
  /** reading: the document is read and checked; applying: the catalogue is changed. */
  phase: 'reading' | 'writing' | 'applying';
  /** Repos handled so far, and of how many when known. */
  repos: number;
  total: number | null;
  /** Bytes of the document read or written, and its size when known. */
  bytes: number;
  total_bytes: number | null;
}

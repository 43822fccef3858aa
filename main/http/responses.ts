/**
 * Response schemas, for the OpenAPI document only: answers are serialized with JSON.stringify
 * (see app.ts), so a schema can never silently drop a field the seed requires.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ERROR_STATUS } from '../contract/errors';

const Str = Type.String();
const Time = Type.String({ format: 'date-time' });
const MaybeTime = Type.Union([Time, Type.Null()]);
const Int = Type.Integer({ minimum: 0 });
const Bool = Type.Boolean();
const Url = Type.Union([Type.String({ format: 'uri' }), Type.Null()]);

export const CreatedRepo = Type.Object({
  repo_name: Str,
  namespace: Str,
  repo_path: Str,
  is_automated: Bool,
  description: Str,
  creation_time: Time,
  updated_time: Time,
  is_public: Bool,
  logo: Str,
});

export const ListedRepo = Type.Object({
  repo_name: Str,
  namespace: Str,
  repo_path: Str,
  is_automated: Bool,
  description: Str,
  creation_at: Time,
  updated_at: Time,
  is_public: Bool,
  logo: Str,
  repo_starred_count: Int,
  full_description: Str,
  download: Int,
  upload: Int,
  pulled_at: MaybeTime,
  pushed_at: MaybeTime,
});

const drf = (item: TSchema) => Type.Object({ count: Int, next: Url, previous: Url, results: Type.Array(item) });

export const RepoList = drf(ListedRepo);

export const UpdatedRepo = Type.Object({
  repo_name: Str,
  namespace: Str,
  repo_path: Str,
  description: Str,
  full_description: Str,
  is_public: Bool,
  logo: Str,
});

export const RepoDetail = Type.Object({
  namespace: Str,
  repo_name: Str,
  repo_path: Str,
  logo_file: Str,
  description: Str,
  full_description: Str,
  repo_starred_count: Int,
  created_at: Time,
  updated_at: Time,
  is_public: Bool,
  logo: Str,
  is_automated: Bool,
  download: Int,
  upload: Int,
  pulled_at: MaybeTime,
  pushed_at: MaybeTime,
  is_repo_starred: Bool,
  build_config: Type.Union([
    Type.Object(
      { created_by: Str, docker_repo_path: Str },
      { additionalProperties: true, description: 'Build settings as given, with the namespace (created_by) and namespace/repo (docker_repo_path) added' },
    ),
    Type.Null(),
  ]),
});

export const TagList = Type.Array(Type.Object({ image_id: Str, tag: Str }));
export const Tag = Type.Object({ tag: Str, image_id: Str, created_at: Time, updated_at: Time });
export const Star = Type.Object({ repo_starred_count: Int, is_repo_starred: Bool });

export const Namespace = Type.Object({ namespace: Str, repo_count: Int, created_at: Time });
export const NamespaceList = drf(Namespace);

export const SearchPage = Type.Object({
  num_results: Int,
  num_pages: Int,
  page: Int,
  page_size: Int,
  query: Str,
  results: Type.Array(
    Type.Object({ name: Str, description: Str, is_public: Bool, star_count: Int, pull_count: Int }),
  ),
});

export const Ping = Type.Object({ ok: Type.Literal(true), version: Str });
export const OpenApiDocument = Type.Object({}, { additionalProperties: true });

export const NoContent = Type.Null({ description: 'No content' });

export const ErrorBody = Type.Object({
  detail: Str,
  code: Type.Union(Object.keys(ERROR_STATUS).map((code) => Type.Literal(code))),
  errors: Type.Optional(Type.Record(Type.String(), Type.Array(Str))),
});

/** Error answers a route documents, keyed by status. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]));
}

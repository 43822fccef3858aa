/**
 * Response schemas, for the OpenAPI document only: answers are serialized with JSON.stringify
 * (see app.ts), so a schema can never silently drop a field the seed requires. The shapes come
 * from the contract's views (main/contract/views.ts) and the seed's cuts of them (./shape).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ERROR_STATUS } from '../contract/errors';
import { HistoryEntryView, TrashEntryView } from '../contract/history';
import { RegistryView, SearchPage, StarView } from '../contract/views';
import {
  CreatedRepo as CreatedRepoShape,
  ListedRepo,
  ListedTag,
  NamespaceObject,
  RepoDetail as RepoDetailShape,
  TagDetail as TagDetailShape,
  TagObject,
  UpdatedRepo as UpdatedRepoShape,
} from './shape';

const Str = Type.String();
const Int = Type.Integer({ minimum: 0 });
const Url = Type.Union([Type.String({ format: 'uri' }), Type.Null()]);

/** Django REST framework's page: the items of one page and links to its neighbours. */
const drf = (item: TSchema) => Type.Object({ count: Int, next: Url, previous: Url, results: Type.Array(item) });

export const CreatedRepo = CreatedRepoShape.schema;
export const RepoList = drf(ListedRepo.schema);
export const UpdatedRepo = UpdatedRepoShape.schema;
export const RepoDetail = RepoDetailShape.schema;

export const TagList = Type.Array(ListedTag.schema);
export const Tag = TagObject.schema;
export const TagDetail = TagDetailShape.schema;
export const Star = StarView;

export const Namespace = NamespaceObject.schema;
export const NamespaceList = drf(Namespace);

export { SearchPage };

export const RegistryList = drf(RegistryView);
export const HistoryList = drf(HistoryEntryView);
export const TrashList = drf(TrashEntryView);

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

/** Catalog and tag lists (`/v2/_catalog`, `/v2/<name>/tags/list`) with paging. */
import { BerthError } from '../contract/errors';
import { failure, jsonObject, nameList } from './answers';
import type { RegistryEndpoint } from './endpoint';
import { repositoryPath } from './endpoint';
import { hubRepositories } from './dockerhub';
import type { HttpTransport } from './http';
import { byteOrder, nextLink, type Page, pageFromAnswer, pageOfAll } from './paging';
import type { Session } from './session';

export interface PageRequest {
  n: number;
  last?: string;
}

export interface ListingContext {
  endpoint: RegistryEndpoint;
  session: Session;
  http: HttpTransport;
}

/** Page answers are lists of names; 4 MiB holds tens of thousands. */
const LIST_MAX_BYTES = 4 * 1024 * 1024;
/** Following `Link` pages stops here (a loop guard, far above any real registry). */
const MAX_PAGES = 10_000;

export const CATALOG_SCOPE = 'registry:catalog:*';

export function pullScope(path: string): string {
  return `repository:${path}:pull`;
}

function checkPage(page: PageRequest): void {
  if (!Number.isInteger(page.n) || page.n < 1 || page.n > 10_000)
    throw BerthError.validation({ n: ['must be an integer from 1 to 10000.'] });
}

/**
 * One page of repository paths: the catalog, or on Docker Hub (which has none) the repositories
 * of `namespace`, which Hub requires. Other registries ignore `namespace`.
 */
export async function listRepositories(ctx: ListingContext, page: PageRequest & { namespace?: string }): Promise<Page> {
  checkPage(page);
  if (ctx.endpoint.kind === 'dockerhub') {
    if (!page.namespace)
      throw BerthError.validation({ namespace: ['is required for Docker Hub, which has no catalog (for example library).'] });
    return pageOfAll(await hubRepositories(ctx.http, ctx.endpoint, page.namespace), page.n, page.last);
  }
  const url = listUrl(ctx.endpoint.api, '/v2/_catalog', page);
  const { names, link } = await fetchNames(ctx, url, [CATALOG_SCOPE], 'repositories', 'the catalog');
  return pageFromAnswer(names, link, page.n, page.last);
}

/** One page of a repository's tags, in byte order. */
export async function listTags(ctx: ListingContext, repository: string, page: PageRequest): Promise<Page> {
  checkPage(page);
  const path = repositoryPath(ctx.endpoint, repository);
  const url = listUrl(ctx.endpoint.api, `/v2/${path}/tags/list`, page);
  const { names, link } = await fetchNames(ctx, url, [pullScope(path)], 'tags', `the tags of ${repository}`);
  return pageFromAnswer(names, link, page.n, page.last);
}

/** Every tag of a repository, following `Link` pages as the registry gives them, sorted. */
export async function allTags(ctx: ListingContext, repository: string): Promise<string[]> {
  const path = repositoryPath(ctx.endpoint, repository);
  return followAll(ctx, new URL(`/v2/${path}/tags/list`, ctx.endpoint.api), [pullScope(path)], 'tags', `the tags of ${repository}`);
}

/** Every repository in the catalog, following `Link` pages. */
export async function allRepositories(ctx: ListingContext, options: { namespace?: string } = {}): Promise<string[]> {
  if (ctx.endpoint.kind === 'dockerhub') return (await listRepositories(ctx, { n: 10_000, ...options })).results;
  const all = await followAll(ctx, new URL('/v2/_catalog', ctx.endpoint.api), [CATALOG_SCOPE], 'repositories', 'the catalog');
  return options.namespace ? all.filter((name) => name.startsWith(`${options.namespace}/`)) : all;
}

async function followAll(ctx: ListingContext, first: URL, scopes: string[], field: string, what: string): Promise<string[]> {
  const names = new Set<string>();
  let url: URL | null = first;
  for (let pages = 0; url && pages < MAX_PAGES; pages++) {
    const answer: { names: string[]; link: URL | null } = await fetchNames(ctx, url, scopes, field, what);
    for (const name of answer.names) names.add(name);
    url = answer.names.length > 0 ? answer.link : null;
  }
  return [...names].sort(byteOrder);
}

function listUrl(api: URL, path: string, page: PageRequest): URL {
  const url = new URL(path, api);
  url.searchParams.set('n', String(page.n));
  if (page.last !== undefined) url.searchParams.set('last', page.last);
  return url;
}

async function fetchNames(
  ctx: ListingContext,
  url: URL,
  scopes: string[],
  field: string,
  what: string,
): Promise<{ names: string[]; link: URL | null }> {
  const { session, endpoint } = ctx;
  const answer = await session.request({ method: 'GET', url, scopes, accept: 'application/json', maxBytes: LIST_MAX_BYTES, what });
  if (answer.status !== 200) throw failure(answer, endpoint.label, what);
  const body = jsonObject(answer, endpoint.label, what);
  return { names: nameList(body[field], endpoint.label, what), link: nextLink(answer.headers.link, url) };
}

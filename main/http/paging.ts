/**
 * Django REST framework's page links: `next`/`previous` are absolute URLs of the neighbouring
 * pages carrying the same query, or null. Like DRF, the link to page 1 drops the `page`
 * parameter. The Host header has already passed the allow-list, so it is safe to echo.
 */
import type { FastifyRequest } from 'fastify';
import type { Page } from '../contract/types';

/** Links to the given pages (null where there is none), from one parse of the request's URL. */
function pageUrls(request: FastifyRequest, pages: readonly (number | null)[]): (string | null)[] {
  let url: URL | undefined;
  return pages.map((page) => {
    if (page === null) return null;
    // Concatenated, not resolved: a path starting with // must never become another host.
    url ??= new URL(`http://${request.headers.host ?? '127.0.0.1'}${request.url}`);
    // set() and delete() leave the query as they would on a fresh parse, so one URL serves both.
    if (page === 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(page));
    return url.toString();
  });
}

/** The `next` and `previous` links of a page, for this request. */
export function pageLinks(
  request: FastifyRequest,
  page: { page: number; num_pages: number },
): { next: string | null; previous: string | null } {
  const [next, previous] = pageUrls(request, [page.page < page.num_pages ? page.page + 1 : null, page.page > 1 ? page.page - 1 : null]);
  return { next: next ?? null, previous: previous ?? null };
}

export function drfPage<T, R>(request: FastifyRequest, page: Page<T>, shape: (item: T) => R) {
  const { next, previous } = pageLinks(request, page);
  return {
    count: page.count,
    next,
    previous,
    results: page.results.map(shape),
  };
}

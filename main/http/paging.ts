/**
 * Django REST framework's page links: `next`/`previous` are absolute URLs of the neighbouring
 * pages carrying the same query, or null. Like DRF, the link to page 1 drops the `page`
 * parameter. The Host header has already passed the allow-list, so it is safe to echo.
 */
import type { FastifyRequest } from 'fastify';
import type { Page } from '../contract/types';

function pageUrl(request: FastifyRequest, page: number): string {
  // Concatenated, not resolved: a path starting with // must never become another host.
  const url = new URL(`http://${request.headers.host ?? '127.0.0.1'}${request.url}`);
  if (page === 1) url.searchParams.delete('page');
  else url.searchParams.set('page', String(page));
  return url.toString();
}

export function drfPage<T, R>(request: FastifyRequest, page: Page<T>, shape: (item: T) => R) {
  return {
    count: page.count,
    next: page.page < page.num_pages ? pageUrl(request, page.page + 1) : null,
    previous: page.page > 1 ? pageUrl(request, page.page - 1) : null,
    results: page.results.map(shape),
  };
}

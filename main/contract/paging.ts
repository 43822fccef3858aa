/**
 * Which slice of a list a page query selects, by DRF's rules (README, "Local API"): pages of 10
 * by default, at most 100, a page past the last is not_found. Part of the contract because
 * every paged list of the API follows it: the catalogue's (main/registry) and the registry
 * connections' (main/registries).
 */
import { BerthError } from './errors';
import type { PageQuery } from './types';

export const DEFAULT_PAGE_SIZE = 10;
/** DRF's max_page_size: larger requests are clamped, not refused. */
export const MAX_PAGE_SIZE = 100;

export interface PageWindow {
  page: number;
  page_size: number;
  num_pages: number;
  start: number;
  end: number;
}

function positiveInt(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw BerthError.validation({ [field]: ['Must be a positive whole number.'] });
  }
  return value;
}

/** Which slice of `count` items a page query asks for; a page past the last is not_found. */
export function pageWindow(count: number, query: PageQuery | undefined): PageWindow {
  const page = positiveInt(query?.page, 'page', 1);
  const page_size = Math.min(positiveInt(query?.page_size, 'page_size', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const num_pages = Math.ceil(count / page_size);
  // Docker Hub answers an empty first page, and 404 for any page past the last.
  if (page > Math.max(num_pages, 1)) throw BerthError.notFound('Invalid page.');
  const start = (page - 1) * page_size;
  return { page, page_size, num_pages, start, end: Math.min(start + page_size, count) };
}

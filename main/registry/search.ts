/** Search across namespaces (Docker registry v1 style), over an index of every repo rebuilt only after a write. */
import { BerthError } from '../contract/errors';
import type { SearchPage, SearchQuery, SearchResultItem, Viewer } from '../contract/types';
import type { RepoRecord, Store } from '../store';
import { lowerDescription } from './ordering';
import { pageWindow } from '../contract/paging';

interface Row {
  /** `namespace/repo_name` */
  name: string;
  repo: RepoRecord;
}

export class Search {
  private index: { generation: number; rows: Row[] } | null = null;

  constructor(private readonly store: Store) {}

  async search(viewer: Viewer, query: SearchQuery): Promise<SearchPage> {
    const q = typeof query?.q === 'string' ? query.q : '';
    if (query?.q !== undefined && typeof query.q !== 'string') throw BerthError.validation({ q: ['Must be text.'] });
    await this.store.loadAll();
    const needle = q.toLowerCase();
    const matches = this.rows().filter(
      (row) => (viewer.authenticated || row.repo.is_public) && (row.name.includes(needle) || lowerDescription(row.repo).includes(needle)),
    );
    const w = pageWindow(matches.length, query);
    const results: SearchResultItem[] = matches.slice(w.start, w.end).map((row) => ({
      name: row.name,
      description: row.repo.description,
      is_public: row.repo.is_public,
      star_count: row.repo.starred ? 1 : 0,
      pull_count: row.repo.download,
    }));
    return { num_results: matches.length, num_pages: w.num_pages, page: w.page, page_size: w.page_size, query: q, results };
  }

  /** Every repo as `namespace/repo`, sorted, rebuilt only after a write. */
  private rows(): Row[] {
    const generation = this.store.generation;
    if (this.index && this.index.generation === generation) return this.index.rows;
    const rows: Row[] = [];
    for (const ns of this.store.namespaceNames()) {
      const state = this.store.loadedNamespace(ns);
      if (!state) continue;
      for (const repo of state.repos.values()) rows.push({ name: `${ns}/${repo.repo_name}`, repo });
    }
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.index = { generation, rows };
    return rows;
  }
}

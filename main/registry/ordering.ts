/**
 * Sorted views of a namespace's repos, cached until the namespace changes, so a list page costs
 * a filter and a slice rather than a sort of thousands of repos.
 */
import type { RepoOrdering } from '../contract/types';
import type { RepoRecord } from '../store';

type Compare = (a: RepoRecord, b: RepoRecord) => number;

const byName: Compare = (a, b) => (a.repo_name < b.repo_name ? -1 : a.repo_name > b.repo_name ? 1 : 0);

function thenByName<K extends string | number>(key: (r: RepoRecord) => K, descending: boolean): Compare {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * (descending ? -1 : 1);
    return byName(a, b);
  };
}

const COMPARE: Readonly<Record<RepoOrdering, Compare>> = {
  name: byName,
  '-name': (a, b) => byName(b, a),
  last_updated: thenByName((r) => r.updated_at, false),
  '-last_updated': thenByName((r) => r.updated_at, true),
  pull_count: thenByName((r) => r.download, false),
  '-pull_count': thenByName((r) => r.download, true),
  star_count: thenByName((r) => (r.starred ? 1 : 0), false),
  '-star_count': thenByName((r) => (r.starred ? 1 : 0), true),
};

export function isOrdering(value: unknown): value is RepoOrdering {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(COMPARE, value);
}

interface Cached {
  version: number;
  sorted: Map<RepoOrdering, readonly RepoRecord[]>;
  publicSorted: Map<RepoOrdering, readonly RepoRecord[]>;
  publicCount: number | null;
}

/** Keyed by the namespace's repo Map itself, so a deleted and re-created namespace never hits. */
export class OrderingCache {
  private readonly cache = new WeakMap<ReadonlyMap<string, RepoRecord>, Cached>();

  private entry(repos: ReadonlyMap<string, RepoRecord>, version: number): Cached {
    let c = this.cache.get(repos);
    if (!c || c.version !== version) {
      c = { version, sorted: new Map(), publicSorted: new Map(), publicCount: null };
      this.cache.set(repos, c);
    }
    return c;
  }

  sorted(repos: ReadonlyMap<string, RepoRecord>, version: number, ordering: RepoOrdering): readonly RepoRecord[] {
    const c = this.entry(repos, version);
    let list = c.sorted.get(ordering);
    if (!list) {
      list = [...repos.values()].sort(COMPARE[ordering]);
      c.sorted.set(ordering, list);
    }
    return list;
  }

  /** The public repos only, in the given order (what anonymous readers list). */
  publicSorted(repos: ReadonlyMap<string, RepoRecord>, version: number, ordering: RepoOrdering): readonly RepoRecord[] {
    const c = this.entry(repos, version);
    let list = c.publicSorted.get(ordering);
    if (!list) {
      list = this.sorted(repos, version, ordering).filter((r) => r.is_public);
      c.publicSorted.set(ordering, list);
    }
    return list;
  }

  publicCount(repos: ReadonlyMap<string, RepoRecord>, version: number): number {
    const c = this.entry(repos, version);
    if (c.publicCount === null) {
      let n = 0;
      for (const r of repos.values()) if (r.is_public) n++;
      c.publicCount = n;
    }
    return c.publicCount;
  }
}

const lowered = new WeakMap<RepoRecord, string>();

export function lowerDescription(r: RepoRecord): string {
  let d = lowered.get(r);
  if (d === undefined) {
    d = r.description.toLowerCase();
    lowered.set(r, d);
  }
  return d;
}

/** Case-insensitive substring of repo_name or description; `needle` is already lower-case. */
export function matchesName(r: RepoRecord, needle: string): boolean {
  return r.repo_name.includes(needle) || lowerDescription(r).includes(needle);
}

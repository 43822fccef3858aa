/**
 * Pages of names (repositories, tags): the registry's own pages when it sends a `Link` header,
 * or pages cut by Berth from the full list, in byte order, when the registry ignores `n`/`last`
 * (Distribution 2.8 does on tag lists) and sends everything.
 */
export interface Page {
  results: string[];
  /** The `last` value for the following page, or null on the last page. */
  next: string | null;
}

/** The `rel="next"` target of a `Link` header, resolved against the URL it came from. */
export function nextLink(header: string | string[] | undefined, base: URL): URL | null {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const value of values) {
    for (const match of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
      const params = match[2] ?? '';
      if (!/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(params)) continue;
      try {
        return new URL(match[1] as string, base);
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Byte-order comparison (what registries sort by), not locale order. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A page cut from a complete list: sorted, after `last`, at most `n`. */
export function pageOfAll(all: string[], n: number, last: string | undefined): Page {
  const sorted = [...new Set(all)].sort(byteOrder);
  const after = last === undefined ? sorted : sorted.filter((name) => byteOrder(name, last) > 0);
  const results = after.slice(0, n);
  return { results, next: after.length > n ? (results[results.length - 1] ?? null) : null };
}

/**
 * The page to return for a registry answer: with a `Link`, the registry paged (its `last`
 * parameter, or the last name, is the cursor); without one, the answer is taken as the whole
 * remaining list and paged here, which is right whether the registry honoured `n`/`last` or not.
 */
export function pageFromAnswer(names: string[], link: URL | null, n: number, last: string | undefined): Page {
  if (link && names.length > 0) {
    return { results: names, next: link.searchParams.get('last') ?? names[names.length - 1] ?? null };
  }
  return pageOfAll(names, n, last);
}

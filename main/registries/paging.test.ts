import { describe, expect, it } from 'vitest';
import { nextLink, pageFromAnswer, pageOfAll } from './paging';
import { parseRetryAfter, retryDelay, DEFAULT_RETRY } from './retry';

describe('Link headers', () => {
  const base = new URL('https://r.example/v2/_catalog?n=2');

  it('resolves a relative next link against the request URL', () => {
    expect(nextLink('</v2/_catalog?last=b&n=2>; rel="next"', base)?.href).toBe('https://r.example/v2/_catalog?last=b&n=2');
    expect(nextLink('<?last=b>; rel=next', base)?.href).toBe('https://r.example/v2/_catalog?last=b');
  });

  it('picks rel=next among several links, and none when there is none', () => {
    expect(nextLink('<https://r.example/first>; rel="first", <https://r.example/p2>; rel="prev next"', base)?.pathname).toBe('/p2');
    expect(nextLink('<https://r.example/first>; rel="first"', base)).toBeNull();
    expect(nextLink(undefined, base)).toBeNull();
  });
});

describe('pages cut by Berth', () => {
  it('sorts in byte order and continues after last', () => {
    const all = ['b', 'B', 'a', '1.10', '1.9', 'é', 'z'];
    expect(pageOfAll(all, 3, undefined)).toEqual({ results: ['1.10', '1.9', 'B'], next: 'B' });
    expect(pageOfAll(all, 3, 'B')).toEqual({ results: ['a', 'b', 'z'], next: 'z' });
    expect(pageOfAll(all, 3, 'z')).toEqual({ results: ['é'], next: null });
    expect(pageOfAll(all, 3, 'é')).toEqual({ results: [], next: null });
  });

  it("uses the registry's page when it sent a Link, and its last value as the cursor", () => {
    const link = new URL('https://r.example/v2/_catalog?last=opaque-cursor&n=2');
    expect(pageFromAnswer(['x', 'y'], link, 2, undefined)).toEqual({ results: ['x', 'y'], next: 'opaque-cursor' });
    expect(pageFromAnswer(['y', 'x', 'w'], null, 2, 'w')).toEqual({ results: ['x', 'y'], next: null });
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or a date, and ignores nonsense', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('retries at most 3 times, backing off, and not beyond the longest wait allowed', () => {
    expect([0, 1, 2, 3].map((k) => retryDelay(DEFAULT_RETRY, k, null))).toEqual([250, 500, 1000, null]);
    expect(retryDelay(DEFAULT_RETRY, 0, 4000)).toBe(4000);
    expect(retryDelay(DEFAULT_RETRY, 0, 60_000)).toBeNull();
  });
});

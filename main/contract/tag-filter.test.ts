import { describe, expect, it } from 'vitest';
import { compileTagFilter, TAG_FILTER_MAX, type TagFilter } from './tag-filter';

function filter(pattern: string): TagFilter {
  const compiled = compileTagFilter(pattern);
  if ('problem' in compiled) throw new Error(compiled.problem);
  return compiled;
}

describe('an import tag filter', () => {
  it('matches the whole tag name', () => {
    const f = filter('1\\.0|v[0-9]+');
    expect(['1.0', 'v1', 'v22'].map((t) => f.test(t))).toEqual([true, true, true]);
    expect(['1.0-rc', 'xv1', 'v', '1x0'].map((t) => f.test(t))).toEqual([false, false, false, false]);
  });

  it('answers at once for a pattern that stalls a backtracking engine', () => {
    // With RegExp, /^(?:(a+)+b)$/ on 127 a's and a c takes longer than the universe has left.
    const f = filter('(a+)+b');
    expect(f.test(`${'a'.repeat(127)}c`)).toBe(false);
    expect(f.test('aaab')).toBe(true);
  });

  it('refuses a pattern it cannot read, or a very long one, saying why', () => {
    expect(compileTagFilter('v(')).toEqual({ problem: expect.stringContaining('Not a regular expression') as unknown });
    // The error quotes the pattern as written, not the anchored form the filter matches with.
    expect(JSON.stringify(compileTagFilter('v('))).not.toContain('^(?:');
    expect(compileTagFilter('(?=v)v1')).toEqual({ problem: expect.stringContaining('no look-arounds') as unknown });
    expect(compileTagFilter('a'.repeat(TAG_FILTER_MAX + 1))).toEqual({
      problem: expect.stringContaining(String(TAG_FILTER_MAX)) as unknown,
    });
  });
});

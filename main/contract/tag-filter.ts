/**
 * An import's tag filter (docs/registries.md): a regular expression matched against the whole
 * tag name. Compiled with RE2 (re2js), which matches in time linear in the tag's length, so no
 * pattern can stall `serve` (or the window, which checks the same way as the user types) the way a
 * backtracking one like `(a+)+$` can with JavaScript's RegExp.
 */
import { RE2JS } from 're2js';

export interface TagFilter {
  test(tag: string): boolean;
}

export const TAG_FILTER_MAX = 1000;

/** The filter, or why the pattern is refused (a message for the `tags` field). */
export function compileTagFilter(pattern: string): TagFilter | { problem: string } {
  if (pattern.length > TAG_FILTER_MAX) return { problem: `Ensure this field has no more than ${TAG_FILTER_MAX} characters.` };
  try {
    // The pattern alone first, so an error quotes what the user wrote, not the anchored form.
    RE2JS.compile(pattern);
    const re = RE2JS.compile(`^(?:${pattern})$`);
    return { test: (tag) => re.test(tag) };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { problem: `Not a regular expression this filter reads (RE2 syntax: no look-arounds or back-references): ${detail}` };
  }
}

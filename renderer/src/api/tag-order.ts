/**
 * The Tags tab's filter and orders. Every order ends in a fixed tie-break (the tag name in code
 * point order, as the API orders ties), so tags pushed in the same millisecond always come out
 * the same way.
 */
import type { TagView } from '../../../main/contract/types';

export type TagSort = 'newest' | 'name' | 'version';

export const TAG_SORTS: { value: TagSort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'name', label: 'Name (A–Z)' },
  { value: 'version', label: 'Version (highest first)' },
];

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const collator = new Intl.Collator('en', { sensitivity: 'base' });

interface Version {
  core: number[];
  /** What follows the numbers ("rc1", "alpine"); empty for a plain release. */
  suffix: string;
}

const VERSION = /^[vV]?(\d+(?:\.\d+)*)(?:[-_.+]?(.*))?$/;

/** "v1.10.2-rc1" → {core: [1, 10, 2], suffix: "rc1"}; null for tags that are not versions ("latest"). */
export function parseVersion(tag: string): Version | null {
  const match = VERSION.exec(tag);
  if (!match?.[1]) return null;
  return { core: match[1].split('.').map(Number), suffix: match[2] ?? '' };
}

/** Highest version first; "1.10" above "1.9"; a plain release above its suffixed variants; non-versions last. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) {
    if (va) return -1;
    if (vb) return 1;
    return collator.compare(a, b) || byCodePoint(a, b);
  }
  const length = Math.max(va.core.length, vb.core.length);
  for (let i = 0; i < length; i += 1) {
    const diff = (vb.core[i] ?? 0) - (va.core[i] ?? 0);
    if (diff !== 0) return diff;
  }
  if (va.suffix !== vb.suffix) {
    if (va.suffix === '') return -1;
    if (vb.suffix === '') return 1;
    return collator.compare(va.suffix, vb.suffix) || byCodePoint(va.suffix, vb.suffix);
  }
  return byCodePoint(a, b);
}

const ORDERS: Record<TagSort, (a: TagView, b: TagView) => number> = {
  newest: (a, b) => byCodePoint(b.updated_at, a.updated_at) || byCodePoint(a.tag, b.tag),
  name: (a, b) => collator.compare(a.tag, b.tag) || byCodePoint(a.tag, b.tag),
  version: (a, b) => compareVersions(a.tag, b.tag),
};

/** Tags whose name contains the text (any case), or whose image id starts with it. */
export function filterTags(tags: readonly TagView[], text: string): TagView[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...tags];
  const id = needle.replace(/^sha256:/, '');
  return tags.filter((t) => t.tag.toLowerCase().includes(needle) || (id.length > 0 && t.image_id.startsWith(id)));
}

export function sortTags(tags: readonly TagView[], sort: TagSort): TagView[] {
  return [...tags].sort(ORDERS[sort]);
}

/**
 * Ids of repos (one per incarnation: a repo deleted and created again under the same name is
 * another repo) and of history entries: ULIDs in lower case, so they sort by time as text and
 * name files in the data folder like every other name there. Entry ids come from one monotonic
 * source per process: two entries made in the same millisecond still sort in the order they
 * were made, so newest-first lists across repos are a merge of sorted lists.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { encodeTime, monotonicFactory, ulid } from 'ulid';

/** 26 characters of Crockford's base32, lower case. */
export const ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{26}$/;

/** `<id>.json`: a history chunk's or a trash entry's file name. */
export function isIdFile(name: string | undefined): boolean {
  return name !== undefined && name.endsWith('.json') && ID_PATTERN.test(name.slice(0, -'.json'.length));
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The ids' random part, a byte at a time from a pool the system refills 4 KiB at once: the
 * library's own source asks the system once per character, sixteen times an id, which was a
 * measurable share of what a write costs (docs/benchmarks.md).
 */
const pool = Buffer.alloc(4096);
let drawn = pool.length;
function pooledRandom(): number {
  if (drawn === pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  return (pool[drawn++] as number) / 256;
}

const nextEntryUlid = monotonicFactory(pooledRandom);

function msOf(at: string): number {
  const ms = Date.parse(at);
  // A clock before 1970 (a test's, say) still gets an id; the monotonic source keeps the order.
  return Number.isFinite(ms) && ms > 0 ? ms : 1;
}

/** A history entry's id, its time part taken from the entry's time. */
export function newEntryId(at: string): string {
  return nextEntryUlid(msOf(at)).toLowerCase();
}

/** A new repo's id, its time part taken from its creation time. */
export function newRepoId(createdAt: string): string {
  return ulid(msOf(createdAt), pooledRandom).toLowerCase();
}

/**
 * The id of a repo written before repos had ids: derived from what identifies it, so every read
 * of the old file (until the next write stores the id) gives the same one.
 */
export function derivedRepoId(namespace: string, repoName: string, createdAt: string): string {
  const hash = createHash('sha256').update(`${namespace}/${repoName}/${createdAt}`).digest();
  let random = '';
  // 16 characters of 5 bits each: the first 80 bits of the hash.
  for (let i = 0; i < 16; i++) {
    const bit = i * 5;
    const word = ((hash[bit >> 3] ?? 0) << 8) | (hash[(bit >> 3) + 1] ?? 0);
    random += ALPHABET[(word >> (11 - (bit & 7))) & 31];
  }
  return (encodeTime(msOf(createdAt), 10) + random).toLowerCase();
}

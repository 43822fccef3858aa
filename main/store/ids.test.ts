/** Repo and history entry ids (./ids): valid, unique, and in the order they were made. */
import { describe, expect, it } from 'vitest';
import { ID_PATTERN, newEntryId, newRepoId } from './ids';

describe('ids', () => {
  it('gives every repo created in the same millisecond its own id, across many refills of the random pool', () => {
    const at = '2026-12-01T10:00:00.000Z';
    const ids = Array.from({ length: 2000 }, () => newRepoId(at));
    expect(ids.every((id) => ID_PATTERN.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // The time part is the creation time; the random part varies in every position.
    expect(new Set(ids.map((id) => id.slice(0, 10))).size).toBe(1);
    for (let position = 10; position < 26; position++) expect(new Set(ids.map((id) => id[position])).size).toBeGreaterThan(16);
  });

  it('orders history entries made in the same millisecond as they were made', () => {
    const at = '2026-12-01T10:00:00.000Z';
    const ids = Array.from({ length: 600 }, () => newEntryId(at));
    expect(ids.every((id) => ID_PATTERN.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

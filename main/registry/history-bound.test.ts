/**
 * History's bound (README, "History, undo and the trash"): at least the last 1,000 entries of
 * each repo are kept; older ones are dropped a whole chunk at a time, and no file grows with the
 * history: the repo file keeps a short tail, each sealed chunk is written once.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from '../../test/fixtures/store-temp';
import { HISTORY_KEEP, HISTORY_TAIL_ENTRIES } from '../store/history-tail';
import { TOKEN_HOLDER } from './service';

const hex = (n: number) => n.toString(16).padStart(64, '0');
const CHANGES = 1_100;

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

/** Tag pushes, 50 at a time (each its own durable write; group commit batches them). */
async function pushes(from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 50) {
    const batch = [];
    for (let n = start; n < Math.min(start + 50, to); n++) batch.push(h.registry.putTag('acme', 'web', `t${n % 7}`, hex(n + 1)));
    await Promise.all(batch);
  }
}

function filesUnder(dir: string): { name: string; size: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ name: e.name, size: statSync(join(e.parentPath, e.name)).size }));
}

describe('a repo with more than 1,000 changes', () => {
  it('keeps the last 1,000 or more, drops the oldest, and keeps every file small', { timeout: 60_000 }, async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    await pushes(0, CHANGES);
    await h.store.checkpoint();

    const first = await h.registry.listRepoHistory(TOKEN_HOLDER, 'acme', 'web', { page_size: 100 });
    expect(first.count).toBeGreaterThanOrEqual(HISTORY_KEEP);
    expect(first.count).toBeLessThan(HISTORY_KEEP + 2 * HISTORY_TAIL_ENTRIES);
    expect(first.results[0]).toMatchObject({ action: 'tag.move', tag: `t${(CHANGES - 1) % 7}`, after: hex(CHANGES) });

    // The oldest kept entries, in order, across chunk boundaries; the repo's creation is gone.
    const all = [];
    for (let page = 1; page <= first.num_pages; page++) {
      all.push(...(await h.registry.listRepoHistory(TOKEN_HOLDER, 'acme', 'web', { page, page_size: 100 })).results);
    }
    expect(all).toHaveLength(first.count);
    const ids = all.map((e) => e.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.some((e) => e.action === 'repo.create')).toBe(false);
    expect(all.map((e) => e.after)).toEqual(Array.from({ length: first.count }, (_, i) => hex(CHANGES - i)));

    // Files: the repo file holds a short tail; chunks are small, and only the kept ones are on disk.
    const record = h.store.loadedNamespace('acme')?.repos.get('web');
    expect(record?.history.length).toBeLessThanOrEqual(HISTORY_TAIL_ENTRIES);
    expect(statSync(join(h.dir, 'namespaces/acme/repos/web.json')).size).toBeLessThan(24 * 1024);
    const chunks = filesUnder(join(h.dir, 'history'));
    expect(chunks.map((c) => c.name).sort()).toEqual(record?.history_chunks.map((c) => `${c.first}.json`).sort());
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(HISTORY_KEEP / HISTORY_TAIL_ENTRIES) + 1);
    for (const chunk of chunks) expect(chunk.size).toBeLessThan(24 * 1024);

    // An entry deep in a chunk still restores its tag, after a restart too.
    await h.reopen();
    const deep = all.at(-3);
    const restored = await h.registry.restoreTag('acme', 'web', deep?.tag ?? '', deep?.id ?? '');
    expect(restored.tag.image_id).toBe(deep?.after);
    const now = await h.registry.listRepoHistory(TOKEN_HOLDER, 'acme', 'web', { page_size: 1 });
    expect(now.count).toBeGreaterThanOrEqual(HISTORY_KEEP);
    expect(now.results[0]).toMatchObject({ action: 'tag.restore', tag: deep?.tag, after: deep?.after });
  });
});

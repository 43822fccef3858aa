/**
 * History and the changes it describes survive a crash together (README, "History, undo and the
 * trash"): a child process changes repos as fast as it can (tags, edits, stars, deletions to the
 * trash, restores; enough changes per repo to seal history chunks) and is SIGKILLed at a random
 * moment. After a restart, for every repo, live or trashed, replaying its history gives exactly
 * its tags, push count, description and star; a repo is in the trash exactly when its history ends
 * with its deletion; every acknowledged change is in its history; and the history chunk files on
 * disk are exactly those the records name.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type HistoryRecord, type RepoRecord, type Store } from '../../main/store';
import { readJsonLines, spawnFixture, waitForExit, type Child } from '../fixtures/store-child';
import { makeTempDir, removeDir } from '../fixtures/store-temp';
import { seededRandom } from '../support/seed';

const ROUNDS = 3;

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A repo's whole history, oldest first. */
async function wholeHistory(store: Store, repo: RepoRecord): Promise<HistoryRecord[]> {
  const out: HistoryRecord[] = [];
  for (const chunk of repo.history_chunks) out.push(...(await store.readHistoryChunk(repo.id, chunk.first)));
  return [...out, ...repo.history];
}

/** What the history says the repo must hold now. */
function replay(entries: readonly HistoryRecord[]) {
  const tags = new Map<string, string>();
  let uploads = 0;
  let description = '';
  let starred = false;
  for (const e of entries) {
    if (e.tag !== undefined) {
      if (typeof e.after === 'string') {
        tags.set(e.tag, e.after);
        uploads++;
      } else tags.delete(e.tag);
    } else if (e.action === 'repo.star' || e.action === 'repo.unstar') starred = e.action === 'repo.star';
    else if (e.action === 'repo.update' || e.action === 'repo.create') {
      const after = e.after as { description?: string };
      if (after.description !== undefined) description = after.description;
    }
  }
  return { tags, uploads, description, starred };
}

let dir: string | undefined;
let child: Child | undefined;
afterEach(async () => {
  if (child) {
    child.kill('SIGKILL');
    await waitForExit(child);
  }
  if (dir) await removeDir(dir);
});

describe('a crash in the middle of changes', () => {
  it('never leaves a change without its history entry, nor an entry without its change', { timeout: 180_000 }, async () => {
    const random = seededRandom('history kill moments');
    dir = await makeTempDir('berth-history-crash-');
    /** "ns/repo" -> entries acknowledged. */
    const acked = new Map<string, number>();
    let checkedRepos = 0;
    let trashedRepos = 0;
    let chunkedRepos = 0;

    for (let round = 0; round < ROUNDS; round++) {
      // Past 300 acknowledgements every loop has finished a repo (about 48 changes: chunks sealed).
      // A loop's third repo goes to the trash for good at its ~141st change (about 850 in all): the
      // last round is killed past that, so every run checks trashed repos too.
      const killAfter = round === ROUNDS - 1 ? 1150 + random.int(110) : 360 + random.int(900);
      let acks = 0;
      let killed = false;
      const writer = spawnFixture('history-crash-writer.ts', [dir, String(round)]);
      child = writer;
      let stderr = '';
      writer.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      await readJsonLines(writer, (value) => {
        const line = value as { ready?: boolean; ns: string; repo: string; entries: number };
        if (line.ready) return;
        acked.set(`${line.ns}/${line.repo}`, line.entries);
        if (!killed && ++acks >= killAfter) {
          killed = true;
          setTimeout(() => writer.kill('SIGKILL'), random.int(5));
        }
      });
      await waitForExit(writer);
      child = undefined;
      expect(writer.signalCode, `writer died on its own: ${stderr}`).toBe('SIGKILL');

      for (const file of files(dir).filter((f) => f.endsWith('.json'))) {
        expect(statSync(file).size, file).toBeGreaterThan(0);
        expect(() => JSON.parse(readFileSync(file, 'utf8')) as unknown, file).not.toThrow();
      }

      const store = await openStore(dir);
      try {
        await store.loadAll();
        const live = new Map<string, RepoRecord>();
        for (const ns of store.namespaceNames())
          for (const repo of store.loadedNamespace(ns)?.repos.values() ?? []) live.set(`${ns}/${repo.repo_name}`, repo);
        const trashed = new Map<string, RepoRecord>();
        for (const t of store.trash().values()) trashed.set(`${t.namespace}/${t.repo.repo_name}`, t.repo);

        const referenced = new Set<string>();
        for (const [key, repo] of [...live, ...trashed]) {
          const entries = await wholeHistory(store, repo);
          const state = replay(entries);
          expect(new Map(repo.tags.map((t) => [t.tag, t.image_id])), `${key} tags`).toEqual(state.tags);
          expect(repo.upload, `${key} pushes`).toBe(state.uploads);
          expect(repo.description, `${key} description`).toBe(state.description);
          expect(repo.starred, `${key} star`).toBe(state.starred);
          expect(entries[0]?.action, `${key} first entry`).toBe('repo.create');
          expect(entries.at(-1)?.action === 'repo.delete', `${key} deleted`).toBe(trashed.has(key));
          const ackedEntries = acked.get(key) ?? 0;
          expect(entries.length, `${key} acknowledged entries`).toBeGreaterThanOrEqual(ackedEntries);
          expect(entries.length, `${key} entries in flight`).toBeLessThanOrEqual(ackedEntries + 1);
          for (const chunk of repo.history_chunks) referenced.add(`${repo.id}/${chunk.first}.json`);
          if (repo.history_chunks.length > 0) chunkedRepos++;
          checkedRepos++;
        }
        trashedRepos += trashed.size;
        for (const key of acked.keys()) expect(live.has(key) || trashed.has(key), `${key} exists`).toBe(true);
        await store.close();
        const onDisk = files(join(dir, 'history')).map((f) => f.slice(join(dir as string, 'history').length + 1));
        expect(onDisk.sort()).toEqual([...referenced].sort());
        expect(store.problems).toEqual([]);
      } finally {
        await store.close();
      }
    }
    expect(checkedRepos).toBeGreaterThan(0);
    expect(trashedRepos).toBeGreaterThan(0);
    expect(chunkedRepos).toBeGreaterThan(0);
  });
});

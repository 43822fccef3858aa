/**
 * Crash test (README, "Storage: what is guaranteed"): a child process writes in a burst and reports
 * each acknowledged write; it is SIGKILLed at a random moment. After a restart every acknowledged
 * write is present, every file parses, nothing was quarantined, and the temp files of the
 * interrupted writes are gone. Most acknowledged writes are still only in the journal when the kill
 * lands: open replays them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { TOKEN_HOLDER } from '../registry/service';
import { readJsonLines, spawnFixture, waitForExit, type Child } from '../../test/fixtures/store-child';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { seededRandom } from '../../test/support/seed';
import { openStore } from './index';

const ROUNDS = 5;

interface Ack {
  ready?: boolean;
  op?: 'repo' | 'tag' | 'untag';
  ns: string;
  repo: string;
  tag?: string;
  image_id?: string;
}

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsonFiles(path));
    else if (entry.name.endsWith('.json')) out.push(path);
  }
  return out;
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

describe('a crash in the middle of a burst of writes', () => {
  it('loses no acknowledged write and leaves every file whole', { timeout: 120_000 }, async () => {
    const random = seededRandom('kill moments');
    dir = await makeTempDir('berth-crash-');
    /** "ns/repo" -> tag -> image id, as acknowledged; a repo with no tags map is acked but tagless. */
    const acked = new Map<string, Map<string, string>>();
    /** The last acknowledged operation per repo: the one after it may or may not have landed. */
    const lastOp = new Map<string, string>();
    let totalAcks = 0;
    let replayed = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const killAfter = 30 + random.int(400);
      let acks = 0;
      let killed = false;
      const writer = spawnFixture('store-crash-writer.ts', [dir, String(round)]);
      child = writer;
      let stderr = '';
      writer.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = readJsonLines(writer, (value) => {
        const ack = value as Ack;
        if (ack.ready || !ack.op) return;
        const key = `${ack.ns}/${ack.repo}`;
        lastOp.set(key, `${ack.op}:${ack.tag ?? ''}`);
        if (ack.op === 'repo') acked.set(key, new Map());
        else if (ack.op === 'tag') acked.get(key)?.set(ack.tag as string, ack.image_id as string);
        else acked.get(key)?.delete(ack.tag as string);
        acks++;
        if (!killed && acks >= killAfter) {
          killed = true;
          // A little later still, so the kill also lands between acknowledgements.
          setTimeout(() => writer.kill('SIGKILL'), random.int(5));
        }
      });
      await done;
      await waitForExit(writer);
      child = undefined;
      expect(writer.signalCode, `writer died on its own: ${stderr}`).toBe('SIGKILL');
      totalAcks += acks;

      // Every file parses before anything touches the folder.
      for (const file of jsonFiles(join(dir, 'namespaces'))) {
        expect(statSync(file).size, file).toBeGreaterThan(0);
        expect(() => JSON.parse(readFileSync(file, 'utf8')) as unknown, file).not.toThrow();
      }

      const store = await openStore(dir);
      replayed += store.recovery.records;
      try {
        expect(store.problems).toEqual([]);
        expect(readdirSync(join(dir, 'journal'))).toEqual([]);
        expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
        const registry = createRegistry(store);
        for (const [key, tags] of acked) {
          const [ns, repo] = key.split('/') as [string, string];
          const stored = new Map((await registry.listTags(TOKEN_HOLDER, ns, repo)).map((t) => [t.tag, t.image_id]));
          // The writer deletes t1 right after pushing t3; that delete may have landed unacknowledged.
          const untagInFlight = lastOp.get(key) === 'tag:t3';
          for (const [tag, image] of tags) {
            if (tag === 't1' && untagInFlight && !stored.has('t1')) continue;
            expect(stored.get(tag), `${key}:${tag}`).toBe(image);
          }
          // An acknowledged delete of t1 stays deleted (t1 is never pushed again after it).
          if (!tags.has('t1') && tags.has('t2')) expect(stored.has('t1'), `${key}:t1`).toBe(false);
        }
        await store.whenLoaded();
        expect(store.problems).toEqual([]);
      } finally {
        await store.close();
      }
    }
    expect(totalAcks).toBeGreaterThanOrEqual(ROUNDS * 30);
    expect(replayed).toBeGreaterThan(0);
  });
});

/**
 * One writer per data folder across processes (README, "Storage"): another process is refused
 * while one holds the folder, and a holder killed with SIGKILL does not block the next start.
 * Even when two processes find a stale lock at the same moment: two racer processes are paused
 * right after each has read the same stale lock, then let go together or one after the other; in
 * every round exactly one holds the folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Random } from '../../bench/random';
import { firstJsonLine, spawnFixture, waitForExit, type Child } from '../../test/fixtures/store-child';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { TEST_SEED } from '../../test/support/seed';
import { openStore, type Store } from './index';

const ROUNDS = 50;
const SEED = TEST_SEED;

interface Message {
  round: number;
  paused?: boolean;
  held?: boolean;
  refused?: string;
  released?: boolean;
}

/** A racer process and the messages it has sent, awaited by round and kind. */
class Racer {
  private readonly inbox: Message[] = [];
  private readonly waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private stderr = '';

  constructor(readonly child: Child) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as Message;
      const i = this.waiters.findIndex((w) => w.match(message));
      if (i >= 0) this.waiters.splice(i, 1)[0]?.resolve(message);
      else this.inbox.push(message);
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  send(value: unknown): void {
    this.child.stdin.write(`${JSON.stringify(value)}\n`);
  }

  next(round: number, kind: 'paused' | 'result' | 'released'): Promise<Message> {
    const match = (m: Message) =>
      m.round === round && (kind === 'result' ? m.held !== undefined || m.refused !== undefined : m[kind] === true);
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as Message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`racer ${this.child.pid}: no ${kind} in round ${round}; stderr: ${this.stderr}`)),
        15_000,
      );
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
}

describe('a folder held by another process', () => {
  let dir: string;
  const opened: Store[] = [];
  const children: Child[] = [];
  const open = async (): Promise<Store> => {
    const store = await openStore(dir);
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await waitForExit(child);
    }
    for (const store of opened.splice(0)) await store.close();
    await removeDir(dir);
  });

  it('refuses another process while this one holds the folder, and the other way round', async () => {
    const store = await open();
    const child = spawnFixture('store-lock-holder.ts', [dir]);
    children.push(child);
    expect(await firstJsonLine(child)).toEqual({
      refused: expect.stringContaining(`is in use by another Berth process (pid ${process.pid})`) as unknown,
    });
    await store.close();

    const holder = spawnFixture('store-lock-holder.ts', [dir]);
    children.push(holder);
    expect(await firstJsonLine(holder)).toEqual({ opened: holder.pid });
    const err = await openStore(dir).then(
      () => null,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(err?.code).toBe('conflict');
    expect(err?.message).toContain(`pid ${holder.pid}`);

    // A holder killed with SIGKILL leaves its lock behind; it must not block the next start.
    holder.kill('SIGKILL');
    await waitForExit(holder);
    expect(existsSync(join(dir, 'berth.lock'))).toBe(true);
    await open();
  });
});

describe('a stale lock found by two processes at once', () => {
  let base: string;
  let racers: Racer[] = [];

  beforeAll(async () => {
    base = await makeTempDir('berth-lock-race-');
    racers = [new Racer(spawnFixture('lock-racer.ts', [])), new Racer(spawnFixture('lock-racer.ts', []))];
  });

  afterAll(async () => {
    for (const racer of racers) {
      racer.child.stdin.end();
      racer.child.kill('SIGKILL');
      await waitForExit(racer.child);
    }
    await removeDir(base);
  });

  it(`is taken over by exactly one of them, ${ROUNDS} rounds in forced orders`, { timeout: 120_000 }, async () => {
    const random = new Random(SEED);
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    const [a, b] = racers as [Racer, Racer];
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(base, `round-${round}`);
      await mkdir(join(dir, 'tmp'), { recursive: true });
      await writeFile(
        join(dir, 'berth.lock'),
        `${JSON.stringify({ pid: dead, hostname: 'gone', started_at: '2020-01-01T00:00:00.000Z', proc_start: null })}\n`,
      );
      for (const r of racers) r.send({ round, dir });
      await Promise.all(racers.map((r) => r.next(round, 'paused')));

      // Both have read the stale lock: let them act together, or one wholly before the other.
      const order = (['together', 'a-first', 'b-first'] as const)[random.int(3)];
      const results: { racer: Racer; message: Message }[] = [];
      const outcome = async (r: Racer) => results.push({ racer: r, message: await r.next(round, 'result') });
      if (order === 'together') {
        for (const r of racers) r.send({ go: round });
        await Promise.all(racers.map(outcome));
      } else {
        const [first, second] = order === 'a-first' ? [a, b] : [b, a];
        first.send({ go: round });
        await outcome(first);
        second.send({ go: round });
        await outcome(second);
      }
      const context = `round ${round}, ${order} (seed ${SEED}; rerun with BERTH_TEST_SEED=${SEED})`;
      const holders = results.filter((r) => r.message.held);
      expect(holders.length, `${context}: ${JSON.stringify(results.map((r) => r.message))}`).toBe(1);
      expect(results.find((r) => r.message.refused)?.message.refused, context).toMatch(/is in use by another Berth process/);
      // The lock on disk is the holder's own.
      const onDisk = JSON.parse(await readFile(join(dir, 'berth.lock'), 'utf8')) as { pid: number };
      expect(onDisk.pid, context).toBe(holders[0]?.racer.child.pid);

      for (const r of racers) r.send({ release: round });
      await Promise.all(racers.map((r) => r.next(round, 'released')));
    }
  });
});

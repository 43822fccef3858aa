/**
 * No acknowledged write is lost on a full disk (README, "Storage"), on a real tiny tmpfs under a
 * real `serve`: the disk is filled, one 4 KiB page is given back, writes of several sizes follow
 * (one too big for the page is cut midway by the disk), space comes back, more writes, then
 * SIGKILL and a restart; and again with a clean SIGTERM stop while the disk is full. After each
 * restart every acknowledged write is there, and every refused one was a 507 naming the cause and
 * left no trace.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeChild } from '../../bench/serve-child';
import { ApiClient, type Answer } from '../property/api-client';
import { fillDisk, freePages, MOUNT_SKIP_REASON, MOUNTABLE, mountTmpfs, type Tmpfs } from './tmpfs';

const TOKEN = 'full-disk-token-5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d';
const FULL = /the disk is full \(ENOSPC\)/;
const IMAGE = (c: string) => c.repeat(64);
const text = (n: number, seed: string) => Array.from({ length: n }, (_, i) => seed[i % seed.length]).join('');

/** What the test was told: the state a reader must find after any restart. */
class Ledger {
  /** repo -> fields acknowledged last (description, full_description). */
  readonly repos = new Map<string, { full_description: string }>();
  /** Repos whose creation was refused: they must not exist. */
  readonly refused = new Set<string>();
  /** tag -> image id, for repo "app". */
  readonly tags = new Map<string, string>();

  constructor(private api: ApiClient) {}

  use(api: ApiClient): void {
    this.api = api;
  }

  private refusedAnswer(answer: Answer, what: string): void {
    expect(answer.status, `${what}: ${answer.text}`).toBe(507);
    expect(answer.body, what).toMatchObject({ code: 'storage_error', detail: expect.stringMatching(FULL) as unknown });
  }

  /** Creates a repo; `expected` says what the disk's state forces, or 'either' where it may go both ways. */
  async create(name: string, fullLength: number, expected: 'acknowledged' | 'refused' | 'either'): Promise<void> {
    const full_description = text(fullLength, name);
    const answer = await this.api.request('POST', '/v1/repositories/keep/', {
      body: { repo_name: name, full_description },
      allow5xx: [507],
    });
    if (answer.status === 201) {
      expect(expected, `create ${name} was acknowledged`).not.toBe('refused');
      this.repos.set(name, { full_description });
    } else {
      expect(expected, `create ${name}: ${answer.text}`).not.toBe('acknowledged');
      this.refusedAnswer(answer, `create ${name}`);
      this.refused.add(name);
    }
  }

  async update(name: string, fullLength: number, expected: 'acknowledged' | 'refused'): Promise<void> {
    const full_description = text(fullLength, `${name}-updated`);
    const answer = await this.api.request('PUT', `/v1/repositories/keep/${name}`, { body: { full_description }, allow5xx: [507] });
    if (expected === 'acknowledged') {
      expect(answer.status, `update ${name}: ${answer.text}`).toBe(200);
      this.repos.set(name, { full_description });
    } else this.refusedAnswer(answer, `update ${name}`);
  }

  async pushTag(tag: string, image: string, expected: 'acknowledged' | 'refused'): Promise<void> {
    const answer = await this.api.request('PUT', `/v1/repositories/keep/app/tags/${tag}`, { body: { image_id: image }, allow5xx: [507] });
    if (expected === 'acknowledged') {
      expect(answer.status, `push ${tag}: ${answer.text}`).toBe(201);
      this.tags.set(tag, image);
    } else this.refusedAnswer(answer, `push ${tag}`);
  }

  /** Every acknowledged write is there; every refused one is not. */
  async check(context: string): Promise<void> {
    for (const [name, fields] of this.repos) {
      const detail = await this.api.get(`/v1/repositories/keep/${name}`);
      expect(detail.status, `${context}: acknowledged repo ${name}`).toBe(200);
      expect((detail.body as { full_description: string }).full_description, `${context}: ${name}'s full description`).toBe(
        fields.full_description,
      );
    }
    for (const name of this.refused) {
      expect((await this.api.get(`/v1/repositories/keep/${name}`)).status, `${context}: refused repo ${name}`).toBe(404);
    }
    const tags = (await this.api.get('/v1/repositories/keep/app/tags')).body as { tag: string; image_id: string }[];
    expect(new Map(tags.map((t) => [t.tag, t.image_id])), `${context}: tags`).toEqual(this.tags);
  }
}

describe.skipIf(!MOUNTABLE)(`serve on a full tmpfs${MOUNT_SKIP_REASON ? ` (skipped: ${MOUNT_SKIP_REASON})` : ''}`, () => {
  let disk: Tmpfs | undefined;
  let serve: ServeChild | undefined;

  afterEach(async () => {
    await serve?.stop('SIGKILL');
    serve = undefined;
    await disk?.cleanup();
    disk = undefined;
  });

  /** Until the server has written every acknowledged change to its file (its journal is empty). */
  async function settled(dataDir: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await readdir(path.join(dataDir, 'journal'))).length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the journal was never emptied');
  }

  it('loses no acknowledged write: short appends, SIGKILL, and a clean stop on a full disk', { timeout: 90_000 }, async () => {
    disk = await mountTmpfs(320);
    const dataDir = path.join(disk.mnt, 'data');
    const filler = path.join(disk.mnt, 'filler');
    serve = await startServe({ dataDir, token: TOKEN });
    const ledger = new Ledger(new ApiClient(serve.url, TOKEN));
    const restart = async (signal: 'SIGKILL' | 'SIGTERM') => {
      const stopped = await serve?.stop(signal);
      const output = serve?.output() ?? '';
      serve = await startServe({ dataDir, token: TOKEN });
      ledger.use(new ApiClient(serve.url, TOKEN));
      return { stopped, output };
    };

    await ledger.create('app', 10, 'acknowledged');
    await ledger.pushTag('v1', IMAGE('1'), 'acknowledged');
    await settled(dataDir);

    // Full, then one page back: a record larger than the page is cut by the disk midway.
    fillDisk(filler);
    freePages(filler, 1);
    await ledger.create('big-on-one-page', 6000, 'refused');
    // The cut-off part was taken back: a small record fits the page, and then nothing does.
    await ledger.create('small-on-one-page', 10, 'acknowledged');
    await ledger.create('small-on-full-disk', 10, 'refused');
    await ledger.pushTag('v2', IMAGE('2'), 'refused');
    await ledger.check('on the full disk');

    // Space again: writes of several sizes, then a crash before any checkpoint can be trusted.
    await rm(filler);
    await ledger.create('after-small', 10, 'acknowledged');
    await ledger.create('after-large', 20_000, 'acknowledged');
    await ledger.pushTag('v3', IMAGE('3'), 'acknowledged');
    await ledger.update('app', 5000, 'acknowledged');
    await restart('SIGKILL');
    await ledger.check('after SIGKILL and a restart');

    // A clean stop on a full disk: a 20 KB update acknowledged with room for its journal record
    // but not for its file (the checkpoint, at close too, is cut short by the disk). The record
    // takes 20 pages: the repo file, its history entry with the old and new text, and the chunk
    // that seals the creation's entry.
    await settled(dataDir);
    fillDisk(filler);
    freePages(filler, 20 + 2);
    await ledger.update('after-large', 20_000, 'acknowledged');
    await ledger.create('before-stop', 10, 'acknowledged');
    await ledger.create('too-late', 9000, 'refused');
    const { stopped, output } = await restart('SIGTERM').catch(async (err: unknown) => {
      // A full disk may refuse the start itself (it must write to replay): say so, then free space.
      expect(String(err)).toMatch(FULL);
      await rm(filler);
      return restart('SIGTERM');
    });
    expect(stopped, output).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/safe in the journal \(read back and checked\)/);
    expect(output).not.toMatch(/may be lost/);
    await ledger.check('after a clean stop on a full disk');
    await rm(filler, { force: true });
    await restart('SIGTERM');
    await ledger.check('after one more restart');
  });
});

/**
 * SIGKILL of `serve` in the middle of concurrent writes over HTTP (README, "Storage: what is
 * guaranteed"): every write the server acknowledged is there after a restart, and every JSON file
 * in the data folder parses.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeChild } from '../../bench/serve-child';
import { ApiClient } from '../property/api-client';
import { seededRandom } from '../support/seed';

const TOKEN = 'crash-token-3c9d2e1f0a9b8c7d6e5f4a3b2c1d0e9f';
const CLIENTS = 6;
const ROUNDS = 3;

interface Acked {
  repos: Set<string>;
  /** "repo:tag" -> image id */
  tags: Map<string, string>;
}

async function walkJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walkJson(full)));
    else out.push(full);
  }
  return out;
}

const hex = (n: number): string => n.toString(16).padStart(64, '0');

/** One client: creates repos and pushes tags onto them until the server goes away. */
async function writer(api: ApiClient, client: number, round: number, acked: Acked, stop: { now: boolean }): Promise<void> {
  const mine: string[] = [];
  for (let k = 0; !stop.now && k < 10_000; k++) {
    try {
      if (mine.length === 0 || k % 3 === 0) {
        const name = `c${client}-r${round}-${k}`;
        const a = await api.request('POST', '/v1/repositories/crash/', { body: { repo_name: name } });
        expect(a.status, a.text).toBe(201);
        acked.repos.add(name);
        mine.push(name);
      } else {
        const repo = mine[k % mine.length] as string;
        const tag = `t${round}-${k}`;
        const imageId = hex(client * 1_000_000 + round * 10_000 + k);
        const a = await api.request('PUT', `/v1/repositories/crash/${repo}/tags/${tag}`, { body: { image_id: imageId } });
        expect(a.status, a.text).toBe(201);
        acked.tags.set(`${repo}:${tag}`, imageId);
      }
    } catch (err) {
      // The kill cuts requests off mid-flight (fetch rejects with a TypeError); those were never
      // acknowledged. A wrong status or a 5xx is a failure.
      if (err instanceof TypeError) return;
      throw err;
    }
  }
}

describe('a crash during concurrent writes', () => {
  let serve: ServeChild | undefined;
  let work: string | undefined;
  afterEach(async () => {
    await serve?.stop('SIGKILL');
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and leaves only files that parse', { timeout: 120_000 }, async () => {
    const random = seededRandom('kill moments');
    work = await mkdtemp(path.join(tmpdir(), 'berth-crash-'));
    const dataDir = path.join(work, 'data');
    const acked: Acked = { repos: new Set(), tags: new Map() };

    for (let round = 0; round < ROUNDS; round++) {
      serve = await startServe({ dataDir, token: TOKEN });
      const api = new ApiClient(serve.url, TOKEN);
      const stop = { now: false };
      const clients = Array.from({ length: CLIENTS }, (_, client) => writer(api, client, round, acked, stop));
      // Kill at a random moment once writes are flowing.
      const before = acked.repos.size + acked.tags.size;
      const deadline = Date.now() + 10_000;
      while (acked.repos.size + acked.tags.size < before + 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50 + random.int(400)));
      const result = await serve.stop('SIGKILL');
      stop.now = true;
      expect(result.signal).toBe('SIGKILL');
      await Promise.all(clients);
      expect(acked.repos.size + acked.tags.size, 'writes were acknowledged before the kill').toBeGreaterThan(before);
      serve = undefined;
    }

    serve = await startServe({ dataDir, token: TOKEN });
    const api = new ApiClient(serve.url, TOKEN);
    const listed = await api.listAll<{ repo_name: string }>('/v1/repositories/crash/?page_size=100');
    const names = new Set(listed.map((r) => r.repo_name));
    const missingRepos = [...acked.repos].filter((name) => !names.has(name));
    expect(missingRepos, 'acknowledged repos missing after the crash').toEqual([]);
    const missingTags: string[] = [];
    for (const repo of acked.repos) {
      const a = await api.get(`/v1/repositories/crash/${repo}/tags`);
      expect(a.status).toBe(200);
      const stored = new Map((a.body as { tag: string; image_id: string }[]).map((t) => [t.tag, t.image_id]));
      for (const [key, imageId] of acked.tags) {
        const [owner, tag] = key.split(':') as [string, string];
        if (owner === repo && stored.get(tag) !== imageId) missingTags.push(key);
      }
    }
    expect(missingTags, 'acknowledged tags missing after the crash').toEqual([]);

    const files = await walkJson(dataDir);
    const unparsable: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.json'))) {
      try {
        JSON.parse(await readFile(file, 'utf8'));
      } catch {
        unparsable.push(path.relative(dataDir, file));
      }
    }
    expect(unparsable).toEqual([]);
    // Temp files of the writes the kill interrupted are cleaned up at start, never loaded.
    expect(files.filter((f) => f.endsWith('.tmp')).map((f) => path.relative(dataDir, f))).toEqual([]);
    expect(
      files.some((f) => f.startsWith(path.join(dataDir, 'quarantine'))),
      'nothing was moved aside as corrupt',
    ).toBe(false);
  });
});

/**
 * Memory a client can make the server hold is bounded (README, "Security"): junk query
 * parameters never make cache entries, a body nested thousands of levels deep is a plain 400
 * (no stack overflow, no stack trace), idle keep-alive connections are closed after 5 s, and
 * connections are capped.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { residentBytes, startServe, type ServeChild } from '../../bench/serve-child';
import { buildApi } from '../../main/http/app';
import { createRegistry } from '../../main/registry/index';
import { openStore, type Store } from '../../main/store/index';
import { newRepoRecord, writeCatalogue } from '../support/catalogue';

const TOKEN = 'memory-token-1f2e3d4c5b6a79880716253443526170';
const MiB = 1024 * 1024;

async function get(base: string, route: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${route}`, { agent, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a serve process under junk queries and hostile bodies', () => {
  let work: string;
  let serve: ServeChild;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'berth-client-memory-'));
    const dataDir = path.join(work, 'data');
    // A page of 100 repos is about 250 KB (lists carry full descriptions): a cache that kept one
    // per distinct URL would fill its 128 MiB with a few hundred junk queries.
    const full_description = 'Markdown, as a real repo has it. '.repeat(60);
    await writeCatalogue(dataDir, [
      { namespace: 'junk', repos: Array.from({ length: 100 }, (_, i) => newRepoRecord(`repo-${i}`, { full_description })) },
    ]);
    serve = await startServe({ dataDir, token: TOKEN });
  });

  afterAll(async () => {
    await serve?.stop('SIGTERM');
    await rm(work, { recursive: true, force: true });
  });

  it('keeps its memory bounded while clients send thousands of reads with unknown query parameters', { timeout: 60_000 }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const round = async (count: number, route: (i: number) => string) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < count) {
              const i = next++;
              expect(await get(serve.url, route(i), agent)).toBe(200);
            }
          }),
        );
      };
      // Warm up: the canonical answers cached, the heap grown to its working size.
      await round(400, (i) => (i % 2 ? '/v1/repositories/junk/?page_size=100' : `/v1/repositories/junk/repo-${i % 100}`));
      const before = (await residentBytes(serve.pid)).rss;
      await round(2000, (i) =>
        i % 2 ? `/v1/repositories/junk/?page_size=100&junk=${i}` : `/v1/repositories/junk/repo-${i % 100}?junk=${i}`,
      );
      const after = (await residentBytes(serve.pid)).rss;
      // Before this was fixed each junk URL kept its own copy of the page: well over 100 MiB here.
      expect((after - before) / MiB, `RSS ${Math.round(before / MiB)} MiB -> ${Math.round(after / MiB)} MiB`).toBeLessThan(40);
    } finally {
      agent.destroy();
    }
  });

  it('answers a body nested thousands of levels deep with a 400, and writes no stack trace', async () => {
    const deep = (levels: number) => `{"repo_name":"deep","description":${'{"constructor":'.repeat(levels - 1)}1${'}'.repeat(levels - 1)}}`;
    const post = async (body: string) => {
      const res = await fetch(`${serve.url}/v1/repositories/junk/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      return { status: res.status, body: (await res.json()) as { code: string; detail: string } };
    };
    for (const levels of [65, 10_000, 50_000]) {
      const answer = await post(deep(levels));
      expect(answer.status, `${levels} levels`).toBe(400);
      expect(answer.body, `${levels} levels`).toMatchObject({
        code: 'validation_error',
        detail: 'The JSON body is nested more than 64 levels deep.',
      });
    }
    // 64 levels are accepted as JSON, and judged by the fields' own rules.
    const shallow = await post(deep(64));
    expect(shallow.status).toBe(400);
    expect(shallow.body.detail).not.toMatch(/nested/);
    expect(serve.output()).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);
  });
});

describe('connections', () => {
  let store: Store;
  let app: FastifyInstance;
  let work: string;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'berth-connections-'));
    store = await openStore(path.join(work, 'data'));
    app = await buildApi({
      registry: createRegistry(store),
      version: 'test',
      host: '127.0.0.1',
      token: () => TOKEN,
      anonymousReads: true,
      allowedOrigins: [],
      maxConnections: 3,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });

  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Opens a connection, sends one keep-alive ping, and resolves once its answer is in. */
  function pinged(): Promise<{ socket: Socket; closed: Promise<number> }> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      sockets.push(socket);
      let data = '';
      const closed = new Promise<number>((r) => socket.once('close', () => r(performance.now())));
      socket.on('error', () => undefined);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        data += chunk;
        if (data.includes('"ok":true')) resolve({ socket, closed });
      });
      void closed.then(() => reject(new Error(`closed before answering: ${JSON.stringify(data)}`)));
      socket.write(`GET /v1/_ping HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
    });
  }

  it('closes an idle keep-alive connection after 5 seconds', { timeout: 20_000 }, async () => {
    const { closed } = await pinged();
    const answered = performance.now();
    const elapsed = (await closed) - answered;
    expect(elapsed).toBeGreaterThan(4_000);
    expect(elapsed).toBeLessThan(12_000);
  });

  it('caps the connections open at once, and takes new ones as others close', async () => {
    const open = await Promise.all([pinged(), pinged(), pinged()]);
    await expect(pinged()).rejects.toThrow(/closed before answering/);
    open[0]?.socket.destroy();
    await open[0]?.closed;
    await expect(pinged()).resolves.toMatchObject({ socket: expect.anything() as unknown });
  });
});

/**
 * Slowloris (README, Local API: a request not received whole within 10 s is a 408): clients that
 * send their headers a few bytes per second are cut off (408, connection closed) once the request
 * has not arrived whole within the server's 10 s, while other clients are served normally the whole
 * time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeChild } from '../../bench/serve-child';
import { ApiClient } from '../property/api-client';

const TOKEN = 'slow-token-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d';
const SLOW_CLIENTS = 5;
/** The 10 s request timeout, plus room for a loaded CI machine: past this the server is not cutting off. */
const GIVE_UP_MS = 25_000;

interface SlowResult {
  /** What the server sent before closing (the 408 response, or nothing). */
  received: string;
  closedAfterMs: number;
  bytesSent: number;
}

/** Opens a connection and dribbles an endless header, one byte every 200 ms, until closed. */
function slowClient(port: number): Promise<SlowResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    let bytesSent = 0;
    const prefix = `GET /v1/_ping HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a slow client for ${GIVE_UP_MS} ms (${bytesSent} bytes sent)`));
    }, GIVE_UP_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('connect', () => {
      socket.write(prefix.slice(0, 10));
      bytesSent = 10;
      let i = 10;
      timer = setInterval(() => {
        if (socket.destroyed || socket.writableEnded) return;
        socket.write(i < prefix.length ? (prefix[i] as string) : 'a');
        i += 1;
        bytesSent += 1;
      }, 200);
    });
    socket.on('error', () => undefined); // a reset after the 408 is fine: what matters is the close
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: Date.now() - started, bytesSent });
    });
  });
}

describe('clients that send their request slowly', () => {
  let work: string;
  let serve: ServeChild;
  let api: ApiClient;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'berth-slow-'));
    serve = await startServe({ dataDir: path.join(work, 'data'), token: TOKEN });
    api = new ApiClient(serve.url, TOKEN);
    expect((await api.request('POST', '/v1/repositories/busy/', { body: { repo_name: 'app' } })).status).toBe(201);
  });

  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await rm(work, { recursive: true, force: true });
  });

  it('are cut off with a 408 while everyone else is served', { timeout: 60_000 }, async () => {
    const slow = Array.from({ length: SLOW_CLIENTS }, () => slowClient(serve.port));
    let settled = false;
    const allSlow = Promise.all(slow).finally(() => {
      settled = true;
    });

    // Meanwhile, ordinary clients keep working: reads and writes, each answered.
    let served = 0;
    for (let i = 0; !settled && i < 200; i++) {
      const read = await api.get('/v1/repositories/busy/app', { signal: AbortSignal.timeout(5_000) });
      expect(read.status).toBe(200);
      const write = await api.request('PUT', `/v1/repositories/busy/app/tags/t${i}`, {
        body: { image_id: 'c'.repeat(64) },
        signal: AbortSignal.timeout(5_000),
      });
      expect(write.status, write.text).toBe(201);
      served += 2;
      await new Promise((r) => setTimeout(r, 250));
    }

    const results = await allSlow;
    expect(served, 'ordinary requests answered while the slow clients dribbled').toBeGreaterThan(10);
    for (const result of results) {
      // Still sending when cut off: the server closed on them, not the other way round.
      expect(result.bytesSent).toBeGreaterThan(20);
      if (result.received !== '') {
        expect(result.received).toMatch(/^HTTP\/1\.1 408 /);
        const body = JSON.parse(result.received.slice(result.received.indexOf('\r\n\r\n') + 4)) as { code: string };
        expect(body.code).toBe('request_timeout');
      }
    }
    // The cut-off is a 408 (a reset may swallow it for one client, not for all).
    expect(results.filter((r) => r.received.startsWith('HTTP/1.1 408 ')).length).toBeGreaterThan(0);
    // The server is still healthy afterwards.
    expect((await api.get('/v1/_ping')).status).toBe(200);
  });
});

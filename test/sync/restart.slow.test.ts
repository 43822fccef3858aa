/**
 * A `serve` killed (SIGKILL) in the middle of an import: after the restart its unfinished jobs
 * read `failed` with detail `interrupted`, and nothing runs them again. The registry here accepts
 * connections and never answers, so the jobs are certainly unfinished when the process dies.
 */
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../main/contract/types';
import { call, startServe, tempDir, type ServeProcess } from '../http/serve-process';
import { eventually } from './support';

const TOKEN = 'restart-test-token-0123456789abcdef';
let dir: Awaited<ReturnType<typeof tempDir>>;
let serve: ServeProcess | undefined;
const sockets = new Set<Socket>();
const silent = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

const v1 = (method: string, path: string, body?: unknown) =>
  call(serve!.url, method, path, { token: TOKEN, ...(body === undefined ? {} : { body }) });

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  dir = await tempDir('berth-restart-');
});

afterAll(async () => {
  await serve?.stop('SIGKILL');
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await dir?.cleanup();
});

describe('a restart in the middle of an import', () => {
  it('leaves every unfinished job failed with detail interrupted', async () => {
    const env = { BERTH_TOKEN: TOKEN };
    serve = await startServe(['--data-dir', dir.path, '--port', '0'], env);
    const port = (silent.address() as { port: number }).port;
    expect((await v1('POST', '/v1/registries/?verify=false', { name: 'stuck', url: `http://127.0.0.1:${port}` })).status).toBe(201);
    // Two jobs run at once: the third waits in the queue.
    const jobs: JobView[] = [];
    for (const path of ['team/aa', 'team/bb', 'team/cc']) {
      const answer = await v1('POST', '/v1/registries/stuck/imports', { repositories: [path] });
      expect(answer.status).toBe(202);
      jobs.push(answer.body as JobView);
    }
    await eventually(async () => {
      const states = await Promise.all(jobs.map(async (j) => ((await v1('GET', `/v1/jobs/${j.id}`)).body as JobView).state));
      const views = await Promise.all(jobs.map(async (j) => (await v1('GET', `/v1/jobs/${j.id}`)).body as JobView));
      expect(states, JSON.stringify(views)).toEqual(['running', 'running', 'queued']);
    });
    await serve.stop('SIGKILL');

    serve = await startServe(['--data-dir', dir.path, '--port', '0'], env);
    const list = (await v1('GET', '/v1/jobs/')).body as { count: number; results: JobView[] };
    expect(list.count).toBe(3);
    for (const job of list.results) {
      expect(job).toMatchObject({ kind: 'import', registry: 'stuck', state: 'failed', detail: 'interrupted' });
      expect(job.finished_at).toEqual(expect.any(String));
    }
    expect(list.results.map((j) => j.id)).toEqual(jobs.map((j) => j.id).reverse());
  }, 60_000);
});

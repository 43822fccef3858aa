/** Shared by the link, import, sync and event tests: a backend, a token, and polling for jobs and changes. */
import { expect } from 'vitest';
import type { JobView } from '../../main/contract/types';
import { call } from '../http/serve-process';

export type Caller = (method: string, path: string, body?: unknown) => ReturnType<typeof call>;

export function caller(api: () => string, token: () => string): Caller {
  return (method, path, body) => call(api(), method, path, { token: token(), ...(body === undefined ? {} : { body }) });
}

/** Polls until `check` passes (or throws its last failure after `withinMs`). */
export async function eventually<T>(check: () => Promise<T>, withinMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** The job once it has finished. */
export async function finished(v1: Caller, job: JobView, withinMs = 30_000): Promise<JobView> {
  return eventually(async () => {
    const answer = await v1('GET', `/v1/jobs/${job.id}`);
    expect(answer.status).toBe(200);
    const view = answer.body as JobView;
    expect(FINAL.has(view.state), `job ${job.id} is ${view.state}`).toBe(true);
    return view;
  }, withinMs);
}

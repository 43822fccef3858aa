/** The few /v1 calls the registry benchmark makes, as a local tool would (the token, JSON). */
export interface JobView {
  id: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { done: number; total: number };
  detail: string | null;
  errors: { item: string; detail: string }[];
}

export class BerthApi {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async call(method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
    const res = await fetch(this.url + route, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: the text says what it is
    }
    return { status: res.status, json, text };
  }

  /** The call's JSON, or an error quoting Berth's answer when the status is not one expected. */
  async expect<T>(method: string, route: string, statuses: number[], body?: unknown): Promise<T> {
    const answer = await this.call(method, route, body);
    if (!statuses.includes(answer.status)) throw new Error(`${method} ${route} answered ${answer.status}: ${answer.text.slice(0, 400)}`);
    return answer.json as T;
  }

  /** Starts an import of every repository of `registry` and waits for its job to finish; answers the job and the wall time. */
  async importAll(registry: string, deadline: number, pollMs = 50): Promise<{ job: JobView; ms: number }> {
    const started = performance.now();
    const created = await this.expect<JobView>('POST', `/v1/registries/${registry}/imports`, [202], { repositories: '*' });
    const job = await this.waitForJob(created.id, deadline, pollMs);
    return { job, ms: performance.now() - started };
  }

  async waitForJob(id: string, deadline: number, pollMs: number): Promise<JobView> {
    for (;;) {
      const job = await this.expect<JobView>('GET', `/v1/jobs/${id}`, [200]);
      if (job.state !== 'queued' && job.state !== 'running') return job;
      if (performance.now() > deadline)
        throw new Error(`job ${id} still ${job.state} (${job.progress.done}/${job.progress.total}) when the benchmark ran out of time`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

/** One autocannon run, reduced to the figures the targets talk about (docs/benchmarks.md). */
import autocannon, { type RequestSpec } from 'autocannon';

export interface LoadSpec {
  title: string;
  url: string;
  connections: number;
  durationSec: number;
  headers?: Record<string, string>;
  /** Builds each request in turn (method, path, body); called once per request sent. */
  next: () => { method: string; path: string; body?: string };
}

export interface LoadFigures {
  title: string;
  requests: number;
  /** Successful (2xx) responses per second over the whole run. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

export async function runLoad(spec: LoadSpec): Promise<LoadFigures> {
  const request: RequestSpec = {
    setupRequest: (raw) => {
      const next = spec.next();
      return { ...raw, method: next.method, path: next.path, ...(next.body === undefined ? {} : { body: next.body }) };
    },
  };
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSec,
    timeout: 10,
    headers: spec.headers ?? {},
    requests: [request],
    title: spec.title,
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(stat.count);
  return {
    title: spec.title,
    requests: result.requests.total,
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
  };
}

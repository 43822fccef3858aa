/**
 * What docker-registry's notification queue to Berth holds, from Distribution's debug endpoint
 * (`/debug/vars`, `registry.notifications.endpoints[].Metrics`): the benchmark waits for it to
 * drain between phases, so one phase's events are not delivered during the next one's timing.
 */
export interface QueueMetrics {
  /** Events queued, not yet delivered. */
  pending: number;
  /** Events the registry made (push and pull of manifests and blobs, deletes). */
  events: number;
  successes: number;
  failures: number;
  errors: number;
  statuses: Record<string, number>;
}

interface DebugVars {
  registry?: {
    notifications?: {
      endpoints?: {
        Metrics?: {
          Pending?: number;
          Events?: number;
          Successes?: number;
          Failures?: number;
          Errors?: number;
          Statuses?: Record<string, number>;
        };
      }[];
    };
  };
}

export async function queueMetrics(debugUrl: string): Promise<QueueMetrics> {
  const res = await fetch(`${debugUrl}/debug/vars`);
  if (res.status !== 200) throw new Error(`docker-registry's /debug/vars answered ${res.status}`);
  const metrics = ((await res.json()) as DebugVars).registry?.notifications?.endpoints?.[0]?.Metrics;
  if (!metrics) throw new Error("docker-registry's /debug/vars shows no notification endpoint: is the events YAML in its config?");
  return {
    pending: metrics.Pending ?? 0,
    events: metrics.Events ?? 0,
    successes: metrics.Successes ?? 0,
    failures: metrics.Failures ?? 0,
    errors: metrics.Errors ?? 0,
    statuses: metrics.Statuses ?? {},
  };
}

/** Polls until nothing is pending; answers how long that took. Throws after `timeoutMs`. */
export async function waitForDrain(debugUrl: string, timeoutMs: number): Promise<{ ms: number; metrics: QueueMetrics }> {
  const started = performance.now();
  for (;;) {
    const metrics = await queueMetrics(debugUrl);
    if (metrics.pending === 0) return { ms: performance.now() - started, metrics };
    if (performance.now() - started > timeoutMs) {
      throw new Error(`docker-registry still had ${metrics.pending} events to deliver to Berth after ${(timeoutMs / 1000).toFixed(0)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

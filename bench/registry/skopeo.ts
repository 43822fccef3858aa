/**
 * The peer: Debian's `skopeo inspect` (manifest and config of one tag, what an import reads per
 * tag) run per tag on a sample, at the import's concurrency.
 */
import { execFile } from 'node:child_process';
import pLimit from 'p-limit';
import { requireTool } from '../../test/registries/rig/tools';

export interface SkopeoRun {
  ms: number;
  tags: number;
  perTagMs: number;
}

const PER_CALL_TIMEOUT_MS = 60_000;

function inspect(skopeo: string, reference: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      skopeo,
      ['inspect', '--tls-verify=false', `docker://${reference}`],
      { timeout: PER_CALL_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`skopeo inspect ${reference} failed: ${err.message} ${stderr.slice(0, 300)}`));
        const digest = (JSON.parse(stdout) as { Digest?: string }).Digest;
        if (!digest?.startsWith('sha256:')) return reject(new Error(`skopeo inspect ${reference} printed no digest`));
        resolve();
      },
    );
  });
}

/** `references` are `host:port/repository:tag`. Every call bounded by its own timeout. */
export async function skopeoInspectAll(references: readonly string[], concurrency: number): Promise<SkopeoRun> {
  const skopeo = requireTool('skopeo');
  const limit = pLimit(concurrency);
  const started = performance.now();
  // allSettled: a failed call must not leave others running when this returns.
  const results = await Promise.allSettled(references.map((ref) => limit(() => inspect(skopeo, ref))));
  const ms = performance.now() - started;
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
  return { ms, tags: references.length, perTagMs: ms / references.length };
}

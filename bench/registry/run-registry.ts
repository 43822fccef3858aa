/**
 * `npm run bench -- --registry` — the registry targets of docs/benchmarks.md, measured from the
 * outside as a local tool sees Berth: `serve` in a child process, Debian's docker-registry on
 * loopback with the notifications block Berth's events-config hands out, and, in one run, the
 * import of 500 repositories × 20 tags, a bare client sending the same registry requests (the
 * yardstick), `skopeo inspect` per tag on a sample (the peer), a second import with nothing
 * changed (time and store writes), and push → visible tag latency for 200 pushes.
 *
 * Ends with one machine-readable line:
 *   RESULT_REGISTRY import_s=… bare_s=… import_ratio=… skopeo_speedup=… resync_ratio=… resync_writes=… event_p99_ms=…
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { freePort, startRegistry, type RunningRegistry } from '../../test/registries/rig/registry-process';
import type { PushTarget } from '../../test/registries/rig/pusher';
import { Random } from '../random';
import { printCells, printTargets } from '../report';
import { prepareServe, startServe, type ServeChild } from '../serve-child';
import { bareImport, type Concurrency } from './bare-client';
import { BerthApi } from './berth-api';
import { journalRecords, seqOfWrite, tailJournal } from './journal-records';
import { queueMetrics, waitForDrain } from './notifications';
import { pushConfigOnly, putManifest, seedRegistry, seedRepository, seedTag, type SeedShape } from './seed';
import { skopeoInspectAll } from './skopeo';

export interface RegistryBenchOptions {
  quick: boolean;
  keep: boolean;
  /** Folder for a V8 CPU profile of serve (written when it stops). */
  profile?: string;
}

/** CPU seconds a process has used (user + system), from /proc (Linux). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const TOKEN = 'bench-token-0123456789abcdef0123456789abcdef';
const REGISTRY = 'bench';
/** Berth's registry client: 8 requests in flight per registry; an import: 16 repositories at once, 8 tags at once in one. */
const CONCURRENCY: Concurrency = { requests: 8, repos: 16, tagsPerRepo: 8 };
const SEED_CONCURRENCY = 16;
const RUN_LIMIT_MS = 60 * 60_000;
const DRAIN_LIMIT_MS = 10 * 60_000;
const EVENT_POLL_MS = 10;
const EVENT_LIMIT_MS = 10_000;
const MARKER_NS = 'bench-marker';

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

function localName(repository: string): { namespace: string; repo: string } {
  const [namespace = '', ...rest] = repository.split('/');
  return { namespace, repo: rest.join('-') };
}

/** A write of the benchmark's own, read back from the journal: its seq brackets a phase's writes. */
async function markerSeq(api: BerthApi, dataDir: string, random: Random): Promise<number> {
  const file = path.join(dataDir, 'namespaces', MARKER_NS, 'repos', 'marker.json');
  for (let attempt = 0; attempt < 5; attempt++) {
    await api.expect('PUT', `/v1/repositories/${MARKER_NS}/marker/tags/mark`, [200, 201], { image_id: `sha256:${random.hex(64)}` });
    const seq = await seqOfWrite(dataDir, file);
    if (seq !== null) return seq;
  }
  throw new Error('the marker write never showed in the journal (checkpointed before it was read, five times)');
}

async function drain(debugUrl: string, after: string): Promise<void> {
  const { ms, metrics } = await waitForDrain(debugUrl, DRAIN_LIMIT_MS);
  log(
    `notifications after ${after}: drained in ${seconds(ms)} s (${metrics.events} events so far, ${metrics.failures} failed, statuses ${JSON.stringify(metrics.statuses)})`,
  );
}

/** Push one tag's manifest (its config is uploaded first, untimed); ms until Berth's tag GET shows it. */
async function pushToVisible(api: BerthApi, target: PushTarget, repository: string, tag: string): Promise<{ ms: number; seen: boolean }> {
  const image = await pushConfigOnly(target, repository, tag);
  const { namespace, repo } = localName(repository);
  const hex = image.digest.replace(/^sha256:/, '');
  const started = performance.now();
  await putManifest(target, repository, tag, image);
  while (performance.now() - started < EVENT_LIMIT_MS) {
    const answer = await api.call('GET', `/v1/repositories/${namespace}/${repo}/tags/${tag}`);
    const imageId = (answer.json as { image_id?: string } | null)?.image_id?.replace(/^sha256:/, '');
    if (answer.status === 200 && imageId === hex) return { ms: performance.now() - started, seen: true };
    await new Promise((resolve) => setTimeout(resolve, EVENT_POLL_MS));
  }
  return { ms: performance.now() - started, seen: false };
}

export async function runRegistryBench(options: RegistryBenchOptions): Promise<void> {
  const shape: SeedShape = options.quick ? { repos: 60, tags: 20 } : { repos: 500, tags: 20 };
  const sampleSize = options.quick ? 16 : 100;
  const pushes = options.quick ? 20 : 200;
  const totalTags = shape.repos * shape.tags;
  const deadline = performance.now() + RUN_LIMIT_MS;
  const random = new Random(20261201);
  const work = await mkdtemp(path.join(tmpdir(), 'berth-bench-registry-'));
  const dataDir = path.join(work, 'data');
  let serve: ServeChild | undefined;
  let registry: RunningRegistry | undefined;
  try {
    log(`load average before: ${load()}`);
    await prepareServe();
    const nodeOptions = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.profile)}`] : [];
    serve = await startServe({ dataDir, token: TOKEN, readyTimeoutMs: 120_000, nodeOptions });
    const api = new BerthApi(serve.url, TOKEN);

    // Berth first: the registry's config needs the notifications block Berth hands out.
    const port = await freePort();
    const debugPort = await freePort();
    const registryUrl = `http://127.0.0.1:${port}`;
    await api.expect('POST', '/v1/registries/?verify=false', [201], { name: REGISTRY, url: registryUrl });
    const eventsConfig = await api.expect<{ yaml: string }>('GET', `/v1/registries/${REGISTRY}/events-config`, [200]);
    registry = await startRegistry({ deleteEnabled: true, port, debugPort, extraYaml: eventsConfig.yaml });
    const debugUrl = `http://127.0.0.1:${debugPort}`;
    const target: PushTarget = { url: registry.url };
    log(`docker-registry at ${registry.url} (debug ${debugUrl}), serve at ${serve.url}, data ${dataDir}`);

    const seedStart = performance.now();
    await seedRegistry(target, shape, SEED_CONCURRENCY, deadline, (done) => {
      if (done % 50 === 0 || done === shape.repos) log(`  seeded ${done}/${shape.repos} repositories`);
    });
    const seedMs = performance.now() - seedStart;
    log(`seeded ${shape.repos} repositories × ${shape.tags} tags in ${seconds(seedMs)} s (${SEED_CONCURRENCY} repositories at a time)`);
    await drain(debugUrl, 'seeding');

    // The yardstick, then the peer, before the import: their pulls then concern no linked repo.
    let events = (await queueMetrics(debugUrl)).events;
    let serveCpu = await cpuSeconds(serve.pid);
    const ownCpu = process.cpuUsage();
    const bare = await bareImport(registry.url, CONCURRENCY, deadline);
    const bareCpu = process.cpuUsage(ownCpu);
    const serveCpuInBare = (await cpuSeconds(serve.pid)) - serveCpu;
    log(
      `bare client: ${bare.repositories} repositories, ${bare.tags} tags, ${bare.requests} requests in ${seconds(bare.ms)} s; ` +
        `its CPU ${((bareCpu.user + bareCpu.system) / 1e6).toFixed(1)} s, serve's meanwhile (the registry's events) ${serveCpuInBare.toFixed(1)} s`,
    );
    if (bare.tags !== totalTags) throw new Error(`the bare client read ${bare.tags} tags, not ${totalTags}`);
    await drain(debugUrl, 'the bare client');
    const bareEvents = (await queueMetrics(debugUrl)).events - events;

    const sample = Array.from(
      { length: sampleSize },
      () => `127.0.0.1:${port}/${seedRepository(random.int(shape.repos))}:${seedTag(random.int(shape.tags))}`,
    );
    const skopeo = await skopeoInspectAll(sample, CONCURRENCY.requests);
    log(`skopeo inspect: ${skopeo.tags} tags in ${seconds(skopeo.ms)} s, ${skopeo.perTagMs.toFixed(1)} ms per tag`);
    await drain(debugUrl, 'skopeo');

    events = (await queueMetrics(debugUrl)).events;
    serveCpu = await cpuSeconds(serve.pid);
    const imported = await api.importAll(REGISTRY, deadline);
    const serveCpuInImport = (await cpuSeconds(serve.pid)) - serveCpu;
    log(
      `import: ${imported.job.state} in ${seconds(imported.ms)} s, ${imported.job.progress.done}/${imported.job.progress.total} repositories, ` +
        `${imported.job.errors.length} errors; serve's CPU ${serveCpuInImport.toFixed(1)} s`,
    );
    if (imported.job.state !== 'succeeded' || imported.job.errors.length > 0) {
      throw new Error(
        `the import ended ${imported.job.state}: ${imported.job.detail ?? ''} ${JSON.stringify(imported.job.errors.slice(0, 5))}`,
      );
    }
    const probe = localName(seedRepository(shape.repos - 1));
    const tagList = await api.expect<unknown[]>('GET', `/v1/repositories/${probe.namespace}/${probe.repo}/tags`, [200]);
    if (tagList.length !== shape.tags)
      throw new Error(`${probe.namespace}/${probe.repo} has ${tagList.length} tags after the import, not ${shape.tags}`);
    await drain(debugUrl, 'the import');
    const importEvents = (await queueMetrics(debugUrl)).events - events;
    log(
      `registry events made by the bare client's requests: ${bareEvents}; by the import's: ${importEvents} (equal when they pulled the same manifests and blobs)`,
    );

    // The second sync: the same import again, every repo already linked and unchanged.
    await api.expect('POST', `/v1/repositories/${MARKER_NS}/`, [201], { repo_name: 'marker' });
    const before = await markerSeq(api, dataDir, random);
    const tail = tailJournal(dataDir, before);
    serveCpu = await cpuSeconds(serve.pid);
    // The tail's loop must end however the import ends, or it would keep the benchmark alive.
    const resync = await api.importAll(REGISTRY, deadline).finally(() => tail.stop());
    const serveCpuInResync = (await cpuSeconds(serve.pid)) - serveCpu;
    const seen = await tail.stop();
    const after = await markerSeq(api, dataDir, random);
    const resyncWrites = after - before - 1;
    log(
      `second import, nothing changed: ${resync.job.state} in ${seconds(resync.ms)} s (serve's CPU ${serveCpuInResync.toFixed(1)} s); ${resyncWrites} journal records written between the markers`,
    );
    if (resync.job.state !== 'succeeded') throw new Error(`the second import ended ${resync.job.state}: ${resync.job.detail ?? ''}`);
    const written = [...seen.entries()].filter(([seq]) => seq < after);
    if (written.length > 0) {
      const files = new Set(written.flatMap(([, f]) => f));
      log(
        `  records seen in the journal during it: ${written.length}, files: ${[...files].slice(0, 10).join(', ')}${files.size > 10 ? ` … (${files.size})` : ''}`,
      );
    }
    await drain(debugUrl, 'the second import');

    const latencies: number[] = [];
    let unseen = 0;
    for (let k = 0; k < pushes; k++) {
      if (performance.now() > deadline) throw new Error(`the pushes ran out of time after ${k}`);
      const result = await pushToVisible(api, target, seedRepository(random.int(shape.repos)), `ev-${k}`);
      latencies.push(result.ms);
      if (!result.seen) unseen++;
    }
    latencies.sort((a, b) => a - b);
    const eventP50 = percentile(latencies, 0.5);
    const eventP99 = percentile(latencies, 0.99);
    log(
      `${pushes} pushes: visible after p50 ${eventP50.toFixed(0)} ms, p99 ${eventP99.toFixed(0)} ms, max ${(latencies.at(-1) ?? 0).toFixed(0)} ms; ${unseen} not visible within ${EVENT_LIMIT_MS / 1000} s`,
    );
    log(`journal records left unchecked at the end: ${(await journalRecords(dataDir)).length}`);

    const importPerTag = imported.ms / totalTags;
    const importRatio = imported.ms / bare.ms;
    const skopeoSpeedup = skopeo.perTagMs / importPerTag;
    const resyncRatio = resync.ms / imported.ms;

    console.log('');
    console.log(
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    );
    console.log(`Load average at the end (1/5/15 min): ${load()}`);
    console.log(
      `Registry: ${shape.repos} repositories × ${shape.tags} tags; ${CONCURRENCY.requests} requests in flight; skopeo sample ${sampleSize} tags`,
    );
    console.log('');
    printCells(
      ['measurement', 'wall s', 'per tag ms', 'vs import'],
      [
        ['import (POST imports "*", job to succeeded)', seconds(imported.ms), importPerTag.toFixed(2), '1.00'],
        ['bare undici client, same requests', seconds(bare.ms), (bare.ms / totalTags).toFixed(2), (bare.ms / imported.ms).toFixed(2)],
        [`skopeo inspect, ${sampleSize} tags`, seconds(skopeo.ms), skopeo.perTagMs.toFixed(1), (skopeo.perTagMs / importPerTag).toFixed(1)],
        ['second import, nothing changed', seconds(resync.ms), (resync.ms / totalTags).toFixed(2), resyncRatio.toFixed(2)],
        [`seeding (v2 pushes, ${SEED_CONCURRENCY} repos at once)`, seconds(seedMs), (seedMs / totalTags).toFixed(2), ''],
      ],
    );
    console.log('');
    printTargets([
      [
        'import ≤ 1.5× bare client',
        importRatio <= 1.5,
        `${importRatio.toFixed(2)}× (${seconds(imported.ms)} s against ${seconds(bare.ms)} s)`,
      ],
      [
        '≥ 10× faster per tag than skopeo',
        skopeoSpeedup >= 10,
        `${skopeoSpeedup.toFixed(1)}× (${skopeo.perTagMs.toFixed(1)} ms against ${importPerTag.toFixed(2)} ms per tag)`,
      ],
      ['second sync ≤ 25% of import', resyncRatio <= 0.25, `${(resyncRatio * 100).toFixed(0)}% (${seconds(resync.ms)} s)`],
      ['second sync writes nothing', resyncWrites === 0, `${resyncWrites} journal records`],
      [
        'event → visible p99 ≤ 1000 ms',
        eventP99 <= 1000 && unseen === 0,
        `${eventP99.toFixed(0)} ms (p50 ${eventP50.toFixed(0)} ms, ${unseen} never seen)`,
      ],
    ]);
    console.log('');
    console.log(
      `RESULT_REGISTRY import_s=${seconds(imported.ms)} bare_s=${seconds(bare.ms)} import_ratio=${importRatio.toFixed(2)} ` +
        `skopeo_speedup=${skopeoSpeedup.toFixed(1)} resync_ratio=${resyncRatio.toFixed(2)} resync_writes=${resyncWrites} event_p99_ms=${eventP99.toFixed(0)}`,
    );
  } finally {
    if (registry) await registry.stop();
    if (serve) {
      const exit = await serve.stop('SIGTERM');
      if (exit.code !== 0) console.error(`[bench] serve exited with ${exit.code ?? exit.signal}: ${serve.output().slice(-2000)}`);
    }
    if (options.keep) log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

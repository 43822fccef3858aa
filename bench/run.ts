/**
 * `npm run bench` — measures the targets of docs/benchmarks.md from the outside, as a local tool
 * sees Berth: a generated catalogue, the real `serve` in a child process, autocannon at 20
 * connections, and a bare node:http server answering bodies of the same size as the yardstick, in
 * the same run.
 *
 *   npm run bench               100 namespaces × 1,000 repos × 10 tags, 10 s per measurement
 *   npm run bench -- --quick    5 × 200 × 10, 3 s per measurement (under a minute)
 *   options: --duration SEC, --connections N, --keep (keep the temp folder), --profile DIR (CPU profile of serve)
 *   npm run bench -- --registry  the registry targets instead (bench/registry/run-registry.ts; --quick: 60 × 20)
 *
 *   npm run bench -- --portability   export and import of the catalogue through the command-line tool
 *
 * Ends with one machine-readable line:
 *   RESULT_PORTABILITY export_s=… import_s=… rss_mb=…   (--portability)
 *   RESULT startup_ms=… list_ratio=… detail_ratio=… list_p99_ms=… detail_p99_ms=… write_rps=… write_p99_ms=… rss_mb=…
 */
import { mkdtemp, readdir, rm, writeFile, mkdir, stat } from 'node:fs/promises';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateDataset, namespaceName, repoName, type DatasetShape } from './dataset';
import { runDurableWriteYardstick, startBaseline } from './baseline-child';
import { runLoad, type LoadFigures } from './load';
import { Random } from './random';
import { prepareServe, residentBytes, startServe, type ServeChild } from './serve-child';
import { measurePortability } from './portability';
import { printTable, type Row } from './report';
import { runRegistryBench } from './registry/run-registry';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    /** The registry benchmark (import, yardstick, skopeo, second sync, events) instead of the catalogue's. */
    registry: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    /** Folder for a V8 CPU profile of serve (written when it stops), to see where its time goes. */
    profile: { type: 'string' },
    /** Export and import of the catalogue instead (bench/portability.ts). */
    portability: { type: 'boolean', default: false },
  },
});

const shape: DatasetShape = flags.quick ? { namespaces: 5, repos: 200, tags: 10 } : { namespaces: 100, repos: 1000, tags: 10 };
const durationSec = Number(flags.duration ?? (flags.quick ? 3 : 10));
const warmupSec = flags.quick ? 1 : 2;
const connections = Number(flags.connections);
const TOKEN = 'bench-token-0123456789abcdef0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const PAGE_SIZE = 10;
const STARTS = 3;

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

async function get(base: string, route: string): Promise<{ status: number; text: string }> {
  const res = await fetch(base + route, { headers: auth });
  return { status: res.status, text: await res.text() };
}

async function getOk(base: string, route: string): Promise<string> {
  const { status, text } = await get(base, route);
  if (status !== 200) throw new Error(`GET ${route} answered ${status}: ${text.slice(0, 300)}`);
  return text;
}

/** Spawn to the first answered data request: the catalogue must be usable, not just listening. */
async function firstAnswer(serve: ServeChild, route: string): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    try {
      const { status } = await get(serve.url, route);
      if (status === 200) return performance.now();
      throw new Error(`GET ${route} answered ${status}`);
    } catch (err) {
      if (err instanceof Error && /answered/.test(err.message)) throw err;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  throw new Error(`serve never answered ${route}`);
}

/** Touches every namespace so that whatever the server loads lazily is in memory. */
async function loadEverything(base: string): Promise<void> {
  for (let i = 0; i < shape.namespaces; i++) {
    await getOk(base, `/v1/repositories/${namespaceName(i)}/?page_size=100`);
  }
  await getOk(base, `/v1/search?q=${encodeURIComponent(repoName(shape.repos - 1))}&page_size=100`);
}

/**
 * Resolves once serve's journal holds nothing (its last checkpoint wrote every journalled file
 * and dropped the segments), or after a minute, saying so.
 */
async function journalWrittenOut(dataDir: string): Promise<void> {
  const started = performance.now();
  const segments = async () => (await readdir(path.join(dataDir, 'journal'))).filter((name) => name.endsWith('.log'));
  while ((await segments()).length > 0) {
    if (performance.now() - started > 60_000) {
      log(`the journal still held ${(await segments()).length} segments after a minute; measuring anyway`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`journal written out after ${(performance.now() - started).toFixed(0)} ms`);
}

function listRoute(random: Random): string {
  const pages = Math.ceil(shape.repos / PAGE_SIZE);
  return `/v1/repositories/${namespaceName(random.int(shape.namespaces))}/?page=${1 + random.int(pages)}`;
}

function detailRoute(random: Random): string {
  return `/v1/repositories/${namespaceName(random.int(shape.namespaces))}/${repoName(random.int(shape.repos))}`;
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'berth-bench-'));
  const dataDir = path.join(work, 'data');
  await mkdir(dataDir);
  const rows: Row[] = [];
  let serve: ServeChild | undefined;
  try {
    log(
      `load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')}`,
    );
    log(`dataset ${shape.namespaces} namespaces × ${shape.repos} repos × ${shape.tags} tags into ${dataDir}`);
    const genStart = performance.now();
    await generateDataset(dataDir, shape, (done) => {
      if (done % 10 === 0 || done === shape.namespaces) log(`  ${done}/${shape.namespaces} namespaces`);
    });
    log(`dataset written in ${((performance.now() - genStart) / 1000).toFixed(1)} s`);
    if (flags.portability) {
      await portability(dataDir, work);
      return;
    }

    // `npm run serve` rebuilds its bundle when main/ changed; do that now, outside the timings.
    await prepareServe();

    // The fixed cost of starting (Node and the app's modules), on an empty folder.
    const empty = await startServe({ dataDir: path.join(work, 'empty'), token: TOKEN, readyTimeoutMs: 120_000 });
    const emptyAnsweredAt = await firstAnswer(empty, '/v1/_ping');
    const emptyStartupMs = emptyAnsweredAt - empty.spawnedAt;
    await empty.stop('SIGTERM');
    log(`serve on an empty folder: first answer after ${emptyStartupMs.toFixed(0)} ms`);

    // Start-up: spawn → first answered detail request (a cold namespace, nothing preloaded).
    // Three starts, the median reported, so one scheduling hiccup does not make the figure.
    const nodeOptions = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags.profile)}`] : [];
    const detailOfColdNamespace = `/v1/repositories/${namespaceName(shape.namespaces - 1)}/${repoName(0)}`;
    const startups: number[] = [];
    let readyMs = 0;
    for (let attempt = 0; attempt < STARTS; attempt++) {
      serve = await startServe({ dataDir, token: TOKEN, readyTimeoutMs: 120_000, nodeOptions });
      startups.push((await firstAnswer(serve, detailOfColdNamespace)) - serve.spawnedAt);
      readyMs = serve.readyAt - serve.spawnedAt;
      log(`serve pid ${serve.pid}: ready line after ${readyMs.toFixed(0)} ms, first answer after ${(startups.at(-1) ?? 0).toFixed(0)} ms`);
      if (attempt < STARTS - 1) {
        await serve.stop('SIGTERM');
        serve = undefined;
      }
    }
    if (!serve) throw new Error('serve is not running');
    const startupMs = [...startups].sort((x, y) => x - y)[Math.floor(STARTS / 2)] as number;

    const loadStart = performance.now();
    await loadEverything(serve.url);
    const loadAllMs = performance.now() - loadStart;
    const afterLoad = await residentBytes(serve.pid);
    log(`every namespace listed in ${loadAllMs.toFixed(0)} ms; RSS ${(afterLoad.rss / 2 ** 20).toFixed(0)} MB`);

    // The yardstick answers bodies of exactly the size serve sends for these two requests.
    const listBody = await getOk(serve.url, `/v1/repositories/${namespaceName(0)}/?page=2`);
    const detailBody = await getOk(serve.url, `/v1/repositories/${namespaceName(0)}/${repoName(1)}`);
    const bodies = path.join(work, 'bodies');
    await mkdir(bodies);
    await writeFile(path.join(bodies, 'list.json'), listBody);
    await writeFile(path.join(bodies, 'detail.json'), detailBody);
    const baseline = await startBaseline(path.join(bodies, 'list.json'), path.join(bodies, 'detail.json'));

    const random = new Random(42);
    const base = { url: serve.url, connections, headers: auth };
    const rawBase = { url: baseline.url, connections, headers: auth };
    const serveList = () => ({ method: 'GET', path: listRoute(random) });
    const serveDetail = () => ({ method: 'GET', path: detailRoute(random) });
    const rawListReq = () => ({ method: 'GET', path: '/list' });
    const rawDetailReq = () => ({ method: 'GET', path: '/detail' });
    let list: LoadFigures;
    let detail: LoadFigures;
    let rawList: LoadFigures;
    let rawDetail: LoadFigures;
    try {
      for (const [target, next] of [
        [base, serveList],
        [base, serveDetail],
        [rawBase, rawListReq],
        [rawBase, rawDetailReq],
      ] as const) {
        await runLoad({ ...target, title: 'warm-up', durationSec: warmupSec, next });
      }
      // Each read right next to its yardstick, so a change in the machine's load hits both alike.
      list = await runLoad({ ...base, title: 'GET list page', durationSec, next: serveList });
      rawList = await runLoad({ ...rawBase, title: 'raw node:http, list-sized body', durationSec, next: rawListReq });
      detail = await runLoad({ ...base, title: 'GET detail', durationSec, next: serveDetail });
      rawDetail = await runLoad({ ...rawBase, title: 'raw node:http, detail-sized body', durationSec, next: rawDetailReq });
    } finally {
      await baseline.stop();
    }

    const imageId = () => random.hex(64);
    // Twenty tag names per repo: a mix of new tags (201) and moves (200), files stay small.
    const tagPush = () => ({
      method: 'PUT',
      path: `/v1/repositories/${namespaceName(random.int(shape.namespaces))}/${repoName(random.int(shape.repos))}/tags/bench-${random.int(20)}`,
      body: JSON.stringify({ image_id: imageId() }),
    });
    let created = 0;
    const repoCreate = (prefix: string) => () => ({
      method: 'POST',
      path: `/v1/repositories/${namespaceName(random.int(shape.namespaces))}/`,
      body: JSON.stringify({ repo_name: `${prefix}-${++created}`, description: 'created by the benchmark' }),
    });
    // The write path's first second after start is slower: its code is not optimized yet. Warmed
    // up like the reads above, and its figures printed so the cold cost stays visible.
    for (const [title, next] of [
      ['warm-up PUT tag', tagPush],
      ['warm-up POST repo', repoCreate('bench-warm')],
    ] as const) {
      const warm = await runLoad({ ...base, headers: json, title, durationSec: warmupSec, next });
      log(`${title}: ${warm.rps.toFixed(0)} writes/s, p99 ${warm.p99} ms, max ${warm.max} ms`);
    }
    // Each write run starts with the journal written out to its files, as after a pause.
    await journalWrittenOut(dataDir);
    const putTag = await runLoad({ ...base, headers: json, title: 'PUT tag', durationSec, next: tagPush });
    await journalWrittenOut(dataDir);
    const postRepo = await runLoad({ ...base, headers: json, title: 'POST repo', durationSec, next: repoCreate('bench-new') });
    const afterWrites = await residentBytes(serve.pid);
    // Every write above recorded its history entry in its own journal record: count them.
    const history = JSON.parse(await getOk(serve.url, '/v1/history?page_size=1')) as { count: number };
    const generated = shape.namespaces * shape.repos * (shape.tags + 1);
    log(
      `history: ${history.count} entries (${generated} generated with the catalogue, ${history.count - generated} recorded by the writes)`,
    );
    const stopStart = performance.now();
    const exit = await serve.stop('SIGTERM');
    const stopMs = performance.now() - stopStart;
    log(`serve stopped in ${stopMs.toFixed(0)} ms (code ${exit.code}, signal ${exit.signal})`);
    // `serve` flushes and exits 0 on SIGTERM. Not a performance target, but worth saying loudly.
    const shutdownWarning =
      exit.code === 0
        ? null
        : `serve did not exit cleanly on SIGTERM after the writes (code ${exit.code}, signal ${exit.signal}, after ${stopMs.toFixed(0)} ms)`;
    serve = undefined;

    // What the disk alone allows: the same durable-write protocol, no server, same concurrency.
    const repoFileBytes = (await stat(path.join(dataDir, 'namespaces', namespaceName(0), 'repos', `${repoName(0)}.json`))).size;
    const disk = await runDurableWriteYardstick(path.join(work, 'yardstick'), connections, durationSec, repoFileBytes);
    log(`disk alone: ${disk.rps.toFixed(0)} durable ${repoFileBytes}-byte file writes/s, p99 ${disk.p99} ms`);
    const diskFigure: LoadFigures = {
      title: 'durable file write, no server',
      requests: disk.writes,
      rps: disk.rps,
      p50: disk.p50,
      p99: disk.p99,
      max: Number.NaN,
      non2xx: 0,
      errors: 0,
      statusCodes: {},
    };

    const listRatio = list.rps / rawList.rps;
    const detailRatio = detail.rps / rawDetail.rps;
    const writes = [putTag, postRepo];
    const writeRps = Math.min(...writes.map((w) => w.rps));
    const writeP99 = Math.max(...writes.map((w) => w.p99));
    const rssMb = afterLoad.rss / 2 ** 20;

    rows.push(
      { figure: list, ratio: listRatio, body: Buffer.byteLength(listBody) },
      { figure: rawList, body: Buffer.byteLength(listBody) },
      { figure: detail, ratio: detailRatio, body: Buffer.byteLength(detailBody) },
      { figure: rawDetail, body: Buffer.byteLength(detailBody) },
      { figure: putTag },
      { figure: postRepo },
      { figure: diskFigure, body: repoFileBytes },
    );
    console.log('');
    console.log(
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform} ${process.arch}`,
    );
    // Other processes on the machine skew every figure; say how busy it was.
    console.log(
      `Load average at the end (1/5/15 min): ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')}`,
    );
    console.log(`Dataset: ${shape.namespaces} × ${shape.repos} × ${shape.tags}; ${connections} connections; ${durationSec} s per run`);
    console.log('');
    printTable(rows);
    console.log('');
    const targets: [string, boolean, string][] = [
      [
        'start-up ≤ 1000 ms',
        startupMs <= 1000,
        `${startupMs.toFixed(0)} ms (median of ${startups.map((x) => x.toFixed(0)).join(', ')}; empty folder ${emptyStartupMs.toFixed(0)} ms)`,
      ],
      ['list ≥ 60% of raw', listRatio >= 0.6, `${(listRatio * 100).toFixed(0)}%`],
      ['detail ≥ 60% of raw', detailRatio >= 0.6, `${(detailRatio * 100).toFixed(0)}%`],
      ['list p99 ≤ 10 ms', list.p99 <= 10, `${list.p99} ms`],
      ['detail p99 ≤ 10 ms', detail.p99 <= 10, `${detail.p99} ms`],
      [
        'writes ≥ 1000/s',
        writeRps >= 1000,
        `${writeRps.toFixed(0)}/s (slower of PUT tag, POST repo; the disk alone: ${disk.rps.toFixed(0)}/s)`,
      ],
      ['write p99 ≤ 25 ms', writeP99 <= 25, `${writeP99} ms (worse of PUT tag, POST repo)`],
      [
        'RSS ≤ 1024 MB',
        rssMb <= 1024,
        `${rssMb.toFixed(0)} MB after loading everything; ${(afterWrites.peak / 2 ** 20).toFixed(0)} MB peak`,
      ],
    ];
    for (const [target, met, figure] of targets) console.log(`${met ? 'met   ' : 'MISSED'}  ${target.padEnd(22)} ${figure}`);
    const failures = [...rows].filter((r) => r.figure.non2xx > 0 || r.figure.errors > 0);
    for (const r of failures) {
      console.log(
        `warning: ${r.figure.title}: ${r.figure.non2xx} non-2xx, ${r.figure.errors} errors, statuses ${JSON.stringify(r.figure.statusCodes)}`,
      );
    }
    if (shutdownWarning) console.log(`warning: ${shutdownWarning}`);
    console.log('');
    console.log(
      `RESULT startup_ms=${startupMs.toFixed(0)} list_ratio=${listRatio.toFixed(2)} detail_ratio=${detailRatio.toFixed(2)} ` +
        `list_p99_ms=${list.p99} detail_p99_ms=${detail.p99} write_rps=${writeRps.toFixed(0)} write_p99_ms=${writeP99} rss_mb=${rssMb.toFixed(0)}`,
    );
  } finally {
    if (serve) {
      console.error(serve.output().slice(-2000));
      await serve.stop('SIGKILL');
    }
    if (flags.keep) log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

async function portability(dataDir: string, work: string): Promise<void> {
  const f = await measurePortability(dataDir, work, log);
  const rssMb = Math.max(f.exportPeakMb, f.importPeakMb);
  const repos = shape.namespaces * shape.repos;
  console.log('');
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  console.log(`Dataset: ${shape.namespaces} × ${shape.repos} × ${shape.tags}; document ${f.documentMb.toFixed(0)} MB`);
  const targets: [string, boolean, string][] = [
    ['export ≤ 10 s', f.exportSeconds <= 10, `${f.exportSeconds.toFixed(1)} s (peak RSS ${f.exportPeakMb.toFixed(0)} MB)`],
    [
      'import ≤ 60 s',
      f.importSeconds <= 60,
      `${f.importSeconds.toFixed(1)} s into an empty folder (peak RSS ${f.importPeakMb.toFixed(0)} MB)`,
    ],
    ['RSS ≤ 1024 MB', rssMb <= 1024, `${rssMb.toFixed(0)} MB, the higher peak`],
    [
      'round trip exact',
      f.roundTripExact && f.created === repos,
      `${f.created} of ${repos} repos created; ${f.roundTripExact ? 'same document' : 'documents differ'}`,
    ],
  ];
  for (const [target, met, figure] of targets) console.log(`${met ? 'met   ' : 'MISSED'}  ${target.padEnd(18)} ${figure}`);
  console.log('');
  console.log(
    `RESULT_PORTABILITY export_s=${f.exportSeconds.toFixed(1)} import_s=${f.importSeconds.toFixed(1)} rss_mb=${rssMb.toFixed(0)}`,
  );
}

(flags.registry
  ? runRegistryBench({ quick: flags.quick, keep: flags.keep, ...(flags.profile ? { profile: flags.profile } : {}) })
  : main()
).catch((err: unknown) => {
  console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});

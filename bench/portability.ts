/**
 * `npm run bench -- --portability` (docs/benchmarks.md): export of the benchmark catalogue and
 * import of that export into an empty folder, each through the command-line tool in its own
 * process (what a backup script runs), timed from spawn to exit, resident memory sampled every
 * 50 ms (the process's own high-water mark, VmHWM). Ends with one line:
 *   RESULT_PORTABILITY export_s=… import_s=… rss_mb=…
 * (rss_mb: the higher peak of the two).
 */
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { residentBytes } from './serve-child';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(REPO_ROOT, 'scripts', 'cli.mjs');
const SAMPLE_MS = 50;

export interface Measured {
  seconds: number;
  peakBytes: number;
  stdout: string;
}

/** A process and its descendants (Linux: /proc/<pid>/task/<tid>/children). */
async function treeOf(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const direct = children.split(' ').filter(Boolean).map(Number);
  return [pid, ...(await Promise.all(direct.map(treeOf))).flat()];
}

/** Runs the tool to its end, sampling its memory; rejects unless it exits 0. */
export function measureCli(args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // The tool starts itself once more with its V8 flags (scripts/cli.mjs): the figure is the
    // largest peak of the launcher and the processes it started.
    const sampler = setInterval(() => {
      if (child.pid === undefined) return;
      treeOf(child.pid)
        .then((pids) => Promise.all(pids.map((pid) => residentBytes(pid))))
        .then(
          (all) => (peak = Math.max(peak, ...all.map((r) => Math.max(r.peak, r.rss)))),
          () => undefined, // exited between two samples
        );
    }, SAMPLE_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`cli ${args[0]} exited with ${code}: ${stderr.slice(-2000)}`));
      else resolve({ seconds, peakBytes: peak, stdout });
    });
  });
}

export async function prepareCli(): Promise<void> {
  await measureCli(['--version']);
}

export interface PortabilityFigures {
  exportSeconds: number;
  importSeconds: number;
  exportPeakMb: number;
  importPeakMb: number;
  documentMb: number;
  created: number;
  roundTripExact: boolean;
}

const withoutExportedAt = (text: string) => text.replace(/"exported_at":"[^"]*",/, '');

export async function measurePortability(dataDir: string, work: string, log: (message: string) => void): Promise<PortabilityFigures> {
  await prepareCli();
  const document = path.join(work, 'export.json');
  const exported = await measureCli(['export', '--data-dir', dataDir, '--out', document, '--quiet']);
  const documentMb = (await stat(document)).size / 2 ** 20;
  log(`export: ${exported.seconds.toFixed(1)} s, ${documentMb.toFixed(0)} MB, peak RSS ${(exported.peakBytes / 2 ** 20).toFixed(0)} MB`);

  const target = path.join(work, 'imported');
  const imported = await measureCli(['import', '--data-dir', target, '--in', document, '--quiet']);
  const created = (JSON.parse(imported.stdout) as { created: number }).created;
  log(
    `import into an empty folder: ${imported.seconds.toFixed(1)} s, ${created} repos created, peak RSS ${(imported.peakBytes / 2 ** 20).toFixed(0)} MB`,
  );

  // Not timed: the imported catalogue exports to the same document.
  const again = path.join(work, 'again.json');
  await measureCli(['export', '--data-dir', target, '--out', again, '--quiet']);
  const roundTripExact = withoutExportedAt(await readFile(again, 'utf8')) === withoutExportedAt(await readFile(document, 'utf8'));
  log(`round trip: ${roundTripExact ? 'the same document' : 'DIFFERENT documents'}`);
  return {
    exportSeconds: exported.seconds,
    importSeconds: imported.seconds,
    exportPeakMb: exported.peakBytes / 2 ** 20,
    importPeakMb: imported.peakBytes / 2 ** 20,
    documentMb,
    created,
    roundTripExact,
  };
}

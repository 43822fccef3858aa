/**
 * Runs the real `serve` command as a child process, as a local tool would meet it: the bench
 * measures it from the outside, and the property and fault tests drive it over HTTP and kill it.
 * `node scripts/serve.mjs`, exactly what `npm run serve` runs, without npm in between (so the
 * pid we hold is the server's own, for RSS and for SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVE_ENTRY = path.join(REPO_ROOT, 'scripts', 'serve.mjs');

export interface ServeOptions {
  dataDir: string;
  token: string;
  /** 0 picks a free port; the ready line tells which. */
  port?: number;
  /** Extra command-line options (for example a shorter request timeout, where serve offers one). */
  extraArgs?: string[];
  /** How long to wait for the ready line. */
  readyTimeoutMs?: number;
  /** Options for Node itself (for example --cpu-prof). */
  nodeOptions?: string[];
}

export interface ServeChild {
  readonly proc: ChildProcess;
  readonly pid: number;
  /** Base URL from serve's ready line, without a trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** performance.now() when the process was spawned and when it printed its ready line. */
  readonly spawnedAt: number;
  readonly readyAt: number;
  /** Everything the child wrote so far, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (clean shutdown) or SIGKILL (crash); resolves once the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL', timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const URL_IN_LINE = /https?:\/\/[^\s"'<>]+/;

export async function startServe(options: ServeOptions): Promise<ServeChild> {
  const args = [
    ...(options.nodeOptions ?? []),
    SERVE_ENTRY,
    '--data-dir',
    options.dataDir,
    '--port',
    String(options.port ?? 0),
    ...(options.extraArgs ?? []),
  ];
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, BERTH_TOKEN: options.token, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout?.setEncoding('utf8');
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    log += chunk;
  });

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const { url, readyAt } = await new Promise<{ url: string; readyAt: number }>((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`serve printed no URL within ${readyTimeoutMs} ms. Output:\n${log}`));
    }, readyTimeoutMs);
    const onData = (chunk: string) => {
      log += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = URL_IN_LINE.exec(line);
        if (match) {
          clearTimeout(timer);
          proc.stdout?.off('data', onData);
          proc.stdout?.on('data', (more: string) => {
            log += more;
          });
          resolve({ url: match[0].replace(/\/+$/, ''), readyAt: performance.now() });
          return;
        }
      }
    };
    proc.stdout?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (code ${code}, signal ${signal}) before it was ready. Output:\n${log}`));
    });
  });

  const port = Number(new URL(url).port);
  const child: ServeChild = {
    proc,
    pid: proc.pid ?? -1,
    url,
    port,
    spawnedAt,
    readyAt,
    output: () => log,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  return child;
}

/** Runs `serve --version`, which brings its bundle up to date, so no timed start includes a build. */
export async function prepareServe(): Promise<void> {
  const proc = spawn(process.execPath, [SERVE_ENTRY, '--version'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`serve --version exited with ${code}`);
}

/** Resident set size of a process, in bytes, from /proc (Linux). */
export async function residentBytes(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${name}`);
    return Number(match[1]) * 1024;
  };
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

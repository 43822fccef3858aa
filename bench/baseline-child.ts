/** Starts bench/baseline-server.ts in a child process and waits for its URL. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './serve-child';

export interface BaselineChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startBaseline(listFile: string, detailFile: string): Promise<BaselineChild> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bench', 'baseline-server.ts'), listFile, detailFile], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
      const match = /http:\/\/\S+/.exec(out);
      if (match) resolve(match[0]);
    });
    void exited.then(() => reject(new Error(`baseline server exited early: ${out}`)));
  });
  return {
    url,
    pid: proc.pid ?? -1,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

export interface DiskFigures {
  rps: number;
  p50: number;
  p99: number;
  writes: number;
}

/** Runs bench/durable-write-yardstick.ts in a child process: the disk's ceiling for durable writes. */
export async function runDurableWriteYardstick(dir: string, connections: number, seconds: number, bytes: number): Promise<DiskFigures> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'bench', 'durable-write-yardstick.ts'),
      dir,
      String(connections),
      String(seconds),
      String(bytes),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`durable-write yardstick exited with ${code}: ${out}`);
  return JSON.parse(out.trim()) as DiskFigures;
}

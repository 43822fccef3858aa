/**
 * Reads whole folders of small files in a worker thread, ahead of their use. Reading 100,000
 * small files is mostly system calls (open, read, close), which the thread that parses them
 * would otherwise wait for one by one; a worker reads the next folder while the caller works on
 * this one. The worker is started on first use and stops after a moment without requests.
 */
import { Worker } from 'node:worker_threads';

/** The worker, as a script of its own: no file to find next to a bundle. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
parentPort.on('message', ({ id, dir, suffix }) => {
  const files = [];
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(suffix)) continue;
      // A file that cannot be read here is read again by the caller, which reports it.
      try { files.push([name, readFileSync(join(dir, name), 'utf8')]); } catch {}
    }
  } catch {}
  parentPort.postMessage({ id, files });
});
`;

/** How long the worker waits for another request before it stops. */
const IDLE_MS = 2_000;

export class FolderReadAhead {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, (files: Map<string, string>) => void>();
  private readonly requested = new Map<string, Promise<Map<string, string>>>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  /** @param suffix only files whose names end with it are read */
  constructor(private readonly suffix: string) {}

  /** Starts reading the folder's files, unless that is already under way. */
  request(dir: string): void {
    if (!this.requested.has(dir)) this.requested.set(dir, this.read(dir));
  }

  /**
   * The folder's files read ahead (or now), by name; forgotten once taken. Empty when the worker
   * cannot run: the caller reads what is missing itself.
   */
  async take(dir: string): Promise<Map<string, string>> {
    this.request(dir);
    const files = this.requested.get(dir)!;
    this.requested.delete(dir);
    try {
      return await files;
    } finally {
      this.stopWhenIdle();
    }
  }

  /** Stops the worker now (requests still pending answer empty). */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    for (const answer of this.waiting.values()) answer(new Map());
    this.waiting.clear();
    await worker?.terminate();
  }

  private read(dir: string): Promise<Map<string, string>> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = this.worker ?? this.start();
      } catch {
        resolve(new Map());
        return;
      }
      const id = this.nextId++;
      this.waiting.set(id, resolve);
      worker.postMessage({ id, dir, suffix: this.suffix });
    });
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // Never what keeps a process alive.
    worker.unref();
    worker.on('message', ({ id, files }: { id: number; files: [string, string][] }) => {
      const answer = this.waiting.get(id);
      this.waiting.delete(id);
      answer?.(new Map(files));
    });
    const fail = () => {
      if (this.worker === worker) this.worker = null;
      for (const answer of this.waiting.values()) answer(new Map());
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.worker = worker;
    return worker;
  }

  private stopWhenIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.requested.size > 0 || this.waiting.size > 0) return;
    this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
    this.idleTimer.unref();
  }
}

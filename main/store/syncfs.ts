/**
 * Flushes a whole file system at once (syncfs(2) through coreutils' `sync -f`): after writing
 * thousands of files, one flush costs about what one fsync does, where an fsync per file costs
 * a disk round trip each. Since Linux 5.8 syncfs reports writeback errors, so a failed flush
 * is never mistaken for a durable one. Without the tool, callers fall back to per-file fsyncs.
 *
 * Starting a process blocks the event loop while the system copies the parent's memory map:
 * 10–30 ms for a server holding a loaded catalogue, and every request in flight waits that long
 * (docs/benchmarks.md). So `sync` is not started per flush: one small shell is started once
 * (early, by `prepareFileSystemFlush`, while the heap is still small) and kept; it reads one
 * folder per line, runs `sync -f` on it and answers with its exit status and message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How long one flush may take before it counts as failed (the disk is not answering). */
const FLUSH_TIMEOUT_MS = 60_000;

/** Reads a folder per line; answers `<exit status> <sync's message on one line>`. */
const HELPER_SCRIPT =
  'while IFS= read -r p; do o=$(sync -f -- "$p" 2>&1); s=$?; printf \'%s %s\\n\' "$s" "$(printf \'%s\' "$o" | tr \'\\n\' \' \')"; done';

/** The shell's answer when `sync` is not installed. */
const NOT_FOUND = 127;

let available: boolean | null = process.platform === 'linux' ? null : false;

class HelperStopped extends Error {
  constructor(why: string) {
    super(`the flushing helper stopped (${why})`);
  }
}

interface Waiter {
  resolve: (answer: string) => void;
  reject: (err: Error) => void;
}

/** Pipes keep the process alive only while a flush waits for its answer. */
type Refable = { ref?: () => void; unref?: () => void };

class FlushHelper {
  private readonly waiting: Waiter[] = [];
  private ended = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('error', (err) => this.end(err));
    child.on('exit', (code, signal) => this.end(new HelperStopped(signal ?? `exit code ${String(code)}`)));
    // Writing to a helper that has just died (its exit not seen yet).
    child.stdin?.on('error', (err) => this.end(new HelperStopped(err.message)));
    createInterface({ input: child.stdout! }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.setHeld(false);
  }

  static start(): FlushHelper {
    return new FlushHelper(spawn('/bin/sh', ['-c', HELPER_SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] }));
  }

  get alive(): boolean {
    return !this.ended;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The helper's answer for one folder: `<status> <message>`. */
  ask(path: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => this.kill(new Error(`flushing ${path} took longer than ${FLUSH_TIMEOUT_MS / 1000} s`)),
        FLUSH_TIMEOUT_MS,
      );
      const done = () => {
        clearTimeout(timer);
        if (this.waiting.length === 0) this.setHeld(false);
      };
      this.waiting.push({
        resolve: (answer) => {
          done();
          resolve(answer);
        },
        reject: (err) => {
          done();
          reject(err);
        },
      });
      this.setHeld(true);
      this.child.stdin?.write(`${path}\n`);
    });
  }

  kill(reason: Error): void {
    this.child.kill('SIGKILL');
    this.end(reason);
  }

  private end(reason: Error): void {
    this.ended = true;
    for (const w of this.waiting.splice(0)) w.reject(reason);
  }

  private setHeld(held: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout] as Refable[]) {
      if (held) handle.ref?.();
      else handle.unref?.();
    }
  }
}

let helper: FlushHelper | null = null;

function currentHelper(): FlushHelper {
  if (!helper?.alive) helper = FlushHelper.start();
  return helper;
}

/** Starts the helper now, while starting a process is cheap (before a catalogue is loaded). */
export function prepareFileSystemFlush(): void {
  if (available !== false) currentHelper();
}

/** The helper's process id (tests check that flushes reuse one process). */
export function flushHelperPid(): number | undefined {
  return helper?.alive ? helper.pid : undefined;
}

/** A flush that failed is a disk error (EIO) naming why, like a failed fsync. */
function flushFailed(reason: string): Error {
  return Object.assign(new Error(`EIO: flushing the file system failed: ${reason}`), { code: 'EIO' });
}

/** true once the file system holding `path` is flushed; false if syncfs is not available here. */
export async function syncFileSystem(path: string): Promise<boolean> {
  // A folder name the one-line protocol cannot carry: the caller fsyncs file by file.
  if (available === false || /[\n\r]/.test(path)) return false;
  let answer: string | null = null;
  // A helper that stopped before answering (something killed it) is replaced and asked again once.
  for (let attempt = 0; answer === null; attempt++) {
    try {
      answer = await currentHelper().ask(path);
    } catch (err) {
      // No shell to run it in: the caller fsyncs file by file.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && available === null) {
        available = false;
        return false;
      }
      if (!(err instanceof HelperStopped) || attempt > 0) {
        throw flushFailed((err as Error).message);
      }
    }
  }
  const space = answer.indexOf(' ');
  const status = Number(answer.slice(0, space));
  if (status === 0) {
    available = true;
    return true;
  }
  // No such program: remember it and let the caller fsync file by file.
  if (status === NOT_FOUND && available === null) {
    available = false;
    return false;
  }
  const reason = answer.slice(space + 1).trim() || `sync exited with status ${answer.slice(0, space)}`;
  throw flushFailed(reason);
}

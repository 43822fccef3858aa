/**
 * Flushes a whole file system at once (syncfs(2) through coreutils' `sync -f`): after writing
 * thousands of files, one flush costs about what one fsync does, where an fsync per file costs
 * a disk round trip each. Since Linux 5.8 syncfs reports writeback errors, so a failed flush
 * is never mistaken for a durable one. Without the tool, callers fall back to per-file fsyncs.
 */
import { execFile } from 'node:child_process';

let available: boolean | null = process.platform === 'linux' ? null : false;

/** true once the file system holding `path` is flushed; false if syncfs is not available here. */
export function syncFileSystem(path: string): Promise<boolean> {
  if (available === false) return Promise.resolve(false);
  return new Promise<boolean>((resolve, reject) => {
    execFile('sync', ['-f', path], { timeout: 60_000 }, (err, _stdout, stderr) => {
      if (!err) {
        available = true;
        resolve(true);
        return;
      }
      const code = (err as NodeJS.ErrnoException).code;
      // No such program: remember it and let the caller fsync file by file.
      if (code === 'ENOENT' && available === null) {
        available = false;
        resolve(false);
        return;
      }
      const reason = String(stderr).trim() || err.message;
      reject(Object.assign(new Error(`EIO: flushing the file system failed: ${reason}`), { code: 'EIO' }));
    });
  });
}

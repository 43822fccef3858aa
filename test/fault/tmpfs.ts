/**
 * A real tiny file system for fault tests: root ignores file modes, so a full or read-only disk
 * needs a tmpfs of our own. Where mounting is not allowed, the tests that need it are skipped
 * with MOUNT_SKIP_REASON.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PAGE = 4096;

function mountProbe(): string | null {
  if (process.platform !== 'linux') return `tmpfs needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const probe = path.join(tmpdir(), `berth-mount-probe-${process.pid}`);
  try {
    execFileSync('mkdir', ['-p', probe]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return null;
  } catch (err) {
    return `mount -t tmpfs is not allowed here (${(err as Error).message.split('\n')[0]})`;
  } finally {
    execFileSync('rm', ['-rf', probe]);
  }
}

/** Why the tmpfs tests are skipped here, or null when they run. */
export const MOUNT_SKIP_REASON = mountProbe();
export const MOUNTABLE = MOUNT_SKIP_REASON === null;
if (!MOUNTABLE) console.warn(`tmpfs fault tests skipped: ${MOUNT_SKIP_REASON}`);

export interface Tmpfs {
  /** The mount point. */
  mnt: string;
  /** Unmounts and removes everything (safe to call twice). */
  cleanup(): Promise<void>;
}

export async function mountTmpfs(sizeKb: number): Promise<Tmpfs> {
  const work = await mkdtemp(path.join(tmpdir(), 'berth-tmpfs-'));
  const mnt = path.join(work, 'mnt');
  await mkdir(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', mnt]);
  return {
    mnt,
    async cleanup() {
      try {
        execFileSync('umount', [mnt], { stdio: 'ignore' });
      } catch {
        // Already unmounted.
      }
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Fills the file system holding `file` until it has no page left. */
export function fillDisk(file: string): void {
  const fd = openSync(file, 'a');
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x66);
      for (let i = 0; i < 100_000; i++) {
        try {
          writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Gives `pages` whole pages of a filler file back to the file system. */
export function freePages(file: string, pages: number): void {
  const size = statSync(file).size;
  truncateSync(file, Math.max(0, Math.floor(size / PAGE) * PAGE - pages * PAGE));
}

/**
 * One writer per data folder. The lock file is created whole and atomically (written to a temp
 * file, then hard-linked into place, which fails if the lock exists), so a reader never sees a
 * half-written lock. A lock whose process is gone (say it was SIGKILLed) is stale and taken over.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../contract/errors';
import { errnoOf, type FileOps } from './file-ops';

interface LockInfo {
  pid: number;
  hostname: string;
  started_at: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return errnoOf(err) === 'EPERM';
  }
}

async function readLock(ops: FileOps, path: string): Promise<LockInfo | null> {
  try {
    const raw = JSON.parse(await ops.readFile(path, 'utf8')) as Partial<LockInfo>;
    if (typeof raw.pid !== 'number') return null;
    return { pid: raw.pid, hostname: String(raw.hostname ?? ''), started_at: String(raw.started_at ?? '') };
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') throw err;
    return null;
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

export async function acquireLock(ops: FileOps, dataDir: string, lockPath: string, tmpDir: string): Promise<DataDirLock> {
  const info: LockInfo = { pid: process.pid, hostname: hostname(), started_at: new Date().toISOString() };
  const tmp = join(tmpDir, `lock-${process.pid}-${Date.now()}.tmp`);
  await ops.writeFile(tmp, `${JSON.stringify(info)}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await ops.link(tmp, lockPath);
        return {
          release: async () => {
            const now = await readLock(ops, lockPath).catch(() => null);
            if (now && now.pid === info.pid && now.started_at === info.started_at) await ops.unlink(lockPath);
          },
        };
      } catch (err) {
        if (errnoOf(err) !== 'EEXIST') throw err;
      }
      let holder: LockInfo | null;
      try {
        holder = await readLock(ops, lockPath);
      } catch {
        continue; // removed meanwhile: try again
      }
      const sameHost = holder !== null && (holder.hostname === '' || holder.hostname === info.hostname);
      if (holder && sameHost && isAlive(holder.pid)) {
        throw new BerthError(
          'conflict',
          `Data folder ${dataDir} is in use by another Berth process (pid ${holder.pid}). Close it, or choose another data folder.`,
        );
      }
      if (holder && !sameHost) {
        throw new BerthError(
          'conflict',
          `Data folder ${dataDir} is in use by a Berth process on ${holder.hostname} (pid ${holder.pid}).`,
        );
      }
      // Stale (its process is gone) or unreadable: take it over.
      await ops.unlink(lockPath).catch((e: unknown) => {
        if (errnoOf(e) !== 'ENOENT') throw e;
      });
    }
    throw new BerthError('conflict', `Data folder ${dataDir} is in use by another Berth process.`);
  } finally {
    await ops.unlink(tmp).catch(() => undefined);
  }
}

/**
 * One writer per data folder. The lock file is created whole and atomically (written to a temp
 * file, then hard-linked into place, which fails if the lock exists), so a reader never sees a
 * half-written lock. A lock whose process is gone (say it was SIGKILLed) is stale and taken over.
 *
 * Pids are reused (in a container the server is often pid 1 on every start), so a lock naming
 * our own pid that this process does not hold is stale, and on Linux the holder's start time
 * (from /proc) tells a live holder from an unrelated process that got its pid.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { BerthError } from '../contract/errors';
import { errnoOf, type FileOps } from './file-ops';

interface LockInfo {
  pid: number;
  hostname: string;
  started_at: string;
  /** Process start time in clock ticks since boot (Linux), or null. */
  proc_start: string | null;
}

/** Lock files held by this process: a second open from here is refused like any other. */
const heldHere = new Set<string>();

function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from its closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockInfo): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if (errnoOf(err) !== 'EPERM') return false;
  }
  if (holder.proc_start === null) return true;
  const now = procStart(holder.pid);
  return now === null || now === holder.proc_start;
}

async function readLock(ops: FileOps, path: string): Promise<LockInfo | null> {
  let text: string;
  try {
    text = await ops.readFile(path, 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') throw err;
    return null;
  }
  try {
    const raw = JSON.parse(text) as Partial<LockInfo>;
    if (typeof raw.pid !== 'number') return null;
    return {
      pid: raw.pid,
      hostname: typeof raw.hostname === 'string' ? raw.hostname : '',
      started_at: typeof raw.started_at === 'string' ? raw.started_at : '',
      proc_start: typeof raw.proc_start === 'string' ? raw.proc_start : null,
    };
  } catch {
    return null;
  }
}

/** A lock temp file of a process that is still acquiring (start-up must not delete it). */
export function isLiveLockTemp(name: string): boolean {
  const m = /^lock-(\d+)-/.exec(name);
  if (!m) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM';
  }
}

/** Some file systems (FAT, some network shares) have no hard links: create the lock in place. */
const NO_LINKS: ReadonlySet<string> = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

async function createExclusive(ops: FileOps, tmp: string, lockPath: string, info: LockInfo): Promise<void> {
  try {
    await ops.link(tmp, lockPath);
  } catch (err) {
    if (!NO_LINKS.has(errnoOf(err) ?? '')) throw err;
    const fh = await ops.open(lockPath, 'wx', 0o644);
    try {
      await fh.writeFile(`${JSON.stringify(info)}\n`, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}

async function isFresh(ops: FileOps, path: string): Promise<boolean> {
  try {
    return Date.now() - (await ops.stat(path)).mtimeMs < 2_000;
  } catch {
    return false;
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

function inUse(dataDir: string, holder: LockInfo): BerthError {
  const where = holder.hostname && holder.hostname !== hostname() ? ` on ${holder.hostname}` : '';
  return new BerthError(
    'conflict',
    `Data folder ${dataDir} is in use by another Berth process${where} (pid ${holder.pid}). Close it, or choose another data folder.`,
  );
}

export async function acquireLock(ops: FileOps, dataDir: string, lockPath: string, tmpDir: string): Promise<DataDirLock> {
  const key = resolve(lockPath);
  const info: LockInfo = {
    pid: process.pid,
    hostname: hostname(),
    started_at: new Date().toISOString(),
    proc_start: procStart(process.pid),
  };
  const tmp = join(tmpDir, `lock-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`);
  await ops.writeFile(tmp, `${JSON.stringify(info)}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await createExclusive(ops, tmp, lockPath, info);
        heldHere.add(key);
        return {
          release: async () => {
            heldHere.delete(key);
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
      // The host name is not compared: a container's changes on every start, and a lock from a
      // dead container must not block the folder for ever.
      if (holder) {
        if (holder.pid === process.pid) {
          if (heldHere.has(key)) throw inUse(dataDir, holder);
        } else if (isAlive(holder)) {
          throw inUse(dataDir, holder);
        }
      } else if (await isFresh(ops, lockPath)) {
        // Unreadable but just made: another process may be writing it in place right now.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      // Stale (its process is gone) or unreadable and old: take it over.
      await ops.unlink(lockPath).catch((e: unknown) => {
        if (errnoOf(e) !== 'ENOENT') throw e;
      });
    }
    throw new BerthError('conflict', `Data folder ${dataDir} is in use by another Berth process.`);
  } finally {
    await ops.unlink(tmp).catch(() => undefined);
  }
}

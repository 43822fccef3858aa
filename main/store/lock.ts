/**
 * One writer per data folder. The lock file is created whole and atomically (written to a temp
 * file, then hard-linked into place, which fails if the lock exists), so a reader never sees a
 * half-written lock. A lock whose process is gone (say it was SIGKILLed) is stale and taken over
 * at once.
 *
 * Taking over is atomic: two processes that find the same stale lock at the same moment must not
 * both remove it (the second would remove the first one's new lock). Only the process that
 * creates the takeover marker for that stale lock (DATA/tmp/takeover-<its hash>-<n>, exclusive)
 * may remove it, and only after reading it again under the marker and finding the very same
 * lock: a lock is removed only by its holder or by the one marker owner, and a new lock is only
 * ever created where none is, so what was read under the marker is still what is removed. A
 * marker whose owner died is passed over (the next number); markers go once the takeover is done
 * (a latecomer's marker then finds another lock in place and backs off).
 *
 * Pids are reused (in a container the server is often pid 1 on every start), so a lock naming
 * our own pid that this process does not hold is stale, and on Linux the holder's start time
 * (from /proc) tells a live holder from an unrelated process that got its pid.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { BerthError } from '../contract/errors';
import { errnoOf, FILE_MODE, type FileOps } from '../files/file-ops';

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

/** The lock as read (its text identifies it), with its holder when the text names one. */
async function readLock(ops: FileOps, path: string): Promise<{ text: string; holder: LockInfo | null }> {
  let text: string;
  try {
    text = await ops.readFile(path, 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') throw err;
    return { text: '', holder: null };
  }
  return { text, holder: parseLock(text) };
}

function parseLock(text: string): LockInfo | null {
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

/** Which lock this is: every lock carries a random nonce, so no two have the same text. */
function lockId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
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

async function createExclusive(ops: FileOps, tmp: string, lockPath: string, text: string): Promise<void> {
  try {
    await ops.link(tmp, lockPath);
  } catch (err) {
    if (!NO_LINKS.has(errnoOf(err) ?? '')) throw err;
    const fh = await ops.open(lockPath, 'wx', FILE_MODE);
    try {
      await fh.writeFile(text, 'utf8');
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

/** Markers of takeovers whose owner died, passed over before giving up. */
const MAX_MARKERS = 16;

type Takeover = 'removed' | 'busy' | 'changed';

/**
 * Removes the stale lock read as `staleText`, unless another process is taking it over (busy) or
 * it is no longer in place (changed).
 */
async function takeOver(
  ops: FileOps,
  paths: { lockPath: string; tmpDir: string; tmp: string; text: string },
  staleText: string,
): Promise<Takeover> {
  const { lockPath, tmpDir, tmp, text } = paths;
  const markers: string[] = [];
  const id = lockId(staleText);
  try {
    for (let n = 1; n <= MAX_MARKERS; n++) {
      const marker = join(tmpDir, `takeover-${id}-${n}.lock`);
      try {
        await createExclusive(ops, tmp, marker, text);
      } catch (err) {
        if (errnoOf(err) !== 'EEXIST') throw err;
        let owner: LockInfo | null;
        try {
          owner = (await readLock(ops, marker)).holder;
        } catch {
          return 'busy'; // its owner just finished
        }
        // Unreadable: being written in place right now (no hard links here).
        if (!owner || isAlive(owner)) return 'busy';
        markers.push(marker); // its owner died mid-takeover: passed over, removed with ours
        continue;
      }
      markers.push(marker);
      let now: string;
      try {
        now = (await readLock(ops, lockPath)).text;
      } catch {
        return 'changed';
      }
      if (lockId(now) !== id) return 'changed';
      await ops.unlink(lockPath).catch((e: unknown) => {
        if (errnoOf(e) !== 'ENOENT') throw e;
      });
      return 'removed';
    }
    throw new Error(`too many abandoned takeovers of ${lockPath}; remove ${join(tmpDir, `takeover-${id}-*`)} by hand`);
  } finally {
    for (const marker of markers.reverse()) await ops.unlink(marker).catch(() => undefined);
  }
}

/**
 * Why the folder cannot be used now: another live process holds its lock (a conflict naming
 * it), or null. Reads only: a tool that must change nothing asks this instead of taking the lock.
 */
export async function lockedBy(ops: FileOps, dataDir: string, lockPath: string): Promise<BerthError | null> {
  let holder: LockInfo | null;
  try {
    holder = (await readLock(ops, lockPath)).holder;
  } catch {
    return null;
  }
  if (!holder) return null;
  if (holder.pid === process.pid) return heldHere.has(resolve(lockPath)) ? inUse(dataDir, holder) : null;
  return isAlive(holder) ? inUse(dataDir, holder) : null;
}

export async function acquireLock(ops: FileOps, dataDir: string, lockPath: string, tmpDir: string): Promise<DataDirLock> {
  const key = resolve(lockPath);
  const info: LockInfo & { nonce: string } = {
    pid: process.pid,
    hostname: hostname(),
    started_at: new Date().toISOString(),
    proc_start: procStart(process.pid),
    nonce: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(info)}\n`;
  const tmp = join(tmpDir, `lock-${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}.tmp`);
  await ops.writeFile(tmp, text, { mode: FILE_MODE });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        await createExclusive(ops, tmp, lockPath, text);
        heldHere.add(key);
        return {
          release: async () => {
            heldHere.delete(key);
            const now = await readLock(ops, lockPath).catch(() => null);
            if (now?.text === text) await ops.unlink(lockPath);
          },
        };
      } catch (err) {
        if (errnoOf(err) !== 'EEXIST') throw err;
      }
      let found: { text: string; holder: LockInfo | null };
      try {
        found = await readLock(ops, lockPath);
      } catch {
        continue; // removed meanwhile: try again
      }
      const holder = found.holder;
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
      if ((await takeOver(ops, { lockPath, tmpDir, tmp, text }, found.text)) === 'busy') {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    throw new BerthError('conflict', `Data folder ${dataDir} is in use by another Berth process.`);
  } finally {
    await ops.unlink(tmp).catch(() => undefined);
  }
}

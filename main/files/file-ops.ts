/**
 * The file-system calls the store makes, gathered in one object so tests can inject failures
 * (a read-only folder or a full disk cannot be simulated with chmod when running as root), and
 * the platform's rules with them (a test can play Windows on Linux).
 */
import * as fsp from 'node:fs/promises';

export type FileOps = Pick<
  typeof fsp,
  'open' | 'rename' | 'unlink' | 'readFile' | 'readdir' | 'mkdir' | 'rm' | 'rmdir' | 'stat' | 'link' | 'writeFile' | 'chmod'
> & {
  /** Whose rules apply (Windows cannot fsync a folder); defaults to this machine's. */
  platform?: NodeJS.Platform;
};

export const nodeFileOps: FileOps = {
  open: fsp.open,
  rename: fsp.rename,
  unlink: fsp.unlink,
  readFile: fsp.readFile,
  readdir: fsp.readdir,
  mkdir: fsp.mkdir,
  rm: fsp.rm,
  rmdir: fsp.rmdir,
  stat: fsp.stat,
  link: fsp.link,
  writeFile: fsp.writeFile,
  chmod: fsp.chmod,
  platform: process.platform,
};

/** Folders of the data are for this user only, files too: private repos are in them. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export function errnoOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return undefined;
}

/** An error shaped like the system's own, for conditions the store detects itself. */
export function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

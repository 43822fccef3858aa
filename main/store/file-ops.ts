/**
 * The file-system calls the store makes, gathered in one object so tests can inject failures
 * (a read-only folder or a full disk cannot be simulated with chmod when running as root).
 */
import * as fsp from 'node:fs/promises';

export type FileOps = Pick<
  typeof fsp,
  'open' | 'rename' | 'unlink' | 'readFile' | 'readdir' | 'mkdir' | 'rm' | 'rmdir' | 'stat' | 'link' | 'writeFile'
>;

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
};

export function errnoOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return undefined;
}

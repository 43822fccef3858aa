import { BerthError } from '../contract/errors';
import { errnoOf } from '../files/file-ops';

const CAUSES: ReadonlyMap<string, string> = new Map([
  ['EROFS', 'the data folder is read-only'],
  ['ENOSPC', 'the disk is full'],
  ['EDQUOT', 'the disk quota is exhausted'],
  ['EACCES', 'permission to write in the data folder was denied'],
  ['EPERM', 'the operation was not permitted in the data folder'],
  ['EIO', 'the disk reported an input/output error'],
  ['EMFILE', 'too many files are open'],
  ['ENFILE', 'too many files are open'],
  ['ENOENT', 'a file or folder of the data folder has disappeared'],
]);

/** A write the disk refused, as the user should read it; the stored data is unchanged. */
export function storageError(err: unknown, action = 'save'): BerthError {
  if (err instanceof BerthError) return err;
  const code = errnoOf(err);
  const cause = code ? CAUSES.get(code) : undefined;
  const detail = cause
    ? `Could not ${action}: ${cause} (${code}).`
    : `Could not ${action}: ${err instanceof Error ? err.message : String(err)}.`;
  return new BerthError('storage_error', detail);
}

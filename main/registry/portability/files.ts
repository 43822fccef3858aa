/**
 * Export to a file and import from one, for the window's Export… and Import… and the command
 * line. An export is written beside its target and renamed over it once complete and flushed,
 * so a failed or interrupted export never leaves half a document where a good one may have been.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BerthError } from '../../contract/errors';
import type { ExportSummary, ImportResult } from '../../contract/portability';
import type { RegistryService } from '../service';
import type { ExportCall, ImportCall } from './index';

const READ_CHUNK = 1024 * 1024;

function fileError(path: string, err: unknown, doing: string): BerthError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const why =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission was denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : (err as Error).message;
  return BerthError.validation({ path: [`Cannot ${doing} ${path}: ${why}.`] }, `Cannot ${doing} ${path}: ${why}.`);
}

export async function exportToFile(service: RegistryService, path: string, call: ExportCall = {}): Promise<ExportSummary> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.part`);
  let handle;
  try {
    handle = await open(temp, 'wx', 0o600);
  } catch (err) {
    throw fileError(path, err, 'write');
  }
  let repos = 0;
  let bytes = 0;
  let namespaces = 0;
  // One piece is written (in the thread pool) while the next is made: the export does not stop
  // for each write, and at most two pieces are held at once.
  let writing: Promise<unknown> = Promise.resolve();
  try {
    for await (const piece of service.exportCatalogue({
      onProgress: (p) => {
        repos = p.repos;
        namespaces = p.namespaces;
        call.onProgress?.(p);
      },
    })) {
      const buf = Buffer.from(piece, 'utf8');
      await writing;
      writing = handle.write(buf);
      // Its failure is taken when it is awaited, before the next write or at the end.
      writing.catch(() => undefined);
      bytes += buf.length;
    }
    await writing;
    await handle.sync();
    await handle.close();
    handle = null;
    await rename(temp, path);
  } catch (err) {
    await writing.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err instanceof BerthError ? err : fileError(path, err, 'write');
  }
  return { namespaces, repos, bytes };
}

export async function importFromFile(service: RegistryService, path: string, call: ImportCall = {}): Promise<ImportResult> {
  try {
    if (!(await stat(path)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (err) {
    throw fileError(path, err, 'read');
  }
  return service.importCatalogue(createReadStream(path, { highWaterMark: READ_CHUNK }), call);
}

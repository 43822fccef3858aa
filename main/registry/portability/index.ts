/**
 * Export and import of the whole catalogue (docs/portability.md): the registry's door to
 * ./export and ./import. One import runs at a time; each namespace an import changed is
 * announced as a change event once the import is done.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BerthError } from '../../contract/errors';
import type { ImportMode, ImportResult } from '../../contract/portability';
import type { RegistryCore } from '../core';
import { exportDocument, type ExportProgress } from './export';
import { importDocument, type ImportRun } from './import';
import type { RegistriesPort } from './registries';

export type { ExportProgress } from './export';
export type { RegistriesImport, RegistriesPort } from './registries';

/** Reads of a received document: large pieces, fewer trips through the tokenizer. */
const READ_CHUNK = 1024 * 1024;

export interface ExportCall {
  onProgress?: (progress: ExportProgress) => void;
}

export interface ImportCall {
  mode?: ImportMode;
  dry_run?: boolean;
  onProgress?: ImportRun['onProgress'];
  /**
   * Receive the whole document into a temp file of the data folder before reading it: a client
   * sending over HTTP must finish within the server's request time limit, and the import reads
   * more slowly than a client sends.
   */
  receiveFirst?: boolean;
}

export class Portability {
  private importing = false;

  constructor(
    private readonly core: RegistryCore,
    private readonly registries?: RegistriesPort,
  ) {}

  exportCatalogue(call: ExportCall = {}): AsyncIterable<string> {
    const registries = this.registries;
    return exportDocument(this.core.store, {
      now: this.core.now,
      onProgress: call.onProgress,
      ...(registries ? { registries: () => registries.exportable() } : {}),
    });
  }

  async importCatalogue(source: AsyncIterable<Buffer | string>, call: ImportCall = {}): Promise<ImportResult> {
    const mode = call.mode ?? 'merge';
    if (mode !== 'merge' && mode !== 'replace') throw BerthError.validation({ mode: ['Must be merge or replace.'] });
    if (call.dry_run !== undefined && typeof call.dry_run !== 'boolean')
      throw BerthError.validation({ dry_run: ['Must be true or false.'] });
    if (this.importing) throw BerthError.conflict('Another import is running; try again once it has finished.');
    this.importing = true;
    let received: string | null = null;
    try {
      if (call.receiveFirst) {
        received = join(this.core.store.layout.tmp, `upload-${randomBytes(6).toString('hex')}.json`);
        await pipeline(source, createWriteStream(received, { flags: 'wx', mode: 0o600 }));
        source = createReadStream(received, { highWaterMark: READ_CHUNK });
      }
      const { result, events } = await importDocument(this.core.store, source, {
        mode,
        dryRun: call.dry_run ?? false,
        at: this.core.now(),
        ...(this.registries ? { registries: this.registries } : {}),
        ...(call.onProgress ? { onProgress: call.onProgress } : {}),
      });
      for (const event of events) this.core.events.emit(event);
      return result;
    } finally {
      this.importing = false;
      if (received) await rm(received, { force: true });
    }
  }
}

/**
 * Export and import of the whole catalogue (docs/portability.md): the registry's door to
 * ./export and ./import. One import runs at a time; each namespace an import changed is
 * announced as a change event once the import is done.
 */
import { BerthError } from '../../contract/errors';
import type { ImportMode, ImportResult } from '../../contract/portability';
import type { ChangeEvent } from '../../contract/types';
import type { Store } from '../../store';
import { exportDocument, type RegistriesSource } from './export';
import { importDocument, type ImportRun } from './import';

export type { RegistriesSource } from './export';

export interface ExportCall {
  onProgress?: (progress: { repos: number; total: number; bytes: number }) => void;
}

export interface ImportCall {
  mode?: ImportMode;
  dry_run?: boolean;
  onProgress?: ImportRun['onProgress'];
}

export class Portability {
  private importing = false;

  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly emit: (event: ChangeEvent) => void,
    private readonly registries?: RegistriesSource,
  ) {}

  exportCatalogue(call: ExportCall = {}): AsyncIterable<string> {
    return exportDocument(this.store, { now: this.now, onProgress: call.onProgress, registries: this.registries });
  }

  async importCatalogue(source: AsyncIterable<Buffer | string>, call: ImportCall = {}): Promise<ImportResult> {
    const mode = call.mode ?? 'merge';
    if (mode !== 'merge' && mode !== 'replace') throw BerthError.validation({ mode: ['Must be merge or replace.'] });
    if (call.dry_run !== undefined && typeof call.dry_run !== 'boolean') throw BerthError.validation({ dry_run: ['Must be true or false.'] });
    if (this.importing) throw BerthError.conflict('Another import is running; try again once it has finished.');
    this.importing = true;
    try {
      const { result, events } = await importDocument(this.store, source, { mode, dryRun: call.dry_run ?? false, onProgress: call.onProgress });
      for (const event of events) this.emit(event);
      return result;
    } finally {
      this.importing = false;
    }
  }
}

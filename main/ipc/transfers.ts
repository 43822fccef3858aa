/**
 * The window's Export… and Import…: a file is chosen in a dialog the main process shows (the
 * app's native save/open dialogs; the test harness answers with a path of its own), and only a
 * path chosen that way may then be written or read. A compromised window could otherwise name
 * any file this user may write (a shell profile, say) or read (a key) and have the backend do it.
 * One export or import runs at a time; its progress is read by polling.
 */
import type { BerthOperations } from '../contract/api';
import { BerthError } from '../contract/errors';
import type { TransferProgress } from '../contract/portability';
import { exportToFile, importFromFile } from '../registry/portability/files';
import type { RegistryService } from '../registry/service';

/** Where the user chose to save an export, or which file to import; null when cancelled. */
export interface FileDialogs {
  chooseExportPath(): Promise<string | null>;
  chooseImportPath(): Promise<string | null>;
}

/** Without dialogs (a backend with no window) nothing can be chosen, so nothing is written or read. */
export const NO_DIALOGS: FileDialogs = {
  chooseExportPath: () => Promise.reject(new BerthError('forbidden', 'There is no file dialog here to choose a file with.')),
  chooseImportPath: () => Promise.reject(new BerthError('forbidden', 'There is no file dialog here to choose a file with.')),
};

/** Paths chosen in dialogs, remembered for the session (a dry run and the import then use the same). */
const MAX_CHOSEN = 32;

type TransferOperations = Pick<
  BerthOperations,
  'chooseExportFile' | 'exportCatalogue' | 'chooseImportFile' | 'importCatalogue' | 'getTransferProgress'
>;

export function transferOperations(registry: RegistryService, dialogs: FileDialogs): TransferOperations {
  const chosen = { export: new Set<string>(), import: new Set<string>() };
  let progress: TransferProgress | null = null;

  const remember = (kind: 'export' | 'import', path: string | null) => {
    if (path === null) return null;
    const set = chosen[kind];
    set.delete(path);
    set.add(path);
    if (set.size > MAX_CHOSEN) set.delete(set.values().next().value as string);
    return path;
  };
  const requireChosen = (kind: 'export' | 'import', path: string) => {
    if (!chosen[kind].has(path)) {
      const menu = kind === 'export' ? 'Export…' : 'Import…';
      throw new BerthError(
        'forbidden',
        `Choose the file with File > ${menu} first: the window only ${kind === 'export' ? 'writes' : 'reads'} files you chose.`,
      );
    }
  };
  const oneAtATime = async <T>(start: TransferProgress, run: () => Promise<T>): Promise<T> => {
    if (progress) throw BerthError.conflict(`An ${progress.kind} is running; try again once it has finished.`);
    progress = start;
    try {
      return await run();
    } finally {
      progress = null;
    }
  };

  return {
    chooseExportFile: async () => remember('export', await dialogs.chooseExportPath()),
    chooseImportFile: async () => remember('import', await dialogs.chooseImportPath()),
    exportCatalogue: (path) => {
      requireChosen('export', path);
      const start: TransferProgress = { kind: 'export', phase: 'writing', repos: 0, total: null, bytes: 0, total_bytes: null };
      return oneAtATime(start, () =>
        exportToFile(registry, path, { onProgress: (p) => (progress = { ...start, repos: p.repos, total: p.total, bytes: p.bytes }) }),
      );
    },
    importCatalogue: (path, options) => {
      requireChosen('import', path);
      const start: TransferProgress = { kind: 'import', phase: 'reading', repos: 0, total: null, bytes: 0, total_bytes: null };
      return oneAtATime(start, () =>
        importFromFile(registry, path, {
          ...options,
          onProgress: (p) => (progress = { ...start, phase: p.phase, repos: p.repos, bytes: p.bytes }),
        }),
      );
    },
    getTransferProgress: async () => progress,
  };
}

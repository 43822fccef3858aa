/** The native save and open dialogs of File > Export… and Import… (see main/ipc/transfers.ts). */
import { dialog, type BrowserWindow } from 'electron';
import type { FileDialogs } from '../ipc';

const FILTERS = [
  { name: 'Berth export', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

export function nativeFileDialogs(window: () => BrowserWindow | null): FileDialogs {
  return {
    async chooseExportPath() {
      const day = new Date().toISOString().slice(0, 10);
      const options = { title: 'Export the catalogue', defaultPath: `berth-export-${day}.json`, filters: FILTERS };
      const parent = window();
      const answer = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return answer.canceled || !answer.filePath ? null : answer.filePath;
    },
    async chooseImportPath() {
      const options = { title: 'Import a catalogue', filters: FILTERS, properties: ['openFile' as const] };
      const parent = window();
      const answer = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return answer.canceled ? null : (answer.filePaths[0] ?? null);
    },
  };
}

/**
 * Opens a conf-style settings file, keeping a file that does not parse aside (never deleting it)
 * and starting from defaults, with a clear report: settings are not worth refusing to start.
 */
import { existsSync, renameSync } from 'node:fs';
import type { KeyValueStore } from './settings';

export const SETTINGS_FILE_NAME = 'settings';

export function openWithRecovery<S extends KeyValueStore>(open: () => S, filePath: string): S {
  try {
    return open();
  } catch (error) {
    if (!(error instanceof SyntaxError) || !existsSync(filePath)) throw error;
    const aside = `${filePath}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(filePath, aside);
    console.warn(`Berth: the settings file ${filePath} could not be read (${error.message}); it was kept as ${aside} and defaults are used.`);
    return open();
  }
}

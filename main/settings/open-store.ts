/**
 * Opens the conf-style settings file, keeping a file that does not parse aside (never deleting
 * it) and starting from defaults, with a clear report: settings are not worth refusing to start.
 */
import { existsSync, renameSync } from 'node:fs';
import Conf from 'conf';
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

/** Settings in `dir`/settings.json through `conf`; for plain Node (tests, the browser harness). */
export function openConfSettingsStore(dir: string): KeyValueStore & { readonly path: string } {
  const open = () => new Conf<Record<string, unknown>>({ cwd: dir, configName: SETTINGS_FILE_NAME, accessPropertiesByDotNotation: false });
  return openWithRecovery(open, `${dir}/${SETTINGS_FILE_NAME}.json`);
}

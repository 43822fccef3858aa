/** Settings over electron-store in the app's userData folder (the only place electron-store is used). */
import { join } from 'node:path';
import Store from 'electron-store';
import { openWithRecovery, SETTINGS_FILE_NAME, type OpenedSettingsStore } from '../settings/recovery';

export function openElectronSettingsStore(userDataDir: string): OpenedSettingsStore {
  const open = () =>
    new Store<Record<string, unknown>>({ name: SETTINGS_FILE_NAME, cwd: userDataDir, accessPropertiesByDotNotation: false });
  return openWithRecovery(open, join(userDataDir, `${SETTINGS_FILE_NAME}.json`));
}

/** Settings through `conf` (what electron-store is built on), for plain Node: tests and the browser harness. */
import { join } from 'node:path';
import Conf from 'conf';
import { openWithRecovery, SETTINGS_FILE_NAME, type OpenedSettingsStore } from '../../main/settings/recovery';

export function openConfSettingsStore(dir: string): OpenedSettingsStore {
  const open = () => new Conf<Record<string, unknown>>({ cwd: dir, configName: SETTINGS_FILE_NAME, accessPropertiesByDotNotation: false });
  return openWithRecovery(open, join(dir, `${SETTINGS_FILE_NAME}.json`));
}

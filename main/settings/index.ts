export { createSettings, DEFAULT_SETTINGS, DEFAULT_API_PORT, WindowBounds } from './settings';
export type { KeyValueStore, SettingsService } from './settings';
export { openConfSettingsStore, openWithRecovery, SETTINGS_FILE_NAME } from './open-store';

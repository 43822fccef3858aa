export { createSettings, DEFAULT_SETTINGS, DEFAULT_API_PORT, WindowBounds } from './settings';
export type { KeyValueStore, SettingsService } from './settings';
export { memorySettingsStore, openWithRecovery, SETTINGS_FILE_NAME } from './recovery';
export type { OpenedSettingsStore } from './recovery';

export { createSettings, DEFAULT_SETTINGS, WindowBounds } from './settings';
export type { KeyValueStore, SettingsService } from './settings';
export type { OpenedSettingsStore } from './recovery';

/**
 * Opens a conf-style settings file. Settings are not worth refusing to start over: a file that
 * does not parse is kept aside (never deleted) and defaults are used; a file that cannot be read
 * at all (a folder in its place, no permission) leaves the app running on settings held in
 * memory. Either way the problem is reported, for the log and for the window.
 */
import { existsSync, renameSync } from 'node:fs';
import type { SettingsProblem } from '../contract/types';
import type { KeyValueStore } from './settings';

export const SETTINGS_FILE_NAME = 'settings';

/** A settings store as opened, with what went wrong on the way. */
export interface OpenedSettingsStore {
  store: KeyValueStore;
  problems: readonly SettingsProblem[];
}

/** Settings that last until the app quits: used when the file cannot be used at all. */
export function memorySettingsStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return { get: (key) => values.get(key), set: (key, value) => void values.set(key, value) };
}

function report(detail: string): SettingsProblem {
  console.warn(`Berth: ${detail}`);
  return { setting: null, detail };
}

function inMemory(filePath: string, error: unknown, before: SettingsProblem[] = []): OpenedSettingsStore {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EISDIR'
      ? `${filePath} is a folder`
      : `${filePath} cannot be used (${code ?? (error instanceof Error ? error.message : String(error))})`;
  return {
    store: memorySettingsStore(),
    problems: [...before, report(`Settings cannot be read or saved: ${why}. Defaults are used and changes last until Berth quits.`)],
  };
}

export function openWithRecovery(open: () => KeyValueStore, filePath: string): OpenedSettingsStore {
  try {
    return { store: open(), problems: [] };
  } catch (error) {
    if (!(error instanceof SyntaxError) || !existsSync(filePath)) return inMemory(filePath, error);
    const aside = `${filePath}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(filePath, aside);
    } catch (renameError) {
      return inMemory(filePath, renameError);
    }
    const keptAside = report(
      `The settings file ${filePath} could not be read (${error.message}); it was kept as ${aside} and defaults are used.`,
    );
    try {
      return { store: open(), problems: [keptAside] };
    } catch (again) {
      return inMemory(filePath, again, [keptAside]);
    }
  }
}

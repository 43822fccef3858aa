/**
 * The desktop user's settings: theme, API port, anonymous reads, last namespace, the width of
 * the repository list and window bounds. The same code runs over electron-store in the app and over `conf` (which electron-store
 * is built on) in plain Node tests; it never imports electron.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BerthError } from '../contract/errors';
import { SettingsPatch } from '../contract/schemas';
import type { Settings } from '../contract/types';

/** The part of conf / electron-store that settings need. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export const DEFAULT_API_PORT = 5080;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  theme: 'system',
  api_port: DEFAULT_API_PORT,
  anonymous_reads: true,
  last_namespace: null,
  list_pane_width: null,
});

export const WindowBounds = Type.Object(
  {
    x: Type.Optional(Type.Integer()),
    y: Type.Optional(Type.Integer()),
    width: Type.Integer({ minimum: 200, maximum: 100_000 }),
    height: Type.Integer({ minimum: 150, maximum: 100_000 }),
    maximized: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WindowBounds = Static<typeof WindowBounds>;

const patchCheck = TypeCompiler.Compile(SettingsPatch);
const boundsCheck = TypeCompiler.Compile(WindowBounds);

const SETTING_KEYS = ['theme', 'api_port', 'anonymous_reads', 'last_namespace', 'list_pane_width'] as const satisfies readonly (keyof Settings)[];
const BOUNDS_KEY = 'window_bounds';

export interface SettingsService {
  get(): Settings;
  /** Validates and stores a partial change; answers the settings as they are now. */
  update(patch: SettingsPatch): Settings;
  /** Last remembered window bounds, or null on first launch. */
  windowBounds(): WindowBounds | null;
  setWindowBounds(bounds: WindowBounds): void;
}

export function createSettings(store: KeyValueStore): SettingsService {
  // A hand-edited or older file may hold a value the app no longer accepts: each such value
  // falls back to its default on read (and says so) instead of breaking the window.
  const read = <K extends keyof Settings>(key: K): Settings[K] => {
    const value = store.get(key);
    if (value === undefined) return DEFAULT_SETTINGS[key];
    if (!patchCheck.Check({ [key]: value })) {
      console.warn(`Berth: ignoring the stored setting ${key}=${JSON.stringify(value)}; using the default.`);
      return DEFAULT_SETTINGS[key];
    }
    return value as Settings[K];
  };

  const get = (): Settings => ({
    theme: read('theme'),
    api_port: read('api_port'),
    anonymous_reads: read('anonymous_reads'),
    last_namespace: read('last_namespace'),
    list_pane_width: read('list_pane_width'),
  });

  return {
    get,
    update(patch) {
      if (!patchCheck.Check(patch)) {
        // Map then fromEntries: a key named `__proto__` stays plain data.
        const errors = new Map<string, string[]>();
        for (const error of patchCheck.Errors(patch)) {
          const field = error.path.split('/')[1] || 'settings';
          errors.set(field, [...(errors.get(field) ?? []), error.message]);
        }
        throw BerthError.validation(Object.fromEntries(errors));
      }
      // Validate all first, then write: a bad patch changes nothing.
      for (const key of SETTING_KEYS) {
        if (Object.hasOwn(patch, key) && patch[key] !== undefined) store.set(key, patch[key]);
      }
      return get();
    },
    windowBounds() {
      const value = store.get(BOUNDS_KEY);
      return value !== undefined && boundsCheck.Check(value) ? value : null;
    },
    setWindowBounds(bounds) {
      if (!boundsCheck.Check(bounds)) throw BerthError.validation({ window_bounds: ['Window bounds are not valid.'] });
      store.set(BOUNDS_KEY, bounds);
    },
  };
}

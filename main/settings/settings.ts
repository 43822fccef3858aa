/**
 * The desktop user's settings: theme, API port, anonymous reads, last namespace, the width of
 * the repository list and window bounds. The same code runs over electron-store in the app and over `conf` (which electron-store
 * is built on) in plain Node tests; it never imports electron.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BerthError } from '../contract/errors';
import { compileFieldCheck } from '../contract/field-errors';
import { SettingsPatch } from '../contract/schemas';
import type { Settings, SettingsProblem } from '../contract/types';
import type { OpenedSettingsStore } from './recovery';

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

/**
 * What a stored value Berth cannot accept (a hand-edited file, an older version) is replaced
 * with while it stays in the file: the default, except that reads need the token, the safer side.
 */
const INSTEAD_OF_INVALID: Readonly<Settings> = Object.freeze({ ...DEFAULT_SETTINGS, anonymous_reads: false });

const SETTING_NAMES: Readonly<Record<keyof Settings, string>> = {
  theme: 'Theme',
  api_port: 'Port',
  anonymous_reads: 'Allow anonymous reads',
  last_namespace: 'Last namespace',
  list_pane_width: 'Repository list width',
};

const USED_INSTEAD: Readonly<Record<keyof Settings, string>> = {
  theme: 'the theme follows the system',
  api_port: `port ${DEFAULT_API_PORT} is used`,
  anonymous_reads: 'anonymous reads are off (the safer choice)',
  last_namespace: 'the first namespace opens',
  list_pane_width: 'the list has its default width',
};

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

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
const patchErrors = compileFieldCheck(SettingsPatch);
const boundsCheck = TypeCompiler.Compile(WindowBounds);

const SETTING_KEYS = [
  'theme',
  'api_port',
  'anonymous_reads',
  'last_namespace',
  'list_pane_width',
] as const satisfies readonly (keyof Settings)[];
const BOUNDS_KEY = 'window_bounds';

export interface SettingsService {
  get(): Settings;
  /** Stored values Berth cannot use (and what it uses instead), and trouble with the file itself. */
  problems(): SettingsProblem[];
  /** Validates and stores a partial change; answers the settings as they are now. */
  update(patch: SettingsPatch): Settings;
  /** Last remembered window bounds, or null on first launch. */
  windowBounds(): WindowBounds | null;
  setWindowBounds(bounds: WindowBounds): void;
}

export function createSettings({ store, problems: openProblems }: OpenedSettingsStore): SettingsService {
  const isValid = (key: keyof Settings, value: unknown) => patchCheck.Check({ [key]: value });

  // A hand-edited or older file may hold a value the app no longer accepts: each such value is
  // replaced on read (see INSTEAD_OF_INVALID) and reported, rather than breaking the window.
  const read = <K extends keyof Settings>(key: K): Settings[K] => {
    const value = store.get(key);
    if (value === undefined) return DEFAULT_SETTINGS[key];
    return isValid(key, value) ? (value as Settings[K]) : INSTEAD_OF_INVALID[key];
  };

  const get = (): Settings => ({
    theme: read('theme'),
    api_port: read('api_port'),
    anonymous_reads: read('anonymous_reads'),
    last_namespace: read('last_namespace'),
    list_pane_width: read('list_pane_width'),
  });

  const problems = (): SettingsProblem[] => {
    const found: SettingsProblem[] = [...openProblems];
    for (const key of SETTING_KEYS) {
      const value = store.get(key);
      if (value === undefined || isValid(key, value)) continue;
      found.push({
        setting: key,
        detail: `The stored setting “${SETTING_NAMES[key]}” is ${shown(value)}, which Berth cannot use: ${USED_INSTEAD[key]} until you choose again.`,
      });
    }
    return found;
  };

  for (const problem of problems()) if (problem.setting !== null) console.warn(`Berth: ${problem.detail}`);

  return {
    get,
    problems,
    update(patch) {
      const errors = patchErrors(patch, 'settings');
      if (errors) throw BerthError.validation(errors);
      // Validate all first, then write: a bad patch changes nothing.
      for (const key of SETTING_KEYS) {
        if (!Object.hasOwn(patch, key) || patch[key] === undefined) continue;
        try {
          store.set(key, patch[key]);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
          throw new BerthError('storage_error', `The settings could not be saved (${code}).`);
        }
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

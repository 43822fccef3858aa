import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BerthError } from '../../main/contract/errors';
import { createSettings, DEFAULT_SETTINGS } from '../../main/settings';
import { openConfSettingsStore } from '../support/conf-settings';

let dir: string;
const open = () => createSettings(openConfSettingsStore(dir));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-settings-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('settings', () => {
  it('start from the defaults: system theme, port 5080, anonymous reads on, no namespace, default list width', () => {
    expect(open().get()).toEqual({ theme: 'system', api_port: 5080, anonymous_reads: true, last_namespace: null, list_pane_width: null });
    expect(open().windowBounds()).toBeNull();
  });

  it('keep a change in a readable file, for the next start', async () => {
    open().update({ theme: 'light', last_namespace: 'acme' });
    expect(open().get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'light', last_namespace: 'acme' });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'light', last_namespace: 'acme' });
    open().update({ last_namespace: null });
    expect(open().get().last_namespace).toBeNull();
    open().update({ list_pane_width: 420 });
    expect(open().get().list_pane_width).toBe(420);
  });

  it.each([
    { theme: 'neon' },
    { api_port: 0 },
    { api_port: 65536 },
    { anonymous_reads: 'no' },
    { last_namespace: 'x'.repeat(256) },
    { list_pane_width: 12.5 },
    { list_pane_width: 10 },
    { colour: 'red' },
  ])('refuse %j with a validation error naming the field and change nothing', (patch) => {
    const settings = open();
    settings.update({ theme: 'dark' });
    let caught: unknown;
    try {
      settings.update(patch as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BerthError);
    expect((caught as BerthError).code).toBe('validation_error');
    expect(Object.keys((caught as BerthError).errors ?? {})).toEqual([Object.keys(patch)[0]]);
    expect(open().get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
  });

  it('refuse a __proto__ key as data, without touching any prototype', () => {
    const patch = JSON.parse('{"__proto__": {"theme": "dark"}, "theme": "light"}') as never;
    expect(() => open().update(patch)).toThrow(BerthError);
    expect(open().get().theme).toBe('system');
    expect(({} as Record<string, unknown>).theme).toBeUndefined();
  });

  it('remember window bounds and refuse nonsense ones', () => {
    open().setWindowBounds({ x: -1200, y: 40, width: 1100, height: 700, maximized: true });
    expect(open().windowBounds()).toEqual({ x: -1200, y: 40, width: 1100, height: 700, maximized: true });
    expect(() => open().setWindowBounds({ width: 10, height: 10 })).toThrow(BerthError);
  });

  it('fall back to the default for a stored value the app no longer accepts, and say so', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ theme: 'sepia', api_port: 'high', anonymous_reads: false }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(open().get()).toEqual({ ...DEFAULT_SETTINGS, anonymous_reads: false });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Theme'));
  });

  it('use the safer value for invalid stored settings (anonymous reads off, the default port) and report each', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ anonymous_reads: 'no', api_port: 'abc', last_namespace: 'acme' }));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const settings = open();
    expect(settings.get()).toEqual({ ...DEFAULT_SETTINGS, anonymous_reads: false, api_port: 5080, last_namespace: 'acme' });
    expect(settings.problems()).toEqual([
      {
        setting: 'api_port',
        detail: 'The stored setting “Port” is "abc", which Berth cannot use: port 5080 is used until you choose again.',
      },
      {
        setting: 'anonymous_reads',
        detail:
          'The stored setting “Allow anonymous reads” is "no", which Berth cannot use: anonymous reads are off (the safer choice) until you choose again.',
      },
    ]);
    // The bad values stay in the file until a choice replaces them.
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ anonymous_reads: 'no', api_port: 'abc' });
    settings.update({ anonymous_reads: true });
    expect(settings.get().anonymous_reads).toBe(true);
    expect(settings.problems().map((problem) => problem.setting)).toEqual(['api_port']);
  });

  it('run on settings held in memory when the settings file is a folder, and say so', async () => {
    await mkdir(join(dir, 'settings.json', 'inside'), { recursive: true });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const settings = open();
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    const problems = settings.problems();
    expect(problems).toEqual([{ setting: null, detail: expect.stringContaining(`${join(dir, 'settings.json')} is a folder`) }]);
    expect(problems[0]?.detail).toMatch(/changes last until Berth quits/);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('is a folder'));
    settings.update({ theme: 'dark', api_port: 6000 });
    expect(settings.get()).toMatchObject({ theme: 'dark', api_port: 6000 });
    // The folder is left as it was.
    expect(await readdir(join(dir, 'settings.json'))).toEqual(['inside']);
  });

  it('report a settings write the disk refuses as a storage error', () => {
    const failing = {
      get: () => undefined,
      set: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    const settings = createSettings({ store: failing, problems: [] });
    expect(() => settings.update({ theme: 'dark' })).toThrow(
      expect.objectContaining({ code: 'storage_error', message: 'The settings could not be saved (ENOSPC).' }),
    );
  });

  it('keep an unreadable settings file aside instead of overwriting it, and start from defaults', async () => {
    await writeFile(join(dir, 'settings.json'), '{"theme": "dark",');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const settings = open();
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    const aside = (await readdir(dir)).filter((name) => name.startsWith('settings.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, aside[0] ?? ''), 'utf8')).toBe('{"theme": "dark",');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not be read'));
    expect(settings.problems()).toEqual([
      { setting: null, detail: expect.stringContaining(`it was kept as ${join(dir, aside[0] ?? '')}`) },
    ]);
    settings.update({ theme: 'dark' });
    expect(open().get().theme).toBe('dark');
  });
});

import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BerthError } from '../../main/contract/errors';
import { createSettings, DEFAULT_SETTINGS, openConfSettingsStore } from '../../main/settings';

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

  it.each([{ theme: 'neon' }, { api_port: 0 }, { api_port: 65536 }, { anonymous_reads: 'no' }, { last_namespace: 'x'.repeat(256) }, { list_pane_width: 12.5 }, { list_pane_width: 10 }, { colour: 'red' }])(
    'refuse %j with a validation error naming the field and change nothing',
    (patch) => {
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
    },
  );

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
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('theme'));
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
    settings.update({ theme: 'dark' });
    expect(open().get().theme).toBe('dark');
  });
});

/**
 * The Electron glue (main/index.ts, main/electron/*) run in plain Node against a recording
 * stand-in for the `electron` module — the binary is not installed here. What is real: the
 * backend (temp data dir, HTTP API on a loopback port), settings over conf (what electron-store
 * wraps), the IPC dispatcher. What this proves: the window is created locked down, every
 * channel is wired through the sender check, changes reach the window, the session denies
 * permissions and sends the CSP, navigation and new windows are refused, and quitting closes
 * the backend (its data-dir lock is released).
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANGE_CHANNEL, OPERATION_NAMES, channelOf } from '../../main/contract/api';
import { createBackend } from '../../main/backend';
import { httpCall } from '../harness/fixtures';
import { fake } from './fake-electron';

vi.mock('electron', async () => {
  const { fake } = await import('./fake-electron');
  return { ...fake.electron, default: fake.electron };
});

vi.mock('electron-store', async () => (await import('./fake-electron')).fakeElectronStoreModule());

let profile: string;
let port: number;
const { state } = fake;
const win = () => {
  const window = state.windows[0];
  if (!window) throw new Error('no window was created');
  return window;
};
const invoke = (operation: string, senderUrl: string | null, ...args: unknown[]) => {
  const handler = state.handlers.get(channelOf(operation as never));
  if (!handler) throw new Error(`no handler for ${operation}`);
  return handler({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, ...args) as Promise<{
    ok: boolean;
    result?: unknown;
    error?: { code: string };
  }>;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'berth-glue-'));
  port = await freePort();
  await writeFile(join(profile, 'settings.json'), JSON.stringify({ api_port: port, theme: 'dark' }));
  process.env.BERTH_USER_DATA_DIR = profile;
  delete process.env.ELECTRON_RENDERER_URL;
  await import('../../main/index');
  await vi.waitFor(() => expect(state.windows).toHaveLength(1), { timeout: 10_000 });
});

afterAll(async () => {
  delete process.env.BERTH_USER_DATA_DIR;
  await rm(profile, { recursive: true, force: true });
});

describe('the Electron glue', () => {
  it('opens one locked-down window on the built page with the CommonJS preload', () => {
    const prefs = win().options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(win().loaded).toMatch(/^file:\/\/.*\/renderer\/index\.html$/);
    expect(fake.electron.nativeTheme.themeSource).toBe('dark');
    expect(state.menu).not.toBeNull();
    expect(state.errors).toEqual([]);
  });

  it('starts the API on the port from settings, with the token stored in userData/data', async () => {
    const apiUrl = `http://127.0.0.1:${port}`;
    expect((await httpCall(apiUrl, null, 'GET', '/v1/_ping')).status).toBe(200);
    const info = await invoke('getServerInfo', win().loaded);
    expect(info).toMatchObject({ ok: true, result: { listening: true, port, data_dir: join(profile, 'data') } });
  });

  it('wires every operation through the sender check', async () => {
    expect([...state.handlers.keys()].sort()).toEqual(OPERATION_NAMES.map((name) => channelOf(name)).sort());
    const page = win().loaded;
    expect(await invoke('createNamespace', page, 'acme')).toMatchObject({ ok: true, result: { namespace: 'acme' } });
    expect(await invoke('createNamespace', 'https://evil.example/', 'evil')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke('createNamespace', null, 'evil')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke('createNamespace', page, 'Bad Name')).toMatchObject({ ok: false, error: { code: 'validation_error' } });
  });

  it('forwards a change made over HTTP to the window', async () => {
    const token = ((await invoke('getToken', win().loaded)) as { result: string }).result;
    state.sent.length = 0;
    expect((await httpCall(`http://127.0.0.1:${port}`, token, 'POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
    await vi.waitFor(
      () =>
        expect(state.sent).toContainEqual({
          channel: CHANGE_CHANNEL,
          payload: expect.objectContaining({ entity: 'repo', repo_name: 'web' }),
        }),
      {
        timeout: 1_000,
      },
    );
  });

  it('seals registry passwords with safeStorage and tells the window about registry changes', async () => {
    state.sent.length = 0;
    const created = await invoke(
      'createRegistry',
      win().loaded,
      { name: 'corp', url: 'https://registry.corp.example', username: 'alice', password: 'glue-secret-pw' },
      { verify: false },
    );
    expect(created).toMatchObject({ ok: true, result: { name: 'corp', username: 'alice', has_password: true } });
    expect(JSON.stringify(created)).not.toContain('glue-secret-pw');
    const saved = await readFile(join(profile, 'data', 'credentials.json'), 'utf8');
    expect(saved).not.toContain('glue-secret-pw');
    expect(JSON.parse(saved)).toMatchObject({ registries: { corp: { username: 'alice', password: { codec: 'safeStorage' } } } });
    expect(state.sent).toContainEqual({ channel: CHANGE_CHANNEL, payload: { entity: 'registry', action: 'created', registry: 'corp' } });
  });

  it('applies a theme change to the native theme too', async () => {
    await invoke('updateSettings', win().loaded, { theme: 'light' });
    expect(fake.electron.nativeTheme.themeSource).toBe('light');
  });

  it('denies every permission and sends the CSP header', () => {
    const answers: boolean[] = [];
    state.permissionRequest?.({}, 'media', (granted) => answers.push(granted));
    state.permissionRequest?.({}, 'notifications', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(state.permissionCheck?.({}, 'clipboard-read', 'file://', {})).toBe(false);
    let headers: Record<string, string | string[]> | undefined;
    state.headerListener?.({ url: 'file:///x', responseHeaders: { 'X-Other': ['1'] } }, (response) => (headers = response.responseHeaders));
    expect(headers?.['X-Other']).toEqual(['1']);
    expect(String(headers?.['Content-Security-Policy'])).toContain("script-src 'self'");
  });

  it('loads nothing from the network, no other file, and no inline page', () => {
    const page = win().loaded ?? '';
    const cancelled = (url: string, resourceType = 'image', frame: { url: string } | null = { url: page }) => {
      let answer: { cancel?: boolean } | undefined;
      state.requestListener?.({ url, resourceType, frame }, (response) => (answer = response));
      return answer?.cancel;
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(cancelled(page, 'mainFrame', null)).toBe(false);
    expect(cancelled(new URL('assets/index.js', page).toString(), 'script')).toBe(false);
    expect(cancelled('data:image/png;base64,AAAA')).toBe(false);
    expect(cancelled('https://tracker.example/pixel.gif')).toBe(true);
    expect(cancelled(`http://127.0.0.1:${port}/v1/_ping`)).toBe(true);
    expect(cancelled('ws://localhost:5173/')).toBe(true);
    expect(cancelled('file:///etc/passwd', 'mainFrame', null)).toBe(true);
    expect(cancelled('data:text/html,<script>alert(1)</script>', 'mainFrame')).toBe(true);
    expect(cancelled('data:image/png;base64,AAAA', 'image', { url: 'https://evil.example/' })).toBe(true);
    expect(warn).toHaveBeenCalledTimes(6);
    warn.mockRestore();
  });

  it('blocks navigation away, denies new windows and sends only web links to the browser', () => {
    const contents = win().webContents;
    const navigate = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    state.opened.length = 0;
    expect(navigate(`${win().loaded}#/repos`)).toBe(false);
    expect(navigate('https://example.com/docs')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://hub.docker.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(state.opened).toEqual(['https://example.com/docs', 'https://hub.docker.com/']);
    let webviewPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });

  it('asks before a close or reload drops an unsaved edit, and goes on only after "Discard"', () => {
    const contents = win().webContents;
    for (const [answer, goesOn] of [
      [1, false],
      [0, true],
    ] as const) {
      fake.state.nextAnswer = answer;
      let unloadGoesOn = false;
      contents.emit('will-prevent-unload', { preventDefault: () => (unloadGoesOn = true) });
      expect(unloadGoesOn).toBe(goesOn);
    }
    expect(fake.state.questions).toEqual([
      { message: 'Discard unsaved changes?', buttons: ['Discard changes', 'Keep editing'] },
      { message: 'Discard unsaved changes?', buttons: ['Discard changes', 'Keep editing'] },
    ]);
  });

  it('focuses the window on a second launch', () => {
    const before = win().focused;
    fake.electron.app.emit('second-instance');
    expect(win().focused).toBe(before + 1);
  });

  it('remembers the window bounds and closes the backend before quitting, however often quit is asked', async () => {
    win().emit('close');
    const lock = join(profile, 'data', 'berth.lock');
    expect(existsSync(lock)).toBe(true);
    fake.electron.app.quit();
    fake.electron.app.quit(); // a second Ctrl+C while closing
    expect(state.willQuit).toBe(0);
    await vi.waitFor(() => expect(state.willQuit).toBe(1), { timeout: 10_000 });
    // The app went only after the backend let the data folder go.
    expect(existsSync(lock)).toBe(false);
    // The data dir is free again: another backend can open it, and the data is there.
    const again = await createBackend({ dataDir: join(profile, 'data'), port: 0 });
    try {
      expect((await again.registry.getRepo({ authenticated: true }, 'acme', 'web')).repo_path).toBe('acme/web');
    } finally {
      await again.close();
    }
    const settings = JSON.parse(await readFile(join(profile, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(settings).toMatchObject({ theme: 'light', window_bounds: { x: 10, y: 20, width: 1000, height: 700, maximized: false } });
    expect(EventEmitter.listenerCount(fake.electron.app, 'before-quit')).toBe(1);
  });
});

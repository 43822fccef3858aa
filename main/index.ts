/**
 * The Electron entry: small and boring on purpose. It builds the same backend as `serve`
 * (main/backend.ts), opens one locked-down window, wires IPC and change events, and shuts the
 * backend down (writes flushed, data-dir lock released) before the app exits.
 */
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, nativeTheme, safeStorage, session } from 'electron';
import { createBackend } from './backend';
import type { Backend } from './backend.options';
import { isBerthError } from './contract/errors';
import { createDispatcher, createIpcHandlers } from './ipc';
import { createSettings } from './settings/settings';
import { appLocations } from './electron/app-url';
import { nativeFileDialogs } from './electron/dialogs';
import { installAppMenu } from './electron/menu';
import { forwardChanges, registerIpc } from './electron/ipc';
import { chooseSecretCodec } from './electron/secret-codec';
import { hardenApp, hardenSession } from './electron/security';
import { openElectronSettingsStore } from './electron/settings-store';
import { createMainWindow } from './electron/window';

let mainWindow: BrowserWindow | null = null;
let backend: Backend | null = null;

const currentWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);

function focusMainWindow(): void {
  const window = currentWindow();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

async function start(): Promise<void> {
  const locations = appLocations(process.env, app.isPackaged, import.meta.url);
  const userData = app.getPath('userData');
  const settings = createSettings(openElectronSettingsStore(userData));
  const initial = settings.get();
  nativeTheme.themeSource = initial.theme;

  hardenApp(locations.appUrl);
  hardenSession(session.defaultSession, locations);

  // Registry passwords sealed by the OS keychain where there is one (see electron/secret-codec.ts).
  const sealing = chooseSecretCodec(safeStorage);
  if (sealing.warning) console.warn(`Berth: ${sealing.warning}`);

  backend = await createBackend({
    dataDir: join(userData, 'data'),
    port: initial.api_port,
    anonymousReads: initial.anonymous_reads,
    registries: { codec: sealing.codec },
  });
  // A port in use does not stop the app: ServerInfo.error tells the window, which offers another.
  const info = await backend.startApi();
  if (info.error) console.warn(`Berth: the API is not listening: ${info.error.detail}`);

  const handlers = createIpcHandlers({ backend, settings, dialogs: nativeFileDialogs(currentWindow) });
  const withTheme = {
    ...handlers,
    updateSettings: async (...args: unknown[]) => {
      const next = (await handlers.updateSettings(...args)) as ReturnType<typeof settings.get>;
      nativeTheme.themeSource = next.theme;
      return next;
    },
  };
  registerIpc(createDispatcher(withTheme, locations.appUrl));
  forwardChanges(backend.registry, currentWindow);
  forwardChanges(backend.registries, currentWindow);

  installAppMenu({ window: currentWindow, dev: locations.devServerUrl !== null });
  mainWindow = createMainWindow({ settings, preloadPath: locations.preloadPath, appUrl: locations.appUrl });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function fail(error: unknown): void {
  const detail = isBerthError(error) ? error.detail : error instanceof Error ? error.message : String(error);
  console.error('Berth could not start:', error);
  dialog.showErrorBox('Berth could not start', detail);
  app.exit(1);
}

// Tests (and a second, separate profile) point the app at another folder; the single-instance
// lock and the data dir follow it.
if (process.env.BERTH_USER_DATA_DIR) app.setPath('userData', resolve(process.env.BERTH_USER_DATA_DIR));

if (!app.requestSingleInstanceLock()) {
  // Another Berth owns this profile (and its data dir): it gets focused by its own handler.
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => app.quit());

  // Quitting waits for the backend to close (writes flushed, lock released). Every quit asked
  // for meanwhile (a second Ctrl+C, a signal forwarded by a parent process) waits as well.
  let closing: Promise<void> | null = null;
  app.on('before-quit', (event) => {
    if (!backend) return;
    event.preventDefault();
    if (closing) return;
    const open = backend;
    closing = open
      .close()
      .catch((error: unknown) => console.error('Berth: closing the backend failed:', error))
      .finally(() => {
        backend = null;
        app.quit();
      });
  });

  // A terminal's Ctrl+C or a service manager's SIGTERM quits through the same clean path.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app.whenReady().then(start).catch(fail);
}

/** The one app window: locked-down webPreferences, remembered bounds, shown when ready. */
import { BrowserWindow, dialog, nativeTheme, screen } from 'electron';
import type { SettingsService, WindowBounds } from '../settings';

const DEFAULT_SIZE = { width: 1200, height: 800 };

function visibleBounds(saved: WindowBounds | null): WindowBounds {
  if (!saved || saved.x === undefined || saved.y === undefined) return saved ?? DEFAULT_SIZE;
  // A window remembered on a display that is gone would open out of reach.
  const { x, y, width, height } = saved;
  const onScreen = screen
    .getAllDisplays()
    .some(({ workArea: a }) => x < a.x + a.width && x + width > a.x && y < a.y + a.height && y + height > a.y);
  return onScreen ? saved : { width, height };
}

export function createMainWindow(options: { settings: SettingsService; preloadPath: string; appUrl: string }): BrowserWindow {
  const { settings, preloadPath, appUrl } = options;
  const bounds = visibleBounds(settings.windowBounds());
  const window = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Berth',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click must not open a window either (setWindowOpenHandler denies it anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (bounds.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const { x, y, width, height } = window.getNormalBounds();
    try {
      settings.setWindowBounds({ x, y, width, height, maximized: window.isMaximized() });
    } catch (error) {
      // Not worth stopping the close for: the next launch opens at the default size.
      console.warn('Berth: could not remember the window bounds:', error);
    }
  });
  // The page cancels its unload while an edit is unsaved (beforeunload). Electron would then keep
  // the window open without a word, so the user is asked; "Discard" lets the close or reload go on.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Discard changes', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved changes',
      message: 'Discard unsaved changes?',
      detail: 'An edit in this window has not been saved. It is lost if you go on.',
    });
    if (choice === 0) event.preventDefault();
  });
  void window.loadURL(appUrl);
  return window;
}

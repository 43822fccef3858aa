/**
 * A recording stand-in for the parts of the `electron` module Berth's glue uses, for tests in
 * plain Node (the Electron binary is not installed here). It records what the glue asks of
 * Electron — handlers, windows and their options, messages sent, links opened, session hooks —
 * so tests can check the glue's wiring and drive its events.
 */
import { EventEmitter as Emitter } from 'node:events';

export function createFakeElectron() {
  type Handler = (event: unknown, ...args: unknown[]) => unknown;
  const paths = new Map<string, string>();
  const state = {
    handlers: new Map<string, Handler>(),
    windows: [] as FakeWindow[],
    sent: [] as { channel: string; payload: unknown }[],
    opened: [] as string[],
    requestListener: null as
      | null
      | ((
          details: { url: string; resourceType?: string; frame?: { url: string } | null },
          callback: (response: { cancel?: boolean }) => void,
        ) => void),
    headerListener: null as
      null | ((details: unknown, callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void) => void),
    permissionRequest: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    permissionCheck: null as null | ((...args: unknown[]) => boolean),
    menu: null as unknown,
    quits: 0,
    /** Times a quit went through (no before-quit handler held it back). */
    willQuit: 0,
    exits: [] as number[],
    errors: [] as string[],
    /** Questions asked with dialog.showMessageBoxSync, and the button index the next one answers. */
    questions: [] as { message: string; buttons: string[] }[],
    nextAnswer: 0,
  };
  class FakeContents extends Emitter {
    windowOpenHandler: null | ((details: { url: string }) => { action: string }) = null;
    send(channel: string, payload: unknown) {
      state.sent.push({ channel, payload });
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
  }
  class FakeWindow extends Emitter {
    static getAllWindows = () => state.windows;
    webContents = new FakeContents();
    loaded: string | null = null;
    focused = 0;
    destroyed = false;
    constructor(public options: Record<string, unknown>) {
      super();
      state.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    isMaximized = () => false;
    maximize() {}
    restore() {}
    show() {}
    focus() {
      this.focused += 1;
    }
    getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 });
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => paths.get(name) ?? '/nonexistent',
    setPath: (name: string, path: string) => void paths.set(name, path),
    getVersion: () => '0.0.0-test',
    showAboutPanel() {},
    quit() {
      state.quits += 1;
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) {
        state.willQuit += 1;
        app.emit('will-quit');
      }
    },
    exit(code: number) {
      state.exits.push(code);
    },
  });
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: Object.assign(new Emitter(), {
      handle: (channel: string, handler: Handler) => void state.handlers.set(channel, handler),
      removeHandler: (channel: string) => void state.handlers.delete(channel),
    }),
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (listener: typeof state.headerListener) => void (state.headerListener = listener),
          onBeforeRequest: (listener: typeof state.requestListener) => void (state.requestListener = listener),
        },
        setPermissionRequestHandler: (handler: typeof state.permissionRequest) => void (state.permissionRequest = handler),
        setPermissionCheckHandler: (handler: typeof state.permissionCheck) => void (state.permissionCheck = handler),
      },
    },
    shell: { openExternal: (url: string) => (state.opened.push(url), Promise.resolve()), openPath: () => Promise.resolve('') },
    Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: (menu: unknown) => void (state.menu = menu) },
    nativeTheme: { themeSource: 'system', shouldUseDarkColors: false },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }],
    },
    dialog: {
      showErrorBox: (title: string, content: string) => void state.errors.push(`${title}: ${content}`),
      showMessageBoxSync: (_window: unknown, options: { message: string; buttons: string[] }) => {
        state.questions.push({ message: options.message, buttons: options.buttons });
        return state.nextAnswer;
      },
    },
    // A keychain stand-in: reversible, and never the plain text as written.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(`sealed:${[...plain].reverse().join('')}`, 'utf8'),
      decryptString: (sealed: Buffer) => [...sealed.toString('utf8').replace(/^sealed:/, '')].reverse().join(''),
    },
  };
  return { state, electron, FakeWindow, FakeContents };
}

/** One per test file (vitest isolates files): the mock factory and the test share it. */
export const fake = createFakeElectron();

/** electron-store as the glue uses it, over conf (what it wraps): Node loads the real one outside Vite, where the stand-in cannot reach its `import 'electron'`. */
export async function fakeElectronStoreModule() {
  const { default: Conf } = await import('conf');
  return {
    default: class extends Conf<Record<string, unknown>> {
      constructor({ name, ...options }: { name?: string; cwd: string; accessPropertiesByDotNotation?: boolean }) {
        super({ ...options, configName: name ?? 'config' });
      }
    },
  };
}

/**
 * Type stand-in for the parts of Electron that Berth's glue uses, for machines where the
 * `electron` package could not be installed (it is optional; here npm skips it). tsconfig's
 * `paths` prefers node_modules/electron whenever it exists, so real types win where they can.
 * Signatures follow Electron's own electron.d.ts.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

type Listener = (...args: any[]) => void;

interface EventEmitterLike {
  on(event: string, listener: Listener): this;
  once(event: string, listener: Listener): this;
  removeListener(event: string, listener: Listener): this;
}

export interface Event {
  preventDefault(): void;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Display {
  workArea: Rectangle;
  bounds: Rectangle;
}

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  experimentalFeatures?: boolean;
  webviewTag?: boolean;
  navigateOnDragDrop?: boolean;
  spellcheck?: boolean;
  disableBlinkFeatures?: string;
}

export interface BrowserWindowConstructorOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  show?: boolean;
  title?: string;
  backgroundColor?: string;
  webPreferences?: WebPreferences;
}

export interface HandlerDetails {
  url: string;
}

export interface WebContents extends EventEmitterLike {
  send(channel: string, ...args: any[]): void;
  getLastWebPreferences(): WebPreferences | null;
  setWindowOpenHandler(handler: (details: HandlerDetails) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): this;
  on(event: 'will-attach-webview', listener: (event: Event) => void): this;
  on(event: string, listener: Listener): this;
}

export class BrowserWindow implements EventEmitterLike {
  constructor(options?: BrowserWindowConstructorOptions);
  static getAllWindows(): BrowserWindow[];
  readonly webContents: WebContents;
  on(event: string, listener: Listener): this;
  once(event: string, listener: Listener): this;
  removeListener(event: string, listener: Listener): this;
  loadURL(url: string): Promise<void>;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  isMaximized(): boolean;
  maximize(): void;
  restore(): void;
  show(): void;
  focus(): void;
  getNormalBounds(): Rectangle;
}

export interface App extends EventEmitterLike {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  exit(code?: number): void;
  getPath(name: 'userData' | 'appData' | 'home' | 'temp' | 'logs'): string;
  setPath(name: 'userData' | 'appData' | 'logs', path: string): void;
  getVersion(): string;
  showAboutPanel(): void;
  on(event: 'before-quit', listener: (event: Event) => void): this;
  on(event: 'web-contents-created', listener: (event: Event, contents: WebContents) => void): this;
  on(event: string, listener: Listener): this;
}

export interface OnHeadersReceivedListenerDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface HeadersReceivedResponse {
  cancel?: boolean;
  responseHeaders?: Record<string, string | string[]>;
}

export interface Session {
  webRequest: {
    onBeforeRequest(listener: (details: { url: string; resourceType?: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
    onHeadersReceived(listener: (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void): void;
  };
  setPermissionRequestHandler(
    handler: ((webContents: WebContents, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: WebContents | null, permission: string, origin: string, details: unknown) => boolean) | null): void;
}

export interface WebFrameMain {
  readonly url: string;
}

export interface IpcMainInvokeEvent {
  readonly senderFrame: WebFrameMain | null;
  readonly sender: WebContents;
}

export interface IpcRendererEvent {
  readonly sender: unknown;
}

export interface MenuItemConstructorOptions {
  label?: string;
  accelerator?: string;
  registerAccelerator?: boolean;
  role?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  click?: () => void;
  submenu?: MenuItemConstructorOptions[];
}

export class Menu {
  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
  static setApplicationMenu(menu: Menu | null): void;
}

export const app: App;
export const dialog: { showErrorBox(title: string, content: string): void };
export const nativeTheme: { themeSource: 'system' | 'light' | 'dark'; readonly shouldUseDarkColors: boolean };
export const session: { readonly defaultSession: Session };
export const shell: { openExternal(url: string): Promise<void> };
export const screen: { getAllDisplays(): Display[] };
export const ipcMain: {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => unknown): void;
  removeHandler(channel: string): void;
};
export const contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };
export const ipcRenderer: {
  invoke(channel: string, ...args: any[]): Promise<any>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): unknown;
  removeListener(channel: string, listener: (...args: any[]) => void): unknown;
};

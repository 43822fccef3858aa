/**
 * A real Berth backend inside the test process: store in a temp dir, HTTP API on a loopback
 * port, the real IPC handler table and settings over `conf` — everything the Electron entry
 * builds, minus Electron.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../../main/backend';
import type { Backend } from '../../main/backend.options';
import type { Settings } from '../../main/contract/types';
import { createDispatcher, createIpcHandlers, type Dispatcher, type FileDialogs, type IpcHandlerTable } from '../../main/ipc';
import { createSettings, type SettingsService } from '../../main/settings';
import { openConfSettingsStore } from '../support/conf-settings';

export interface HarnessBackend {
  backend: Backend;
  settings: SettingsService;
  handlers: IpcHandlerTable;
  /** The dispatcher the Electron glue would build for a window loaded from `appUrl`. */
  dispatcherFor(appUrl: string): Dispatcher;
  /** Root temp folder: `data/` holds the store and token, `settings/` the settings file. */
  root: string;
  dataDir: string;
  settingsDir: string;
  /** Where the API listens (or would: with `port` given, a port already taken leaves it not listening). */
  apiUrl: string;
  token: string;
  /**
   * What the file dialogs of Export… and Import… answer next (the app shows native ones): a path
   * as if the user chose it, or null as if they cancelled. Both cancel until a test says otherwise.
   */
  dialogs: { exportPath: string | null; importPath: string | null };
  /** Stops the API and the store; keeps the files (for restart tests). */
  close(): Promise<void>;
  /** close() and delete the temp folder. */
  dispose(): Promise<void>;
}

export interface HarnessBackendOptions {
  /** Reuse a folder from an earlier harness (restart tests); default: a new temp folder. */
  root?: string;
  settings?: Partial<Settings>;
  /** The settings file as a hand-edit left it, written as-is before it is opened (invalid values allowed). */
  storedSettings?: Record<string, unknown>;
  /**
   * Port for the API (default 0: a free one). When given and already taken, the backend starts
   * without listening, as the app does when its saved port is busy.
   */
  port?: number;
}

export async function startHarnessBackend(options: HarnessBackendOptions = {}): Promise<HarnessBackend> {
  const root = options.root ?? (await mkdtemp(join(tmpdir(), 'berth-harness-')));
  const dataDir = join(root, 'data');
  const settingsDir = join(root, 'settings');
  if (options.storedSettings) {
    await mkdir(settingsDir, { recursive: true });
    await writeFile(join(settingsDir, 'settings.json'), JSON.stringify(options.storedSettings));
  }
  const settings = createSettings(openConfSettingsStore(settingsDir));
  if (options.settings) settings.update(options.settings);
  const initial = settings.get();
  // Port 0 by default: tests never fight over a port. The settings then show the port actually bound.
  const port = options.port ?? 0;
  const backend = await createBackend({ dataDir, port, anonymousReads: initial.anonymous_reads });
  const info = await backend.startApi();
  if (options.port === undefined && (!info.listening || !info.url)) {
    await backend.close();
    throw new Error(`Berth harness: the API did not start: ${info.error?.detail ?? 'unknown reason'}`);
  }
  settings.update({ api_port: info.port });
  const dialogAnswers: HarnessBackend['dialogs'] = { exportPath: null, importPath: null };
  const dialogs: FileDialogs = {
    chooseExportPath: async () => dialogAnswers.exportPath,
    chooseImportPath: async () => dialogAnswers.importPath,
  };
  const handlers = createIpcHandlers({ backend, settings, dialogs });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await backend.close();
  };
  return {
    backend,
    settings,
    handlers,
    dialogs: dialogAnswers,
    dispatcherFor: (appUrl) => createDispatcher(handlers, appUrl),
    root,
    dataDir,
    settingsDir,
    apiUrl: info.url ?? `http://127.0.0.1:${info.port}`,
    token: backend.token(),
    close,
    dispose: async () => {
      await close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

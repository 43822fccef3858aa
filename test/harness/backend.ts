/**
 * A real Berth backend inside the test process: store in a temp dir, HTTP API on a loopback
 * port, the real IPC handler table and settings over `conf` — everything the Electron entry
 * builds, minus Electron.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../../main/backend';
import type { Backend } from '../../main/backend.options';
import type { Settings } from '../../main/contract/types';
import { createDispatcher, createIpcHandlers, type Dispatcher, type IpcHandlerTable } from '../../main/ipc';
import { createSettings, openConfSettingsStore, type SettingsService } from '../../main/settings';

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
  apiUrl: string;
  token: string;
  /** Stops the API and the store; keeps the files (for restart tests). */
  close(): Promise<void>;
  /** close() and delete the temp folder. */
  dispose(): Promise<void>;
}

export interface HarnessBackendOptions {
  /** Reuse a folder from an earlier harness (restart tests); default: a new temp folder. */
  root?: string;
  settings?: Partial<Settings>;
}

export async function startHarnessBackend(options: HarnessBackendOptions = {}): Promise<HarnessBackend> {
  const root = options.root ?? (await mkdtemp(join(tmpdir(), 'berth-harness-')));
  const dataDir = join(root, 'data');
  const settingsDir = join(root, 'settings');
  const settings = createSettings(openConfSettingsStore(settingsDir));
  if (options.settings) settings.update(options.settings);
  const initial = settings.get();
  // Port 0: tests never fight over a port. The settings then show the port actually bound.
  const backend = await createBackend({ dataDir, port: 0, anonymousReads: initial.anonymous_reads });
  const info = await backend.startApi();
  if (!info.listening || !info.url) {
    await backend.close();
    throw new Error(`Berth harness: the API did not start: ${info.error?.detail ?? 'unknown reason'}`);
  }
  settings.update({ api_port: info.port });
  const handlers = createIpcHandlers({ backend, settings });
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
    dispatcherFor: (appUrl) => createDispatcher(handlers, appUrl),
    root,
    dataDir,
    settingsDir,
    apiUrl: info.url,
    token: backend.token(),
    close,
    dispose: async () => {
      await close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** ipcMain wiring: every channel goes through the shared dispatcher (sender check included). */
import { ipcMain, type BrowserWindow } from 'electron';
import { CHANGE_CHANNEL, OPERATION_NAMES, channelOf, type BerthChangeEvent } from '../contract/api';
import type { Dispatcher } from '../ipc';

/** Something whose changes the window hears about (the catalogue, the registry connections). */
export interface ChangeSource {
  onChange(listener: (event: BerthChangeEvent) => void): () => void;
}

export function registerIpc(dispatch: Dispatcher): () => void {
  for (const operation of OPERATION_NAMES) {
    ipcMain.handle(channelOf(operation), (event, ...args: unknown[]) =>
      // senderFrame is null once the frame navigated away or was destroyed: refused as foreign.
      dispatch({ operation, args, senderUrl: event.senderFrame?.url ?? null }),
    );
  }
  return () => OPERATION_NAMES.forEach((operation) => ipcMain.removeHandler(channelOf(operation)));
}

/** Forwards every change (from the window or from HTTP) to the window. */
export function forwardChanges(source: ChangeSource, window: () => BrowserWindow | null): () => void {
  return source.onChange((change) => {
    const target = window();
    if (target && !target.isDestroyed()) target.webContents.send(CHANGE_CHANNEL, change);
  });
}

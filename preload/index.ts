/**
 * The sandboxed preload: exposes window.berth and nothing else. No ipcRenderer, no generic
 * invoke, no Node: each operation is a named function bound to its own channel.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANGE_CHANNEL, MENU_CHANNEL, OPERATION_NAMES, channelOf, type IpcEnvelope, type OperationName } from '../main/contract/api';
import { buildBerthApi } from './api';

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const api = buildBerthApi(
  OPERATION_NAMES,
  (operation, args) => ipcRenderer.invoke(channelOf(operation as OperationName), ...args) as Promise<IpcEnvelope<unknown>>,
  (listener) => subscribe(CHANGE_CHANNEL, listener),
  (listener) => subscribe(MENU_CHANNEL, listener),
);

contextBridge.exposeInMainWorld('berth', api);

export { createIpcHandlers } from './handlers';
export type { IpcBackend, IpcHandler, IpcHandlerTable, IpcHandlerDeps } from './handlers';
export { createDispatcher } from './dispatch';
export type { DispatchCall, Dispatcher } from './dispatch';
export type { FileDialogs } from './transfers';

export { createIpcHandlers } from './handlers';
export type { IpcHandler, IpcHandlerTable, IpcHandlerDeps } from './handlers';
export { createDispatcher, toErrorBody } from './dispatch';
export type { DispatchCall, Dispatcher } from './dispatch';
export { isAppFrameUrl } from './sender';

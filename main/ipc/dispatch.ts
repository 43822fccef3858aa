/**
 * The one path from a window call to the handler table, shared by ipcMain.handle in Electron and
 * by the browser test harness: sender check, handler, and the envelope the preload unwraps.
 */
import type { IpcEnvelope } from '../contract/api';
import { BerthError, isBerthError, type ErrorBody } from '../contract/errors';
import { isAppFrameUrl } from './sender';
import type { IpcHandlerTable } from './handlers';

export interface DispatchCall {
  operation: string;
  args: readonly unknown[];
  /** URL of the frame that sent the call (Electron: event.senderFrame.url). */
  senderUrl: string | null | undefined;
}

export interface Dispatcher {
  (call: DispatchCall): Promise<IpcEnvelope<unknown>>;
}

/** Turns anything thrown into the plain body the window shows; unexpected errors are logged, never leaked. */
export function toErrorBody(error: unknown, operation: string): ErrorBody {
  if (isBerthError(error)) return error.toBody();
  console.error(`Berth: ${operation} failed unexpectedly:`, error);
  return new BerthError('internal_error', 'Something went wrong inside Berth; the details are in its log.').toBody();
}

export function createDispatcher(handlers: IpcHandlerTable, appUrl: string): Dispatcher {
  return async ({ operation, args, senderUrl }) => {
    if (!isAppFrameUrl(senderUrl, appUrl)) {
      return { ok: false, error: new BerthError('forbidden', 'Only Berth’s own window may call the backend.').toBody() };
    }
    if (!Object.hasOwn(handlers, operation)) {
      return { ok: false, error: BerthError.notFound(`There is no operation named ${JSON.stringify(operation)}.`).toBody() };
    }
    const handler = handlers[operation as keyof IpcHandlerTable];
    try {
      return { ok: true, result: await handler(...(Array.isArray(args) ? args : [])) };
    } catch (error) {
      return { ok: false, error: toErrorBody(error, operation) };
    }
  };
}

/**
 * Builds window.berth from a transport: one named function per operation, and onChange.
 * The preload gives it ipcRenderer.invoke; the browser test harness gives it a Playwright
 * binding — the page sees the same object either way.
 *
 * This function must stay self-contained (no reference to anything outside its body): the
 * harness ships its source text into the page as an init script.
 */
import type { BerthApi, BerthChangeEvent, IpcEnvelope, MenuCommand } from '../main/contract/api';

export type Invoke = (operation: string, args: unknown[]) => Promise<IpcEnvelope<unknown>>;
export type Subscribe = (listener: (event: BerthChangeEvent) => void) => () => void;
export type SubscribeMenu = (listener: (command: MenuCommand) => void) => () => void;

export function buildBerthApi(operations: readonly string[], invoke: Invoke, subscribe: Subscribe, subscribeMenu: SubscribeMenu): BerthApi {
  const api: Record<string, unknown> = {};
  for (const operation of operations) {
    api[operation] = (...args: unknown[]) =>
      invoke(operation, args).then((envelope) => {
        if (envelope && envelope.ok === true) return envelope.result;
        const error = envelope && envelope.ok === false ? envelope.error : undefined;
        // A plain object, not an Error: it survives contextBridge and keeps code and errors.
        return Promise.reject(
          error
            ? { detail: error.detail, code: error.code, ...(error.errors ? { errors: error.errors } : {}) }
            : { detail: 'Berth’s backend gave no answer.', code: 'internal_error' },
        );
      });
  }
  api.onChange = (listener: (event: BerthChangeEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onChange needs a listener function.');
    return subscribe(listener);
  };
  api.onMenuCommand = (listener: (command: MenuCommand) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onMenuCommand needs a listener function.');
    return subscribeMenu(listener);
  };
  return Object.freeze(api) as unknown as BerthApi;
}

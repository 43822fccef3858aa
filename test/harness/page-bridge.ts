/**
 * Injects window.berth into a Playwright page before any of its scripts run: the same object the
 * preload builds (preload/api.ts, shipped as source text), forwarding each call through a
 * Playwright binding to the shared dispatcher — sender check included, with the calling frame's
 * real URL — and forwarding change events (catalogue and registry connections) back into the page.
 */
import type { Page } from '@playwright/test';
import { MENU_COMMANDS, OPERATION_NAMES, type BerthChangeEvent, type MenuCommand } from '../../main/contract/api';
import type { Dispatcher } from '../../main/ipc';

/** What emits the changes the window hears about (the catalogue, the registry connections). */
export interface ChangeSource {
  onChange(listener: (event: BerthChangeEvent) => void): () => void;
}
import { buildBerthApi } from '../../preload/api';

const INVOKE_BINDING = '__berthInvoke';
const EMIT_HOOK = '__berthHarnessEmit';

function initScript(): string {
  return `(() => {
  const sets = { change: new Set(), menu: new Set() };
  const subscribe = (set) => (listener) => { set.add(listener); return () => { set.delete(listener); }; };
  Object.defineProperty(window, ${JSON.stringify(EMIT_HOOK)}, {
    value: (kind, payload) => {
      for (const listener of sets[kind] ?? []) {
        try { listener(payload); } catch (error) { console.error('Berth onChange listener failed:', error); }
      }
    },
  });
  const invoke = (operation, args) => window[${JSON.stringify(INVOKE_BINDING)}](operation, args);
  const api = (${buildBerthApi.toString()})(${JSON.stringify(OPERATION_NAMES)}, invoke, subscribe(sets.change), subscribe(sets.menu));
  Object.defineProperty(window, 'berth', { value: api, enumerable: true });
})();`;
}

export interface PageBridge {
  /** Sends an app-menu command to the page, as the Electron menu would. */
  menu(command: MenuCommand): Promise<void>;
  /**
   * Holds change events back from the page (to force an order between an answer and its event)
   * until the returned function is called, which delivers them in order and resolves once the
   * page has them.
   */
  holdChanges(): () => Promise<void>;
  /** Stops forwarding change events. */
  detach(): void;
}

export async function installBerthBridge(page: Page, dispatch: Dispatcher, ...sources: ChangeSource[]): Promise<PageBridge> {
  await page.exposeBinding(INVOKE_BINDING, (source, operation: unknown, args: unknown) =>
    dispatch({ operation: String(operation), args: Array.isArray(args) ? args : [], senderUrl: source.frame.url() }),
  );
  await page.addInitScript({ content: initScript() });

  type Message = ['change', BerthChangeEvent] | ['menu', MenuCommand];
  const deliver = async (messages: Message[]) => {
    if (page.isClosed() || messages.length === 0) return;
    try {
      await page.evaluate(
        ([hook, batch]) => {
          const emitHook = (globalThis as unknown as Record<string, ((kind: unknown, payload: unknown) => void) | undefined>)[
            hook as string
          ];
          for (const [kind, payload] of batch as [string, unknown][]) emitHook?.(kind, payload);
        },
        [EMIT_HOOK, messages] as const,
      );
    } catch (error) {
      // Navigation or closing can race an event; an event for a page that is gone is moot.
      if (!page.isClosed() && !/Execution context was destroyed|Target .*closed/i.test(String(error))) throw error;
    }
  };
  // A burst of writes (a tool importing a catalogue) becomes one round trip into the page, in order.
  let queue: Message[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let scheduled = false;
  let holds = 0;
  const flush = () => {
    const batch = queue;
    queue = [];
    flushing = flushing
      .then(() => deliver(batch))
      .catch((error: unknown) => console.error('Berth harness: forwarding to the page failed:', error));
  };
  const enqueue = (message: Message) => {
    queue.push(message);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (holds === 0) flush();
    });
  };
  const unsubscribes = sources.map((source) => source.onChange((change) => enqueue(['change', change])));
  return {
    menu: async (command) => {
      if (!MENU_COMMANDS.includes(command)) throw new Error(`Unknown menu command ${command}`);
      await flushing;
      await deliver([['menu', command]]);
    },
    holdChanges: () => {
      holds += 1;
      let released = false;
      return async () => {
        if (!released) {
          released = true;
          holds -= 1;
          if (holds === 0 && !scheduled) flush();
        }
        await flushing;
      };
    },
    detach: () => unsubscribes.forEach((unsubscribe) => unsubscribe()),
  };
}

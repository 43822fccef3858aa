/**
 * Playwright fixtures for UI tests: `berth` is a page opened on the built renderer, wired to a
 * real backend running in the test process (see startHarnessBackend and installBerthBridge).
 *
 *   import { test, expect } from '../harness/fixtures';
 *   test('…', async ({ berth }) => {
 *     await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'web' });
 *     await expect(berth.page.getByText('web')).toBeVisible();
 *   });
 *
 * Options (test.use({ berthOptions: {…} })): `settings` to start with (or `storedSettings`, a
 * settings file as a hand-edit left it), `port` for the API, `seed` to fill the registry before
 * the page opens, `open: false` to open the page yourself (berth.open()), `intercept` to stand
 * between the window and the real dispatcher (a disk error, a slow answer); berth.holdChanges()
 * holds the live change events back, so an answer and its event can be made to arrive in either order.
 * The renderer must be built first (`npm run build:renderer`; `npm run test:e2e` does it).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';
import type { BerthApi, IpcEnvelope, MenuCommand } from '../../main/contract/api';
import type { Settings } from '../../main/contract/types';
import type { DispatchCall, Dispatcher } from '../../main/ipc';
import type { RegistryService } from '../../main/registry/service';
import { startHarnessBackend, type HarnessBackend } from './backend';
import { installBerthBridge } from './page-bridge';
import { serveDirectory } from './static-server';

export const RENDERER_DIR = process.env.BERTH_RENDERER_DIR ?? fileURLToPath(new URL('../../out/renderer', import.meta.url));

/** The page's global as seen inside page.evaluate callbacks: `(globalThis as unknown as BerthWindow).berth`. */
export type BerthWindow = { berth: BerthApi } & Record<string, unknown>;

export interface BerthOptions {
  settings?: Partial<Settings>;
  /** A hand-edited settings file, written as-is (see HarnessBackendOptions). */
  storedSettings?: Record<string, unknown>;
  /** The API's port (default: a free one); a taken one leaves the API not listening, as at a real start. */
  port?: number;
  seed?: (registry: RegistryService) => Promise<void>;
  open?: boolean;
  /** Sees every call of the window first; `next` is the real dispatcher (sender check included). */
  intercept?: (call: DispatchCall, next: Dispatcher) => Promise<IpcEnvelope<unknown>>;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface BerthFixture {
  page: Page;
  /** The app's page URL (the static server's root). */
  appUrl: string;
  backend: HarnessBackend['backend'];
  registry: RegistryService;
  settings: HarnessBackend['settings'];
  apiUrl: string;
  token: string;
  dataDir: string;
  /** What the Export…/Import… file dialogs answer next (see HarnessBackend.dialogs). */
  dialogs: HarnessBackend['dialogs'];
  /** Loads the app in the page (done already unless `open: false`). */
  open(): Promise<void>;
  /** Sends an app-menu command (File > New Repository, …) as Electron's menu would. */
  menu(command: MenuCommand): Promise<void>;
  /** Holds change events back from the page until the returned function delivers them (see PageBridge.holdChanges). */
  holdChanges(): () => Promise<void>;
  /** Every window.berth operation the page has called, in order (to see what the window asked for). */
  calls(): readonly string[];
  /** Calls the HTTP API like a local tool: with the token unless `anonymous`. */
  http(method: string, path: string, body?: unknown, options?: { anonymous?: boolean }): Promise<HttpAnswer>;
}

export async function httpCall(apiUrl: string, token: string | null, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, apiUrl), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null, headers: response.headers };
}

export const test = base.extend<{ berthOptions: BerthOptions; berth: BerthFixture }>({
  berthOptions: [{}, { option: true }],
  berth: async ({ page, berthOptions }, use) => {
    if (!existsSync(`${RENDERER_DIR}/index.html`)) {
      throw new Error(`The renderer is not built (${RENDERER_DIR}/index.html is missing): run npm run build:renderer.`);
    }
    const { settings, storedSettings, port } = berthOptions;
    const harness = await startHarnessBackend({ settings, storedSettings, port });
    const site = await serveDirectory(RENDERER_DIR);
    try {
      const calls: string[] = [];
      const real = harness.dispatcherFor(site.url);
      const intercept = berthOptions.intercept;
      const recording: Dispatcher = (call) => {
        calls.push(call.operation);
        return intercept ? intercept(call, real) : real(call);
      };
      const bridge = await installBerthBridge(page, recording, harness.backend.registry, harness.backend.registries);
      if (berthOptions.seed) await berthOptions.seed(harness.backend.registry);
      const fixture: BerthFixture = {
        page,
        appUrl: site.url,
        backend: harness.backend,
        registry: harness.backend.registry,
        settings: harness.settings,
        apiUrl: harness.apiUrl,
        get token() {
          // regenerateToken() replaces it: always the current one.
          return harness.backend.token();
        },
        dataDir: harness.dataDir,
        dialogs: harness.dialogs,
        open: async () => {
          await page.goto(site.url);
        },
        menu: bridge.menu,
        holdChanges: bridge.holdChanges,
        calls: () => calls,
        http: (method, path, body, options) =>
          httpCall(harness.apiUrl, options?.anonymous ? null : harness.backend.token(), method, path, body),
      };
      try {
        if (berthOptions.open !== false) await fixture.open();
        await use(fixture);
      } finally {
        bridge.detach();
      }
    } finally {
      await page.close().catch(() => undefined);
      await site.close();
      await harness.dispose();
    }
  },
});

export { expect } from '@playwright/test';

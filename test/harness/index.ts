export { test, expect, httpCall, RENDERER_DIR } from './fixtures';
export type { BerthFixture, BerthOptions, BerthWindow, HttpAnswer } from './fixtures';
export { startHarnessBackend } from './backend';
export type { HarnessBackend, HarnessBackendOptions } from './backend';
export { installBerthBridge } from './page-bridge';
export { serveDirectory } from './static-server';

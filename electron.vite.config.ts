/**
 * electron-vite builds three bundles from the top-level folders: main (ESM, because lowdb is
 * ESM-only), the preload (CommonJS: a sandboxed preload cannot be an ES module) and the renderer
 * (the UI's own renderer/vite.config.ts, reused rather than duplicated).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import rendererConfig from './renderer/vite.config';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// electron-vite reads Electron's major version from the installed `electron` package to pick the
// output format and targets. Where the package is missing, the version pinned in package.json
// says the same, so `npm run build` never needs the Electron binary.
function electronMajor(): string {
  try {
    return String(createRequire(import.meta.url)('electron/package.json').version).split('.')[0] ?? '';
  } catch {
    const pkg = JSON.parse(readFileSync(at('./package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    return (pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '').split('.')[0] ?? '';
  }
}
process.env.ELECTRON_MAJOR_VER ||= electronMajor();

// Electron 45 ships Node 22+ and Chromium 140+; these floors hold for it and later releases.
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome130';

// While developing, Vite's dev server needs an inline React-refresh preamble that the built page's
// meta CSP forbids; the Electron session sends the development CSP as a header instead
// (main/electron/security.ts), so the meta tag is left out of the dev server's page only.
const devCspFromHeader: Plugin = {
  name: 'berth-dev-csp-from-header',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i, ''),
};

export default defineConfig({
  main: {
    build: {
      outDir: at('./out/main'),
      target: NODE_TARGET,
      rolldownOptions: {
        input: { index: at('./main/index.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('./out/preload'),
      target: NODE_TARGET,
      // Everything the preload needs is bundled: a sandboxed preload can require only 'electron'.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('./preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: mergeConfig(rendererConfig, {
    root: at('./renderer'),
    plugins: [devCspFromHeader],
    build: {
      outDir: at('./out/renderer'),
      target: CHROME_TARGET,
      minify: true,
      rolldownOptions: { input: at('./renderer/index.html') },
    },
  }),
});

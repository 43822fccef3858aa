import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// import.meta.dirname rather than node:path: eslint keeps node: imports out of renderer/ entirely.
const root = import.meta.dirname;

// Shared by `npm run build:renderer` and electron-vite's renderer build.
export default defineConfig({
  root,
  // Relative asset URLs: the built page is loaded from file:// in Electron and over http in tests.
  base: './',
  plugins: [react()],
  build: {
    outDir: `${root}/../out/renderer`,
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
  },
  server: {
    // The renderer imports the pure validators of main/contract/names.ts (same messages as the API).
    fs: { allow: [`${root}/..`] },
  },
});

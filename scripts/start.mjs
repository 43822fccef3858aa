// `npm start`: build and launch the desktop app, or say in one line why it cannot start here.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { downloadElectronBinary, electronBinary } from './electron-binary.mjs';

if (!electronBinary() && !downloadElectronBinary()) {
  console.error(
    'Berth: the Electron binary is not installed on this machine (it could not be downloaded). ' +
      'Run the API without a window: npm run serve -- --data-dir ./data --port 5080',
  );
  process.exit(1);
}

const root = fileURLToPath(new URL('..', import.meta.url));
// `electron-vite preview` builds main, preload and renderer, then starts Electron on the build.
const child = spawn(
  process.execPath,
  [fileURLToPath(new URL('../node_modules/electron-vite/bin/electron-vite.js', import.meta.url)), 'preview', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

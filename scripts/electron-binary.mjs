// Where the Electron binary is, or null. The `electron` npm package is installed without its
// download script (package.json allowScripts denies it, so `npm ci` works offline); the binary
// is fetched on first `npm start` where the network allows, and never by a mere lookup.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));

export function electronBinary() {
  if (process.env.ELECTRON_EXEC_PATH && existsSync(process.env.ELECTRON_EXEC_PATH)) return process.env.ELECTRON_EXEC_PATH;
  try {
    const relative = readFileSync(`${packageDir}path.txt`, 'utf8').trim();
    const binary = `${packageDir}dist/${relative}`;
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Runs the package's own download step once; true when the binary is there afterwards. */
export function downloadElectronBinary() {
  if (!existsSync(`${packageDir}install.js`)) return false;
  spawnSync(process.execPath, [`${packageDir}install.js`], { stdio: 'ignore', timeout: 10 * 60_000 });
  return electronBinary() !== null;
}

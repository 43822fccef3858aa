// Where the Electron binary is, or null: the `electron` package is optional and its binary
// download can fail (or npm can skip the package), and the app cannot start without it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export function electronBinary() {
  if (process.env.ELECTRON_EXEC_PATH && existsSync(process.env.ELECTRON_EXEC_PATH)) return process.env.ELECTRON_EXEC_PATH;
  try {
    // The package's main export is the binary's path; it throws when the download never happened.
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

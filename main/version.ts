/** The app's version, from package.json (bundled by electron-vite, read by tsx in `serve`). */
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;

/** Where the window's page and the preload live: the dev server while developing, the built files otherwise. */
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface AppLocations {
  appUrl: string;
  /** Set while developing with `electron-vite dev`. */
  devServerUrl: string | null;
  preloadPath: string;
}

export function appLocations(env: NodeJS.ProcessEnv, packaged: boolean, mainModuleUrl: string): AppLocations {
  const devServerUrl = !packaged && env.ELECTRON_RENDERER_URL ? env.ELECTRON_RENDERER_URL : null;
  return {
    appUrl: devServerUrl ?? pathToFileURL(fileURLToPath(new URL('../renderer/index.html', mainModuleUrl))).toString(),
    devServerUrl,
    preloadPath: fileURLToPath(new URL('../preload/index.cjs', mainModuleUrl)),
  };
}

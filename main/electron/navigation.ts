/**
 * Where the window may go: pure URL rules (no electron import) used by the glue's navigation and
 * window-open handlers and tested in plain Node.
 */
import { isAppFrameUrl } from '../ipc/sender';

/** In-app navigation (a reload, a hash route) stays; everything else is blocked. */
export function isInAppNavigation(targetUrl: string, appUrl: string): boolean {
  return isAppFrameUrl(targetUrl, appUrl);
}

/** Only plain web links leave the app, and only to the system browser. */
export function externalLinkTarget(targetUrl: string): string | null {
  try {
    const url = new URL(targetUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * What the window's session may fetch: the app's own files, inline data, devtools, and while
 * developing the Vite dev server (page, modules and its HMR socket). Nothing from the network.
 */
export function isLocalResource(url: string, devServerUrl: string | null): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (['file:', 'data:', 'blob:', 'devtools:'].includes(target.protocol)) return true;
  if (!devServerUrl) return false;
  const dev = new URL(devServerUrl);
  const sameHost = target.host === dev.host;
  return sameHost && (target.protocol === dev.protocol || target.protocol === (dev.protocol === 'https:' ? 'wss:' : 'ws:'));
}

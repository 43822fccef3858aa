/**
 * Where the window may go: pure URL rules (no electron import) used by the glue's navigation and
 * window-open handlers and tested in plain Node.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** A request as the session sees it (Electron's onBeforeRequest details, in part). */
export interface ResourceRequest {
  url: string;
  /** mainFrame, subFrame, script, image, … */
  resourceType?: string;
  /** The URL of the frame that asked for it, when known. */
  frameUrl?: string | null;
}

/** The app's own folder: where its index.html is (file: apps only). */
function appFolder(appUrl: string): string | null {
  try {
    const app = new URL(appUrl);
    if (app.protocol !== 'file:') return null;
    return path.dirname(fileURLToPath(app));
  } catch {
    return null;
  }
}

/** A file: URL inside the app's folder (after resolving '..' and percent-escapes), nothing else. */
function isAppFile(target: URL, appUrl: string): boolean {
  const folder = appFolder(appUrl);
  if (!folder || target.host !== new URL(appUrl).host) return false;
  let file: string;
  try {
    file = fileURLToPath(target);
  } catch {
    return false; // an encoded '/' or another host: not a plain file of ours
  }
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * What the window's session may fetch: the app's own files (inside its folder), inline data and
 * blobs that the app's own page made (images, never a page to navigate to), devtools, and while
 * developing the Vite dev server (page, modules and its HMR socket). Nothing from the network,
 * no other file of the machine.
 */
export function isLocalResource(request: ResourceRequest, app: { appUrl: string; devServerUrl: string | null }): boolean {
  let target: URL;
  try {
    target = new URL(request.url);
  } catch {
    return false;
  }
  if (target.protocol === 'devtools:') return true;
  if (target.protocol === 'file:') return isAppFile(target, app.appUrl);
  if (target.protocol === 'data:' || target.protocol === 'blob:') {
    const fromApp = isAppFrameUrl(request.frameUrl, app.appUrl);
    const navigation = request.resourceType === 'mainFrame' || request.resourceType === 'subFrame';
    if (!fromApp || navigation) return false;
    if (target.protocol === 'data:') return true;
    // A blob's URL names the origin that made it: only the app's own.
    try {
      const inner = new URL(target.pathname);
      const appOrigin = new URL(app.appUrl);
      return appOrigin.protocol === 'file:' ? inner.protocol === 'file:' : inner.origin === appOrigin.origin;
    } catch {
      return false;
    }
  }
  const devServerUrl = app.devServerUrl;
  if (!devServerUrl) return false;
  const dev = new URL(devServerUrl);
  const sameHost = target.host === dev.host;
  return sameHost && (target.protocol === dev.protocol || target.protocol === (dev.protocol === 'https:' ? 'wss:' : 'ws:'));
}

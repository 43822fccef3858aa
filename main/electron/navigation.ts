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

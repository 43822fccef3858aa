/**
 * Electron's security checklist, applied to the session and to every web contents the app
 * creates: strict CSP header, no permissions, no navigation away, no new windows (web links go
 * to the system browser), no webviews.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from './csp';
import { externalLinkTarget, isInAppNavigation, isLocalResource } from './navigation';

/** The asking frame's URL; null once it is gone (Electron then throws on reading it). */
function frameUrlOf(details: { frame?: { url: string } | null }): string | null {
  try {
    return details.frame?.url ?? null;
  } catch {
    return null;
  }
}

export function hardenSession(session: Session, app: { appUrl: string; devServerUrl: string | null }): void {
  const csp = contentSecurityPolicy({ devServerUrl: app.devServerUrl });
  // No remote content, whatever the page asks for: only the app's files (and the dev server).
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isLocalResource({ url: details.url, resourceType: details.resourceType, frameUrl: frameUrlOf(details) }, app);
    if (!allowed) console.warn(`Berth: blocked a request for ${details.url}: the window loads nothing from the network.`);
    callback({ cancel: !allowed });
  });
  // The built page also carries a meta CSP; the header covers the dev server's pages too.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

function openExternally(url: string): void {
  const target = externalLinkTarget(url);
  if (!target) {
    console.warn(`Berth: refused to open ${JSON.stringify(url)}: only http(s) links open in the browser.`);
    return;
  }
  shell.openExternal(target).catch((error: unknown) => console.warn(`Berth: could not open ${target}:`, error));
}

export function hardenWebContents(contents: WebContents, appUrl: string): void {
  const blockForeign = (event: { preventDefault(): void }, url: string) => {
    if (isInAppNavigation(url, appUrl)) return;
    event.preventDefault();
    openExternally(url);
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

/** Every web contents, including any created later, gets the same rules. */
export function hardenApp(appUrl: string): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appUrl));
}

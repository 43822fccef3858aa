/**
 * Which frame may call the backend: only the app's own page. A pure function of URLs, so the
 * rule is tested in plain Node and used unchanged by the Electron glue and the browser harness.
 */

/**
 * `appUrl` is what the window loads: the built renderer's file:// index.html, or the dev server
 * (ELECTRON_RENDERER_URL) during development. A file:// app trusts exactly that file; an http(s)
 * app trusts its origin. Anything else (another file, another origin, about:blank, a data: URL,
 * a missing URL) is foreign.
 */
export function isAppFrameUrl(frameUrl: string | null | undefined, appUrl: string): boolean {
  if (!frameUrl) return false;
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') {
    return frame.protocol === 'file:' && frame.host === app.host && frame.pathname === app.pathname;
  }
  if (app.protocol === 'http:' || app.protocol === 'https:') {
    return frame.origin === app.origin;
  }
  return false;
}

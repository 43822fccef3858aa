/**
 * The window's Content-Security-Policy. Production: only the app's own files; no inline script,
 * no eval, no remote content of any kind (images in Markdown included), no plugins, no frames,
 * no forms. The renderer reaches the backend only through window.berth, so it needs no network.
 * Development adds what Vite's dev server needs (its inline React-refresh preamble and the HMR
 * websocket). Pure and free of electron, so the browser harness serves the very same header.
 */
export function contentSecurityPolicy(options: { devServerUrl?: string | null } = {}): string {
  const dev = options.devServerUrl ? new URL(options.devServerUrl) : null;
  const wsOrigin = dev ? `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : null;
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': dev && wsOrigin ? ["'self'", wsOrigin] : ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'worker-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

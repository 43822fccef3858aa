import { describe, expect, it } from 'vitest';
import { isAppFrameUrl } from '../../main/ipc/sender';
import { externalLinkTarget, isInAppNavigation, isLocalResource } from '../../main/electron/navigation';
import { contentSecurityPolicy } from '../../main/electron/csp';

const BUILT = 'file:///opt/Berth/resources/app/out/renderer/index.html';
const DEV = 'http://localhost:5173/';

describe('only the app’s own page may call the backend', () => {
  it.each([
    [BUILT, BUILT],
    [`${BUILT}#/repos/acme`, BUILT],
    [`${BUILT}?tab=tags`, BUILT],
    ['http://localhost:5173/', DEV],
    ['http://localhost:5173/settings?x=1#y', DEV],
  ])('trusts %s when the app is %s', (frame, app) => {
    expect(isAppFrameUrl(frame, app)).toBe(true);
  });

  it.each([
    ['file:///opt/Berth/resources/app/out/renderer/other.html', BUILT],
    ['file:///tmp/index.html', BUILT],
    ['file:///opt/Berth/resources/app/out/renderer/../renderer2/index.html', BUILT],
    ['file://evil.example/opt/Berth/resources/app/out/renderer/index.html', BUILT],
    ['https://evil.example/index.html', BUILT],
    ['about:blank', BUILT],
    ['data:text/html,<script>1</script>', BUILT],
    ['devtools://devtools/bundled/inspector.html', BUILT],
    ['http://localhost:5174/', DEV],
    ['http://127.0.0.1:5173/', DEV],
    ['https://localhost:5173/', DEV],
    ['http://localhost.evil.example:5173/', DEV],
    ['', BUILT],
    [null, BUILT],
    [undefined, DEV],
    ['not a url', DEV],
  ])('refuses %s when the app is %s', (frame, app) => {
    expect(isAppFrameUrl(frame, app)).toBe(false);
  });

  it('refuses everything when the app URL itself is not usable', () => {
    expect(isAppFrameUrl('about:blank', 'about:blank')).toBe(false);
    expect(isAppFrameUrl(BUILT, 'nonsense')).toBe(false);
  });
});

describe('navigation and links', () => {
  it('keeps in-app navigation and blocks every other destination', () => {
    expect(isInAppNavigation(`${BUILT}#/settings`, BUILT)).toBe(true);
    expect(isInAppNavigation('https://example.com/', BUILT)).toBe(false);
    expect(isInAppNavigation('file:///etc/passwd', BUILT)).toBe(false);
  });

  it('lets the window load only local resources, and the dev server while developing', () => {
    expect(isLocalResource(BUILT, null)).toBe(true);
    expect(isLocalResource('file:///opt/Berth/resources/app/out/renderer/assets/index.js', null)).toBe(true);
    expect(isLocalResource('data:image/svg+xml,<svg/>', null)).toBe(true);
    expect(isLocalResource('https://cdn.example/lib.js', null)).toBe(false);
    expect(isLocalResource('http://localhost:5173/src/main.tsx', null)).toBe(false);
    expect(isLocalResource('http://localhost:5173/src/main.tsx', DEV)).toBe(true);
    expect(isLocalResource('ws://localhost:5173/', DEV)).toBe(true);
    expect(isLocalResource('http://localhost:5174/', DEV)).toBe(false);
    expect(isLocalResource('https://evil.example/', DEV)).toBe(false);
    expect(isLocalResource('nonsense', DEV)).toBe(false);
  });

  it('sends only http(s) links to the system browser', () => {
    expect(externalLinkTarget('https://hub.docker.com/r/library/nginx')).toBe('https://hub.docker.com/r/library/nginx');
    expect(externalLinkTarget('http://example.com')).toBe('http://example.com/');
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'smb://host/share', 'mailto:a@b.c', 'nonsense']) {
      expect(externalLinkTarget(url)).toBeNull();
    }
  });
});

describe('Content-Security-Policy', () => {
  it('allows no inline script, no eval and no remote content in the built app', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('lets the dev server’s HMR socket in only while developing', () => {
    expect(contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/' })).toContain('connect-src \'self\' ws://localhost:5173');
    expect(contentSecurityPolicy()).not.toContain('ws:');
  });
});

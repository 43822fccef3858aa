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
    const built = { appUrl: BUILT, devServerUrl: null };
    const dev = { appUrl: DEV, devServerUrl: DEV };
    const image = (url: string) => ({ url, resourceType: 'image', frameUrl: BUILT });
    expect(isLocalResource({ url: BUILT, resourceType: 'mainFrame' }, built)).toBe(true);
    expect(isLocalResource({ url: 'file:///opt/Berth/resources/app/out/renderer/assets/index.js' }, built)).toBe(true);
    expect(isLocalResource(image('data:image/svg+xml,<svg/>'), built)).toBe(true);
    expect(isLocalResource({ url: 'https://cdn.example/lib.js' }, built)).toBe(false);
    expect(isLocalResource({ url: 'http://localhost:5173/src/main.tsx' }, built)).toBe(false);
    expect(isLocalResource({ url: 'http://localhost:5173/src/main.tsx' }, dev)).toBe(true);
    expect(isLocalResource({ url: 'ws://localhost:5173/' }, dev)).toBe(true);
    expect(isLocalResource({ url: 'http://localhost:5174/' }, dev)).toBe(false);
    expect(isLocalResource({ url: 'https://evil.example/' }, dev)).toBe(false);
    expect(isLocalResource({ url: 'nonsense' }, dev)).toBe(false);
  });

  it('allows file: URLs only inside the app’s own folder', () => {
    const built = { appUrl: BUILT, devServerUrl: null };
    for (const url of [
      'file:///etc/passwd',
      'file:///opt/Berth/resources/app/out/preload/index.cjs',
      'file:///opt/Berth/resources/app/out/renderer/../main/index.js',
      'file:///opt/Berth/resources/app/out/renderer/%2e%2e/main/index.js',
      'file:///opt/Berth/resources/app/out/renderer/assets%2F..%2F..%2Fmain/index.js',
      'file:///opt/Berth/resources/app/out/renderer-evil/index.html',
      'file://evil.example/opt/Berth/resources/app/out/renderer/index.html',
      'file:///opt/Berth/resources/app/out/renderer',
    ]) {
      expect(isLocalResource({ url, resourceType: 'script', frameUrl: BUILT }, built), url).toBe(false);
    }
    // While developing, the page comes from the dev server: no file at all.
    expect(
      isLocalResource({ url: 'file:///opt/Berth/resources/app/out/renderer/assets/index.js' }, { appUrl: DEV, devServerUrl: DEV }),
    ).toBe(false);
  });

  it('refuses data: and blob: URLs the app’s page did not ask for, and any to navigate to', () => {
    const built = { appUrl: BUILT, devServerUrl: null };
    const dev = { appUrl: DEV, devServerUrl: DEV };
    expect(isLocalResource({ url: 'data:image/png;base64,AAAA', resourceType: 'image' }, built)).toBe(false);
    expect(isLocalResource({ url: 'data:image/png;base64,AAAA', resourceType: 'image', frameUrl: 'https://evil.example/' }, built)).toBe(
      false,
    );
    expect(isLocalResource({ url: 'data:text/html,<script>1</script>', resourceType: 'mainFrame', frameUrl: BUILT }, built)).toBe(false);
    expect(isLocalResource({ url: 'data:text/html,x', resourceType: 'subFrame', frameUrl: BUILT }, built)).toBe(false);
    expect(isLocalResource({ url: 'blob:file:///6f1c2a', resourceType: 'image', frameUrl: BUILT }, built)).toBe(true);
    expect(isLocalResource({ url: 'blob:https://evil.example/6f1c2a', resourceType: 'image', frameUrl: BUILT }, built)).toBe(false);
    expect(isLocalResource({ url: 'blob:http://localhost:5173/6f1c2a', resourceType: 'image', frameUrl: DEV }, dev)).toBe(true);
    expect(isLocalResource({ url: 'blob:http://localhost:5174/6f1c2a', resourceType: 'image', frameUrl: DEV }, dev)).toBe(false);
    expect(isLocalResource({ url: 'blob:http://localhost:5173/6f1c2a', resourceType: 'mainFrame', frameUrl: DEV }, dev)).toBe(false);
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
    expect(contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/' })).toContain("connect-src 'self' ws://localhost:5173");
    expect(contentSecurityPolicy()).not.toContain('ws:');
  });
});

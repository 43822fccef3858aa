/**
 * Authentication and redirect edges against a local fixture: several challenges in one header,
 * Bearer over Basic, token service refusals, and blob redirects to another host that must not
 * receive the registry's Authorization.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../main/registries';
import { expectCode } from '../support/expect-error';
import { type Fixture, json, manifestAnswer, startFixture } from './rig/http-fixture';
import { buildImage } from './rig/images';

const open: Array<Fixture | RegistryClient> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function fixture(handler: Parameters<typeof startFixture>[0]): Promise<Fixture> {
  const f = await startFixture(handler);
  open.push(f);
  return f;
}

function client(url: string, options: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}): RegistryClient {
  const c = new RegistryClient({ url, ...options });
  open.push(c);
  return c;
}

const CREDENTIALS = { username: 'carol', password: 'pa55-word' };
const image = buildImage({ format: 'oci' });

describe('challenges', () => {
  it('answers the Bearer challenge of a header that also offers Basic, with the service and scope asked for', async () => {
    const registry = await fixture((req, res, url) => {
      if (url.pathname === '/token') return json(res, 200, { token: 'tok-1', expires_in: 120 });
      if (req.headers.authorization !== 'Bearer tok-1') {
        res.writeHead(401, {
          'www-authenticate': `Basic realm="legacy", Bearer realm="${registry.url}/token",service="fixture.test",scope="repository:a/b:pull"`,
        });
        return res.end();
      }
      json(res, 200, { name: 'a/b', tags: ['x'] });
    });
    const c = client(registry.url, { credentials: CREDENTIALS });
    expect(await c.listTags('a/b', { n: 5 })).toEqual({ results: ['x'], next: null });
    const token = registry.requests.find((r) => r.url.pathname === '/token');
    expect(token?.url.searchParams.get('service')).toBe('fixture.test');
    expect(token?.url.searchParams.getAll('scope')).toEqual(['repository:a/b:pull']);
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('carol:pa55-word').toString('base64')}`);
    // Berth's own requests are recognisable (registry events use this to skip them).
    expect(registry.requests.every((r) => /^Berth\/\d/.test(r.headers['user-agent'] ?? ''))).toBe(true);
    // The next request goes out with the cached token: no second 401, no second token request.
    const before = registry.requests.length;
    await c.listTags('a/b', { n: 5 });
    expect(registry.requests.length).toBe(before + 1);
  });

  it('shares one token request among parallel requests for the same scope', async () => {
    const registry = await fixture((req, res, url) => {
      if (url.pathname === '/token') return setTimeout(() => json(res, 200, { token: 'tok-2' }), 20);
      if (req.headers.authorization !== 'Bearer tok-2') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${registry.url}/token",service="s"` });
        return res.end();
      }
      if (url.pathname === '/v2/') return json(res, 200, {});
      manifestAnswer(res, image.content, image.mediaType, image.digest, req.method);
    });
    const c = client(registry.url);
    await c.ping(); // learns the token service
    await Promise.all(Array.from({ length: 6 }, (_, i) => c.headManifest('a/b', `t${i}`)));
    expect(
      registry.requests.filter((r) => r.url.pathname === '/token' && r.url.searchParams.get('scope') === 'repository:a/b:pull'),
    ).toHaveLength(1);
  });

  it('answers Basic when it is the only scheme it knows among several', async () => {
    const expected = `Basic ${Buffer.from('carol:pa55-word').toString('base64')}`;
    const registry = await fixture((req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Negotiate, NTLM, Basic realm="corp registry", charset="UTF-8"' });
        return res.end();
      }
      json(res, 200, {});
    });
    await client(registry.url, { credentials: CREDENTIALS }).ping();
  });

  it('reports a token service refusal as registry_auth_failed quoting it, and never the password', async () => {
    const registry = await fixture((req, res, url) => {
      if (url.pathname === '/token') return json(res, 401, { details: 'incorrect username or password' });
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${registry.url}/token",service="s"` });
      res.end();
    });
    const error = await expectCode(client(registry.url, { credentials: CREDENTIALS }).ping(), 'registry_auth_failed');
    expect(error.detail).toBe(`registry ${new URL(registry.url).host} refused the credentials of carol: "incorrect username or password".`);
    expect(error.detail).not.toContain(CREDENTIALS.password);
  });

  it('reports a token service that sends no token as registry_error', async () => {
    const registry = await fixture((req, res, url) => {
      if (url.pathname === '/token') return json(res, 200, { nothing: true });
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${registry.url}/token"` });
      res.end();
    });
    const error = await expectCode(client(registry.url).ping(), 'registry_error');
    expect(error.detail).toMatch(/without a token/);
  });
});

describe('token services on plain http', () => {
  // The fixture answers on 127.0.0.1; Linux connects 0.0.0.0 to this machine too, so this realm
  // reaches the fixture while not being a loopback name.
  const plainRealm = (registry: Fixture): string => `http://0.0.0.0:${new URL(registry.url).port}/token`;

  /** A registry (on loopback) whose token service is that plain http realm. */
  async function registryWithPlainRealm(): Promise<Fixture> {
    const registry = await fixture((req, res, url) => {
      if (url.pathname === '/token') return json(res, 200, { token: 'tok-http' });
      if (req.headers.authorization !== 'Bearer tok-http') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${plainRealm(registry)}",service="s"` });
        return res.end();
      }
      json(res, 200, {});
    });
    return registry;
  }

  it('refuses to send credentials to a token service on plain http of another host, naming it', async () => {
    const registry = await registryWithPlainRealm();
    const error = await expectCode(client(registry.url, { credentials: CREDENTIALS }).ping(), 'registry_auth_failed');
    expect(error.detail).toBe(
      `registry ${new URL(registry.url).host} names a token service on plain http ("${plainRealm(registry)}"): Berth does not send the credentials of carol there unencrypted. Have the registry's token service use https, or mark the connection insecure if this network is trusted.`,
    );
    // The password never left: no token request was made at all.
    expect(registry.requests.filter((r) => r.url.pathname === '/token')).toEqual([]);
  });

  it('sends them there when the connection is marked insecure', async () => {
    const registry = await registryWithPlainRealm();
    await client(registry.url, { credentials: CREDENTIALS, insecure: true }).ping();
    const token = registry.requests.find((r) => r.url.pathname === '/token');
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('carol:pa55-word').toString('base64')}`);
  });

  it('asks such a token service anonymously when there are no credentials to protect', async () => {
    const registry = await registryWithPlainRealm();
    await client(registry.url).ping();
    const token = registry.requests.find((r) => r.url.pathname === '/token');
    expect(token).toBeDefined();
    expect(token?.headers.authorization).toBeUndefined();
  });
});

describe('redirects', () => {
  it('follows a blob redirect to another host without sending it the registry credentials', async () => {
    const storage = await fixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(image.config.content);
    });
    const expected = `Basic ${Buffer.from('carol:pa55-word').toString('base64')}`;
    const registry = await fixture((req, res, url) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' });
        return res.end();
      }
      if (url.pathname.includes('/manifests/')) return manifestAnswer(res, image.content, image.mediaType, image.digest);
      res.writeHead(307, { location: `${storage.url}/signed/config?sig=abc` });
      res.end();
    });
    const summary = await client(registry.url, { credentials: CREDENTIALS }).manifestSummary('a/b', 'v1');
    expect(summary.config?.architecture).toBe('amd64');
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]?.url.pathname).toBe('/signed/config');
    expect(storage.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('follows a relative blob redirect on the same host with the credentials', async () => {
    const registry = await fixture((_req, res, url) => {
      if (url.pathname.includes('/manifests/')) return manifestAnswer(res, image.content, image.mediaType, image.digest);
      if (url.pathname.startsWith('/v2/')) {
        res.writeHead(302, { location: '/storage/config' });
        return res.end();
      }
      res.writeHead(200);
      res.end(image.config.content);
    });
    const summary = await client(registry.url, { credentials: CREDENTIALS }).manifestSummary('a/b', 'v1');
    expect(summary.config?.os).toBe('linux');
  });

  it('does not follow a redirect for a manifest', async () => {
    const other = await fixture((_req, res) => manifestAnswer(res, image.content, image.mediaType, image.digest));
    const registry = await fixture((_req, res) => {
      res.writeHead(302, { location: `${other.url}/v2/a/b/manifests/v1` });
      res.end();
    });
    const error = await expectCode(client(registry.url).manifestSummary('a/b', 'v1'), 'registry_error');
    expect(error.detail).toMatch(/unexpected redirect/);
    expect(other.requests).toHaveLength(0);
  });
});

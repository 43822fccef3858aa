/**
 * A local Docker Hub: its registry (Bearer challenges naming the token service), its token service
 * (anonymous tokens for public repositories, Basic credentials for private ones), its web API's
 * repository listing (`/v2/repositories/<namespace>/`, numbered pages), and a "CDN" host that
 * blobs redirect to. No catalog, as on Hub.
 */
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { type Fixture, json, manifestAnswer, startFixture } from './http-fixture';
import type { Blob, BuiltManifest } from './images';

export interface HubRepository {
  public: boolean;
  tags: Record<string, BuiltManifest>;
  manifests: BuiltManifest[];
  blobs: Blob[];
}

export interface HubFixture {
  registry: Fixture;
  auth: Fixture;
  /** Hub's web API; also serves blobs at /cdn/<digest> (Hub hands blobs to its CDN). */
  hub: Fixture;
  close(): Promise<void>;
}

export const HUB_SERVICE = 'registry.docker.io';

export async function startHubFixture(repositories: Record<string, HubRepository>, users: Record<string, string>): Promise<HubFixture> {
  const tokens = new Map<string, { account: string | null; scopes: string[] }>();

  const auth = await startFixture((req, res, url) => {
    let account: string | null = null;
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const [user = '', ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (users[user] !== rest.join(':')) return json(res, 401, { details: 'incorrect username or password' });
      account = user;
    }
    const scopes = url.searchParams.getAll('scope').filter((scope) => {
      const name = /^repository:(.+):pull$/.exec(scope)?.[1];
      const repo = name ? repositories[name] : undefined;
      return repo && (repo.public || account !== null);
    });
    const token = randomBytes(12).toString('hex');
    tokens.set(token, { account, scopes });
    json(res, 200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
  });

  const hub = await startFixture((_req, res, url) => {
    const cdn = /^\/cdn\/(.+)$/.exec(url.pathname);
    if (cdn) {
      const blob = Object.values(repositories)
        .flatMap((r) => r.blobs)
        .find((b) => b.digest === cdn[1]);
      if (!blob) return json(res, 404, { message: 'no such blob' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void res.end(blob.content);
    }
    const listing = /^\/v2\/repositories\/([^/]+)\/$/.exec(url.pathname);
    if (!listing) return json(res, 404, { message: 'page not found' });
    const namespace = listing[1] as string;
    const names = Object.keys(repositories).filter((n) => n.startsWith(`${namespace}/`) && repositories[n]?.public);
    if (names.length === 0) return json(res, 404, { message: 'object not found', errinfo: {} });
    // Hub lists in its own order (here: reversed), by numbered pages.
    const ordered = names.map((n) => n.slice(namespace.length + 1)).reverse();
    const size = Number(url.searchParams.get('page_size') ?? 10);
    const page = Number(url.searchParams.get('page') ?? 1);
    const slice = ordered.slice((page - 1) * size, page * size);
    const next = page * size < ordered.length ? `${hub.url}/v2/repositories/${namespace}/?page=${page + 1}&page_size=${size}` : null;
    json(res, 200, {
      count: ordered.length,
      next,
      previous: null,
      results: slice.map((name) => ({ name, namespace, repository_type: 'image' })),
    });
  });

  const challenge = (res: ServerResponse, scope?: string): void => {
    const scopePart = scope ? `,scope="${scope}"` : '';
    res.writeHead(401, {
      'www-authenticate': `Bearer realm="${auth.url}/token",service="${HUB_SERVICE}"${scopePart}`,
      'content-type': 'application/json',
    });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
  };

  const registry = await startFixture((req, res, url) => {
    const granted = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (url.pathname === '/v2/') return granted ? json(res, 200, {}) : challenge(res);
    if (url.pathname === '/v2/_catalog') return json(res, 404, { errors: [{ code: 'UNSUPPORTED', message: 'catalog is not available' }] });
    const route = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+)$/.exec(url.pathname);
    if (!route) return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    const [, name = '', what = ''] = route;
    const scope = `repository:${name}:pull`;
    if (!granted?.scopes.includes(scope)) return challenge(res, scope);
    const repo = repositories[name] as HubRepository;
    if (what === 'tags/list') return json(res, 200, { name, tags: Object.keys(repo.tags) });
    const reference = what.split('/')[1] as string;
    if (what.startsWith('blobs/')) {
      res.writeHead(307, { location: `${hub.url}/cdn/${reference}` });
      return void res.end();
    }
    const manifest = repo.tags[reference] ?? repo.manifests.find((m) => m.digest === reference);
    if (!manifest) return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    manifestAnswer(res, manifest.content, manifest.mediaType, manifest.digest, req.method);
  });

  return {
    registry,
    auth,
    hub,
    close: async () => {
      await Promise.all([registry.close(), auth.close(), hub.close()]);
    },
  };
}

/**
 * A test token service for Distribution's `auth.token`: it checks Basic credentials, grants the
 * requested actions by a policy, and signs a JWT (ES256) whose `x5c` header carries the test
 * certificate that the registry trusts through `rootcertbundle`.
 */
import { createPrivateKey, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import type { TestCertificate } from './certs';

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenServerOptions {
  certificate: TestCertificate;
  service: string;
  issuer: string;
  users: Record<string, string>;
  /** Actions granted to a signed-in user (default: all requested) and to anonymous (default: none). */
  grant?: (account: string | null, requested: Access) => string[];
  expiresIn?: number;
}

export interface TokenServer {
  realm: string;
  /** Token requests answered so far, and the scopes each asked for. */
  requests: Array<{ account: string | null; scopes: string[]; ok: boolean }>;
  /** A token for the given access, as the service would issue it (the pusher uses it). */
  mint(account: string | null, access: Access[]): Promise<string>;
  close(): Promise<void>;
}

function parseScope(scope: string): Access | null {
  const match = /^([a-z]+):(.+):([a-z*,]+)$/.exec(scope);
  return match ? { type: match[1] as string, name: match[2] as string, actions: (match[3] as string).split(',') } : null;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(options.certificate.keyPem);
  const x5c = options.certificate.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  const expiresIn = options.expiresIn ?? 300;
  const grant = options.grant ?? ((account, requested) => (account ? requested.actions : []));
  const requests: TokenServer['requests'] = [];

  const mint = (account: string | null, access: Access[]): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ access })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [x5c] })
      .setIssuer(options.issuer)
      .setSubject(account ?? '')
      .setAudience(options.service)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(key);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const scopes = url.searchParams
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean);
      let account: string | null = null;
      const header = req.headers.authorization;
      if (header?.startsWith('Basic ')) {
        const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
        if (!user || options.users[user] === undefined || options.users[user] !== rest.join(':')) {
          requests.push({ account: user ?? null, scopes, ok: false });
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
          return;
        }
        account = user;
      }
      const access = scopes
        .map(parseScope)
        .filter((a): a is Access => a !== null)
        .map((a) => ({ ...a, actions: grant(account, a) }));
      requests.push({ account, scopes, ok: true });
      const token = await mint(account, access);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() }));
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    mint,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

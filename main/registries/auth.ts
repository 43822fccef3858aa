/**
 * Answers a registry's challenges: Basic with the connection's credentials, or Bearer through the
 * token service the challenge names (with the credentials, or anonymously without them). Bearer
 * tokens are cached per realm, service and scope until their `expires_in` runs out; once the
 * registry has shown its token service, tokens are fetched before the request instead of after a 401.
 */
import { type Challenge, parseChallenges, preferredChallenge } from './challenge';
import { isLoopbackHost } from './endpoint';
import { quoteAnswer, registryFailure } from './errors';
import type { Answer, Exchange } from './http';

export interface Credentials {
  username: string;
  password: string;
}

/** Where credentials come from each time they are needed (a file, Docker's config, a helper). */
export type CredentialSource = () => Promise<Credentials | null>;

/** A token answer is small; a larger one is not a token service. */
const TOKEN_MAX_BYTES = 1024 * 1024;
/** The token specification's default lifetime when `expires_in` is absent. */
const DEFAULT_TOKEN_SECONDS = 60;
/** Tokens are dropped this long before they expire, so none expires in flight. */
const EXPIRY_MARGIN_MS = 5_000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

export function basicHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

export class Authenticator {
  private bearer: { realm: string; service?: string } | null = null;
  private basic = false;
  private readonly tokens = new Map<string, CachedToken>();
  /** Token requests under way, so parallel requests for one scope share one. */
  private readonly pending = new Map<string, Promise<string>>();
  /** How many tokens were fetched (for tests and diagnostics). */
  tokenRequests = 0;

  constructor(
    private readonly deps: {
      credentials: CredentialSource;
      send: (exchange: Exchange) => Promise<Answer>;
      now: () => number;
      label: string;
      /** The connection allows plain http: credentials may then go to a token service on http too. */
      insecure: boolean;
    },
  ) {}

  /** The Authorization header to send first, from what the registry has asked for before. */
  async headerFor(scopes: string[]): Promise<string | undefined> {
    if (this.bearer) return `Bearer ${await this.token(this.bearer.realm, this.bearer.service, scopes)}`;
    if (this.basic) {
      const credentials = await this.deps.credentials();
      return credentials ? basicHeader(credentials) : undefined;
    }
    return undefined;
  }

  /**
   * After a 401: the header to retry with. `sent` is the header the refused request carried, so
   * refused credentials are reported instead of being sent again.
   */
  async answer(answer: Answer, scopes: string[], sent: string | undefined): Promise<string> {
    const challenge = preferredChallenge(parseChallenges(answer.headers['www-authenticate']));
    if (!challenge) throw this.refused(answer, 'refused the request and named no way to authenticate');
    if (challenge.scheme === 'basic') return this.answerBasic(answer, sent);
    return this.answerBearer(challenge, scopes);
  }

  /** The error for a request still refused after authenticating. */
  refused(answer: Answer, what: string): Error {
    const quote = quoteAnswer(answer.body);
    return registryFailure('registry_auth_failed', `${this.deps.label} ${what}${quote ? `: "${quote}"` : ''}.`);
  }

  async refusedAfterAuthenticating(answer: Answer): Promise<Error> {
    const credentials = await this.deps.credentials();
    return this.refused(answer, credentials ? `refused the credentials of ${credentials.username}` : 'refused anonymous access');
  }

  private async answerBasic(answer: Answer, sent: string | undefined): Promise<string> {
    this.basic = true;
    const credentials = await this.deps.credentials();
    if (!credentials) throw this.refused(answer, 'requires a username and password');
    if (sent?.startsWith('Basic ')) throw this.refused(answer, `refused the username and password of ${credentials.username}`);
    return basicHeader(credentials);
  }

  private async answerBearer(challenge: Challenge, scopes: string[]): Promise<string> {
    const realm = challenge.params.realm as string;
    const service = challenge.params.service;
    this.bearer = service === undefined ? { realm } : { realm, service };
    const asked = (challenge.params.scope ?? '').split(' ').filter(Boolean);
    const all = [...new Set([...scopes, ...asked])];
    // The cached token (if any) was just refused: fetch a new one.
    this.tokens.delete(cacheKey(realm, service, all));
    return `Bearer ${await this.token(realm, service, all)}`;
  }

  private async token(realm: string, service: string | undefined, scopes: string[]): Promise<string> {
    const key = cacheKey(realm, service, scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.deps.now()) return cached.token;
    const pending = this.pending.get(key);
    if (pending) return pending;
    const request = this.fetchToken(key, realm, service, scopes).finally(() => this.pending.delete(key));
    this.pending.set(key, request);
    return request;
  }

  private async fetchToken(key: string, realm: string, service: string | undefined, scopes: string[]): Promise<string> {
    const url = tokenUrl(realm, this.deps.label);
    if (service) url.searchParams.set('service', service);
    for (const scope of [...scopes].sort()) url.searchParams.append('scope', scope);
    const credentials = await this.deps.credentials();
    if (credentials) this.checkPlainHttpRealm(url, realm, credentials.username);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credentials) {
      url.searchParams.set('account', credentials.username);
      headers.authorization = basicHeader(credentials);
    }
    this.tokenRequests++;
    const answer = await this.deps.send({ method: 'GET', url, headers, maxBytes: TOKEN_MAX_BYTES, what: 'a token answer' });
    if (answer.status === 401 || answer.status === 403) {
      throw this.refused(answer, credentials ? `refused the credentials of ${credentials.username}` : 'requires credentials');
    }
    const parsed = answer.status === 200 ? parseToken(answer.body) : null;
    if (!parsed) {
      const quote = quoteAnswer(answer.body);
      throw registryFailure(
        'registry_error',
        `The token service of ${this.deps.label} answered HTTP ${answer.status} without a token${quote ? `: "${quote}"` : ''}.`,
      );
    }
    this.tokens.set(key, { token: parsed.token, expiresAt: this.deps.now() + parsed.expiresIn * 1000 - EXPIRY_MARGIN_MS });
    return parsed.token;
  }

  /**
   * A registry names its token service itself; one on plain http would carry the password in the
   * clear (even for a registry on https). Only a connection marked insecure, or a token service on
   * this machine, gets credentials over http. Anonymous token requests carry nothing secret.
   */
  private checkPlainHttpRealm(url: URL, realm: string, username: string): void {
    if (url.protocol !== 'http:' || this.deps.insecure || isLoopbackHost(url.hostname)) return;
    throw registryFailure(
      'registry_auth_failed',
      `${this.deps.label} names a token service on plain http ("${realm.slice(0, 200)}"): Berth does not send the credentials of ${username} there unencrypted. Have the registry's token service use https, or mark the connection insecure if this network is trusted.`,
    );
  }
}

function cacheKey(realm: string, service: string | undefined, scopes: string[]): string {
  return JSON.stringify([realm, service ?? '', [...scopes].sort()]);
}

function tokenUrl(realm: string, label: string): URL {
  try {
    const url = new URL(realm);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // reported below
  }
  throw registryFailure('registry_error', `${label} named a token service that is not an http(s) URL ("${realm.slice(0, 200)}").`);
}

function parseToken(body: Buffer): { token: string; expiresIn: number } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const o = parsed as { token?: unknown; access_token?: unknown; expires_in?: unknown };
  const token =
    typeof o.token === 'string' && o.token ? o.token : typeof o.access_token === 'string' && o.access_token ? o.access_token : null;
  if (!token) return null;
  const expiresIn = typeof o.expires_in === 'number' && o.expires_in > 0 ? o.expires_in : DEFAULT_TOKEN_SECONDS;
  return { token, expiresIn };
}

/**
 * Authenticated requests to one registry's `/v2/` API: the Authorization header from the
 * Authenticator, one retry after a 401 challenge, and redirects, which are followed for blobs
 * only (registries hand blobs to storage or a CDN) and never carry Authorization to another origin.
 */
import { Authenticator } from './auth';
import { registryFailure } from './errors';
import type { Answer, Exchange, HttpTransport } from './http';

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface ApiRequest {
  method: 'GET' | 'HEAD' | 'DELETE';
  /** Path and query below the API origin, or an absolute URL on it (a `Link` target). */
  url: URL;
  scopes: string[];
  accept?: string;
  /** A conditional request: answered 304 when the resource still has this ETag. */
  ifNoneMatch?: string;
  maxBytes: number;
  what: string;
  followRedirects?: boolean;
}

export class Session {
  constructor(
    private readonly http: HttpTransport,
    readonly auth: Authenticator,
    /** The registry's API origin: the only one Authorization is sent to. */
    readonly api: URL,
    readonly label: string,
  ) {}

  async request(req: ApiRequest): Promise<Answer> {
    let url = req.url;
    for (let hops = 0; ; hops++) {
      const answer = await this.authenticated(req, url);
      if (!REDIRECT_STATUSES.has(answer.status)) return answer;
      const location = single(answer.headers.location);
      if (!req.followRedirects || !location) {
        throw registryFailure('registry_error', `${this.label} answered ${req.what} with an unexpected redirect (HTTP ${answer.status}).`);
      }
      if (hops >= MAX_REDIRECTS)
        throw registryFailure('registry_error', `${this.label} redirected ${req.what} more than ${MAX_REDIRECTS} times.`);
      url = new URL(location, url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw registryFailure('registry_error', `${this.label} redirected ${req.what} to a non-http URL.`);
      }
    }
  }

  private async authenticated(req: ApiRequest, url: URL): Promise<Answer> {
    const ours = url.origin === this.api.origin;
    const headers: Record<string, string> = {};
    if (req.accept) headers.accept = req.accept;
    if (req.ifNoneMatch) headers['if-none-match'] = req.ifNoneMatch;
    const exchange: Exchange = { method: req.method, url, headers, maxBytes: req.maxBytes, what: req.what };
    if (!ours) return this.http.send(exchange);
    const first = await this.auth.headerFor(req.scopes);
    if (first) headers.authorization = first;
    const answer = await this.http.send(exchange);
    if (answer.status !== 401) return answer;
    const retry = await this.auth.answer(answer, req.scopes, first);
    const second = await this.http.send({ ...exchange, headers: { ...headers, authorization: retry } });
    if (second.status === 401) throw await this.auth.refusedAfterAuthenticating(second);
    return second;
  }
}

export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

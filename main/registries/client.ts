/**
 * One connected registry: its endpoint, connection pool, authenticator and operations. Make one
 * per registry connection (and a new one when its URL, CA or credentials change); close it when
 * the connection goes away.
 */
import { VERSION } from '../version';
import { Authenticator, type Credentials, type CredentialSource } from './auth';
import { type DockerHubHosts, type RegistryEndpoint, resolveEndpoint } from './endpoint';
import { DEFAULT_HTTP, HttpTransport, type HttpOptions } from './http';
import { allRepositories, allTags, type ListingContext, listRepositories, listTags, type PageRequest } from './listing';
import {
  type ConfigSummary,
  fetchConfig,
  fetchManifest,
  type FetchedManifest,
  headManifest,
  headManifestIfChanged,
  type ManifestHead,
} from './manifests';
import { deleteManifest, ping, tagsPointingAt } from './operations';
import type { Page } from './paging';
import type { RetryPolicy } from './retry';
import { Session } from './session';
import { type ConfigCache, type ImageDetails, imageDetails, type ManifestSummary, manifestSummary } from './summary';

/** Berth's own requests are recognisable by this User-Agent (registry events use it to skip them). */
export const USER_AGENT = `Berth/${VERSION}`;

export interface RegistryClientOptions {
  /** `https://host[:port]`, `http://…` (insecure or loopback), or `docker.io` for Docker Hub. */
  url: string;
  /** Allows plain http to a non-loopback host. TLS, when used, is always verified. */
  insecure?: boolean;
  /** A CA certificate (PEM) trusted in addition to the system's, for a registry with its own CA. */
  caPem?: string;
  /** Fixed credentials, or a source asked each time they are needed; none means anonymous. */
  credentials?: Credentials | CredentialSource | null;
  /** Test seams: Docker Hub's hosts, timeouts, retry policy, sleep and clock. */
  dockerHub?: Partial<DockerHubHosts>;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxInFlight?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class RegistryClient {
  readonly endpoint: RegistryEndpoint;
  private readonly http: HttpTransport;
  private readonly auth: Authenticator;
  private readonly ctx: ListingContext;

  constructor(options: RegistryClientOptions) {
    this.endpoint = resolveEndpoint(options.url, {
      insecure: options.insecure ?? false,
      ...(options.dockerHub ? { dockerHub: options.dockerHub } : {}),
    });
    const httpOptions: HttpOptions = {
      ...DEFAULT_HTTP,
      userAgent: USER_AGENT,
      retry: { ...DEFAULT_HTTP.retry, ...options.retry },
      ...(options.caPem ? { caPem: options.caPem } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.now ? { now: options.now } : {}),
    };
    this.http = new HttpTransport(httpOptions, this.endpoint.api.host);
    const source = credentialSource(options.credentials);
    this.auth = new Authenticator({
      credentials: source,
      send: (e) => this.http.send(e),
      now: httpOptions.now,
      label: this.endpoint.label,
      insecure: options.insecure ?? false,
    });
    const session = new Session(this.http, this.auth, this.endpoint.api, this.endpoint.label);
    this.ctx = { endpoint: this.endpoint, session, http: this.http };
  }

  /** Tokens fetched so far (tests show caching with it). */
  get tokenRequests(): number {
    return this.auth.tokenRequests;
  }

  /** Requests in flight right now (never more than 8 by default). */
  get inFlight(): number {
    return this.http.inFlight;
  }

  ping(): Promise<void> {
    return ping(this.ctx);
  }

  listRepositories(page: PageRequest & { namespace?: string }): Promise<Page> {
    return listRepositories(this.ctx, page);
  }

  allRepositories(options: { namespace?: string } = {}): Promise<string[]> {
    return allRepositories(this.ctx, options);
  }

  listTags(repository: string, page: PageRequest): Promise<Page> {
    return listTags(this.ctx, repository, page);
  }

  allTags(repository: string): Promise<string[]> {
    return allTags(this.ctx, repository);
  }

  manifest(repository: string, reference: string): Promise<FetchedManifest> {
    return fetchManifest(this.ctx, repository, reference);
  }

  headManifest(repository: string, reference: string): Promise<ManifestHead> {
    return headManifest(this.ctx, repository, reference);
  }

  /** A tag's manifest head; null while it still points at `known` (a conditional HEAD). */
  headManifestIfChanged(repository: string, tag: string, known: string): Promise<ManifestHead | null> {
    return headManifestIfChanged(this.ctx, repository, tag, known);
  }

  manifestSummary(repository: string, reference: string): Promise<ManifestSummary> {
    return manifestSummary(this.ctx, repository, reference);
  }

  /** The manifest (and an image's config, read once per digest through `configs`) as a sync keeps it. */
  imageDetails(repository: string, reference: string, configs?: ConfigCache): Promise<ImageDetails> {
    return imageDetails(this.ctx, repository, reference, configs);
  }

  config(repository: string, digest: string): Promise<ConfigSummary> {
    return fetchConfig(this.ctx, repository, digest);
  }

  deleteManifest(repository: string, digest: string): Promise<void> {
    return deleteManifest(this.ctx, repository, digest);
  }

  tagsPointingAt(repository: string, digest: string): Promise<string[]> {
    return tagsPointingAt(this.ctx, repository, digest);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function credentialSource(credentials: RegistryClientOptions['credentials']): CredentialSource {
  if (!credentials) return async () => null;
  if (typeof credentials === 'function') return credentials;
  const fixed = { ...credentials };
  return async () => fixed;
}

/**
 * Where a registry lives: the URL a user gives, checked and resolved to the registry's API base.
 * Docker Hub is named by `docker.io`, `https://docker.io` or `https://index.docker.io`; its API,
 * token service and repository listing live on other hosts (injectable so tests use a fixture).
 */
import { isIP } from 'node:net';
import { BerthError } from '../contract/errors';
import { validateRemoteRepository } from '../contract/names';

export interface DockerHubHosts {
  /** The registry API (`/v2/`). */
  registry: string;
  /** Hub's web API, whose repository listing replaces the catalog. */
  hubApi: string;
}

export const DOCKER_HUB: DockerHubHosts = {
  registry: 'https://registry-1.docker.io',
  hubApi: 'https://hub.docker.com',
};

/** The key Docker itself files Hub's credentials under (config.json `auths`, credential helpers). */
export const DOCKER_HUB_CREDENTIAL_KEY = 'https://index.docker.io/v1/';

const HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export type RegistryKind = 'distribution' | 'dockerhub';

export interface RegistryEndpoint {
  kind: RegistryKind;
  /** The URL as saved: `https://host[:port]` (or http), `https://docker.io` for Hub. */
  url: string;
  /** Origin of the `/v2/` API. */
  api: URL;
  /** `host[:port]` as `docker pull` and Docker's credential store name it (`docker.io` for Hub). */
  host: string;
  /** Hub's web API (Hub only). */
  hubApi?: URL;
  /** For messages: "registry 127.0.0.1:5000", "Docker Hub". */
  label: string;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

function invalid(message: string): BerthError {
  return BerthError.validation({ url: [message] });
}

/** Checks a registry URL and resolves it; a bad URL is a validation_error on `url`. */
export function resolveEndpoint(url: string, options: { insecure?: boolean; dockerHub?: Partial<DockerHubHosts> } = {}): RegistryEndpoint {
  const text = url.trim();
  if (HUB_NAMES.has(text.toLowerCase())) return hubEndpoint(options.dockerHub);
  if (!/^https?:\/\//i.test(text)) throw invalid('must be https://host[:port] (or docker.io for Docker Hub).');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw invalid('is not a valid URL.');
  }
  if (parsed.username || parsed.password) throw invalid('must not contain credentials: give them as username and password.');
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash) {
    throw invalid('must be the registry root, https://host[:port], without a path or query.');
  }
  if (HUB_NAMES.has(parsed.hostname.toLowerCase()) && parsed.protocol === 'https:' && !parsed.port) return hubEndpoint(options.dockerHub);
  if (parsed.protocol === 'http:' && !options.insecure && !isLoopbackHost(parsed.hostname)) {
    throw invalid('uses plain http: that needs insecure: true (or a loopback host).');
  }
  return { kind: 'distribution', url: parsed.origin, api: new URL(parsed.origin), host: parsed.host, label: `registry ${parsed.host}` };
}

function hubEndpoint(hosts: Partial<DockerHubHosts> = {}): RegistryEndpoint {
  const merged = { ...DOCKER_HUB, ...hosts };
  return {
    kind: 'dockerhub',
    url: 'https://docker.io',
    api: new URL(merged.registry),
    host: 'docker.io',
    hubApi: new URL(merged.hubApi),
    label: 'Docker Hub',
  };
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** The repository path as the registry knows it (Hub's official images live under `library/`). */
export function repositoryPath(endpoint: RegistryEndpoint, repository: string): string {
  const problem = validateRemoteRepository(repository);
  if (problem) throw BerthError.validation({ repository: [problem] });
  return endpoint.kind === 'dockerhub' && !repository.includes('/') ? `library/${repository}` : repository;
}

export function isDigest(reference: string): boolean {
  return DIGEST.test(reference);
}

/** A tag or a digest; anything else is a validation_error on `reference`. */
export function checkReference(reference: string): string {
  if (!TAG.test(reference) && !isDigest(reference)) {
    throw BerthError.validation({ reference: ['must be a tag (up to 128 letters, digits, _ . -) or a digest such as sha256:<hex>.'] });
  }
  return reference;
}

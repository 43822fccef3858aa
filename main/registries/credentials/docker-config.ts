/**
 * Docker's own credentials for a registry host, read the way the Docker CLI reads them from
 * `$DOCKER_CONFIG/config.json` (or `~/.docker/config.json`): a `credHelpers` entry for the host
 * first, else the `credsStore` helper, else the host's `auths` entry (`auth`: base64 user:password).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../../contract/errors';
import { errnoOf } from '../../files/file-ops';
import type { Credentials } from '../auth';
import { DOCKER_HUB_CREDENTIAL_KEY } from '../endpoint';
import { runCredentialHelper } from './credential-helper';

export interface DockerConfigOptions {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  helperTimeoutMs?: number;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export function dockerConfigPath(options: DockerConfigOptions = {}): string {
  const env = options.env ?? process.env;
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(options.homeDir ?? homedir(), '.docker', 'config.json');
}

/** A config key or host as Docker compares them: no scheme, no path, Hub's aliases as one. */
function normalizeHost(key: string): string {
  const host =
    key
      .replace(/^[a-z]+:\/\//i, '')
      .split('/')[0]
      ?.toLowerCase() ?? '';
  return HUB_ALIASES.has(host) ? 'docker.io' : host;
}

function failed(detail: string): BerthError {
  return new BerthError('registry_auth_failed', detail);
}

async function readConfig(path: string): Promise<DockerConfig | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null;
    throw failed(`Docker's config ${path} cannot be read (${errnoOf(err) ?? String(err)}).`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as DockerConfig) : {};
  } catch {
    throw failed(`Docker's config ${path} is not valid JSON.`);
  }
}

function entryFor<T>(map: Record<string, T> | undefined, host: string): T | undefined {
  if (!map || typeof map !== 'object') return undefined;
  const key = Object.keys(map).find((k) => normalizeHost(k) === host);
  return key === undefined ? undefined : map[key];
}

/**
 * Docker's credentials for `host` (`host[:port]`, or `docker.io` for Docker Hub); null when
 * Docker has none. Run each time credentials are needed, so a `docker login` is seen at once.
 */
export async function dockerCredentials(host: string, options: DockerConfigOptions = {}): Promise<Credentials | null> {
  const path = dockerConfigPath(options);
  const config = await readConfig(path);
  if (!config) return null;
  const wanted = normalizeHost(host);
  const serverUrl = wanted === 'docker.io' ? DOCKER_HUB_CREDENTIAL_KEY : wanted;
  const helperOptions = {
    ...(options.env ? { env: options.env } : {}),
    ...(options.helperTimeoutMs ? { timeoutMs: options.helperTimeoutMs } : {}),
  };
  const helper = entryFor(config.credHelpers, wanted);
  if (typeof helper === 'string' && helper) return runCredentialHelper(helper, serverUrl, helperOptions);
  if (typeof config.credsStore === 'string' && config.credsStore) return runCredentialHelper(config.credsStore, serverUrl, helperOptions);
  const entry = entryFor(config.auths, wanted);
  if (!entry || typeof entry !== 'object') return null;
  if (typeof entry.auth === 'string' && entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw failed(`Docker's config ${path} holds an unreadable auth entry for ${host}.`);
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string')
    return { username: entry.username, password: entry.password };
  return null;
}

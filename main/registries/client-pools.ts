/**
 * One client (connection pool, token cache) per registry connection, made when first used. A
 * connection that changes or goes is retired: requests under way finish on its old client, which
 * then closes; the next request makes a new one.
 */
import { RegistryClient, type RegistryClientOptions } from './client';
import type { CheckedConnection, Connection } from './connection-rules';
import type { CredentialsFile } from './credentials/credentials-file';
import { dockerCredentials, type DockerConfigOptions } from './credentials/docker-config';
import type { Credentials, CredentialSource } from './auth';

/** Client settings every connection shares (tests point Docker Hub at a fixture, shorten timeouts). */
export type ClientSettings = Omit<RegistryClientOptions, 'url' | 'insecure' | 'caPem' | 'credentials'>;

export interface PooledClient {
  readonly client: RegistryClient;
  /** Set once the connection changed or went: what it learns about the registry is stale. */
  readonly retired: boolean;
}

interface Pool {
  client: RegistryClient;
  inUse: number;
  retired: boolean;
}

export class ClientPools {
  private readonly pools = new Map<string, Pool>();

  constructor(
    private readonly credentials: CredentialsFile,
    private readonly settings: ClientSettings = {},
    private readonly dockerConfig: DockerConfigOptions = {},
  ) {}

  /**
   * A client for a connection as given. `password` is for one not saved yet (a check before a
   * save); without it the saved credentials are read each time they are needed.
   */
  newClient(name: string, connection: Connection, password?: CheckedConnection['password']): RegistryClient {
    return new RegistryClient({
      ...this.settings,
      url: connection.url,
      insecure: connection.insecure,
      ...(connection.ca_pem ? { caPem: connection.ca_pem } : {}),
      credentials: this.credentialSource(name, connection, password),
    });
  }

  /** The registry's client, counted in use until release(). */
  acquire(name: string, connection: () => Connection): PooledClient {
    let pool = this.pools.get(name);
    if (!pool) {
      pool = { client: this.newClient(name, connection()), inUse: 0, retired: false };
      this.pools.set(name, pool);
    }
    pool.inUse++;
    return pool;
  }

  release(handle: PooledClient): void {
    const pool = handle as Pool;
    pool.inUse--;
    if (pool.retired && pool.inUse === 0) void pool.client.close().catch(() => undefined);
  }

  retire(name: string): void {
    const pool = this.pools.get(name);
    if (!pool) return;
    this.pools.delete(name);
    pool.retired = true;
    if (pool.inUse === 0) void pool.client.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.client.close().catch(() => undefined)));
  }

  private credentialSource(name: string, connection: Connection, password?: CheckedConnection['password']): CredentialSource {
    if (connection.use_docker_config) {
      const host = dockerHost(connection);
      return () => dockerCredentials(host, this.dockerConfig);
    }
    if (password?.kind === 'set') {
      const fixed: Credentials = { username: connection.username ?? '', password: password.password };
      return async () => fixed;
    }
    if (password?.kind === 'remove' || connection.username === null) return async () => null;
    return async () => this.credentials.get(name);
  }
}

/** The host Docker files a connection's credentials under (`docker.io` for Hub). */
function dockerHost(connection: Connection): string {
  return connection.kind === 'dockerhub' ? 'docker.io' : new URL(connection.url).host;
}

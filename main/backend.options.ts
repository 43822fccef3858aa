/** Options and shape of the composition root (main/backend.ts), shared by the Electron entry and `serve`. */
import type { RegistriesService } from './contract/registries';
import type { SyncService } from './contract/sync';
import type { ServerInfo } from './contract/types';
import type { ClientSettings } from './registries/connections';
import type { SecretCodec } from './registries/credentials/credentials-file';
import type { DockerConfigOptions } from './registries/credentials/docker-config';
import type { RegistryService } from './registry/service';

// What the Electron glue gives the backend to seal registry secrets with (main/electron/secret-codec.ts).
export { PLAIN_CODEC, type SecretCodec } from './registries/credentials/credentials-file';

export interface BackendOptions {
  /** Folder holding the lowdb JSON files; created when missing. */
  dataDir: string;
  /** Interface the API binds to (default 127.0.0.1). */
  host?: string;
  /** Port of the API; 0 picks a free one. */
  port: number;
  /** Bearer token; when absent, the one stored in the data dir is used (created on first run). */
  token?: string;
  /** Whether requests without a token may read public repos (default true). */
  anonymousReads?: boolean;
  /** Origins allowed to call the API from a browser (default none). */
  allowedOrigins?: string[];
  /** A request must arrive whole within this many ms, else 408 (default 10,000; tests shorten it). */
  requestTimeoutMs?: number;
  /** How often trash entries past their 30 days are purged, besides at start (default hourly; tests shorten it). */
  trashPurgeIntervalMs?: number;
  /** Registry connections: the codec sealing their secrets (the app: safeStorage), and test seams. */
  registries?: RegistriesOptions;
}

export interface RegistriesOptions {
  /** Seals passwords in credentials.json (default: plain, protected by the file's mode). */
  codec?: SecretCodec;
  /** Docker Hub's hosts, timeouts, retries: tests point them at fixtures. */
  client?: ClientSettings;
  dockerConfig?: DockerConfigOptions;
}

/** What the composition root hands to the Electron glue, to `serve` and to tests. */
export interface Backend {
  readonly registry: RegistryService;
  /** Connections to real OCI registries (docs/registries.md). */
  readonly registries: RegistriesService;
  /** Links, imports, syncs and registry events (docs/registries.md). */
  readonly sync: SyncService;
  readonly dataDir: string;
  /** Starts the HTTP API; a port in use is reported in info().error rather than thrown. */
  startApi(): Promise<ServerInfo>;
  /**
   * Applies new API settings, one change at a time in the order asked. A new port is bound
   * before the old one is let go; when it cannot be bound this rejects with a BerthError and
   * nothing changes (the API keeps serving where and as it did). Anonymous reads switch in place.
   */
  restartApi(changes: { port?: number; anonymousReads?: boolean }): Promise<ServerInfo>;
  /** A free port near `near`, to suggest when that one is taken. */
  suggestPort(near: number): Promise<number>;
  info(): ServerInfo;
  token(): string;
  /** Makes and stores a new token; the old one stops working at once. */
  regenerateToken(): Promise<string>;
  /** Stops the API, flushes pending writes, releases the data-dir lock. */
  close(): Promise<void>;
}

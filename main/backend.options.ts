/** Options and shape of the composition root (main/backend.ts), shared by the Electron entry and `serve`. */
import type { ServerInfo } from './contract/types';
import type { RegistryService } from './registry/service';

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
}

/** What the composition root hands to the Electron glue, to `serve` and to tests. */
export interface Backend {
  readonly registry: RegistryService;
  readonly dataDir: string;
  /** Starts the HTTP API; a port in use is reported in info().error rather than thrown. */
  startApi(): Promise<ServerInfo>;
  /** Stops and starts the API with new settings (port, anonymous reads). */
  restartApi(changes: { port?: number; anonymousReads?: boolean }): Promise<ServerInfo>;
  info(): ServerInfo;
  token(): string;
  /** Makes and stores a new token; the old one stops working at once. */
  regenerateToken(): Promise<string>;
  /** Stops the API, flushes pending writes, releases the data-dir lock. */
  close(): Promise<void>;
}

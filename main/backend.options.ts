/** Options of the composition root (main/backend.ts), shared by the Electron entry and `serve`. */
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
}

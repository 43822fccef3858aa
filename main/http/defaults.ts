/** Defaults and limits of the API (README, "Local API"), in a module light enough for `serve --help`. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5080;
/** A request must arrive whole within this time, else 408. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const BODY_LIMIT = 1024 * 1024;
/** POST /v1/import takes an export document of up to this size, streamed. */
export const IMPORT_BODY_LIMIT = 1024 * 1024 * 1024;
export const MAX_HEADER_SIZE = 16 * 1024;
/** An idle keep-alive connection is closed after this long. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * Connections open at once; more are closed as they arrive. Each may hold a request of up to
 * BODY_LIMIT + MAX_HEADER_SIZE in memory, so this bounds what clients can make the server hold.
 */
export const MAX_CONNECTIONS = 256;

/** Defaults and limits of the API (SPEC §3, §3.3), in a module light enough for `serve --help`. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5080;
/** A request must arrive whole within this time, else 408. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const BODY_LIMIT = 1024 * 1024;
export const MAX_HEADER_SIZE = 16 * 1024;

/**
 * The errors a connected registry can cause, as BerthError values with the codes of
 * docs/registries.md. A registry's own words (its error codes and messages) are quoted; request
 * headers (and so credentials) never are.
 */
import { BerthError } from '../contract/errors';

export type RegistryErrorCode =
  'registry_unreachable' | 'registry_auth_failed' | 'registry_refused' | 'registry_error' | 'registry_timeout';

export function registryFailure(code: RegistryErrorCode, detail: string): BerthError {
  return new BerthError(code, detail);
}

/** The longest piece of a registry's answer quoted in an error. */
const QUOTE_MAX = 300;

interface RegistryErrorEntry {
  code?: unknown;
  message?: unknown;
}

/** The registry's error codes and messages (`{errors: [{code, message}]}`), or null. */
export function registryErrorCodes(body: Buffer | null): { codes: string[]; quote: string } | null {
  const parsed = parseJson(body);
  if (!parsed || typeof parsed !== 'object' || !Array.isArray((parsed as { errors?: unknown }).errors)) return null;
  const entries = (parsed as { errors: RegistryErrorEntry[] }).errors.filter((e) => e && typeof e === 'object');
  const codes = entries.map((e) => (typeof e.code === 'string' ? e.code : '')).filter(Boolean);
  const parts = entries.map((e) => [e.code, e.message].filter((p) => typeof p === 'string' && p !== '').join(': ')).filter(Boolean);
  if (parts.length === 0) return null;
  return { codes, quote: clip(parts.join('; ')) };
}

/**
 * What the other side said, in one line: a registry's `errors`, a token service's `details`,
 * `message` or `error_description`, or a short plain-text body. HTML pages are not quoted.
 */
export function quoteAnswer(body: Buffer | null): string | null {
  const registry = registryErrorCodes(body);
  if (registry) return registry.quote;
  const parsed = parseJson(body);
  if (parsed && typeof parsed === 'object') {
    const o = parsed as Record<string, unknown>;
    for (const key of ['details', 'detail', 'message', 'error_description', 'error']) {
      if (typeof o[key] === 'string' && o[key] !== '') return clip(o[key] as string);
    }
    return null;
  }
  if (!body || body.length === 0) return null;
  const text = body
    .subarray(0, 4 * QUOTE_MAX)
    .toString('utf8')
    .trim();
  if (text === '' || /^<(!doctype|html|\?xml)/i.test(text)) return null;
  return clip(text.replace(/\s+/g, ' '));
}

function parseJson(body: Buffer | null): unknown {
  if (!body || body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

function clip(text: string): string {
  return text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text;
}

function errnoCode(err: unknown): string {
  let e: unknown = err;
  // undici wraps the socket's error in `cause` (fetch failed, connect errors).
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    e = (e as { cause?: unknown }).cause;
  }
  const top = (err as { code?: unknown } | null)?.code;
  return typeof top === 'string' ? top : '';
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL|HOSTNAME_MISMATCH)/;

/** True for a failure of an idempotent request that a fresh connection may not have. */
export function isTransientNetworkError(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED';
}

/** A failed connection or exchange, named as the user can act on it. */
export function errorFromNetwork(err: unknown, where: string, timeouts: { connectMs: number; requestMs: number }): BerthError {
  if (err instanceof BerthError) return err;
  const code = errnoCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return registryFailure('registry_timeout', `${where} did not accept a connection within ${seconds(timeouts.connectMs)}.`);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'BERTH_REQUEST_TIMEOUT') {
    return registryFailure('registry_timeout', `${where} did not answer within ${seconds(timeouts.requestMs)}.`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return registryFailure('registry_unreachable', `${where}: the host name could not be resolved.`);
  if (code === 'ECONNREFUSED')
    return registryFailure('registry_unreachable', `${where} refused the connection (is it running, and on this port?).`);
  if (TLS_CODES.test(code)) {
    return registryFailure(
      'registry_unreachable',
      `${where}: TLS verification failed (${code}: ${message}). If the registry's certificate comes from your own authority, add that CA certificate as ca_pem.`,
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return registryFailure('registry_unreachable', `${where} closed the connection.`);
  }
  return registryFailure('registry_unreachable', `${where} could not be reached (${code || message}).`);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

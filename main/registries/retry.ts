/** When and how long to wait before sending a refused request again. */

/** Statuses that mean "try again later": rate limited, or a gateway/upstream hiccup. */
export const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export interface RetryPolicy {
  /** Retries after the first attempt (so at most 1 + maxRetries attempts). */
  maxRetries: number;
  /** Wait before retry k (0-based) when the registry names no time: base × 2^k. */
  baseDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the request fails and says so. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxRetryAfterMs: 10_000 };

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return null;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (0-based), or null when the request should not be retried:
 * the budget is spent, or the registry asked for a longer wait than the policy allows.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs: number | null): number | null {
  if (retry >= policy.maxRetries) return null;
  if (retryAfterMs !== null) return retryAfterMs > policy.maxRetryAfterMs ? null : retryAfterMs;
  return policy.baseDelayMs * 2 ** retry;
}

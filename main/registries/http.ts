/**
 * The raw HTTP exchange with one registry (and the hosts it sends us to): undici with its own
 * connection pool, a connect timeout, a per-request deadline, verified TLS (plus an optional CA),
 * at most N requests in flight, bounded retries of 429/502/503/504 honouring `Retry-After`, and
 * size-capped bodies. It knows nothing of authentication or redirects (see session.ts).
 */
import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';
import { errorFromNetwork, isTransientNetworkError, registryFailure } from './errors';
import pLimit, { type LimitFunction } from 'p-limit';
import { DEFAULT_RETRY, parseRetryAfter, RETRY_STATUSES, retryDelay, type RetryPolicy } from './retry';

export type Headers = Record<string, string | string[] | undefined>;

export interface Answer {
  status: number;
  headers: Headers;
  /** The body (empty for HEAD); for an error status only its first 64 KiB. */
  body: Buffer;
  url: URL;
  /** The `Retry-After` wait the registry asked for and Berth would not honour, if any. */
  retryAfterRefusedMs?: number;
}

export interface Exchange {
  method: 'GET' | 'HEAD' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  /** Largest successful body accepted; larger is a registry_error naming `what`. */
  maxBytes: number;
  /** What is being fetched, for messages ("the manifest", "the token service"). */
  what: string;
}

export interface HttpOptions {
  /** Extra trusted CA certificate(s), PEM, added to Node's own roots. */
  caPem?: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxInFlight: number;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  userAgent: string;
}

export const DEFAULT_HTTP: Omit<HttpOptions, 'userAgent'> = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  maxInFlight: 8,
  retry: DEFAULT_RETRY,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

const ERROR_BODY_MAX = 64 * 1024;

export class HttpTransport {
  private readonly agent: Agent;
  private readonly limiter: LimitFunction;

  constructor(
    private readonly options: HttpOptions,
    /** Who we talk to, for messages ("registry.example.com"). */
    private readonly label: string,
  ) {
    this.limiter = pLimit(options.maxInFlight);
    this.agent = new Agent({
      connections: options.maxInFlight,
      connect: {
        timeout: options.connectTimeoutMs,
        // A custom CA adds to the usual roots: the token service may sit on a public host.
        ...(options.caPem ? { ca: [...rootCertificates, options.caPem] } : {}),
      },
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  get inFlight(): number {
    return this.limiter.activeCount;
  }

  async send(exchange: Exchange): Promise<Answer> {
    const { retry } = this.options;
    for (let attempt = 0; ; attempt++) {
      let answer: Answer;
      try {
        answer = await this.limiter(() => this.attempt(exchange));
      } catch (err) {
        const idempotent = exchange.method !== 'DELETE';
        if (idempotent && isTransientNetworkError(err) && attempt < retry.maxRetries) continue;
        throw errorFromNetwork(err, this.where(exchange), {
          connectMs: this.options.connectTimeoutMs,
          requestMs: this.options.requestTimeoutMs,
        });
      }
      if (!RETRY_STATUSES.has(answer.status)) return answer;
      const asked = parseRetryAfter(answer.headers['retry-after'], this.options.now());
      const wait = retryDelay(retry, attempt, asked);
      if (wait === null) {
        if (asked !== null && asked > retry.maxRetryAfterMs) answer.retryAfterRefusedMs = asked;
        return answer;
      }
      await this.options.sleep(wait);
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }

  private where(exchange: Exchange): string {
    return exchange.url.host === this.label ? this.label : `${this.label} (${exchange.url.host})`;
  }

  /** One request with its own deadline covering headers and body. */
  private async attempt(exchange: Exchange): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(timeoutError()), this.options.requestTimeoutMs);
    try {
      const res = await request(exchange.url, {
        dispatcher: this.agent,
        method: exchange.method,
        headers: { 'user-agent': this.options.userAgent, ...exchange.headers },
        signal: controller.signal,
        // undici closes the connection after every HEAD unless told otherwise (for servers that
        // send a body anyway); registries answer HEADs properly, and a sync sends one per tag, so
        // reconnecting each time would cost a TCP handshake per tag.
        ...(exchange.method === 'HEAD' ? { reset: false } : {}),
      });
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      const limit = ok ? exchange.maxBytes : ERROR_BODY_MAX;
      const declared = Number(res.headers['content-length']);
      if (ok && Number.isFinite(declared) && declared > limit && exchange.method !== 'HEAD') {
        res.body.destroy();
        throw tooLarge(exchange, this.label);
      }
      const body =
        exchange.method === 'HEAD'
          ? (await res.body.dump(), Buffer.alloc(0))
          : await readCapped(res.body, limit, ok, () => tooLarge(exchange, this.label));
      return { status: res.statusCode, headers: res.headers, body, url: exchange.url };
    } catch (err) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

function timeoutError(): Error {
  return Object.assign(new Error('request timed out'), { code: 'BERTH_REQUEST_TIMEOUT' });
}

function tooLarge(exchange: Exchange, label: string): Error {
  return registryFailure(
    'registry_error',
    `${label} sent ${exchange.what} larger than ${mib(exchange.maxBytes)}, which Berth does not accept.`,
  );
}

function mib(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Reads a body up to `limit` bytes: past it, a success is refused and an error body truncated. */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): void },
  limit: number,
  refuse: boolean,
  error: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      if (refuse) throw error();
      chunks.push(chunk.subarray(0, chunk.length - (size - limit)));
      return Buffer.concat(chunks);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

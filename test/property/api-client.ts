/**
 * A minimal HTTP client for tests that drive a real `serve`: every answer is read whole, and
 * every answer is checked for the rules that hold for any request (never a 5xx unless the test
 * expects a storage failure, always JSON when there is a body).
 */
export interface Answer {
  status: number;
  /** Parsed JSON body, or undefined for 204. */
  body: unknown;
  text: string;
  contentType: string;
}

export interface RequestOptions {
  /** JSON-encoded unless a string is given (sent as is, for malformed bodies). */
  body?: unknown;
  /** Send without the token. */
  anonymous?: boolean;
  /** Statuses ≥ 500 that the caller expects (a storage failure); anything else ≥ 500 throws. */
  allow5xx?: number[];
  signal?: AbortSignal;
}

export class ApiClient {
  /** Called with every answer (tests tally what their random requests actually exercised). */
  onAnswer?: (method: string, route: string, status: number) => void;

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request(method: string, route: string, options: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (!options.anonymous) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(this.baseUrl + route, { method, headers, body, signal: options.signal ?? AbortSignal.timeout(15_000) });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    this.onAnswer?.(method, route, res.status);
    if (res.status >= 500 && !(options.allow5xx ?? []).includes(res.status)) {
      throw new Error(`${method} ${route} answered ${res.status}: ${text.slice(0, 500)}`);
    }
    let parsed: unknown;
    if (res.status !== 204 && method !== 'HEAD') {
      if (!contentType.startsWith('application/json')) {
        throw new Error(`${method} ${route} answered ${res.status} with ${contentType || 'no content type'}: ${text.slice(0, 200)}`);
      }
      parsed = JSON.parse(text);
    }
    return { status: res.status, body: parsed, text, contentType };
  }

  get(route: string, options?: RequestOptions): Promise<Answer> {
    return this.request('GET', route, options);
  }

  /** Follows `next` through every page of a DRF-style list; answers all results in order. */
  async listAll<T>(route: string): Promise<T[]> {
    const results: T[] = [];
    let next: string | null = route;
    for (let page = 0; next !== null && page < 1000; page++) {
      const answer: Answer = await this.get(next);
      if (answer.status !== 200) throw new Error(`GET ${next} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      const body = answer.body as { results: T[]; next: string | null };
      results.push(...body.results);
      next = body.next === null ? null : new URL(body.next).pathname + new URL(body.next).search;
    }
    return results;
  }
}

export const seg = (name: string): string => encodeURIComponent(name);

/**
 * A programmable HTTP server on 127.0.0.1 standing in for a registry (or a token service, or a
 * storage host) so a test can produce exactly the protocol edge it is about.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
}

export type FixtureHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => unknown;

export interface Fixture {
  url: string;
  requests: SeenRequest[];
  /** Requests being answered right now, and the most there ever were at once. */
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startFixture(handler: FixtureHandler): Promise<Fixture> {
  const fixture: Fixture = { url: '', requests: [], inFlight: 0, maxInFlight: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', fixture.url);
    fixture.requests.push({ method: req.method ?? 'GET', url, headers: req.headers });
    fixture.inFlight++;
    fixture.maxInFlight = Math.max(fixture.maxInFlight, fixture.inFlight);
    res.once('close', () => fixture.inFlight--);
    Promise.resolve(handler(req, res, url)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fixture failed: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fixture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fixture.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fixture;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** A manifest answer as a registry sends it; `digest: null` leaves Docker-Content-Digest out. */
export function manifestAnswer(res: ServerResponse, content: Buffer, mediaType: string, digest: string | null, method = 'GET'): void {
  res.writeHead(200, {
    'content-type': mediaType,
    'content-length': String(content.length),
    ...(digest ? { 'docker-content-digest': digest } : {}),
  });
  res.end(method === 'HEAD' ? undefined : content);
}

/**
 * The HTTP API's listener, changed one step at a time in the order asked: two changes never
 * interleave. Moving to another port binds the new port before letting go of the old one, so a
 * busy port never stops a working API; anonymous reads switch in place (the API asks on every
 * request). What state() reports is therefore always what is being served.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import getPort, { portNumbers } from 'get-port';
import pLimit from 'p-limit';
import { BerthError, type ErrorCode } from './contract/errors';
import type { ServerInfo } from './contract/types';

export interface ListenerOptions {
  host: string;
  /** The port to start on; 0 picks a free one. */
  port: number;
  anonymousReads: boolean;
  /** Builds a new, not yet listening API that asks `anonymousReads()` on every request. */
  build(anonymousReads: () => boolean): Promise<FastifyInstance>;
}

export interface ListenerChanges {
  port?: number;
  anonymousReads?: boolean;
}

export type ListenerState = Pick<ServerInfo, 'url' | 'port' | 'listening' | 'error' | 'anonymous_reads'>;

export interface ApiListener {
  state(): ListenerState;
  /** Starts listening; a port that cannot be bound is reported in state().error, not thrown. */
  start(): Promise<void>;
  /**
   * Applies new settings. A port that cannot be bound rejects with a BerthError and changes
   * nothing: the API keeps listening where it was, with the settings it had.
   */
  change(changes: ListenerChanges): Promise<void>;
  /** A port near `near` that is free right now (another program may still take it). */
  suggestPort(near: number): Promise<number>;
  /** Stops listening for good, after any change under way. */
  close(): Promise<void>;
}

type ListenProblem = NonNullable<ServerInfo['error']>;

const ERROR_CODE_OF: Readonly<Record<string, ErrorCode>> = { port_in_use: 'conflict', port_forbidden: 'forbidden' };

function urlOf(host: string, port: number): string {
  // A wildcard bind is reached through loopback; an IPv6 literal needs brackets.
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function listenProblem(err: unknown, host: string, port: number): ListenProblem {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return { code: 'port_in_use', detail: `Port ${port} is already in use on ${host}: stop the other program or choose another port.` };
  }
  if (code === 'EACCES')
    return { code: 'port_forbidden', detail: `Not allowed to listen on port ${port} of ${host}: choose a port above 1023.` };
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return { code: 'bad_host', detail: `Cannot listen on ${host}: this machine has no such address.` };
  }
  return { code: 'listen_failed', detail: `Cannot listen on ${host}:${port} (${code ?? String(err)}).` };
}

class ListenFailure extends Error {
  constructor(readonly problem: ListenProblem) {
    super(problem.detail);
  }
}

/** How many ports above the one asked for a suggestion looks at before letting the system pick. */
const SUGGESTION_RANGE = 20;
const FIRST_UNPRIVILEGED_PORT = 1024;
const LAST_PORT = 65_535;

export function createApiListener(options: ListenerOptions): ApiListener {
  const { host } = options;
  let wantedPort = options.port;
  let anonymousReads = options.anonymousReads;
  let app: FastifyInstance | null = null;
  let boundPort: number | null = null;
  let error: ListenProblem | null = null;
  let closed = false;
  const oneAtATime = pLimit(1);

  const state = (): ListenerState => ({
    url: boundPort === null ? null : urlOf(host, boundPort),
    port: boundPort ?? wantedPort,
    listening: boundPort !== null,
    error,
    anonymous_reads: anonymousReads,
  });

  const refuseWhenClosed = () => {
    if (closed) throw new BerthError('internal_error', 'The backend is closed; the API cannot start.');
  };

  async function listenOn(port: number): Promise<FastifyInstance> {
    const candidate = await options.build(() => anonymousReads);
    try {
      await candidate.listen({ host, port });
      return candidate;
    } catch (err) {
      await candidate.close().catch(() => undefined);
      throw new ListenFailure(listenProblem(err, host, port));
    }
  }

  /** Puts `next` in place of the running API (if any), then lets the old one finish and close. */
  async function swapIn(next: FastifyInstance, port: number): Promise<void> {
    const previous = app;
    app = next;
    boundPort = (next.server.address() as AddressInfo).port;
    wantedPort = port;
    error = null;
    await previous?.close();
  }

  return {
    state,

    start: () =>
      oneAtATime(async () => {
        refuseWhenClosed();
        if (app) return;
        try {
          await swapIn(await listenOn(wantedPort), wantedPort);
        } catch (err) {
          if (!(err instanceof ListenFailure)) throw err;
          error = err.problem;
        }
      }),

    change: (changes) =>
      oneAtATime(async () => {
        refuseWhenClosed();
        const port = changes.port;
        // Port 0 asks for a fresh free port; the same bound port needs no new listener.
        if (port !== undefined && (port === 0 || port !== boundPort)) {
          let next: FastifyInstance;
          try {
            next = await listenOn(port);
          } catch (err) {
            if (!(err instanceof ListenFailure)) throw err;
            // Not listening at all: the latest try at the configured port is why.
            if (!app && port === wantedPort) error = err.problem;
            throw new BerthError(ERROR_CODE_OF[err.problem.code] ?? 'internal_error', err.problem.detail);
          }
          if (changes.anonymousReads !== undefined) anonymousReads = changes.anonymousReads;
          await swapIn(next, port);
          return;
        }
        if (changes.anonymousReads !== undefined) anonymousReads = changes.anonymousReads;
      }),

    async suggestPort(near) {
      const from = Math.min(Math.max(near + 1, FIRST_UNPRIVILEGED_PORT), LAST_PORT - SUGGESTION_RANGE);
      // Tries the ports just above the one asked for, then any port the system offers.
      return getPort({
        host,
        port: portNumbers(from, from + SUGGESTION_RANGE),
        exclude: [near, ...(boundPort === null ? [] : [boundPort])],
      });
    },

    close: () =>
      oneAtATime(async () => {
        closed = true;
        const running = app;
        app = null;
        boundPort = null;
        await running?.close();
      }),
  };
}

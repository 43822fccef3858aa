/**
 * `serve`: the backend without Electron (README, "`serve`"), for local tools, CI and tests.
 *   npm run serve -- --data-dir DIR --port PORT [--host 127.0.0.1]
 * Prints one line with the API's URL when ready; every failure is one line on stderr and a
 * non-zero exit code.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import type { BerthBackend } from '../backend';
import { TOKEN_FILE } from '../auth/token';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REQUEST_TIMEOUT_MS } from '../http/defaults';
import type { StoreProblem } from '../store/index';
import { VERSION } from '../version';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a whole number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 100 || ms > 600_000) {
    throw new InvalidArgumentError('must be a whole number of milliseconds from 100 to 600000.');
  }
  return ms;
}

function collect(value: string, previous: string[]): string[] {
  let origin: string;
  try {
    origin = new URL(value).origin;
  } catch {
    throw new InvalidArgumentError('must be an origin such as http://localhost:3000.');
  }
  if (origin === 'null') throw new InvalidArgumentError('must be an origin such as http://localhost:3000.');
  return [...previous, origin];
}

interface ServeOptions {
  dataDir: string;
  port: number;
  host: string;
  allowOrigin: string[];
  anonymousReads: boolean;
  requestTimeout: number;
}

const program = new Command()
  .name('serve')
  .description('Run the Berth /v1 API without the desktop app (for local tools, CI and tests).')
  .version(VERSION)
  .requiredOption('--data-dir <dir>', 'folder holding the data (created when missing; one process at a time)')
  .addOption(new Option('--port <port>', 'port to listen on; 0 picks a free one').default(DEFAULT_PORT).argParser(parsePort))
  .option('--host <address>', 'address to bind; also accepted as a Host header', DEFAULT_HOST)
  .option('--allow-origin <origin>', 'a browser origin allowed to call the API (repeatable; none by default)', collect, [])
  .addOption(
    new Option('--request-timeout <ms>', 'a request not received whole within this time gets 408 and is closed')
      .default(DEFAULT_REQUEST_TIMEOUT_MS)
      .argParser(parseTimeout),
  )
  .option('--no-anonymous-reads', 'require the token for reads too (by default anonymous reads see public repos)')
  .addHelpText(
    'after',
    `
Token: BERTH_TOKEN when set, else the one stored in <dir>/${TOKEN_FILE} (created on first run, mode 0600).
Send it as "Authorization: Bearer <token>"; every write needs it.
Stops cleanly (pending writes flushed) on SIGINT or SIGTERM.`,
  )
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(`berth serve: ${text.replace(/^error: /, '')}`) });

function fail(message: string): never {
  process.stderr.write(`berth serve: ${message}\n`);
  process.exit(1);
}

function reportProblem(problem: StoreProblem): void {
  process.stderr.write(`berth serve: warning: ${problem.message}\n`);
}

async function main(): Promise<void> {
  program.parse();
  const options = program.opts<ServeOptions>();

  let backend: BerthBackend;
  try {
    // Loaded only now, so --help and option errors answer without loading the server.
    const { createBackend } = await import('../backend');
    backend = await createBackend({
      dataDir: options.dataDir,
      port: options.port,
      host: options.host,
      anonymousReads: options.anonymousReads,
      allowedOrigins: options.allowOrigin,
      requestTimeoutMs: options.requestTimeout,
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }

  for (const problem of backend.problems()) reportProblem(problem);
  backend.onProblem(reportProblem);

  const info = await backend.startApi();
  if (!info.listening || !info.url) {
    await backend.close();
    fail(info.error?.detail ?? 'The API could not start.');
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    backend.close().then(
      () => process.exit(0),
      (err: unknown) => fail(`could not stop cleanly on ${signal}: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const tokenNote =
    backend.tokenSource() === 'env'
      ? 'token: from BERTH_TOKEN'
      : `token: ${backend.tokenSource() === 'created' ? 'created and stored' : 'stored'} in ${join(backend.dataDir, TOKEN_FILE)}`;
  process.stdout.write(`Berth API listening on ${info.url} (${tokenNote})\n`);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));

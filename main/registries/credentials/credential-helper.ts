/**
 * Docker's credential helpers: `docker-credential-<name> get`, the server URL on stdin, JSON
 * `{ServerURL, Username, Secret}` on stdout. Bounded in time and output.
 */
import { spawn } from 'node:child_process';
import { BerthError } from '../../contract/errors';
import type { Credentials } from '../auth';

export const HELPER_TIMEOUT_MS = 10_000;
const OUTPUT_MAX = 64 * 1024;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function failed(detail: string): BerthError {
  return new BerthError('registry_auth_failed', detail);
}

/** The helper's credentials for `serverUrl`; null when it has none for it. */
export async function runCredentialHelper(
  helper: string,
  serverUrl: string,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Credentials | null> {
  if (!HELPER_NAME.test(helper))
    throw failed(`Docker's config names a credential helper with an invalid name (${JSON.stringify(helper.slice(0, 50))}).`);
  const program = `docker-credential-${helper}`;
  const timeoutMs = options.timeoutMs ?? HELPER_TIMEOUT_MS;
  const { code, stdout, stderr, timedOut, spawnError } = await run(program, serverUrl, options.env ?? process.env, timeoutMs);
  if (spawnError) {
    throw failed(
      spawnError === 'ENOENT'
        ? `Docker's credential helper ${program} is not installed (not found on PATH).`
        : `Docker's credential helper ${program} could not be started (${spawnError}).`,
    );
  }
  if (timedOut) throw failed(`Docker's credential helper ${program} did not answer within ${timeoutMs / 1000} s.`);
  if (code !== 0) {
    const said = `${stdout} ${stderr}`.trim();
    // Helpers report a missing entry this way (docker-credential-helpers' ErrCredentialsNotFound).
    if (/credentials not found/i.test(said)) return null;
    throw failed(`Docker's credential helper ${program} failed (exit ${code})${said ? `: "${said.slice(0, 200)}"` : ''}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw failed(`Docker's credential helper ${program} answered something that is not JSON.`);
  }
  const { Username, Secret } = (parsed ?? {}) as { Username?: unknown; Secret?: unknown };
  if (typeof Username !== 'string' || typeof Secret !== 'string')
    throw failed(`Docker's credential helper ${program} answered without Username and Secret.`);
  if (Username === '<token>') {
    throw failed(
      `Docker's credential helper ${program} holds an identity token for ${serverUrl}; Berth needs a username and password (or access token) instead.`,
    );
  }
  if (Secret === '') return null;
  return { username: Username, password: Secret };
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: string;
}

function run(program: string, input: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout ends the helper and anything it started (which
    // would otherwise hold the output pipes open).
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: Omit<RunResult, 'stdout' | 'stderr'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, stdout: stdout.trim(), stderr: stderr.trim() });
    };
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      child.stdout.destroy();
      child.stderr.destroy();
      finish({ code: null, timedOut: true });
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < OUTPUT_MAX) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < OUTPUT_MAX) stderr += chunk.toString('utf8');
    });
    child.once('error', (err: NodeJS.ErrnoException) => finish({ code: null, timedOut: false, spawnError: err.code ?? err.message }));
    child.once('close', (code) => finish({ code, timedOut: false }));
    // A helper that exits without reading stdin makes this write fail: that is its answer, not ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/**
 * Test helpers: run the real `serve` (the launcher `npm run serve` runs) on a temp data dir
 * and talk to it over loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
const SERVE = join(ROOT, 'scripts/serve.mjs');
const READY = /^Berth API listening on (http:\/\/\S+) \((.*)\)$/m;

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  readyLine: string;
  stdout(): string;
  stderr(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface SpawnResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function launch(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // A token set in the developer's shell must not leak into tests that expect the stored one.
  if (!('BERTH_TOKEN' in env)) delete childEnv.BERTH_TOKEN;
  return spawn(process.execPath, [SERVE, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts serve and waits for its ready line; rejects with its stderr if it exits first. */
export function startServe(args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 25_000): Promise<ServeProcess> {
  const child = launch(args, env);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not become ready in ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = READY.exec(out);
      if (match && !readyDone) {
        readyDone = true;
        clearTimeout(timer);
        const url = match[1]!;
        resolveReady({
          child,
          url,
          port: Number(new URL(url).port),
          readyLine: match[0],
          stdout: () => out,
          stderr: () => err,
          exited,
          stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    let readyDone = false;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    void exited.then((code) => {
      if (!readyDone) {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code} before it was ready; stderr: ${err}`));
      }
    });
  });
}

/** Runs serve expecting it to exit by itself (bad options, refusals). */
export function runServe(args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 25_000): Promise<SpawnResult> {
  const child = launch(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolveRun) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** Runs a command to its end (killed after timeoutMs), collecting its output. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<SpawnResult> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

export async function tempDir(prefix = 'berth-http-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/**
 * A request through node:http, which (unlike fetch) lets a test set or omit Host and Origin.
 * `headers.host === null` sends no Host header at all.
 */
export function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string | null>; body?: string | Buffer; address?: string },
): Promise<RawResponse> {
  return new Promise((resolveRaw, reject) => {
    const headers: Record<string, string> = {};
    let omitHost = false;
    for (const [key, value] of Object.entries(options.headers ?? {})) {
      if (value === null) {
        if (key.toLowerCase() === 'host') omitHost = true;
      } else headers[key] = value;
    }
    const req = httpRequest({
      host: options.address ?? '127.0.0.1',
      port,
      method: options.method ?? 'GET',
      path: options.path,
      headers,
      setHost: !omitHost && !Object.keys(headers).some((k) => k.toLowerCase() === 'host'),
      agent: false,
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json: unknown = undefined;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolveRaw({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** fetch with the token (or without, when token is null) and a JSON body. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** The JSON type names of an object's fields ("string", "boolean", "number", "null"). */
export function typesOf(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? 'null' : typeof v]));
}

/** Sends bytes as written on a fresh connection and collects everything until the server closes. */
export function rawExchange(port: number, bytes: string, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolveExchange, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('close', () => resolveExchange(data));
    socket.on('error', reject);
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`the server did not close the connection within ${timeoutMs} ms`));
    });
    socket.write(bytes);
  });
}

/** Status and parsed JSON body of a raw HTTP/1.1 answer. */
export function parseRawAnswer(answer: string): { status: number; head: string; json: unknown } {
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);
  const split = answer.indexOf('\r\n\r\n');
  const head = answer.slice(0, split);
  const body = answer.slice(split + 4);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, head, json };
}

/**
 * One `serve` for a test file, on a fresh data folder: started before its tests, stopped (and the
 * folder removed) after them; its fields are set once the file's tests run.
 */
export function useServe(): { readonly serve: ServeProcess; readonly token: string } {
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  const started = {} as { serve: ServeProcess; token: string };
  beforeAll(async () => {
    dir = await tempDir();
    started.serve = await startServe(['--data-dir', join(dir.path, 'data'), '--port', '0']);
    started.token = (await readFile(join(dir.path, 'data', 'token'), 'utf8')).trim();
  });
  afterAll(async () => {
    await (started.serve as ServeProcess | undefined)?.stop();
    await dir?.cleanup();
  });
  return started;
}

/**
 * Runs Debian's `docker-registry` (CNCF Distribution 2.8) on a free loopback port with a temp
 * storage root, in the variant a test asks for: anonymous, htpasswd Basic auth (bcrypt), token
 * auth (a test token service), deletes on or off, plain HTTP or TLS. Readiness is polled; stop()
 * ends the process and removes its files.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { requireTool } from './tools';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertPath: string };

export interface RegistryOptions {
  auth?: RegistryAuth;
  deleteEnabled?: boolean;
  tls?: { certPath: string; keyPath: string };
  /** Listen here rather than on a free port (a registry started again on its data, say). */
  port?: number;
  /** Keep the storage in this folder (not removed by stop()) rather than a temp one. */
  storageDir?: string;
  /** More config.yml, as given (the `notifications:` block Berth's events-config answers). */
  extraYaml?: string;
  /** Serves Distribution's debug endpoint (`/debug/vars`: the notification queues' metrics) on this loopback port. */
  debugPort?: number;
}

export interface RunningRegistry {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const READY_WITHIN_MS = 15_000;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function authYaml(dir: string, auth: RegistryAuth): string {
  if (auth.kind === 'htpasswd') {
    const lines = Object.entries(auth.users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 6)}`);
    const path = join(dir, 'htpasswd');
    writeFileSync(path, `${lines.join('\n')}\n`);
    return `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${path}\n`;
  }
  if (auth.kind === 'token') {
    return `auth:\n  token:\n    realm: ${auth.realm}\n    service: ${auth.service}\n    issuer: ${auth.issuer}\n    rootcertbundle: ${auth.rootCertPath}\n`;
  }
  return '';
}

function configYaml(dir: string, port: number, options: RegistryOptions): string {
  const tls = options.tls ? `  tls:\n    certificate: ${options.tls.certPath}\n    key: ${options.tls.keyPath}\n` : '';
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${options.storageDir ?? join(dir, 'storage')}`,
    '  delete:',
    `    enabled: ${options.deleteEnabled ? 'true' : 'false'}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    options.debugPort ? `  debug:\n    addr: 127.0.0.1:${options.debugPort}` : '',
    '  secret: berth-test-secret',
    tls.trimEnd(),
    authYaml(dir, options.auth ?? { kind: 'none' }).trimEnd(),
    (options.extraYaml ?? '').trimEnd(),
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilReady(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}): ${output()}`);
    if (await portOpen(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not listen on 127.0.0.1:${port} within ${READY_WITHIN_MS / 1000} s: ${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const binary = requireTool('docker-registry');
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
  // A port found free can be taken before the registry binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const configPath = join(dir, 'config.yml');
    writeFileSync(configPath, configYaml(dir, port, options));
    const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    try {
      await waitUntilReady(child, port, () => output);
    } catch (err) {
      await stopChild(child);
      if (attempt < 3 && options.port === undefined && /address already in use/.test(output)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return {
      url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
      port,
      async stop() {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/**
 * Docker's own credentials: config.json `auths`, `credHelpers` and `credsStore`, with fake
 * `docker-credential-*` helpers on PATH, and a client that asks for them each time it needs them.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../main/registries';
import { dockerConfigPath, dockerCredentials } from '../../main/registries/credentials/docker-config';
import { expectCode } from '../support/expect-error';
import { json, startFixture } from './rig/http-fixture';

let dir: string;
let bin: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  env = { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, DOCKER_CONFIG: join(dir, 'docker') };
  mkdirSync(join(dir, 'docker'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(config: unknown): void {
  writeFileSync(join(dir, 'docker', 'config.json'), JSON.stringify(config));
}

/** A fake helper: records the server URL it was asked for, then runs `body` (sh). */
function helper(name: string, body: string): string {
  const asked = join(dir, `${name}.asked`);
  const path = join(bin, `docker-credential-${name}`);
  writeFileSync(path, `#!/bin/sh\n[ "$1" = get ] || exit 3\nread server\nprintf '%s' "$server" > '${asked}'\n${body}\n`);
  chmodSync(path, 0o755);
  return asked;
}

const auth = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

describe("Docker's credentials", () => {
  it('reads auths entries, matching keys written with a scheme or a path', async () => {
    writeConfig({
      auths: {
        'https://registry.corp:5000': { auth: auth('alice', 'pw:with:colons') },
        'https://index.docker.io/v1/': { auth: auth('hubber', 'hubpw') },
      },
    });
    expect(await dockerCredentials('registry.corp:5000', { env })).toEqual({ username: 'alice', password: 'pw:with:colons' });
    expect(await dockerCredentials('docker.io', { env })).toEqual({ username: 'hubber', password: 'hubpw' });
    expect(await dockerCredentials('other.host', { env })).toBeNull();
  });

  it('reads ~/.docker/config.json when DOCKER_CONFIG is not set', async () => {
    mkdirSync(join(dir, 'home', '.docker'), { recursive: true });
    writeFileSync(join(dir, 'home', '.docker', 'config.json'), JSON.stringify({ auths: { 'h:1': { auth: auth('u', 'p') } } }));
    const options = { env: { PATH: env.PATH }, homeDir: join(dir, 'home') };
    expect(dockerConfigPath(options)).toBe(join(dir, 'home', '.docker', 'config.json'));
    expect(await dockerCredentials('h:1', options)).toEqual({ username: 'u', password: 'p' });
  });

  it('has nothing to give without a config file', async () => {
    expect(await dockerCredentials('registry.corp', { env })).toBeNull();
  });

  it("runs the host's credHelpers entry with the host on stdin (Hub as Docker names it)", async () => {
    const asked = helper('corp', `printf '{"ServerURL":"%s","Username":"bot","Secret":"tok-123"}' "$server"`);
    writeConfig({
      credHelpers: { 'registry.corp': 'corp', 'docker.io': 'corp' },
      auths: { 'registry.corp': { auth: auth('stale', 'stale') } },
    });
    expect(await dockerCredentials('registry.corp', { env })).toEqual({ username: 'bot', password: 'tok-123' });
    expect(readFileSync(asked, 'utf8')).toBe('registry.corp');
    await dockerCredentials('docker.io', { env });
    expect(readFileSync(asked, 'utf8')).toBe('https://index.docker.io/v1/');
  });

  it('runs the credsStore helper for every host, treating "not found" as no credentials', async () => {
    helper(
      'store',
      `[ "$server" = known.host ] && { echo '{"Username":"k","Secret":"s"}'; exit 0; }\necho 'credentials not found in native keychain'\nexit 1`,
    );
    writeConfig({ credsStore: 'store', auths: { 'unknown.host': {} } });
    expect(await dockerCredentials('known.host', { env })).toEqual({ username: 'k', password: 's' });
    expect(await dockerCredentials('unknown.host', { env })).toBeNull();
  });

  it('reports a missing, failing, silent or hanging helper clearly', async () => {
    writeConfig({ credHelpers: { a: 'absent', b: 'broken', c: 'hangs' } });
    expect((await expectCode(dockerCredentials('a', { env }), 'registry_auth_failed')).detail).toBe(
      "Docker's credential helper docker-credential-absent is not installed (not found on PATH).",
    );
    helper('broken', 'echo "keychain locked" >&2; exit 2');
    expect((await expectCode(dockerCredentials('b', { env }), 'registry_auth_failed')).detail).toContain(
      'failed (exit 2): "keychain locked"',
    );
    helper('hangs', 'sleep 30');
    const hung = await expectCode(dockerCredentials('c', { env, helperTimeoutMs: 300 }), 'registry_auth_failed');
    expect(hung.detail).toContain('did not answer within 0.3 s');
  });

  it('reports a config file that is not JSON', async () => {
    writeFileSync(join(dir, 'docker', 'config.json'), '{ not json');
    expect((await expectCode(dockerCredentials('x', { env }), 'registry_auth_failed')).detail).toMatch(/is not valid JSON/);
  });

  it('gives a client the credentials at the moment it needs them, so a later docker login counts', async () => {
    const expected = `Basic ${auth('late', 'login')}`;
    const registry = await startFixture((req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' });
        return res.end();
      }
      json(res, 200, {});
    });
    const host = new URL(registry.url).host;
    const client = new RegistryClient({ url: registry.url, credentials: () => dockerCredentials(host, { env }) });
    try {
      writeConfig({ auths: {} });
      await expectCode(client.ping(), 'registry_auth_failed');
      writeConfig({ auths: { [host]: { auth: auth('late', 'login') } } });
      await client.ping();
    } finally {
      await client.close();
      await registry.close();
    }
  });
});

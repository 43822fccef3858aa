/**
 * The client against a real Distribution 2.8 with token auth: a test token service signs JWTs
 * with a test key whose certificate the registry trusts (`auth.token.rootcertbundle`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../main/registries';
import { makeCertificate } from './rig/certs';
import { expectCode } from '../support/expect-error';
import { buildImage, buildIndex, type BuiltImage } from './rig/images';
import { pushImage, pushIndex } from './rig/pusher';
import { type RunningRegistry, startRegistry } from './rig/registry-process';
import { startTokenServer, type TokenServer } from './rig/token-server';

const USER = 'bob';
const PASSWORD = 's3cret-token-pass';
const SERVICE = 'berth-test-registry';
const TOKEN_LIFETIME = 300;

let dir: string;
let tokens: TokenServer;
let registry: RunningRegistry;
let image: BuiltImage;
const clients: RegistryClient[] = [];

function connect(options: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}): RegistryClient {
  const client = new RegistryClient({ url: registry.url, credentials: { username: USER, password: PASSWORD }, ...options });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-token-'));
  const certificate = makeCertificate(dir, 'token-signer');
  tokens = await startTokenServer({
    certificate,
    service: SERVICE,
    issuer: 'berth-test-issuer',
    users: { [USER]: PASSWORD },
    expiresIn: TOKEN_LIFETIME,
    // Signed-in users get what they ask for; anonymous users may pull `public/*` only.
    grant: (account, access) =>
      account
        ? access.actions
        : access.type === 'repository' && access.name.startsWith('public/')
          ? access.actions.filter((a) => a === 'pull')
          : [],
  });
  registry = await startRegistry({
    auth: { kind: 'token', realm: tokens.realm, service: SERVICE, issuer: 'berth-test-issuer', rootCertPath: certificate.certPath },
    deleteEnabled: true,
  });
  const target = {
    url: registry.url,
    authorization: async (repository: string) =>
      `Bearer ${await tokens.mint(USER, [{ type: 'repository', name: repository, actions: ['pull', 'push'] }])}`,
  };
  image = buildImage({ format: 'oci', labels: { tier: 'gold' } });
  const arm = buildImage({ format: 'oci', architecture: 'arm64', variant: 'v8' });
  await pushImage(target, 'team/api', ['1', '2', 'latest'], image);
  await pushIndex(target, 'team/multi', ['v1'], buildIndex('oci', [image, arm]), [image, arm]);
  await pushImage(target, 'public/base', ['1'], image);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await registry?.stop();
  await tokens?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a Distribution registry with token auth', () => {
  it('checks the credentials through the token service and browses with scoped tokens', async () => {
    const client = connect();
    await client.ping();
    expect((await client.listRepositories({ n: 10 })).results).toEqual(['public/base', 'team/api', 'team/multi']);
    expect((await client.listTags('team/api', { n: 10 })).results).toEqual(['1', '2', 'latest']);
    const summary = await client.manifestSummary('team/multi', 'v1');
    expect(summary.platforms.map((p) => p.architecture)).toEqual(['amd64', 'arm64']);
    const scopes = tokens.requests.filter((r) => r.account === USER).flatMap((r) => r.scopes);
    expect(scopes).toEqual(expect.arrayContaining(['registry:catalog:*', 'repository:team/api:pull', 'repository:team/multi:pull']));
  });

  it('reuses a token until it expires, then fetches a new one', async () => {
    let now = Date.now();
    const client = connect({ now: () => now });
    await client.listTags('team/api', { n: 10 });
    const afterFirst = client.tokenRequests;
    await client.manifestSummary('team/api', '1');
    await client.listTags('team/api', { n: 10 });
    expect(client.tokenRequests).toBe(afterFirst);
    now += TOKEN_LIFETIME * 1000;
    await client.listTags('team/api', { n: 10 });
    expect(client.tokenRequests).toBe(afterFirst + 1);
  });

  it('reports a wrong password with the token service message, never the password', async () => {
    const client = connect({ credentials: { username: USER, password: 'wrong-pass-0815' } });
    const error = await expectCode(client.ping(), 'registry_auth_failed');
    expect(error.detail).toContain('incorrect username or password');
    expect(error.detail).not.toContain('wrong-pass-0815');
  });

  it('gets anonymous tokens without credentials, and reports what anonymous users may not see', async () => {
    const client = connect({ credentials: null });
    expect((await client.listTags('public/base', { n: 10 })).results).toEqual(['1']);
    expect(tokens.requests.some((r) => r.account === null && r.scopes.includes('repository:public/base:pull'))).toBe(true);
    const error = await expectCode(client.listTags('team/api', { n: 10 }), 'registry_auth_failed');
    expect(error.detail).toContain('refused anonymous access');
  });

  it('deletes a manifest with a token for the delete scope the registry asks for', async () => {
    const client = connect();
    const digest = (await client.headManifest('team/api', '2')).digest;
    expect(await client.tagsPointingAt('team/api', digest)).toEqual(['1', '2', 'latest']);
    await client.deleteManifest('team/api', digest);
    expect((await client.listTags('team/api', { n: 10 })).results).toEqual([]);
  });
});

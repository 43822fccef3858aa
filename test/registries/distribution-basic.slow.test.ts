/**
 * The client against a real Distribution 2.8 behind htpasswd Basic auth (bcrypt), deletes off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../main/registries';
import { ENABLE_DELETES } from '../../main/registries';
import { expectCode } from '../support/expect-error';
import { buildImage, type BuiltImage } from './rig/images';
import { pushImage } from './rig/pusher';
import { type RunningRegistry, startRegistry } from './rig/registry-process';

const USER = 'alice';
const PASSWORD = 'correct horse battery staple';
const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

let registry: RunningRegistry;
let image: BuiltImage;
const clients: RegistryClient[] = [];

function connect(credentials: { username: string; password: string } | null): RegistryClient {
  const client = new RegistryClient({ url: registry.url, credentials });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  registry = await startRegistry({ auth: { kind: 'htpasswd', users: { [USER]: PASSWORD } }, deleteEnabled: false });
  image = buildImage({ format: 'docker', labels: { team: 'a' } });
  await pushImage({ url: registry.url, authorization: async () => basic }, 'private/app', ['1.0', '2.0'], image);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await registry?.stop();
});

describe('a Distribution registry with htpasswd Basic auth', () => {
  it('accepts the right username and password for every operation', async () => {
    const client = connect({ username: USER, password: PASSWORD });
    await client.ping();
    expect(await client.listRepositories({ n: 10 })).toEqual({ results: ['private/app'], next: null });
    expect((await client.listTags('private/app', { n: 10 })).results).toEqual(['1.0', '2.0']);
    const summary = await client.manifestSummary('private/app', '1.0');
    expect(summary.digest).toBe(image.digest);
    expect(summary.config?.labels).toEqual({ team: 'a' });
  });

  it('asks the credential source each time it needs credentials', async () => {
    let asked = 0;
    const client = new RegistryClient({
      url: registry.url,
      credentials: async () => {
        asked++;
        return { username: USER, password: PASSWORD };
      },
    });
    clients.push(client);
    await client.ping();
    await client.listTags('private/app', { n: 10 });
    expect(asked).toBeGreaterThanOrEqual(2);
  });

  it('reports a wrong password as registry_auth_failed, naming the user and never the password', async () => {
    const wrong = 'not-the-password-4711';
    const client = connect({ username: USER, password: wrong });
    const error = await expectCode(client.ping(), 'registry_auth_failed');
    expect(error.detail).toContain(USER);
    expect(error.status).toBe(502);
    expect(JSON.stringify(error.toBody())).not.toContain(wrong);
    await expectCode(client.listTags('private/app', { n: 10 }), 'registry_auth_failed');
  });

  it('says credentials are needed when none are given', async () => {
    const error = await expectCode(connect(null).ping(), 'registry_auth_failed');
    expect(error.detail).toMatch(/requires a username and password/);
  });

  it('refuses a delete while deletes are disabled, saying how to enable them', async () => {
    const client = connect({ username: USER, password: PASSWORD });
    const error = await expectCode(client.deleteManifest('private/app', image.digest), 'registry_refused');
    expect(error.detail).toContain('UNSUPPORTED');
    expect(error.detail).toContain(ENABLE_DELETES);
    expect(error.detail).toContain('storage.delete.enabled: true');
    expect((await client.listTags('private/app', { n: 10 })).results).toEqual(['1.0', '2.0']);
  });
});

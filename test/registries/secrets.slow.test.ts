/**
 * A registry password goes into credentials.json and nowhere else: not into any HTTP answer or
 * IPC answer (errors included), not into serve's output, not into registries.json or any other
 * file of the data folder, not into the OpenAPI document or what the backend's objects turn into
 * when written out. Checked with a real `serve`, the real IPC handlers and a real registry.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarnessBackend, type HarnessBackend } from '../harness/backend';
import { call, startServe, tempDir, type ServeProcess } from '../http/serve-process';
import { buildImage } from './rig/images';
import { pushImage } from './rig/pusher';
import { startRegistry, type RunningRegistry } from './rig/registry-process';
import { seededRandom } from '../support/seed';

// Random per run (from the file's seed), so a match can only be the password itself.
const random = seededRandom('passwords');
const PASSWORD = `pw-${random.hex(24)}`;
const WRONG = `wrong-${random.hex(24)}`;
const forms = (password: string) => [password, Buffer.from(`alice:${password}`).toString('base64'), encodeURIComponent(password)];

let registry: RunningRegistry;
let serve: ServeProcess;
let dir: Awaited<ReturnType<typeof tempDir>>;
let harness: HarnessBackend;
const seen: { where: string; text: string }[] = [];

function expectNoSecret(where: string, text: string): void {
  for (const form of [...forms(PASSWORD), ...forms(WRONG)]) {
    expect(text.includes(form), `${where} holds a password (${form === PASSWORD || form === WRONG ? 'plain' : 'encoded'})`).toBe(false);
  }
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  registry = await startRegistry({ deleteEnabled: true, auth: { kind: 'htpasswd', users: { alice: PASSWORD } } });
  const authorization = async () => `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
  await pushImage({ url: registry.url, authorization }, 'team/app', ['v1', 'v2'], buildImage({ format: 'oci' }));
  dir = await tempDir('berth-secrets-');
  serve = await startServe(['--data-dir', join(dir.path, 'data'), '--port', '0'], { BERTH_TOKEN: 'secrets-test-token-0123456789abcdef' });
  harness = await startHarnessBackend();
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  await harness?.dispose();
  await registry?.stop();
  await dir?.cleanup();
});

describe('a registry password', () => {
  it('never appears in an HTTP answer, nor in serve’s output', async () => {
    const token = 'secrets-test-token-0123456789abcdef';
    const v1 = async (method: string, path: string, body?: unknown) => {
      const answer = await call(serve.url, method, path, { token, ...(body === undefined ? {} : { body }) });
      seen.push({ where: `${method} ${path}`, text: answer.text });
      return answer;
    };
    expect((await v1('POST', '/v1/registries/', { name: 'corp', url: registry.url, username: 'alice', password: WRONG })).status).toBe(502);
    expect((await v1('POST', '/v1/registries/', { name: 'corp', url: registry.url, username: 'alice', password: PASSWORD })).status).toBe(
      201,
    );
    expect((await v1('GET', '/v1/registries/')).status).toBe(200);
    expect((await v1('GET', '/v1/registries/corp')).body).toMatchObject({ username: 'alice', has_password: true });
    expect((await v1('PATCH', '/v1/registries/corp', { password: WRONG })).status).toBe(502);
    expect((await v1('PATCH', '/v1/registries/corp', { auto_import: true })).status).toBe(200);
    expect((await v1('POST', '/v1/registries/corp/check')).status).toBe(200);
    expect((await v1('GET', '/v1/registries/corp/repositories')).body).toEqual({ results: ['team/app'], next: null });
    expect((await v1('GET', '/v1/registries/corp/tags?repository=team/app')).status).toBe(200);
    expect((await v1('GET', '/v1/registries/corp/manifests?repository=team/app&reference=v1')).status).toBe(200);
    expect((await v1('DELETE', '/v1/registries/corp/manifests?repository=team/app&reference=v1')).status).toBe(409);
    expect((await v1('GET', '/v1/openapi.json')).status).toBe(200);
    for (const { where, text } of seen) expectNoSecret(where, text);

    expect(await serve.stop('SIGTERM')).toBe(0);
    expectNoSecret("serve's stdout", serve.stdout());
    expectNoSecret("serve's stderr", serve.stderr());
  });

  it('is in credentials.json (0600) and in no other file of the data folder', async () => {
    const data = join(dir.path, 'data');
    const files = await filesUnder(data);
    expect(files.map((f) => f.slice(data.length + 1))).toEqual(expect.arrayContaining(['credentials.json', 'registries.json']));
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      if (file.endsWith('/credentials.json')) {
        expect(text).toContain(PASSWORD);
        expect((await stat(file)).mode & 0o777).toBe(0o600);
      } else {
        expectNoSecret(file, text);
      }
    }
    expect((await stat(join(data, 'registries.json'))).mode & 0o777).toBe(0o600);
  });

  it('never appears in an IPC answer, nor in what the backend turns into when written out', async () => {
    const dispatch = harness.dispatcherFor('file:///app/out/renderer/index.html');
    const ipc = async (operation: string, ...args: unknown[]) => {
      const envelope = await dispatch({ operation, args, senderUrl: 'file:///app/out/renderer/index.html' });
      expectNoSecret(`IPC ${operation}`, JSON.stringify(envelope));
      return envelope;
    };
    expect((await ipc('createRegistry', { name: 'corp', url: registry.url, username: 'alice', password: WRONG })).ok).toBe(false);
    expect((await ipc('createRegistry', { name: 'corp', url: registry.url, username: 'alice', password: PASSWORD })).ok).toBe(true);
    expect(await ipc('getRegistry', 'corp')).toMatchObject({ ok: true, result: { has_password: true } });
    await ipc('listRegistries');
    await ipc('updateRegistry', 'corp', { password: WRONG });
    await ipc('checkRegistry', 'corp');
    await ipc('listRegistryRepositories', 'corp', {});
    await ipc('getRegistryManifest', 'corp', { repository: 'team/app', reference: 'v2' });
    // Objects that might be logged or exported whole.
    expectNoSecret('the registries service as JSON', JSON.stringify(harness.backend.registries));
    expectNoSecret('the backend info', JSON.stringify(harness.backend.info()));
    for (const file of await filesUnder(harness.dataDir)) {
      if (!file.endsWith('/credentials.json')) expectNoSecret(file, await readFile(file, 'utf8'));
    }
  });
});

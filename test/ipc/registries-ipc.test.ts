/**
 * The registry operations of window.berth through the real dispatcher: arguments validated with
 * the /v1/registries schemas, the sender checked, and the very same connections as over HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegistryChangeEvent } from '../../main/contract/types';
import type { Dispatcher } from '../../main/ipc';
import { startHarnessBackend, type HarnessBackend } from '../harness/backend';
import { httpCall } from '../harness/fixtures';

const APP = 'file:///app/out/renderer/index.html';
let harness: HarnessBackend;
let dispatch: Dispatcher;
const call = (operation: string, ...args: unknown[]) => dispatch({ operation, args, senderUrl: APP });

beforeEach(async () => {
  harness = await startHarnessBackend();
  dispatch = harness.dispatcherFor(APP);
});
afterEach(async () => {
  await harness.dispose();
});

describe('registry operations over IPC', () => {
  it.each<[string, unknown[], string]>([
    ['getRegistry', [42], 'name'],
    ['createRegistry', ['corp'], 'input'],
    ['createRegistry', [{ name: 'corp', url: 'https://r.example', token: 'x' }], 'token'],
    ['createRegistry', [{ name: 'corp' }], 'url'],
    ['createRegistry', [{ name: 'corp', url: 'https://r.example' }, { verify: 'no' }], 'verify'],
    ['updateRegistry', ['corp', { insecure: 'yes' }], 'insecure'],
    ['listRegistryRepositories', ['corp', { n: 0 }], 'n'],
    ['listRegistryTags', ['corp', {}], 'repository'],
    ['getRegistryManifest', ['corp', { repository: 'team/app' }], 'reference'],
    ['deleteRegistryManifest', ['corp', { repository: 'team/app', reference: 'v1', all_tags: 'true' }], 'all_tags'],
    ['checkRegistry', ['corp', 'extra'], 'arguments'],
  ])('%s(%j) is a validation_error naming %s', async (operation, args, field) => {
    const envelope = await call(operation, ...args);
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'validation_error', errors: { [field]: expect.arrayContaining([expect.any(String)]) } },
    });
    expect((await call('listRegistries')).ok && (await call('listRegistries'))).toMatchObject({ result: { count: 0 } });
  });

  it('refuses a call from any page but the app’s own', async () => {
    const envelope = await dispatch({ operation: 'listRegistries', args: [], senderUrl: 'https://evil.example/' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('works on the same connections as the HTTP API, and reports each change', async () => {
    const events: RegistryChangeEvent[] = [];
    harness.backend.registries.onChange((event) => events.push(event));
    const created = await call('createRegistry', { name: 'corp', url: 'https://registry.corp.example' }, { verify: false });
    expect(created).toMatchObject({ ok: true, result: { name: 'corp', status: { ok: null } } });
    const overHttp = await httpCall(harness.apiUrl, harness.token, 'GET', '/v1/registries/corp');
    expect(overHttp.body).toEqual((created as { result: unknown }).result);
    expect(await call('updateRegistry', 'corp', { auto_import: true })).toMatchObject({ ok: true, result: { auto_import: true } });
    expect(await call('deleteRegistry', 'corp')).toEqual({ ok: true, result: undefined });
    expect(events.map((e) => e.action)).toEqual(['created', 'updated', 'deleted']);
    expect(await call('getRegistry', 'corp')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

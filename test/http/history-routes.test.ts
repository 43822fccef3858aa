/**
 * History, tag restore and the trash over both doors (README, "History, undo and the trash"):
 * the HTTP routes answer DRF lists and the seed's objects, record local tools' changes as `api`;
 * the same operations over IPC record the window's as `window`; token-only lists refuse anyone
 * without the token even when anonymous reads are on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IpcEnvelope } from '../../main/contract/api';
import type { HistoryEntryView, TrashEntryView } from '../../main/contract/types';
import type { Dispatcher } from '../../main/ipc';
import { startHarnessBackend, type HarnessBackend } from '../harness/backend';
import { httpCall, type HttpAnswer } from '../harness/fixtures';

const APP = 'file:///app/out/renderer/index.html';
const HEX_A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const HEX_B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';

let harness: HarnessBackend;
let dispatch: Dispatcher;
const http = (method: string, path: string, body?: unknown) => httpCall(harness.apiUrl, harness.backend.token(), method, path, body);
const anonymous = (method: string, path: string, body?: unknown) => httpCall(harness.apiUrl, null, method, path, body);
const call = (operation: string, ...args: unknown[]) => dispatch({ operation, args, senderUrl: APP });
const ok = async <T>(operation: string, ...args: unknown[]): Promise<T> => {
  const envelope: IpcEnvelope<unknown> = await call(operation, ...args);
  if (!envelope.ok) throw new Error(`${operation} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.result as T;
};

interface Drf<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
const body = <T>(answer: HttpAnswer) => answer.body as T;

beforeEach(async () => {
  harness = await startHarnessBackend();
  dispatch = harness.dispatcherFor(APP);
  expect((await http('POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
});
afterEach(async () => {
  await harness.dispose();
});

describe('a repo history', () => {
  it("is a DRF list, newest first, naming the tool's changes api and the window's window", async () => {
    await http('PUT', '/v1/repositories/acme/web/tags/latest', { image_id: HEX_A });
    await ok('putTag', 'acme', 'web', 'latest', HEX_B);
    await ok('setStar', 'acme', 'web', true);
    await http('POST', '/v1/repositories/acme/web/tags/latest/pull');

    const page = await http('GET', '/v1/repositories/acme/web/history/?page_size=2');
    expect(page.status).toBe(200);
    const list = body<Drf<HistoryEntryView>>(page);
    expect(list.count).toBe(4);
    expect(list.previous).toBeNull();
    expect(list.next).toBe(`${harness.apiUrl}/v1/repositories/acme/web/history/?page_size=2&page=2`);
    expect(list.results.map(({ id: _i, at: _a, ...rest }) => rest)).toEqual([
      {
        actor: 'window',
        action: 'repo.star',
        namespace: 'acme',
        repo: 'web',
        before: { is_repo_starred: false },
        after: { is_repo_starred: true },
      },
      { actor: 'window', action: 'tag.move', namespace: 'acme', repo: 'web', tag: 'latest', before: HEX_A, after: HEX_B },
    ]);
    const viaIpc = await ok<{ count: number; results: HistoryEntryView[] }>('listRepoHistory', 'acme', 'web', { page: 2, page_size: 2 });
    expect(viaIpc.results.map((e) => [e.actor, e.action])).toEqual([
      ['api', 'tag.create'],
      ['api', 'repo.create'],
    ]);
  });

  it('is visible as the repo is: anonymous readers see a public one, a private one is 404', async () => {
    expect((await anonymous('GET', '/v1/repositories/acme/web/history')).status).toBe(200);
    await http('PATCH', '/v1/repositories/acme/web', { is_public: false });
    expect((await anonymous('GET', '/v1/repositories/acme/web/history')).status).toBe(404);
    expect((await http('GET', '/v1/repositories/acme/web/history?page=0')).status).toBe(400);
    expect((await http('GET', '/v1/repositories/acme/nothing/history')).status).toBe(404);
  });
});

describe('every repo history', () => {
  it('needs the token (401 without, even with anonymous reads on) and includes deleted repos', async () => {
    const refused = await anonymous('GET', '/v1/history');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'unauthorized' });
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await call('listHistory', {})).ok).toBe(true);

    expect((await http('DELETE', '/v1/repositories/acme/web/')).status).toBe(204);
    const all = body<Drf<HistoryEntryView>>(await http('GET', '/v1/history/'));
    expect(all.results.map((e) => `${e.repo} ${e.action} ${e.actor}`)).toEqual(['web repo.delete api', 'web repo.create api']);
  });
});

describe('restoring a tag', () => {
  it('answers 201 when the tag comes back, 200 when it moves back, and 400 for an entry that cannot restore it', async () => {
    await http('PUT', '/v1/repositories/acme/web/tags/latest', { image_id: HEX_A });
    await http('PUT', '/v1/repositories/acme/web/tags/latest', { image_id: HEX_B });
    const history = body<Drf<HistoryEntryView>>(await http('GET', '/v1/repositories/acme/web/history'));
    const created = history.results.find((e) => e.action === 'tag.create') as HistoryEntryView;

    const moved = await http('POST', '/v1/repositories/acme/web/tags/latest/restore/', { history_id: created.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ tag: 'latest', image_id: HEX_A });
    await http('DELETE', '/v1/repositories/acme/web/tags/latest');
    const back = await http('POST', '/v1/repositories/acme/web/tags/latest/restore', { history_id: created.id });
    expect(back.status).toBe(201);
    expect(Object.keys(back.body as object).sort()).toEqual(['created_at', 'image_id', 'tag', 'updated_at']);

    const refused = await http('POST', '/v1/repositories/acme/web/tags/other/restore', { history_id: created.id });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'validation_error', errors: { history_id: [expect.stringMatching(/about tag latest/)] } });
    expect((await http('POST', '/v1/repositories/acme/web/tags/latest/restore', {})).status).toBe(400);
    expect((await http('POST', '/v1/repositories/acme/web/tags/latest/restore', { history_id: created.id, x: 1 })).status).toBe(400);
    expect((await anonymous('POST', '/v1/repositories/acme/web/tags/latest/restore', { history_id: created.id })).status).toBe(401);

    const viaWindow = await ok<{ created: boolean }>('restoreTag', 'acme', 'web', 'latest', created.id);
    expect(viaWindow.created).toBe(false);
    const last = body<Drf<HistoryEntryView>>(await http('GET', '/v1/repositories/acme/web/history')).results[0];
    expect(last).toMatchObject({ action: 'tag.restore', actor: 'window', after: HEX_A });
    expect((await http('GET', '/v1/repositories/acme/web')).body).toMatchObject({ upload: 5 });
  });
});

describe('the trash', () => {
  it('lists a deleted repo (token only), restores it (200, its detail), refuses a taken name (409) and purges (204)', async () => {
    await http('PUT', '/v1/repositories/acme/web/tags/latest', { image_id: HEX_A });
    const detail = (await http('GET', '/v1/repositories/acme/web')).body;
    expect((await http('DELETE', '/v1/repositories/acme/web/')).status).toBe(204);
    expect((await http('GET', '/v1/repositories/acme/web')).status).toBe(404);
    expect(body<Drf<unknown>>(await http('GET', '/v1/repositories/acme/')).count).toBe(0);

    expect((await anonymous('GET', '/v1/trash/')).status).toBe(401);
    const trash = body<Drf<TrashEntryView>>(await http('GET', '/v1/trash/'));
    expect(trash).toMatchObject({ count: 1, next: null, previous: null });
    expect(Object.keys(trash.results[0] as object).sort()).toEqual(['deleted_at', 'expires_at', 'namespace', 'repo_name', 'tag_count']);
    expect(trash.results[0]).toMatchObject({ namespace: 'acme', repo_name: 'web', tag_count: 1 });
    expect((await ok<{ count: number }>('listTrash', {})).count).toBe(1);

    expect((await anonymous('POST', '/v1/trash/acme/web/restore')).status).toBe(401);
    const restored = await http('POST', '/v1/trash/acme/web/restore/');
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual(detail);
    expect((await http('POST', '/v1/trash/acme/web/restore')).status).toBe(404);

    await ok('deleteRepo', 'acme', 'web');
    expect(body<Drf<HistoryEntryView>>(await http('GET', '/v1/history')).results[0]).toMatchObject({
      action: 'repo.delete',
      actor: 'window',
    });
    await http('POST', '/v1/repositories/acme/', { repo_name: 'web' });
    const taken = await http('POST', '/v1/trash/acme/web/restore');
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'conflict' });

    expect((await anonymous('DELETE', '/v1/trash/acme/web')).status).toBe(401);
    expect((await http('DELETE', '/v1/trash/acme/web/')).status).toBe(204);
    expect((await http('DELETE', '/v1/trash/acme/web')).status).toBe(404);
    expect(body<Drf<unknown>>(await http('GET', '/v1/trash')).count).toBe(0);
    // Purged for good, history included: only the new repo's creation is left.
    expect(body<Drf<HistoryEntryView>>(await http('GET', '/v1/history')).results.map((e) => e.action)).toEqual(['repo.create']);
  });

  it("keeps a force-deleted namespace's repos, and restoring one recreates the namespace", async () => {
    expect((await http('DELETE', '/v1/namespaces/acme?force=true')).status).toBe(204);
    expect((await http('GET', '/v1/namespaces/acme')).status).toBe(404);
    expect((await ok<{ namespace: string }>('restoreFromTrash', 'acme', 'web')).namespace).toBe('acme');
    expect((await http('GET', '/v1/namespaces/acme')).body).toMatchObject({ repo_count: 1 });
    const ipcRefused = await call('purgeTrash', 'acme', 42);
    expect(ipcRefused).toMatchObject({ ok: false, error: { code: 'validation_error', errors: { repo_name: [expect.any(String)] } } });
  });
});

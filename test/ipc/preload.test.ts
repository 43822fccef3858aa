/**
 * The preload, run in Node against a recording stand-in for Electron's contextBridge and
 * ipcRenderer: it exposes exactly one object, `berth`, whose named functions invoke their own
 * channel and unwrap the envelope, and whose onChange/onMenuCommand subscribe and unsubscribe.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANGE_CHANNEL, MENU_CHANNEL, OPERATION_NAMES, channelOf, type BerthApi } from '../../main/contract/api';

const fake = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  let answer: unknown = { ok: true, result: null };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args });
        return Promise.resolve(answer);
      },
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      },
      removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        listeners.get(channel)?.delete(listener);
      },
    },
  };
  return {
    electron,
    exposed,
    invoked,
    listeners,
    answer: (value: unknown) => {
      answer = value;
    },
    emit: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((listener) => listener({ sender: null }, payload)),
  };
});
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

let berth: BerthApi;
beforeAll(async () => {
  await import('../../preload/index');
  berth = fake.exposed.get('berth') as BerthApi;
});

describe('the preload', () => {
  it('exposes only window.berth: the named operations, onChange and onMenuCommand', () => {
    expect([...fake.exposed.keys()]).toEqual(['berth']);
    expect(Object.keys(berth).sort()).toEqual([...OPERATION_NAMES, 'onChange', 'onMenuCommand'].sort());
    expect(Object.isFrozen(berth)).toBe(true);
    expect(Object.values(berth).every((value) => typeof value === 'function')).toBe(true);
  });

  it('sends each operation on its own channel with its arguments, and resolves the result', async () => {
    fake.answer({ ok: true, result: { namespace: 'acme', repo_name: 'web' } });
    await expect(berth.getRepo('acme', 'web')).resolves.toEqual({ namespace: 'acme', repo_name: 'web' });
    expect(fake.invoked.at(-1)).toEqual({ channel: channelOf('getRepo'), args: ['acme', 'web'] });
    fake.answer({ ok: true, result: undefined });
    await berth.deleteNamespace('acme', { force: true });
    expect(fake.invoked.at(-1)).toEqual({ channel: channelOf('deleteNamespace'), args: ['acme', { force: true }] });
  });

  it('rejects with the plain error body, not an Error', async () => {
    fake.answer({ ok: false, error: { detail: 'repo_name: bad', code: 'validation_error', errors: { repo_name: ['bad'] } } });
    const error: unknown = await berth.createRepo('acme', { repo_name: 'Bad' }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(Error);
    expect(error).toEqual({ detail: 'repo_name: bad', code: 'validation_error', errors: { repo_name: ['bad'] } });
    fake.answer(undefined);
    await expect(berth.getToken()).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('delivers change events and menu commands until unsubscribed', () => {
    const changes: unknown[] = [];
    const commands: unknown[] = [];
    const stopChanges = berth.onChange((change) => changes.push(change));
    const stopMenu = berth.onMenuCommand?.((command) => commands.push(command));
    fake.emit(CHANGE_CHANNEL, { entity: 'repo', action: 'created', namespace: 'acme', repo_name: 'web' });
    fake.emit(MENU_CHANNEL, 'new-repository');
    stopChanges();
    stopMenu?.();
    fake.emit(CHANGE_CHANNEL, { entity: 'repo', action: 'deleted', namespace: 'acme', repo_name: 'web' });
    fake.emit(MENU_CHANNEL, 'focus-search');
    expect(changes).toEqual([{ entity: 'repo', action: 'created', namespace: 'acme', repo_name: 'web' }]);
    expect(commands).toEqual(['new-repository']);
    expect(fake.listeners.get(CHANGE_CHANNEL)?.size).toBe(0);
    expect(() => berth.onChange('not a function' as never)).toThrow(TypeError);
  });
});

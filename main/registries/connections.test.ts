/**
 * Registry connections over their two files, without a registry (saved with verify=false): what
 * is kept where, what survives a restart, and what a refused disk write leaves behind (nothing).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../contract/errors';
import type { RegistryChangeEvent } from '../contract/types';
import { nodeFileOps, type FileOps } from '../files/file-ops';
import { RegistriesFile } from '../store/registries-file';
import { RegistryConnections } from './connections';
import { CredentialsFile } from './credentials/credentials-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-connections-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** File operations whose renames fail with `code` while `failing` is set (a full or read-only disk). */
function flakyOps(): { ops: FileOps; fail(code: string | null): void } {
  let failing: string | null = null;
  const ops: FileOps = {
    ...nodeFileOps,
    rename: async (from, to) => {
      if (failing) throw Object.assign(new Error(`${failing}: refused`), { code: failing });
      return nodeFileOps.rename(from, to);
    },
  };
  return { ops, fail: (code) => void (failing = code) };
}

async function open(ops?: FileOps): Promise<RegistryConnections> {
  const file = await RegistriesFile.open(dir, ops ? { ops } : {});
  const credentials = await CredentialsFile.open(dir);
  return new RegistryConnections({ file, credentials, now: () => new Date('2025-01-02T03:04:05.678Z') });
}

const NOT_CHECKED = { verify: false };

describe('registry connections on disk', () => {
  it('keep the connection in registries.json and its secrets in credentials.json, both 0600, across a restart', async () => {
    const connections = await open();
    const events: RegistryChangeEvent[] = [];
    connections.onChange((e) => events.push(e));
    const view = await connections.create(
      { name: 'corp', url: 'https://registry.corp', username: 'alice', password: 'hunter2-pw', auto_import: true },
      NOT_CHECKED,
    );
    expect(view).toMatchObject({
      name: 'corp',
      username: 'alice',
      has_password: true,
      auto_import: true,
      created_at: '2025-01-02T03:04:05.678Z',
    });
    expect(events).toEqual([{ entity: 'registry', action: 'created', registry: 'corp' }]);

    const registries = readFileSync(join(dir, 'registries.json'), 'utf8');
    expect(registries).not.toContain('hunter2-pw');
    expect(registries).not.toContain('alice');
    expect(JSON.parse(registries)).toMatchObject({
      version: 1,
      registries: [{ name: 'corp', url: 'https://registry.corp', auto_import: true }],
    });
    expect(statSync(join(dir, 'registries.json')).mode & 0o777).toBe(0o600);
    const credentials = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as {
      registries: Record<string, { events_secret?: { value: string } }>;
    };
    expect(credentials.registries.corp?.events_secret?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const reopened = await open();
    expect(await reopened.get('corp')).toEqual(view);
    expect(await reopened.eventsSecret('corp')).toBe(credentials.registries.corp?.events_secret?.value);
  });

  it('an update that changes nothing writes nothing', async () => {
    const connections = await open();
    const created = await connections.create({ name: 'corp', url: 'https://registry.corp' }, NOT_CHECKED);
    const before = readFileSync(join(dir, 'registries.json'), 'utf8');
    expect(await connections.update('corp', { url: 'https://registry.corp/', auto_import: false }, NOT_CHECKED)).toEqual(created);
    expect(readFileSync(join(dir, 'registries.json'), 'utf8')).toBe(before);
  });

  it('a refused write is a storage_error and leaves both files as they were', async () => {
    const disk = flakyOps();
    const connections = await open(disk.ops);
    await connections.create({ name: 'kept', url: 'https://kept.example' }, NOT_CHECKED);
    const snapshot = () => Object.fromEntries(['registries.json', 'credentials.json'].map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const before = snapshot();

    disk.fail('ENOSPC');
    let error: unknown;
    try {
      await connections.create({ name: 'corp', url: 'https://registry.corp', username: 'alice', password: 'pw-123' }, NOT_CHECKED);
    } catch (err) {
      error = err;
    }
    disk.fail(null);
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).toBody()).toEqual({
      code: 'storage_error',
      detail: 'Could not save the registries: the disk is full (ENOSPC).',
    });
    expect(snapshot()).toEqual(before);
    expect((await connections.list({})).results.map((r) => r.name)).toEqual(['kept']);
    await expect(connections.get('corp')).rejects.toMatchObject({ code: 'not_found' });
    // Nothing half-saved comes back after a restart either.
    expect((await (await open()).list({})).results.map((r) => r.name)).toEqual(['kept']);
  });

  it('an unreadable registries.json is moved to quarantine and reported, never overwritten', async () => {
    writeFileSync(join(dir, 'registries.json'), '{"version": 1, "registries": [', { mode: 0o600 });
    const file = await RegistriesFile.open(dir);
    expect(file.records()).toEqual([]);
    expect(file.problem).toMatchObject({ file: 'registries.json', moved_to: expect.stringMatching(/^quarantine\//) });
    expect(file.problem?.message).toMatch(/Berth starts without registries/);
    expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(1);
    expect(readFileSync(join(dir, file.problem!.moved_to!), 'utf8')).toBe('{"version": 1, "registries": [');
  });

  it('a registries.json from a newer Berth is refused with a clear message', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'registries.json'), JSON.stringify({ version: 99, registries: [] }));
    await expect(RegistriesFile.open(dir)).rejects.toThrow(/written by a newer Berth \(version 99\); this one reads version 1/);
  });

  it('removing a registry forgets its secrets and tells the window', async () => {
    const connections = await open();
    await connections.create({ name: 'corp', url: 'https://registry.corp', username: 'alice', password: 'pw-123' }, NOT_CHECKED);
    const events: RegistryChangeEvent[] = [];
    connections.onChange((e) => events.push(e));
    await connections.delete('corp');
    expect(events).toEqual([{ entity: 'registry', action: 'deleted', registry: 'corp' }]);
    expect(readFileSync(join(dir, 'credentials.json'), 'utf8')).not.toContain('corp');
    await expect(connections.delete('corp')).rejects.toMatchObject({ code: 'not_found' });
  });
});

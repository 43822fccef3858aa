import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../../contract/errors';
import { CredentialsFile, type SecretCodec } from './credentials-file';

/** Stands in for Electron's safeStorage: reversible, and never the password as written. */
const SEALING: SecretCodec = {
  name: 'test-seal',
  encrypt: (s) => Buffer.from([...s].reverse().join(''), 'utf8').toString('base64'),
  decrypt: (s) => [...Buffer.from(s, 'base64').toString('utf8')].reverse().join(''),
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-credentials-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (): string => join(dir, 'credentials.json');

describe('the credentials file', () => {
  it('keeps passwords in a 0600 file that outlives the process, sealed by the codec', async () => {
    const creds = await CredentialsFile.open(dir, { codec: SEALING });
    await creds.set('corp', { username: 'alice', password: 'hunter2-secret' });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(readFileSync(file(), 'utf8')).not.toContain('hunter2-secret');
    const reopened = await CredentialsFile.open(dir, { codec: SEALING });
    expect(reopened.get('corp')).toEqual({ username: 'alice', password: 'hunter2-secret' });
    expect(reopened.username('corp')).toBe('alice');
    expect(reopened.hasPassword('corp')).toBe(true);
    expect(JSON.stringify(reopened)).not.toContain('hunter2');
  });

  it('keeps the password when only the username changes, and removes it on null', async () => {
    const creds = await CredentialsFile.open(dir);
    await creds.set('corp', { username: 'alice', password: 'pw-1' });
    await creds.set('corp', { username: 'alice2' });
    expect(creds.get('corp')).toEqual({ username: 'alice2', password: 'pw-1' });
    await creds.set('corp', { username: 'alice2', password: null });
    expect(creds.get('corp')).toBeNull();
    expect(creds.username('corp')).toBe('alice2');
    await creds.delete('corp');
    expect((await CredentialsFile.open(dir)).names()).toEqual([]);
  });

  it('saves every one of several concurrent changes', async () => {
    const creds = await CredentialsFile.open(dir);
    await Promise.all(Array.from({ length: 12 }, (_, i) => creds.set(`r${i}`, { username: `u${i}`, password: `p${i}` })));
    const reopened = await CredentialsFile.open(dir);
    expect(reopened.names().sort()).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`).sort());
    expect(reopened.get('r7')).toEqual({ username: 'u7', password: 'p7' });
  });

  it('says clearly when a password was sealed by a codec not available here', async () => {
    await (await CredentialsFile.open(dir, { codec: SEALING })).set('corp', { username: 'alice', password: 'pw' });
    const headless = await CredentialsFile.open(dir);
    let error: unknown;
    try {
      headless.get('corp');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).detail).toBe(
      'The saved password of registry corp was sealed by test-seal, which is not available here; enter the password again.',
    );
  });

  it('refuses an unreadable file and leaves it as it was', async () => {
    writeFileSync(file(), '{"version": 1, "registries": {', { mode: 0o600 });
    await expect(CredentialsFile.open(dir)).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(file(), 'utf8')).toBe('{"version": 1, "registries": {');
  });

  it('closes a credentials file that others could read', async () => {
    writeFileSync(file(), JSON.stringify({ version: 1, registries: { a: { username: 'u', password: { codec: 'plain', value: 'p' } } } }));
    chmodSync(file(), 0o644);
    const creds = await CredentialsFile.open(dir);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(creds.get('a')).toEqual({ username: 'u', password: 'p' });
  });

  it('keeps an events secret sealed beside the password, through password changes', async () => {
    const creds = await CredentialsFile.open(dir, { codec: SEALING });
    await creds.set('corp', { username: 'alice', password: 'pw-1', eventsSecret: 'events-secret-value' });
    await creds.set('corp', { username: 'alice', password: 'pw-2' });
    expect(readFileSync(file(), 'utf8')).not.toContain('events-secret-value');
    const reopened = await CredentialsFile.open(dir, { codec: SEALING });
    expect(reopened.eventsSecret('corp')).toBe('events-secret-value');
    expect(reopened.get('corp')).toEqual({ username: 'alice', password: 'pw-2' });
    expect(reopened.eventsSecret('other')).toBeNull();
  });

  it('puts an entry back as a snapshot took it, and a snapshot written out names no secret', async () => {
    const creds = await CredentialsFile.open(dir);
    await creds.set('corp', { username: 'alice', password: 'first-pw' });
    const before = creds.snapshot('corp');
    expect(JSON.stringify(before)).toBe('{"name":"corp"}');
    await creds.set('corp', { username: 'bob', password: 'second-pw' });
    await creds.restore(before);
    expect((await CredentialsFile.open(dir)).get('corp')).toEqual({ username: 'alice', password: 'first-pw' });
    const none = creds.snapshot('new');
    await creds.set('new', { username: 'x', password: 'y' });
    await creds.restore(none);
    expect((await CredentialsFile.open(dir)).names()).toEqual(['corp']);
  });
});

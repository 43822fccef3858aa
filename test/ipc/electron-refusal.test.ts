/**
 * The desktop app facing a data folder another process holds (a `serve` on the same folder):
 * it says so in an error dialog and exits 1, without opening a window or touching the data.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { createBackend } from '../../main/backend';
import { fake } from './fake-electron';

vi.mock('electron', async () => {
  const { fake: stand } = await import('./fake-electron');
  return { ...stand.electron, default: stand.electron };
});
vi.mock('electron-store', async () => (await import('./fake-electron')).fakeElectronStoreModule());

let profile = '';
afterAll(async () => {
  delete process.env.BERTH_USER_DATA_DIR;
  if (profile) await rm(profile, { recursive: true, force: true });
});

it('refuses a data folder held by another process with a clear message and exit code 1', async () => {
  profile = await mkdtemp(join(tmpdir(), 'berth-refusal-'));
  await writeFile(join(profile, 'settings.json'), JSON.stringify({ api_port: 1 }));
  const holder = await createBackend({ dataDir: join(profile, 'data'), port: 0 });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    process.env.BERTH_USER_DATA_DIR = profile;
    await import('../../main/index');
    await vi.waitFor(() => expect(fake.state.exits).toEqual([1]), { timeout: 10_000 });
    expect(fake.state.errors).toHaveLength(1);
    expect(fake.state.errors[0]).toMatch(/^Berth could not start: .*in use/);
    expect(fake.state.errors[0]).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
    expect(fake.state.windows).toHaveLength(0);
    await holder.registry.createNamespace('still-mine');
  } finally {
    await holder.close();
  }
});

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { flushHelperPid, syncFileSystem } from './syncfs';

const dir = mkdtempSync(join(tmpdir(), 'berth-syncfs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// syncfs is Linux's; elsewhere syncFileSystem answers false and callers fsync file by file.
describe.runIf(process.platform === 'linux')('flushing the file system', () => {
  it('reuses one helper process for every flush, never starting one per flush', async () => {
    expect(await syncFileSystem(dir)).toBe(true);
    const pid = flushHelperPid();
    expect(pid).toBeTypeOf('number');
    expect(await Promise.all([syncFileSystem(dir), syncFileSystem(dir), syncFileSystem(dir)])).toEqual([true, true, true]);
    expect(flushHelperPid()).toBe(pid);
  });

  it("reports a folder that cannot be flushed with sync's reason, and the next flush still works", async () => {
    await expect(syncFileSystem(join(dir, 'no-such-folder'))).rejects.toMatchObject({
      code: 'EIO',
      message: expect.stringMatching(/^EIO: flushing the file system failed: .*No such file or directory/),
    });
    expect(await syncFileSystem(dir)).toBe(true);
  });

  it('starts a new helper when the old one died', async () => {
    expect(await syncFileSystem(dir)).toBe(true);
    const first = flushHelperPid() as number;
    process.kill(first, 'SIGKILL');
    await expect.poll(() => alive(first) || flushHelperPid() === first).toBe(false);
    expect(await syncFileSystem(dir)).toBe(true);
    expect(flushHelperPid()).not.toBe(first);
  });

  it('flushes through a fresh helper when the old one dies unseen, just before the flush', async () => {
    expect(await syncFileSystem(dir)).toBe(true);
    const first = flushHelperPid() as number;
    process.kill(first, 'SIGKILL');
    expect(await syncFileSystem(dir)).toBe(true);
    expect(flushHelperPid()).not.toBe(first);
  });

  it('does not keep a finished process alive', async () => {
    // A command-line run that flushed once must still exit on its own (the helper is not waited for).
    const script = `import { syncFileSystem } from ${JSON.stringify(resolve('main/store/syncfs.ts'))};
      console.log(await syncFileSystem(${JSON.stringify(dir)}));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('true');
  });
});

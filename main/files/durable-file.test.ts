/**
 * The one atomic write that every file goes through, on the blocking calls that close and
 * start-up use: a disk that takes only part of a buffer must never leave a torn file where a good
 * one was (README, "Storage: what is guaranteed").
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { blocking, newWriteStats, writeFileAtomic, type DurableContext, type WritableFile, type WriteCalls } from './durable-file';
import { nodeFileOps } from './file-ops';

let dir: string;
let ctx: DurableContext;

beforeEach(async () => {
  dir = await makeTempDir();
  mkdirSync(join(dir, 'tmp'));
  ctx = { ops: nodeFileOps, tmpDir: join(dir, 'tmp'), stats: newWriteStats() };
});
afterEach(async () => {
  await removeDir(dir);
});

/** The blocking calls on a disk with `free` bytes left: a write takes what fits and says so. */
function smallDisk(free: number, whenFull: 'ENOSPC' | 'zero'): WriteCalls {
  return {
    ...blocking,
    create: (path, mode) => {
      // The blocking calls answer at once, never with a promise.
      const file = blocking.create(path, mode) as WritableFile;
      return {
        ...file,
        write: (buf: Buffer, offset: number, length: number) => {
          if (free === 0) {
            if (whenFull === 'zero') return 0;
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }
          const take = Math.min(length, free, 4096);
          free -= take;
          return file.write(buf, offset, take);
        },
      };
    },
  };
}

describe('writeFileAtomic on the blocking calls', () => {
  const good = JSON.stringify({ repo_name: 'web', full_description: 'g'.repeat(20_000) });
  const newer = JSON.stringify({ repo_name: 'web', full_description: 'n'.repeat(20_000) });

  it.each(['ENOSPC', 'zero'] as const)(
    'on a disk that fills midway (the write answers %s) fails and leaves the good file as it was',
    async (whenFull) => {
      const path = join(dir, 'web.json');
      writeFileSync(path, good);
      const err = await writeFileAtomic(ctx, path, newer, { calls: smallDisk(8_192, whenFull) }).then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect(err?.code).toBe('ENOSPC');
      expect(readFileSync(path, 'utf8')).toBe(good);
      expect(readdirSync(ctx.tmpDir)).toEqual([]);
      expect(ctx.stats.filesWritten).toBe(0);
    },
  );

  it('writes every byte when the disk takes a buffer in several short writes', async () => {
    const path = join(dir, 'web.json');
    writeFileSync(path, good);
    await writeFileAtomic(ctx, path, newer, { calls: smallDisk(1_000_000, 'ENOSPC') });
    expect(readFileSync(path, 'utf8')).toBe(newer);
    expect(ctx.stats).toMatchObject({ filesWritten: 1, bytesWritten: newer.length });
  });
});

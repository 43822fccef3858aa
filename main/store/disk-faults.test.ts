/**
 * What the store promises when the disk misbehaves (README, "Storage"), with the file layer
 * injected, so it runs everywhere: a disk that fills in the middle of a write, a damaged journal,
 * a file that can never be written, a folder where a file belongs, Windows' folder fsync, and
 * the modes of everything it creates. (test/fault/full-disk.slow.test.ts tells the same story on a
 * real tmpfs where one can be mounted.)
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join, win32 } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { TOKEN_HOLDER } from '../registry/service';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { newRepoRecord } from '../../test/support/catalogue';
import { nodeFileOps, type FileOps } from '../files/file-ops';
import { openStore, type Store } from './index';
import { encodeRecord, padGroup } from './journal';
import { Layout } from './layout';
import { nsOf, pathDepth } from './materializer';

const HEX = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
const text = (n: number, seed: string) => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
/** A promise a test opens when it chooses. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

let dir: string;
const opened: Store[] = [];
const extraDirs: string[] = [];

async function open(options?: Parameters<typeof openStore>[1], at = dir): Promise<Store> {
  const store = await openStore(at, options);
  opened.push(store);
  return store;
}

async function closeAll(): Promise<void> {
  for (const store of opened.splice(0)) await store.close();
}

beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await closeAll();
  await removeDir(dir);
  for (const d of extraDirs.splice(0)) await removeDir(d);
});

/**
 * A disk with `free` bytes left: a write takes what fits and says how much (a short write, as the
 * system does), and the next one fails with ENOSPC; truncating, unlinking and replacing files
 * give their bytes back.
 */
class SmallDisk {
  free = Infinity;

  private sizeOf(path: unknown): number {
    try {
      return statSync(String(path)).size;
    } catch {
      return 0;
    }
  }

  readonly ops: FileOps = {
    ...nodeFileOps,
    open: (async (path: Parameters<FileOps['open']>[0], flags?: string, mode?: number) => {
      const fh = await nodeFileOps.open(path, flags, mode);
      if (flags === undefined || flags === 'r') return fh;
      const wrapped = {
        fd: fh.fd,
        write: async (buf: Buffer, offset = 0, length = buf.length - offset) => {
          if (this.free <= 0) throw enospc();
          const result = await fh.write(buf, offset, Math.min(length, this.free));
          this.free -= result.bytesWritten;
          return result;
        },
        truncate: async (len?: number) => {
          const before = (await fh.stat()).size;
          await fh.truncate(len);
          this.free += Math.max(0, before - (len ?? 0));
        },
        // As Node's own: write() until all is down (each write may be short; the last one throws).
        writeFile: async (data: string | Buffer) => {
          const buf = Buffer.from(data);
          for (let off = 0; off < buf.length;) off += (await wrapped.write(buf, off)).bytesWritten;
        },
        datasync: () => fh.datasync(),
        sync: () => fh.sync(),
        stat: () => fh.stat(),
        close: () => fh.close(),
      };
      return wrapped as unknown as FileHandle;
    }) as FileOps['open'],
    unlink: async (path) => {
      const size = this.sizeOf(path);
      await nodeFileOps.unlink(path);
      this.free += size;
    },
    rename: async (from, to) => {
      const replaced = this.sizeOf(to);
      await nodeFileOps.rename(from, to);
      this.free += replaced;
    },
  };
}

/** The data folder as a crash would leave it right now, opened by a new store. */
async function afterCrash(): Promise<Store> {
  const copy = await makeTempDir('berth-crash-copy-');
  extraDirs.push(copy);
  cpSync(dir, copy, { recursive: true });
  return open({}, copy);
}

describe('a disk that fills in the middle of a write (simulated short writes)', () => {
  it('acknowledges only whole records, refuses the rest with ENOSPC, and loses nothing after a crash or a clean close', async () => {
    const disk = new SmallDisk();
    const store = await open({ fileOps: disk.ops });
    const registry = createRegistry(store);
    await registry.createRepo('ns', { repo_name: 'app' });
    await store.checkpoint();

    // One 4 KiB block left: a journal group of two blocks is cut midway by the disk.
    disk.free = 4096;
    await expect(registry.createRepo('ns', { repo_name: 'big', full_description: text(6000, 'big') })).rejects.toMatchObject({
      code: 'storage_error',
      message: 'Could not save: the disk is full (ENOSPC).',
    });
    // The cut-off part was taken back, so a one-block group still fits; then nothing does.
    await registry.createRepo('ns', { repo_name: 'small' });
    await expect(registry.createRepo('ns', { repo_name: 'refused' })).rejects.toMatchObject({ code: 'storage_error' });
    await expect(registry.putTag('ns', 'app', 'v1', HEX)).rejects.toMatchObject({ code: 'storage_error' });

    const crashed = createRegistry(await afterCrash());
    expect((await crashed.listRepos(TOKEN_HOLDER, 'ns', {})).results.map((r) => r.repo_name)).toEqual(['app', 'small']);

    // Space again, more writes; then a clean close with room for the journal but not the files.
    disk.free = Infinity;
    await registry.createRepo('ns', { repo_name: 'large', full_description: text(20_000, 'large') });
    await store.checkpoint();
    // The edit's journal record (the repo file, its history entry with the old and new text, and
    // the chunk sealing the create entry) takes 80 KiB; 8 KiB are left, too little for the files.
    disk.free = 80 * 1024 + 8 * 1024;
    await registry.updateRepo('ns', 'large', { full_description: text(20_000, 'updated') });
    expect(disk.free).toBeLessThan(20_000);
    await store.close();
    const last = store.problems.at(-1);
    expect(last?.file).toBe('namespaces/ns/repos/large.json');
    expect(last?.message).toMatch(/the disk is full \(ENOSPC\)\. Those changes are safe in the journal \(read back and checked\)/);
    // The file on disk is the old one, whole: never a truncated copy renamed over it.
    expect(JSON.parse(readFileSync(join(dir, 'namespaces/ns/repos/large.json'), 'utf8'))).toMatchObject({
      full_description: text(20_000, 'large'),
    });

    opened.splice(0);
    const reopened = createRegistry(await open());
    expect((await reopened.getRepo(TOKEN_HOLDER, 'ns', 'large')).full_description).toBe(text(20_000, 'updated'));
    expect((await reopened.listRepos(TOKEN_HOLDER, 'ns', {})).results.map((r) => r.repo_name)).toEqual(['app', 'large', 'small']);
    expect((await reopened.getRepo(TOKEN_HOLDER, 'ns', 'app')).tag_count).toBe(0);
  });
});

describe('a journal damaged in the middle of a segment', () => {
  it('replays the records before the damage, keeps the segment in quarantine and reports it', async () => {
    await (await open()).close();
    opened.splice(0);
    const repoFile = (name: string) => ({ ...newRepoRecord(name), schema_version: 1, namespace: 'ns' });
    const before = [
      encodeRecord(1, [
        { path: 'namespaces/ns/namespace.json', data: { schema_version: 1, namespace: 'ns', created_at: '2026-01-01T00:00:00.000Z' } },
      ]),
      encodeRecord(2, [{ path: 'namespaces/ns/repos/before.json', data: repoFile('before') }]),
    ];
    const damaged = Buffer.from(
      encodeRecord(3, [{ path: 'namespaces/ns/repos/damaged.json', data: repoFile('damaged') }])
        .toString()
        .replace('damaged', 'dAmaged'),
    );
    const after = encodeRecord(4, [{ path: 'namespaces/ns/repos/after.json', data: repoFile('after') }]);
    await writeFile(join(dir, 'journal', '000000000003.log'), Buffer.concat([padGroup(before), padGroup([damaged]), padGroup([after])]));

    const store = await open();
    expect(store.recovery.records).toBe(2);
    expect((await createRegistry(store).listRepos(TOKEN_HOLDER, 'ns', {})).results.map((r) => r.repo_name)).toEqual(['before']);
    expect(store.problems).toHaveLength(1);
    const problem = store.problems[0];
    expect(problem).toMatchObject({ file: 'journal/000000000003.log', moved_to: expect.stringMatching(/^quarantine\//) as unknown });
    expect(problem?.message).toMatch(
      /checksum does not match\) at byte 4096\. It was moved to quarantine\/.*The 2 records before it were replayed; the 8192 bytes from there on were not/,
    );
    // Kept, never deleted: the record after the damage is still there to be recovered by hand.
    expect(readFileSync(join(dir, problem?.moved_to ?? ''), 'utf8')).toContain('"after"');
    expect(readdirSync(join(dir, 'journal'))).toEqual([]);
  });

  it('does not start over a damaged segment it cannot move aside, and changes nothing', async () => {
    const store = await open();
    await createRegistry(store).createRepo('ns', { repo_name: 'newer', description: 'written after the segment' });
    await store.close();
    opened.splice(0);
    const newerFile = join(dir, 'namespaces/ns/repos/newer.json');
    const newer = readFileSync(newerFile, 'utf8');
    // An older segment that still holds the repo as it was, then damage: replaying it would undo the newer file.
    const older = encodeRecord(1, [
      { path: 'namespaces/ns/repos/newer.json', data: { ...newRepoRecord('newer'), schema_version: 1, namespace: 'ns' } },
    ]);
    const damaged = Buffer.from(
      encodeRecord(2, [{ path: 'namespaces/ns/repos/x.json', data: {} }])
        .toString()
        .replace('x.json', 'y.json'),
    );
    const segment = join(dir, 'journal', '000000000001.log');
    const later = encodeRecord(3, [{ path: 'namespaces/ns/repos/z.json', data: {} }]);
    await writeFile(segment, Buffer.concat([padGroup([older]), padGroup([damaged]), padGroup([later])]));
    const noQuarantine: FileOps = {
      ...nodeFileOps,
      rename: async (from, to) => {
        if (String(to).includes(`${join(dir, 'quarantine')}`))
          throw Object.assign(new Error('EACCES: permission denied, rename'), { code: 'EACCES' });
        return nodeFileOps.rename(from, to);
      },
    };

    const refusal = await open({ fileOps: noQuarantine }).then(
      () => null,
      (err: { code?: string; message?: string }) => err,
    );
    expect(refusal?.code).toBe('storage_error');
    expect(refusal?.message).toMatch(
      /^journal\/000000000001\.log could not be read: .* at byte 4096\. It could not be moved aside \(EACCES/,
    );
    expect(refusal?.message).toMatch(/move journal\/000000000001\.log out of the data folder \(keep it\), then start Berth again\.$/);
    expect(readFileSync(newerFile, 'utf8')).toBe(newer);
    expect(existsSync(segment)).toBe(true);

    // Once it can be moved aside, Berth starts and the segment is in the quarantine folder.
    const reopened = await open();
    expect(reopened.problems).toMatchObject([
      { file: 'journal/000000000001.log', moved_to: expect.stringMatching(/^quarantine\//) as unknown },
    ]);
  });
});

describe('a file that can never be written', () => {
  it('bounds the journal: past it writes are a 507 naming the file and the cause; they work again once the file can be written', async () => {
    let stuck = true;
    const ops: FileOps = {
      ...nodeFileOps,
      rename: async (from, to) => {
        if (stuck && String(to).endsWith(join('repos', 'stuck.json')))
          throw Object.assign(new Error('EACCES: permission denied, rename'), { code: 'EACCES' });
        return nodeFileOps.rename(from, to);
      },
    };
    const store = await open({ fileOps: ops, journalLimitBytes: 64 * 1024 });
    const registry = createRegistry(store);
    await registry.createRepo('ns', { repo_name: 'stuck' });
    await registry.createRepo('ns', { repo_name: 'other' });
    await store.checkpoint();
    expect(store.problems.map((p) => p.file)).toEqual(['namespaces/ns/repos/stuck.json']);
    expect(store.problems[0]?.message).toMatch(
      /^Could not write namespaces\/ns\/repos\/stuck\.json: permission to write in the data folder was denied \(EACCES\)\. Those changes are safe in the journal/,
    );

    let accepted = 0;
    let refusal: { code?: string; message?: string } | null = null;
    for (let i = 0; i < 64 && !refusal; i++) {
      await registry.putTag('ns', 'other', `t${i}`, HEX).then(
        () => accepted++,
        (err: { code?: string; message?: string }) => (refusal = err),
      );
      await store.checkpoint();
    }
    // Each write is a 4 KiB journal group: 16 fit in 64 KiB, the stuck file's own among them.
    expect(accepted).toBeGreaterThan(8);
    expect(accepted).toBeLessThan(16);
    expect(refusal).toMatchObject({ code: 'storage_error' });
    expect((refusal as { message?: string } | null)?.message).toMatch(
      /^Could not save: the journal is full \(.* MiB of changes wait to be written to their files, at most 0\.1 MiB\): write namespaces\/ns\/repos\/stuck\.json: permission to write in the data folder was denied \(EACCES\)\.$/,
    );
    expect(readdirSync(join(dir, 'journal')).length).toBeGreaterThan(0);

    stuck = false;
    await registry.putTag('ns', 'other', 'healed', HEX);
    await store.checkpoint();
    expect(readdirSync(join(dir, 'journal'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'namespaces/ns/repos/other.json'), 'utf8')).tags).toHaveLength(accepted + 1);
  });

  it('a journal at its bound waits for a checkpoint instead of refusing writes the disk could take', async () => {
    // Found by the benchmark: under a burst of tag pushes to many namespaces, batches that each
    // saw room in the journal joined one group that did not fit, and were answered 507.
    const store = await open({ journalLimitBytes: 64 * 1024 });
    const registry = createRegistry(store);
    const namespaces = ['ns-a', 'ns-b', 'ns-c', 'ns-d', 'ns-e', 'ns-f'];
    for (const ns of namespaces) await registry.createRepo(ns, { repo_name: 'app' });
    const pushes = namespaces.flatMap((ns) => Array.from({ length: 30 }, (_, i) => registry.putTag(ns, 'app', `t${i}`, HEX)));
    const outcomes = await Promise.allSettled(pushes);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    await store.close();
    const reopened = await open();
    for (const ns of namespaces) expect((await reopened.namespace(ns))?.repos.get('app')?.tags).toHaveLength(30);
    await reopened.close();
  });

  it('a write at the bound goes on once the running checkpoint lets its segments go, not after the next one', async () => {
    // Found by the benchmark: writes waiting at the bound also waited for a whole new checkpoint
    // of everything written meanwhile, seconds under load, though the running one had made room.
    const gates = { early: gate(), late: gate(), earlyReached: gate() };
    const ops: FileOps = {
      ...nodeFileOps,
      rename: async (from, to) => {
        const name = String(to);
        if (/repos[\\/]early-\d+\.json$/.test(name)) {
          gates.earlyReached.open();
          await gates.early.wait;
        }
        if (/repos[\\/]late-\d+\.json$/.test(name)) await gates.late.wait;
        return nodeFileOps.rename(from, to);
      },
    };
    const store = await open({ fileOps: ops, journalLimitBytes: 48 * 1024 });
    const registry = createRegistry(store);
    // Each create is a 4 KiB journal group: six take half the journal.
    for (let i = 0; i < 6; i++) await registry.createRepo('ns', { repo_name: `early-${i}` });
    const running = store.checkpoint();
    await gates.earlyReached.wait;
    // The running checkpoint covers the early repos and waits on their files; the late ones fill the rest.
    for (let i = 0; i < 6; i++) await registry.createRepo('ns', { repo_name: `late-${i}` });
    let done = false;
    const atTheBound = registry.createRepo('ns', { repo_name: 'late-6' }).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    gates.early.open();
    await running;
    // Room was made: the write goes on while the late repos' own files still wait.
    await Promise.race([atTheBound, new Promise((resolve) => setTimeout(resolve, 2000))]);
    const wentOn = done;
    gates.late.open();
    await atTheBound;
    expect(wentOn).toBe(true);
    await store.close();
    const reopened = await open();
    expect([...((await reopened.namespace('ns'))?.repos.keys() ?? [])]).toHaveLength(13);
  });

  it('a checkpoint that writes wait for at the bound writes its files at full width', async () => {
    const early = gate();
    let inFlight = 0;
    const reached = gate();
    const ops: FileOps = {
      ...nodeFileOps,
      rename: async (from, to) => {
        if (/repos[\\/]early-\d+\.json$/.test(String(to))) {
          inFlight++;
          reached.open();
          await early.wait;
          inFlight--;
        }
        return nodeFileOps.rename(from, to);
      },
    };
    const store = await open({ fileOps: ops, journalLimitBytes: 128 * 1024 });
    const registry = createRegistry(store);
    for (let i = 0; i < 20; i++) await registry.createRepo('ns', { repo_name: `early-${i}` });
    const running = store.checkpoint();
    await reached.wait;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // In the background a checkpoint leaves the thread pool to requests: two files at a time.
    expect(inFlight).toBe(2);
    // Fill the journal: the next write waits at the bound for this checkpoint...
    for (let i = 0; i < 12; i++) await registry.createRepo('ns', { repo_name: `late-${i}` });
    const atTheBound = registry.createRepo('ns', { repo_name: 'late-12' });
    // ...which then writes as many files at once as close does.
    for (let i = 0; i < 100 && inFlight <= 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const widest = inFlight;
    early.open();
    await running;
    await atTheBound;
    expect(widest).toBeGreaterThan(2);
  });

  it('after a wait at the bound, the next checkpoint writes two files at a time again', async () => {
    // Found in review: writes that reached the bound while the running checkpoint was already
    // flushing its files left it nothing to widen, and the next background checkpoint, which no
    // write waited for, wrote at close's width, taking the thread pool from the requests.
    const flushHeld = gate();
    const flushReached = gate();
    const laterHeld = gate();
    let inFlight = 0;
    const ops: FileOps = {
      ...nodeFileOps,
      open: (async (path: Parameters<FileOps['open']>[0], flags?: string, mode?: number) => {
        // Injected file operations flush each file on its own: the running checkpoint waits here.
        if (flags === 'r' && /repos[\\/]early-\d+\.json$/.test(String(path))) {
          flushReached.open();
          await flushHeld.wait;
        }
        return nodeFileOps.open(path, flags, mode);
      }) as FileOps['open'],
      rename: async (from, to) => {
        if (/repos[\\/]late-\d+\.json$/.test(String(to))) {
          inFlight++;
          await laterHeld.wait;
          inFlight--;
        }
        return nodeFileOps.rename(from, to);
      },
    };
    const store = await open({ fileOps: ops, journalLimitBytes: 48 * 1024 });
    const registry = createRegistry(store);
    for (let i = 0; i < 6; i++) await registry.createRepo('ns', { repo_name: `early-${i}` });
    const running = store.checkpoint();
    await flushReached.wait;
    // Its files are written; it flushes them. The late repos fill the journal, and one more waits.
    for (let i = 0; i < 6; i++) await registry.createRepo('ns', { repo_name: `late-${i}` });
    const atTheBound = registry.createRepo('ns', { repo_name: 'late-6' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    flushHeld.open();
    await running;
    await atTheBound;
    // Nothing waits for the next checkpoint: it writes the seven late files two at a time.
    const next = store.checkpoint();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const widest = inFlight;
    laterHeld.open();
    await next;
    expect(widest).toBe(2);
    await store.close();
  });

  it('moves a folder that stands where a repo file belongs to the quarantine folder, and writes the file', async () => {
    const store = await open();
    const registry = createRegistry(store);
    await registry.createRepo('ns', { repo_name: 'app' });
    await store.checkpoint();
    await registry.putTag('ns', 'app', 'v1', HEX);
    const file = join(dir, 'namespaces/ns/repos/app.json');
    await removeDir(file);
    mkdirSync(join(file, 'inside'), { recursive: true });
    await store.checkpoint();
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]?.message).toMatch(
      /^namespaces\/ns\/repos\/app\.json could not be written: .* It was moved to quarantine\/.*The file was then written in its place\.$/,
    );
    expect(existsSync(join(dir, store.problems[0]?.moved_to ?? '', 'inside'))).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ repo_name: 'app', tags: [{ tag: 'v1' }] });
  });
});

describe('platforms', () => {
  /** A file layer where a folder cannot be opened (EISDIR) or flushed (EPERM), as on Windows. */
  function noFolderSync(platform: NodeJS.Platform, how: 'open' | 'sync'): FileOps {
    return {
      ...nodeFileOps,
      platform,
      open: (async (path: Parameters<FileOps['open']>[0], flags?: string, mode?: number) => {
        const isDir = flags === 'r' && statSync(String(path)).isDirectory();
        if (isDir && how === 'open') throw Object.assign(new Error('EISDIR: illegal operation on a directory, open'), { code: 'EISDIR' });
        const fh = await nodeFileOps.open(path, flags, mode);
        if (!isDir) return fh;
        return Object.assign(Object.create(fh) as FileHandle, {
          sync: async () => {
            throw Object.assign(new Error('EPERM: operation not permitted, fsync'), { code: 'EPERM' });
          },
          close: () => fh.close(),
        });
      }) as FileOps['open'],
    };
  }

  for (const how of ['open', 'sync'] as const) {
    it(`works on Windows, where a folder cannot be ${how === 'open' ? 'opened' : 'fsynced'}`, async () => {
      const ops = noFolderSync('win32', how);
      let store = await open({ fileOps: ops });
      await createRegistry(store).createRepo('ns', { repo_name: 'app' });
      await createRegistry(store).putTag('ns', 'app', 'v1', HEX);
      await store.checkpoint();
      expect(store.problems).toEqual([]);
      await closeAll();
      store = await open({ fileOps: ops });
      expect((await createRegistry(store).getRepo(TOKEN_HOLDER, 'ns', 'app')).tag_count).toBe(1);
    });
  }

  it('elsewhere a refused folder fsync is a failure, never ignored', async () => {
    await expect(openStore(dir, { fileOps: noFolderSync('linux', 'sync') })).rejects.toMatchObject({
      code: 'storage_error',
      message: expect.stringContaining('EPERM') as unknown,
    });
  });

  it('finds the namespace and depth of a path with either separator', () => {
    const layout = new Layout('C:\\Users\\me\\AppData\\Roaming\\berth\\data');
    const file = win32.join(layout.dataDir, 'namespaces', 'acme', 'repos', 'web.json');
    expect(nsOf(layout, file)).toBe('acme');
    expect(nsOf(new Layout('/var/lib/berth'), '/var/lib/berth/namespaces/acme/repos/web.json')).toBe('acme');
    expect(pathDepth(win32.join(layout.dataDir, 'namespaces', 'acme'))).toBe(
      pathDepth('/C:/Users/me/AppData/Roaming/berth/data/namespaces/acme'),
    );
  });
});

describe('file modes', () => {
  function modes(root: string): { path: string; mode: number; dir: boolean }[] {
    const out: { path: string; mode: number; dir: boolean }[] = [];
    const walk = (p: string) => {
      const st = statSync(p);
      out.push({ path: p.slice(root.length) || '.', mode: st.mode & 0o777, dir: st.isDirectory() });
      if (st.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
    };
    walk(root);
    return out;
  }

  it.skipIf(process.platform === 'win32')(
    'makes the data folder and every folder in it 0700, every file 0600, an existing folder included',
    async () => {
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o755);
      const store = await open();
      const registry = createRegistry(store);
      await registry.createRepo('ns', { repo_name: 'app' });
      await store.checkpoint();
      await registry.putTag('ns', 'app', 'v1', HEX); // a journal segment, open
      // History chunks and the trash: more than 32 changes seal a chunk; a deleted repo goes to the trash.
      for (let i = 0; i < 40; i++) await registry.putTag('ns', 'app', `t${i}`, HEX);
      await registry.createRepo('ns', { repo_name: 'gone' });
      await registry.deleteRepo('ns', 'gone');
      await writeFile(join(dir, 'namespaces/ns/repos/broken.json'), '{', { mode: 0o644 });
      await store.close();
      opened.splice(0);
      await (await open()).whenLoaded(); // the broken file goes to quarantine; the lock is held
      const seen = modes(dir);
      expect(seen.map((e) => e.path)).toEqual(
        expect.arrayContaining(['.', '/berth.lock', '/berth.json', '/namespaces/ns/repos/app.json', '/quarantine', '/history', '/trash']),
      );
      expect(seen.filter((e) => e.path.startsWith('/history/') && !e.dir)).not.toHaveLength(0);
      expect(seen.filter((e) => e.path.startsWith('/trash/'))).toHaveLength(1);
      expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(1);
      for (const entry of seen) expect(entry.mode.toString(8), entry.path).toBe(entry.dir ? '700' : '600');
    },
  );
});

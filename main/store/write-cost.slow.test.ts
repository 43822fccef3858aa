/**
 * The cost of a write must not grow with the catalogue (docs/architecture.md). One tag push into a
 * catalogue of 100,000 repos appends one record of about one repo file's size to the journal, and
 * its checkpoint rewrites one small file: the repo's own. Shown by what the write touches (every
 * rename, temp file and delete the store asks the file system for, and every file's size and mtime
 * before and after), and by the bytes written being identical in a catalogue of 1,000. The
 * catalogues live in /dev/shm (tmpfs), where 100,000 files take seconds rather than minutes to
 * create and remove; where there is no /dev/shm the larger one shrinks to 10,000 repos.
 */
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { TOKEN_HOLDER } from '../registry/service';
import { removeDir } from '../../test/fixtures/store-temp';
import { newRepoRecord, writeCatalogue } from '../../test/support/catalogue';
import { nodeFileOps, type FileOps } from '../files/file-ops';
import { openStore } from './index';
import type { TagRecord } from './records';

const NOW = '2026-03-01T12:00:00.000Z';
const REPOS_PER_NAMESPACE = 1_000;
const hex = (n: number) => n.toString(16).padStart(64, '0');

function tags(n: number): TagRecord[] {
  return Array.from({ length: n }, (_, k) => ({ tag: `v${k}`, image_id: hex(k + 1), created_at: NOW, updated_at: NOW, source: 'api' }));
}

/** Every file under dir -> "size:mtime". */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.set(relative(dir, p), `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

interface Touches {
  renamedTo: string[];
  unlinked: string[];
  created: string[];
}

function recordingOps(dataDir: string): { ops: FileOps; touches: Touches } {
  const touches: Touches = { renamedTo: [], unlinked: [], created: [] };
  const rel = (p: unknown) => relative(dataDir, String(p));
  const ops: FileOps = {
    ...nodeFileOps,
    rename: async (from, to) => {
      touches.renamedTo.push(rel(to));
      return nodeFileOps.rename(from, to);
    },
    unlink: async (path) => {
      touches.unlinked.push(rel(path));
      return nodeFileOps.unlink(path);
    },
    open: (async (path: Parameters<FileOps['open']>[0], flags?: Parameters<FileOps['open']>[1], mode?: Parameters<FileOps['open']>[2]) => {
      if (flags === 'wx' || flags === 'w' || flags === 'a') touches.created.push(rel(path));
      return nodeFileOps.open(path, flags, mode);
    }) as FileOps['open'],
  };
  return { ops, touches };
}

function fastScratch(): string | null {
  try {
    accessSync('/dev/shm', constants.W_OK);
    const probe = mkdtempSync('/dev/shm/berth-probe-');
    rmSync(probe, { recursive: true });
    return '/dev/shm';
  } catch {
    return null;
  }
}

const SHM = fastScratch();
const SIZES: [number, number] = SHM ? [1_000, 100_000] : [1_000, 10_000];

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await removeDir(d);
});

async function measurePush(totalRepos: number) {
  const dir = mkdtempSync(join(SHM ?? tmpdir(), 'berth-cost-'));
  dirs.push(dir);
  const namespaces = totalRepos / REPOS_PER_NAMESPACE;
  await writeCatalogue(
    dir,
    (function* () {
      for (let n = 0; n < namespaces; n++) {
        const namespace = n === 0 ? 'target' : `ns${n}`;
        yield {
          namespace,
          created_at: NOW,
          repos: (function* () {
            for (let r = 0; r < REPOS_PER_NAMESPACE; r++) {
              const name = r === 0 ? 'app' : `repo${r}`;
              yield newRepoRecord(name, { description: `repo ${r} of ${namespace}`, tags: r === 0 ? tags(10) : [] }, NOW);
            }
          })(),
        };
      }
    })(),
  );
  const { ops, touches } = recordingOps(dir);
  const store = await openStore(dir, { fileOps: ops, backgroundLoad: false });
  try {
    const registry = createRegistry(store, { now: () => NOW });
    // Load the target namespace first, so only the write itself is measured.
    expect((await registry.getRepo(TOKEN_HOLDER, 'target', 'app')).tag_count).toBe(10);
    expect(store.namespaceNames()).toHaveLength(namespaces);
    // Stat'ing every file twice costs seconds at 100,000: the file-system layer's record of
    // every rename, temp file and delete is the evidence there; the smaller catalogue gets both.
    const watch = totalRepos <= 10_000;
    const before = watch ? snapshot(join(dir, 'namespaces')) : new Map<string, string>();
    touches.renamedTo.length = touches.unlinked.length = touches.created.length = 0;
    const stats = { ...store.stats };

    await registry.putTag('target', 'app', 'pushed', hex(999));
    // The journal acknowledged it; the checkpoint writes the repo's file and drops the journal.
    await store.checkpoint();

    const after = watch ? snapshot(join(dir, 'namespaces')) : new Map<string, string>();
    const changed = watch ? [...after].filter(([file, sig]) => before.get(file) !== sig).map(([file]) => file) : null;
    const appFile = join(dir, 'namespaces/target/repos/app.json');
    return {
      changed,
      touches: { renamedTo: [...touches.renamedTo], unlinked: [...touches.unlinked], created: [...touches.created] },
      filesWritten: store.stats.filesWritten - stats.filesWritten,
      journalRecords: store.stats.journalRecords - stats.journalRecords,
      journalBytes: store.stats.journalBytes - stats.journalBytes,
      bytesWritten: store.stats.bytesWritten - stats.bytesWritten,
      fileSize: statSync(appFile).size,
      fileText: readFileSync(appFile, 'utf8'),
      catalogueRepos: store.namespaceNames().length * REPOS_PER_NAMESPACE,
      repoFilesInTarget: readdirSync(join(dir, 'namespaces/target/repos')).length,
    };
  } finally {
    await store.close();
  }
}

describe('the cost of one write', () => {
  it(
    `a tag push into a catalogue of ${SIZES[1].toLocaleString('en')} repos rewrites only its repo file, at the cost it has in ${SIZES[0].toLocaleString('en')}`,
    { timeout: 180_000 },
    async () => {
      const small = await measurePush(SIZES[0]);
      const large = await measurePush(SIZES[1]);

      expect(small.changed).toEqual(['target/repos/app.json']);
      for (const m of [small, large]) {
        expect(m.touches.renamedTo).toEqual(['namespaces/target/repos/app.json']);
        // The journal segment that held the record, once the checkpoint has made the file durable.
        expect(m.touches.unlinked).toEqual([expect.stringMatching(/^journal\/\d+\.log$/)]);
        expect(m.touches.created).toHaveLength(2);
        expect(m.touches.created[0]).toMatch(/^journal\/\d+\.log$/);
        expect(m.touches.created[1]).toMatch(/^tmp\//);
        // One record, padded to one 4 KiB block: a repo file's worth, never a namespace's.
        expect(m.journalRecords).toBe(1);
        expect(m.journalBytes).toBe(4096);
        expect(m.filesWritten).toBe(1);
        expect(m.bytesWritten).toBe(m.fileSize);
        expect(m.bytesWritten).toBeLessThan(4096);
        // History is on: the push's entry is in the same file, written by the same record.
        expect(JSON.parse(m.fileText)).toMatchObject({ repo_name: 'app', upload: 1, history: [{ action: 'tag.create', tag: 'pushed' }] });
      }
      expect(large.catalogueRepos).toBe(SIZES[1]);
      expect(large.repoFilesInTarget).toBe(REPOS_PER_NAMESPACE);
      expect(large.bytesWritten).toBe(small.bytesWritten);
      expect(large.journalBytes).toBe(small.journalBytes);
      // The same file but for the ids (of the repo and its history entry), which are new in each catalogue.
      const withoutIds = (text: string) => text.replace(/"id": "[0-9a-z]{26}"/g, '"id": "…"');
      expect(withoutIds(large.fileText)).toBe(withoutIds(small.fileText));
    },
  );
});

/**
 * SPEC §4: the cost of a write must not grow with the catalogue. One tag push into a big
 * catalogue rewrites one small file: the repo's own. Shown by what the write touches (every
 * rename, temp file and delete the store asks the file system for, and every file's size and
 * mtime before and after), and by the bytes written being identical in a catalogue ten times
 * larger. Catalogues here hold 500 and 5,000 repos: generating 100,000 files takes minutes on a
 * busy 2-core machine, and the equality shows the bytes do not depend on the catalogue's size.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { TOKEN_HOLDER } from '../registry/service';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { newRepoRecord, writeCatalogue } from './bulk';
import { nodeFileOps, type FileOps } from './file-ops';
import { openStore } from './index';
import type { TagRecord } from './records';

const NOW = '2026-03-01T12:00:00.000Z';
const REPOS_PER_NAMESPACE = 500;
const hex = (n: number) => n.toString(16).padStart(64, '0');

function tags(n: number): TagRecord[] {
  return Array.from({ length: n }, (_, k) => ({ tag: `v${k}`, image_id: hex(k + 1), created_at: NOW, updated_at: NOW }));
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

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await removeDir(d);
});

async function measurePush(totalRepos: number) {
  const dir = await makeTempDir('berth-cost-');
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
              yield newRepoRecord(name, { description: `repo ${r} of ${namespace}`, tags: tags(r === 0 ? 10 : 2) }, NOW);
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
    const before = snapshot(join(dir, 'namespaces'));
    touches.renamedTo.length = touches.unlinked.length = touches.created.length = 0;
    const stats = { ...store.stats };

    await registry.putTag('target', 'app', 'pushed', hex(999));

    const after = snapshot(join(dir, 'namespaces'));
    const changed = [...after].filter(([file, sig]) => before.get(file) !== sig).map(([file]) => file);
    const appFile = join(dir, 'namespaces/target/repos/app.json');
    return {
      changed,
      touches: { renamedTo: [...touches.renamedTo], unlinked: [...touches.unlinked], created: [...touches.created] },
      filesWritten: store.stats.filesWritten - stats.filesWritten,
      bytesWritten: store.stats.bytesWritten - stats.bytesWritten,
      fileSize: statSync(appFile).size,
      fileText: readFileSync(appFile, 'utf8'),
      catalogueFiles: after.size,
    };
  } finally {
    await store.close();
  }
}

describe('the cost of one write', () => {
  it('a tag push rewrites only its repo file, and costs the same in a catalogue ten times larger', { timeout: 120_000 }, async () => {
    const small = await measurePush(500);
    const large = await measurePush(5_000);

    for (const m of [small, large]) {
      expect(m.changed).toEqual(['target/repos/app.json']);
      expect(m.touches.renamedTo).toEqual(['namespaces/target/repos/app.json']);
      expect(m.touches.unlinked).toEqual([]);
      expect(m.touches.created).toHaveLength(1);
      expect(m.touches.created[0]).toMatch(/^tmp\//);
      expect(m.filesWritten).toBe(1);
      expect(m.bytesWritten).toBe(m.fileSize);
      expect(m.bytesWritten).toBeLessThan(4096);
      expect(JSON.parse(m.fileText)).toMatchObject({ repo_name: 'app', upload: 1 });
    }
    expect(large.catalogueFiles).toBeGreaterThan(5_000);
    expect(large.bytesWritten).toBe(small.bytesWritten);
    expect(large.fileText).toBe(small.fileText);
  });
});

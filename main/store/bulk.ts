/**
 * Bulk catalogue writer for benchmarks and big-catalogue tests: creating 100,000 repos through
 * the registry one durable write at a time takes minutes, so this writes the same files with the
 * store's own layout, serialization and atomic file writes, fsyncing each folder once at the end.
 *
 *   await writeCatalogue(dataDir, function* () {
 *     for (let n = 0; n < 100; n++) {
 *       yield { namespace: `ns${n}`, repos: Array.from({ length: 1000 }, (_, r) => newRepoRecord(`repo${r}`)) };
 *     }
 *   }());
 *
 * It takes the data folder's lock like any writer (so never run it against a folder a server
 * holds) and overwrites repos that already exist under the same names. Each file is still
 * written whole (temp file + rename), but repo files are not fsync'd one by one unless
 * `fsyncEachFile` is set: a generated catalogue that a crash interrupts is simply generated again.
 */
import { BerthError } from '../contract/errors';
import { fsyncDir, serialize, writeFileAtomic, writeFileAtomicSync, type DurableContext } from './durable-file';
import { nodeFileOps } from './file-ops';
import { namespaceFile, repoFile, type RepoRecord, type TagRecord } from './records';
import { Store } from './store';

export interface CatalogueNamespace {
  namespace: string;
  /** Defaults to now. */
  created_at?: string;
  repos: Iterable<RepoRecord>;
}

/** A repo record with the registry's defaults; `overrides` replaces any field. */
export function newRepoRecord(repoName: string, overrides: Partial<RepoRecord> = {}, now = new Date().toISOString()): RepoRecord {
  return {
    repo_name: repoName,
    description: '',
    full_description: '',
    is_public: true,
    is_automated: false,
    logo: 'default-icon.jpg',
    logo_file: '/static/images/user/default-logo.png',
    created_at: now,
    updated_at: now,
    download: 0,
    upload: 0,
    pulled_at: null,
    pushed_at: null,
    starred: false,
    tags: [] as TagRecord[],
    ...overrides,
  };
}

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Writes namespaces and repos straight to disk; resolves with the number of repos written. */
export async function writeCatalogue(
  dataDir: string,
  namespaces: Iterable<CatalogueNamespace>,
  options: { fsyncEachFile?: boolean } = {},
): Promise<{ namespaces: number; repos: number }> {
  const fsync = options.fsyncEachFile === true;
  const store = await Store.open(dataDir, { backgroundLoad: false });
  const ctx: DurableContext = { ops: nodeFileOps, tmpDir: store.layout.tmp, stats: store.stats };
  let nsCount = 0;
  let repoCount = 0;
  try {
    for (const ns of namespaces) {
      if (!NAME.test(ns.namespace)) throw BerthError.validation({ namespace: [`Not a namespace name: ${ns.namespace}`] });
      const dir = store.layout.reposDir(ns.namespace);
      await nodeFileOps.mkdir(dir, { recursive: true });
      const existing = store.namespaceRecord(ns.namespace);
      const record = existing ?? { namespace: ns.namespace, created_at: ns.created_at ?? new Date().toISOString() };
      await writeFileAtomic(ctx, store.layout.namespaceFile(ns.namespace), serialize(namespaceFile(record)));

      for (const repo of ns.repos) {
        if (!NAME.test(repo.repo_name)) throw BerthError.validation({ repo_name: [`Not a repository name: ${repo.repo_name}`] });
        writeFileAtomicSync(ctx, store.layout.repoFile(ns.namespace, repo.repo_name), serialize(repoFile(ns.namespace, repo)), { fsync });
        repoCount++;
      }
      await fsyncDir(nodeFileOps, dir);
      await fsyncDir(nodeFileOps, store.layout.namespaceDir(ns.namespace));
      nsCount++;
    }
    await fsyncDir(nodeFileOps, store.layout.namespaces);
  } finally {
    await store.close();
  }
  return { namespaces: nsCount, repos: repoCount };
}

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
import { BerthError } from '../../main/contract/errors';
import { validateNamespace, validateRepoName } from '../../main/contract/names';
import { blocking, fsyncDir, serialize, writeFileAtomic, type DurableContext } from '../../main/files/durable-file';
import { nodeFileOps } from '../../main/files/file-ops';
import { namespaceFile, repoFile, type RepoRecord } from '../../main/store/records';
import { Store } from '../../main/store/store';

export interface CatalogueNamespace {
  namespace: string;
  /** Defaults to now. */
  created_at?: string;
  repos: Iterable<RepoRecord>;
}

// Records come from the registry's own constructor, so a generated repo has exactly its defaults.
export { newRepoRecord } from '../../main/registry/defaults';
export type { RepoRecord, TagRecord } from '../../main/store/records';

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
      const badNamespace = validateNamespace(ns.namespace);
      if (badNamespace) throw BerthError.validation({ namespace: [badNamespace] });
      const dir = store.layout.reposDir(ns.namespace);
      await nodeFileOps.mkdir(dir, { recursive: true });
      const existing = store.namespaceRecord(ns.namespace);
      const record = existing ?? { namespace: ns.namespace, created_at: ns.created_at ?? new Date().toISOString() };
      await writeFileAtomic(ctx, store.layout.namespaceFile(ns.namespace), serialize(namespaceFile(record)));

      for (const repo of ns.repos) {
        const badName = validateRepoName(repo.repo_name, ns.namespace);
        if (badName) throw BerthError.validation({ repo_name: [badName] });
        await writeFileAtomic(ctx, store.layout.repoFile(ns.namespace, repo.repo_name), serialize(repoFile(ns.namespace, repo)), {
          fsync,
          calls: blocking,
        });
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

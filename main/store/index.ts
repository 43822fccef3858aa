/**
 * The store: JSON files in a data folder, durable and crash-safe (docs/architecture.md).
 * `openStore` takes the folder's lock, cleans temp files, checks the schema and starts loading;
 * `store.close()` flushes pending writes and releases the lock.
 */
import { Store, type OpenStoreOptions } from './store';

export { Store } from './store';
export type { NamespaceState, OpenStoreOptions } from './store';
export type { NamespaceTx, TrashedRepo } from './namespace-tx';
export type { ImageRecord, LinkRecord, NamespaceRecord, RepoRecord, RepoWithoutHistory, TagRecord } from './records';
export type { ImportStaging } from './staging';
export type { HistoryRecord, NewHistoryRecord } from './history-records';
export type { TrashRecord } from './trash-records';
export { historyCount } from './history-tail';
export { newRepoId } from './ids';
export type { StoreProblem } from './quarantine';
export type { FileOps } from '../files/file-ops';
export { nodeFileOps } from '../files/file-ops';
export { RegistriesFile, REGISTRIES_FILE, type RegistryRecord } from './registries-file';

export function openStore(dataDir: string, options?: OpenStoreOptions): Promise<Store> {
  return Store.open(dataDir, options);
}

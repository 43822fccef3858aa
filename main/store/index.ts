/**
 * The store: lowdb JSON files in a data folder, durable and crash-safe (SPEC §4).
 * `openStore` takes the folder's lock, cleans temp files, checks the schema and starts loading;
 * `store.close()` flushes pending writes and releases the lock.
 */
import { Store, type OpenStoreOptions } from './store';

export { Store } from './store';
export type { NamespaceState, OpenStoreOptions } from './store';
export type { NamespaceTx } from './namespace-tx';
export type { NamespaceRecord, RepoRecord, TagRecord } from './records';
export { SCHEMA_VERSION } from './records';
export type { StoreProblem } from './quarantine';
export type { WriteStats } from './durable-file';
export type { FileOps } from './file-ops';
export { nodeFileOps } from './file-ops';
export { RegistriesFile, REGISTRIES_FILE, type RegistryRecord } from './registries-file';

export function openStore(dataDir: string, options?: OpenStoreOptions): Promise<Store> {
  return Store.open(dataDir, options);
}
export { writeCatalogue, newRepoRecord } from './bulk';
export type { CatalogueNamespace } from './bulk';

/**
 * Links, imports, syncs and registry events (docs/registries.md): ties the catalogue
 * (main/registry) to real registries (main/registries). RegistrySync implements the contract's
 * SyncService; the composition root gives it the jobs file.
 */
export { RegistrySync, type SyncServiceOptions } from './service';
export { JobBook, type JobsFile } from './jobs';
export { eventsConfig } from './events-config';

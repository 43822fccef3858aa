/**
 * Links, imports, syncs and registry events (docs/registries.md): ties the catalogue
 * (main/registry) to real registries (main/registries). The service behind the contract's
 * SyncService.
 */
import { BerthError } from '../contract/errors';
import type { SyncService } from '../contract/sync';

/** Until the service lands every operation says so (the contract comes first). */
export function unavailableSync(): SyncService {
  const no = async (): Promise<never> => {
    throw new BerthError('not_found', 'Links, imports and syncs are not available in this build yet.');
  };
  return {
    getLink: no,
    link: no,
    unlink: no,
    sync: no,
    importRepositories: no,
    listJobs: no,
    getJob: no,
    cancelJob: no,
    eventsConfig: no,
    receiveEvents: no,
    onChange: () => () => undefined,
    close: async () => undefined,
  };
}

/**
 * The registry operations of window.berth: the same service calls the /v1/registries routes
 * make (the window acts as the token holder). Their arguments are checked before, with the
 * schemas the routes declare (main/contract/operations.ts).
 */
import type { BerthOperations } from '../contract/api';
import type { RegistriesService } from '../contract/registries';

type RegistryOperations = Pick<
  BerthOperations,
  | 'listRegistries'
  | 'getRegistry'
  | 'createRegistry'
  | 'updateRegistry'
  | 'deleteRegistry'
  | 'checkRegistry'
  | 'listRegistryRepositories'
  | 'listRegistryTags'
  | 'getRegistryManifest'
  | 'getRegistryDigestTags'
  | 'deleteRegistryManifest'
>;

export function registryOperations(registries: RegistriesService): RegistryOperations {
  return {
    listRegistries: (query) => registries.list(query),
    getRegistry: (registry) => registries.get(registry),
    createRegistry: (input, options) => registries.create(input, options),
    updateRegistry: (registry, patch, options) => registries.update(registry, patch, options),
    deleteRegistry: (registry) => registries.delete(registry),
    checkRegistry: (registry) => registries.check(registry),
    listRegistryRepositories: (registry, query) => registries.repositories(registry, query),
    listRegistryTags: (registry, query) => registries.tags(registry, query),
    getRegistryManifest: (registry, query) => registries.manifest(registry, query),
    getRegistryDigestTags: (registry, query) => registries.digestTags(registry, query),
    deleteRegistryManifest: (registry, query) => registries.deleteManifest(registry, query),
  };
}

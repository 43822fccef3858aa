/**
 * The registry operations of window.berth: each argument validated with the schemas the
 * /v1/registries routes declare, then the same service call the route makes (the window acts as
 * the token holder).
 */
import {
  CreateRegistryBody,
  DeleteManifestQuery,
  ManifestQuery,
  RegistryNameParam,
  RegistryTagsQuery,
  RepositoriesQuery,
  SaveRegistryOptions,
  UpdateRegistryBody,
  type RegistryOperations,
} from '../contract/registries';
import { PageQuery } from '../contract/schemas';
import type { RegistriesService } from '../registries/service';
import { arg, type ArgSpec } from './validate';

const name = arg('name', RegistryNameParam);
const saveOptions = arg('options', SaveRegistryOptions, () => ({}));
const empty = () => ({});

/** Argument list of each operation, in the order RegistryOperations declares them. */
export const REGISTRY_ARGS: Readonly<Record<keyof RegistryOperations, readonly ArgSpec[]>> = {
  listRegistries: [arg('query', PageQuery, empty)],
  getRegistry: [name],
  createRegistry: [arg('input', CreateRegistryBody), saveOptions],
  updateRegistry: [name, arg('patch', UpdateRegistryBody), saveOptions],
  deleteRegistry: [name],
  checkRegistry: [name],
  listRegistryRepositories: [name, arg('query', RepositoriesQuery, empty)],
  listRegistryTags: [name, arg('query', RegistryTagsQuery)],
  getRegistryManifest: [name, arg('query', ManifestQuery)],
  getRegistryDigestTags: [name, arg('query', ManifestQuery)],
  deleteRegistryManifest: [name, arg('query', DeleteManifestQuery)],
};

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

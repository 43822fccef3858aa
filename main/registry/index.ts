/** The registry: rules over the store. The composition root and tests import from here; adapters use RegistryService. */
export { createRegistry, Registry } from './registry';
export type { RegistryOptions } from './registry';
export type { RegistryService } from './service';

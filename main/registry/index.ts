/** The registry: rules over the store. Adapters (HTTP, IPC) import from here. */
export { createRegistry, Registry, DEFAULT_LOGO, DEFAULT_LOGO_FILE } from './registry';
export type { RegistryOptions } from './registry';
export type { RegistryService } from './service';
export { ANONYMOUS, TOKEN_HOLDER } from './service';
export {
  MESSAGES,
  assertValid,
  normalizeImageId,
  validateDescription,
  validateFullDescription,
  validateImageId,
  validateIsPublic,
  validateNamespace,
  validateRepoName,
  validateTag,
} from '../contract/names';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging';

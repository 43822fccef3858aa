/** The OCI distribution client, registry credentials and connections (plain Node; see docs/registries.md). */
export { RegistryClient, USER_AGENT, type RegistryClientOptions } from './client';
export type { Credentials, CredentialSource } from './auth';
export {
  DOCKER_HUB,
  DOCKER_HUB_CREDENTIAL_KEY,
  resolveEndpoint,
  repositoryPath,
  isDigest,
  checkReference,
  type RegistryEndpoint,
  type RegistryKind,
  type DockerHubHosts,
} from './endpoint';
export type { Page } from './paging';
export type { PageRequest } from './listing';
export type { ConfigSummary, FetchedManifest, ManifestHead } from './manifests';
export type { ManifestSummary, PlatformSummary, LayerSummary, ImageDetails } from './summary';
export { ConfigCache } from './summary';
export { ENABLE_DELETES } from './operations';
export { parseChallenges, type Challenge } from './challenge';
export { CredentialsFile, PLAIN_CODEC, CREDENTIALS_FILE, type SecretCodec } from './credentials/credentials-file';
export { dockerCredentials, dockerConfigPath, type DockerConfigOptions } from './credentials/docker-config';
export { RegistryConnections, MAX_REGISTRIES, type ConnectionsOptions, type ConnectionsFile, type RegistryRecord } from './connections';
export type { ClientSettings } from './client-pools';
export { pullRef } from './browse';
export { transferPort } from './transfer';

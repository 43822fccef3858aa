/** The manifest and config media types Berth reads. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_SCHEMA1 = /^application\/vnd\.docker\.distribution\.manifest\.v1\+(prettyjws|json)$/;

export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';

/** Every manifest form Berth understands, so the registry never downgrades to schema 1. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(', ');

export const IMAGE_MANIFESTS = new Set([OCI_MANIFEST, DOCKER_MANIFEST]);
export const INDEX_MANIFESTS = new Set([OCI_INDEX, DOCKER_MANIFEST_LIST]);
export const IMAGE_CONFIGS = new Set([OCI_CONFIG, DOCKER_CONFIG]);

/**
 * What a registry connection is made of, apart from the service that keeps them
 * (connections.ts): the saved record, where it is saved, how it is answered, and the small rules
 * around them.
 */
import { randomBytes } from 'node:crypto';
import { BerthError } from '../contract/errors';
import type { RegistryStatus, RegistryView } from '../contract/types';
import type { RegistryClient } from './client';
import type { ClientSettings } from './client-pools';
import type { Connection } from './connection-rules';
import type { CredentialsFile } from './credentials/credentials-file';
import type { DockerConfigOptions } from './credentials/docker-config';

/** A connection as saved: its view without the credentials, which live in credentials.json. */
export type RegistryRecord = Omit<RegistryView, 'username' | 'has_password'>;

/**
 * Where the connections are saved: registries.json, which main/store keeps (RegistriesFile; the
 * composition root hands it over). A write is durable when it resolves and changes nothing when
 * it rejects.
 */
export interface ConnectionsFile {
  records(): readonly RegistryRecord[];
  write: (records: readonly RegistryRecord[]) => Promise<void>;
}

export interface ConnectionsOptions {
  file: ConnectionsFile;
  credentials: CredentialsFile;
  client?: ClientSettings;
  dockerConfig?: DockerConfigOptions;
  now?: () => Date;
  /** Runs before a registry is forgotten: where local repos linked to it will be unlinked. */
  beforeDelete?: (name: string) => Promise<void>;
}

/** A bound on what a client can make Berth keep: far above any real setup. */
export const MAX_REGISTRIES = 1000;

export const UNCHECKED: RegistryStatus = { ok: null, checked_at: null, detail: 'Not checked yet: saved without a check.' };

/** Failures that say the registry cannot be reached at all (its status turns red). */
export const UNREACHABLE = new Set(['registry_unreachable', 'registry_timeout']);

export function registryNotFound(name: string): BerthError {
  return BerthError.notFound(`There is no registry named ${JSON.stringify(name)}.`);
}

export function connectionOf(record: RegistryRecord, credentials: CredentialsFile): Connection {
  const username = record.use_docker_config ? null : credentials.username(record.name) || null;
  return {
    url: record.url,
    kind: record.kind,
    insecure: record.insecure,
    auto_import: record.auto_import,
    use_docker_config: record.use_docker_config,
    ca_pem: record.ca_pem,
    username,
  };
}

/** A connection as answered: the record, its username and whether a password is saved (never the password). */
export function registryView(record: RegistryRecord, credentials: CredentialsFile): RegistryView {
  const { username } = connectionOf(record, credentials);
  return {
    name: record.name,
    url: record.url,
    kind: record.kind,
    username,
    has_password: !record.use_docker_config && credentials.hasPassword(record.name),
    insecure: record.insecure,
    auto_import: record.auto_import,
    use_docker_config: record.use_docker_config,
    ca_pem: record.ca_pem,
    created_at: record.created_at,
    updated_at: record.updated_at,
    status: { ...record.status },
  };
}

/** Writes registries.json; when that fails, the credentials go back to what they were. */
export async function writeOrUndo(
  options: Pick<ConnectionsOptions, 'file' | 'credentials'>,
  records: RegistryRecord[],
  credentialsBefore: ReturnType<CredentialsFile['snapshot']>,
): Promise<void> {
  try {
    await options.file.write(records);
  } catch (err) {
    await options.credentials.restore(credentialsBefore).catch((undoError: unknown) => {
      console.error(
        `Berth: the credentials of registry ${credentialsBefore.name} could not be put back:`,
        undoError instanceof Error ? undoError.message : undoError,
      );
    });
    throw err;
  }
}

export function newEventsSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function connectedDetail(client: RegistryClient, connection: Connection): string {
  const as = connection.use_docker_config
    ? " with Docker's credentials"
    : connection.username
      ? ` as ${connection.username}`
      : ' anonymously';
  return `Connected to ${client.endpoint.label}${as}.`;
}

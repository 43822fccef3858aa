/**
 * Registry connections in an export and an import (docs/portability.md): a connection travels as
 * its name, address and settings, never its password, token or events secret. What an import
 * does is planned here (pure), then saved by RegistryConnections: the credentials first, then
 * registries.json in one write.
 */
import { isBerthError, type FieldErrors } from '../contract/errors';
import type { ExportedRegistry, ImportMode } from '../contract/portability';
import type { RegistryStatus } from '../contract/types';
import { checkNewConnection, type Connection } from './connection-rules';
import type { CredentialsFile } from './credentials/credentials-file';
import type { DockerHubHosts } from './endpoint';

/** What an import did to the connections (the shape main/registry/portability expects). */
export interface RegistriesImport {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  conflicts: { registry: string; detail: string }[];
}

/** A connection as saved (registries.json); its credentials are apart. */
export interface SavedConnection {
  name: string;
  url: string;
  kind: Connection['kind'];
  insecure: boolean;
  auto_import: boolean;
  use_docker_config: boolean;
  ca_pem: string | null;
  created_at: string;
  updated_at: string;
  status: RegistryStatus;
}

export const IMPORTED_STATUS: RegistryStatus = { ok: null, checked_at: null, detail: 'Not checked yet: imported from an export.' };

export function exportedConnection(record: SavedConnection, username: string | null): ExportedRegistry {
  return {
    name: record.name,
    url: record.url,
    kind: record.kind,
    username: record.use_docker_config ? null : username || null,
    insecure: record.insecure,
    auto_import: record.auto_import,
    use_docker_config: record.use_docker_config,
    ca_pem: record.ca_pem,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

/** The connection an item describes, checked by the rules of POST /v1/registries (no password). */
function connectionOf(item: ExportedRegistry, dockerHub?: Partial<DockerHubHosts>): Connection {
  const { connection } = checkNewConnection(
    {
      name: item.name,
      url: item.url,
      ...(item.username !== undefined ? { username: item.username } : {}),
      ...(item.insecure !== undefined ? { insecure: item.insecure } : {}),
      ...(item.auto_import !== undefined ? { auto_import: item.auto_import } : {}),
      ...(item.use_docker_config !== undefined ? { use_docker_config: item.use_docker_config } : {}),
      ...(item.ca_pem !== undefined ? { ca_pem: item.ca_pem } : {}),
    },
    dockerHub,
  );
  return connection;
}

/** An item's problems by field; null when it can be imported. */
export function checkImportedConnection(item: ExportedRegistry, dockerHub?: Partial<DockerHubHosts>): FieldErrors | null {
  let connection: Connection;
  try {
    connection = connectionOf(item, dockerHub);
  } catch (err) {
    if (isBerthError(err) && err.errors) return err.errors;
    throw err;
  }
  if (item.kind !== undefined && item.kind !== connection.kind) {
    return { kind: [`Must be ${connection.kind}, as the url says.`] };
  }
  return null;
}

/** What an import changes, connection by connection. */
export interface ImportPlan {
  /** registries.json afterwards. */
  records: SavedConnection[];
  created: { record: SavedConnection; username: string | null }[];
  /** keepCredentials: same address and username, so the saved password stays. */
  updated: { record: SavedConnection; username: string | null; keepCredentials: boolean }[];
  deleted: string[];
  unchanged: number;
  conflicts: { registry: string; detail: string }[];
}

const sameReach = (a: Connection, b: Connection) => a.url === b.url && a.kind === b.kind && a.username === b.username;

const sameSettings = (a: Connection, b: Connection) =>
  sameReach(a, b) &&
  a.insecure === b.insecure &&
  a.auto_import === b.auto_import &&
  a.use_docker_config === b.use_docker_config &&
  a.ca_pem === b.ca_pem;

export function planImport(
  saved: ReadonlyMap<string, { record: SavedConnection; connection: Connection }>,
  items: readonly ExportedRegistry[],
  options: { mode: ImportMode; now: string; max: number; dockerHub?: Partial<DockerHubHosts> },
): ImportPlan {
  const plan: ImportPlan = { records: [], created: [], updated: [], deleted: [], unchanged: 0, conflicts: [] };
  const next = new Map<string, SavedConnection>();
  if (options.mode === 'merge') for (const [name, { record }] of saved) next.set(name, record);
  const named = new Set(items.map((item) => item.name));
  if (options.mode === 'replace') for (const name of saved.keys()) if (!named.has(name)) plan.deleted.push(name);
  for (const item of items) {
    const connection = connectionOf(item, options.dockerHub);
    const local = saved.get(item.name);
    const record: SavedConnection = {
      name: item.name,
      url: connection.url,
      kind: connection.kind,
      insecure: connection.insecure,
      auto_import: connection.auto_import,
      use_docker_config: connection.use_docker_config,
      ca_pem: connection.ca_pem,
      created_at: item.created_at ?? options.now,
      updated_at: item.updated_at ?? options.now,
      status: IMPORTED_STATUS,
    };
    if (local && sameSettings(local.connection, connection)) {
      plan.unchanged++;
      next.set(item.name, local.record);
    } else if (local && options.mode === 'merge') {
      plan.conflicts.push({
        registry: item.name,
        detail: 'Kept the local connection: a registry of that name exists with other settings.',
      });
    } else if (local) {
      const keepCredentials = sameReach(local.connection, connection);
      const kept = keepCredentials ? { ...record, created_at: local.record.created_at, status: local.record.status } : record;
      plan.updated.push({ record: kept, username: connection.username, keepCredentials });
      next.set(item.name, kept);
    } else if (next.size >= options.max) {
      plan.conflicts.push({ registry: item.name, detail: `Not added: Berth keeps at most ${options.max} registries.` });
    } else {
      plan.created.push({ record, username: connection.username });
      next.set(item.name, record);
    }
  }
  plan.records = [...next.values()];
  return plan;
}

/**
 * Saves a plan: credentials first (removed, then new ones without a password, then changed
 * usernames), then registries.json in one write. When a step fails, the credentials go back to
 * what they were and nothing of the plan is kept.
 */
export async function saveImport(
  plan: ImportPlan,
  to: {
    credentials: CredentialsFile;
    file: { write: (records: readonly SavedConnection[]) => Promise<void> };
    beforeDelete?: ((name: string) => Promise<void>) | undefined;
  },
  newEventsSecret: () => string,
): Promise<void> {
  const { credentials } = to;
  const touched = [...plan.created.map((c) => c.record.name), ...plan.updated.map((u) => u.record.name), ...plan.deleted];
  const before = touched.map((name) => credentials.snapshot(name));
  try {
    for (const name of plan.deleted) await to.beforeDelete?.(name);
    for (const name of plan.deleted) await credentials.delete(name);
    for (const { record, username } of plan.created) {
      await credentials.set(record.name, { username: username ?? '', password: null, eventsSecret: newEventsSecret() });
    }
    for (const { record, username, keepCredentials } of plan.updated) {
      if (!keepCredentials) await credentials.set(record.name, { username: username ?? '', password: null });
    }
    await to.file.write(plan.records);
  } catch (err) {
    for (const snapshot of before.reverse()) await credentials.restore(snapshot).catch(() => undefined);
    throw err;
  }
}

/** The connections as an export and an import use them (main/registry's RegistriesPort). */
export function transferPort(connections: {
  exportable(): ExportedRegistry[];
  checkImported(item: ExportedRegistry): FieldErrors | null;
  importAll(
    items: readonly ExportedRegistry[],
    options: { mode: ImportMode; dryRun: boolean },
  ): Promise<{ created: number; updated: number; unchanged: number; deleted: number; conflicts: { registry: string; detail: string }[] }>;
}) {
  return {
    exportable: () => connections.exportable(),
    check: (item: ExportedRegistry) => connections.checkImported(item),
    importAll: (items: readonly ExportedRegistry[], options: { mode: ImportMode; dryRun: boolean }) =>
      connections.importAll(items, options),
  };
}

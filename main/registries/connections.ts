/**
 * The registry connections: saved in registries.json (by main/store), their secrets in credentials.json,
 * one client per registry (client-pools.ts).
 * Saves run one at a time; a check (GET /v2/) runs before a save, outside that queue, and a save
 * whose registry changed meanwhile is refused rather than merged blindly.
 */
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { BerthError, isBerthError } from '../contract/errors';
import { isValidRegistryName } from '../contract/names';
import { pageWindow } from '../contract/paging';
import type { RegistriesService } from '../contract/registries';
import type {
  CreateRegistryInput,
  Page,
  PageQuery,
  RegistryChangeEvent,
  RegistryStatus,
  RegistryView,
  SaveRegistryOptions,
  UpdateRegistryInput,
} from '../contract/types';
import * as browse from './browse';
import type { RegistryClient } from './client';
import { ClientPools, type ClientSettings } from './client-pools';
import { checkNewConnection, checkUpdatedConnection, type CheckedConnection, type Connection, reachChanged } from './connection-rules';
import type { CredentialsFile } from './credentials/credentials-file';
import type { DockerConfigOptions } from './credentials/docker-config';
import { resolveEndpoint } from './endpoint';

export type { ClientSettings };

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

const UNCHECKED: RegistryStatus = { ok: null, checked_at: null, detail: 'Not checked yet: saved without a check.' };

/** Failures that say the registry cannot be reached at all (its status turns red). */
const UNREACHABLE = new Set(['registry_unreachable', 'registry_timeout']);

function notFound(name: string): BerthError {
  return BerthError.notFound(`There is no registry named ${JSON.stringify(name)}.`);
}

export class RegistryConnections implements RegistriesService {
  private readonly records = new Map<string, RegistryRecord>();
  private readonly pools: ClientPools;
  private readonly listeners = new Set<(event: RegistryChangeEvent) => void>();
  private readonly oneSaveAtATime = pLimit(1);

  constructor(private readonly options: ConnectionsOptions) {
    this.pools = new ClientPools(options.credentials, options.client, options.dockerConfig);
    for (const record of options.file.records()) this.records.set(record.name, record);
  }

  // ---- connections ---------------------------------------------------------------------------

  async list(query: PageQuery): Promise<Page<RegistryView>> {
    const all = [...this.records.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const window = pageWindow(all.length, query);
    return {
      count: all.length,
      page: window.page,
      page_size: window.page_size,
      num_pages: window.num_pages,
      results: all.slice(window.start, window.end).map((r) => this.view(r)),
    };
  }

  async get(name: string): Promise<RegistryView> {
    return this.view(this.record(name));
  }

  async create(input: CreateRegistryInput, options: SaveRegistryOptions = {}): Promise<RegistryView> {
    const checked = checkNewConnection(input, this.options.client?.dockerHub);
    const { name } = input;
    this.checkRoomFor(name);
    const status = options.verify === false ? UNCHECKED : await this.verify(checked, name);
    return this.oneSaveAtATime(async () => {
      this.checkRoomFor(name);
      const now = this.now();
      const { connection } = checked;
      const record: RegistryRecord = {
        name,
        url: connection.url,
        kind: connection.kind,
        insecure: connection.insecure,
        auto_import: connection.auto_import,
        use_docker_config: connection.use_docker_config,
        ca_pem: connection.ca_pem,
        created_at: now,
        updated_at: now,
        status,
      };
      const before = this.options.credentials.snapshot(name);
      await this.options.credentials.set(name, {
        username: connection.username ?? '',
        password: checked.password.kind === 'set' ? checked.password.password : null,
        eventsSecret: newEventsSecret(),
      });
      await this.writeOrUndo([...this.records.values(), record], before);
      this.records.set(name, record);
      this.emit('created', name);
      return this.view(record);
    });
  }

  async update(name: string, patch: UpdateRegistryInput, options: SaveRegistryOptions = {}): Promise<RegistryView> {
    const saved = this.record(name);
    const current = this.connectionOf(saved);
    const checked = checkUpdatedConnection(current, this.options.credentials.hasPassword(name), patch, this.options.client?.dockerHub);
    const next = checked.connection;
    const reach = reachChanged(current, next, checked.password);
    if (!reach && next.auto_import === current.auto_import) return this.view(saved);
    const status = !reach ? saved.status : options.verify === false ? UNCHECKED : await this.verify(checked, name);
    return this.oneSaveAtATime(async () => {
      const latest = this.records.get(name);
      if (!latest) throw notFound(name);
      if (latest.updated_at !== saved.updated_at) {
        throw BerthError.conflict(`Registry ${name} was changed by someone else while this change was being checked; try again.`);
      }
      const record: RegistryRecord = {
        ...latest,
        url: next.url,
        kind: next.kind,
        insecure: next.insecure,
        auto_import: next.auto_import,
        use_docker_config: next.use_docker_config,
        ca_pem: next.ca_pem,
        updated_at: this.now(),
        status,
      };
      const before = this.options.credentials.snapshot(name);
      if (next.username !== current.username || checked.password.kind !== 'keep') {
        const password =
          checked.password.kind === 'set' ? checked.password.password : checked.password.kind === 'remove' ? null : undefined;
        await this.options.credentials.set(name, { username: next.username ?? '', password });
      }
      await this.writeOrUndo(this.withRecord(record), before);
      this.records.set(name, record);
      if (reach) this.pools.retire(name);
      this.emit('updated', name);
      return this.view(record);
    });
  }

  delete(name: string): Promise<void> {
    return this.oneSaveAtATime(async () => {
      this.record(name);
      await this.options.beforeDelete?.(name);
      const before = this.options.credentials.snapshot(name);
      await this.options.credentials.delete(name);
      await this.writeOrUndo(
        [...this.records.values()].filter((r) => r.name !== name),
        before,
      );
      this.records.delete(name);
      this.pools.retire(name);
      this.emit('deleted', name);
    });
  }

  async check(name: string): Promise<RegistryView> {
    const record = this.record(name);
    const connection = this.connectionOf(record);
    const pool = this.acquire(name);
    let status: RegistryStatus;
    try {
      await pool.client.ping();
      status = { ok: true, checked_at: this.now(), detail: connectedDetail(pool.client, connection) };
    } catch (err) {
      if (!isBerthError(err)) throw err;
      status = { ok: false, checked_at: this.now(), detail: err.detail };
    } finally {
      this.pools.release(pool);
    }
    await this.saveStatus(name, status);
    return this.view(this.record(name));
  }

  async eventsSecret(name: string): Promise<string> {
    this.record(name);
    const saved = this.options.credentials.eventsSecret(name);
    if (saved) return saved;
    return this.oneSaveAtATime(async () => {
      const secret = newEventsSecret();
      await this.options.credentials.set(name, { username: this.options.credentials.username(name) ?? '', eventsSecret: secret });
      return secret;
    });
  }

  // ---- browsing ------------------------------------------------------------------------------

  repositories(name: string, query: Parameters<RegistriesService['repositories']>[1]) {
    return this.use(name, (client) => browse.repositories(client, query));
  }

  tags(name: string, query: Parameters<RegistriesService['tags']>[1]) {
    return this.use(name, (client) => browse.tags(client, query));
  }

  manifest(name: string, query: Parameters<RegistriesService['manifest']>[1]) {
    return this.use(name, (client) => browse.manifest(client, query));
  }

  digestTags(name: string, query: Parameters<RegistriesService['digestTags']>[1]) {
    return this.use(name, (client) => browse.digestTags(client, query));
  }

  async deleteManifest(name: string, query: Parameters<RegistriesService['deleteManifest']>[1]): Promise<void> {
    await this.use(name, (client) => browse.deleteManifest(client, query));
  }

  /**
   * Runs requests of a sync or an import on the registry's client (what they say about reaching
   * the registry becomes its status, as browsing's do).
   */
  withClient<T>(name: string, run: (client: RegistryClient) => Promise<T>): Promise<T> {
    return this.use(name, run);
  }

  /** What `docker pull` takes for a repository of this registry: host[:port]/repository (Hub: docker.io/…). */
  pullRef(name: string, repository: string): string {
    const record = this.record(name);
    return browse.pullRef(
      resolveEndpoint(record.url, {
        insecure: record.insecure,
        ...(this.options.client?.dockerHub ? { dockerHub: this.options.client.dockerHub } : {}),
      }),
      repository,
    );
  }

  // ---- events and shutdown -------------------------------------------------------------------

  onChange(listener: (event: RegistryChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  close(): Promise<void> {
    return this.pools.closeAll();
  }

  /** Never the secrets (nor the records), should this object reach a log or an answer. */
  toJSON(): { registries: string[] } {
    return { registries: [...this.records.keys()] };
  }

  // ---- helpers -------------------------------------------------------------------------------

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  private record(name: string): RegistryRecord {
    const record = isValidRegistryName(name) ? this.records.get(name) : undefined;
    if (!record) throw notFound(name);
    return record;
  }

  private checkRoomFor(name: string): void {
    if (this.records.has(name)) throw BerthError.conflict(`A registry named ${name} already exists.`);
    if (this.records.size >= MAX_REGISTRIES)
      throw BerthError.validation({ name: [`Berth keeps at most ${MAX_REGISTRIES} registries: remove one first.`] });
  }

  private connectionOf(record: RegistryRecord): Connection {
    const username = record.use_docker_config ? null : this.options.credentials.username(record.name) || null;
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

  private view(record: RegistryRecord): RegistryView {
    const { username } = this.connectionOf(record);
    return {
      name: record.name,
      url: record.url,
      kind: record.kind,
      username,
      has_password: !record.use_docker_config && this.options.credentials.hasPassword(record.name),
      insecure: record.insecure,
      auto_import: record.auto_import,
      use_docker_config: record.use_docker_config,
      ca_pem: record.ca_pem,
      created_at: record.created_at,
      updated_at: record.updated_at,
      status: { ...record.status },
    };
  }

  private withRecord(record: RegistryRecord): RegistryRecord[] {
    return [...this.records.values()].map((r) => (r.name === record.name ? record : r));
  }

  /** Writes registries.json; when that fails, the credentials go back to what they were. */
  private async writeOrUndo(records: RegistryRecord[], credentialsBefore: ReturnType<CredentialsFile['snapshot']>): Promise<void> {
    try {
      await this.options.file.write(records);
    } catch (err) {
      await this.options.credentials.restore(credentialsBefore).catch((undoError: unknown) => {
        console.error(
          `Berth: the credentials of registry ${credentialsBefore.name} could not be put back:`,
          undoError instanceof Error ? undoError.message : undoError,
        );
      });
      throw err;
    }
  }

  /** GET /v2/ with the connection as it would be saved; its failure is the save's error. */
  private async verify(checked: CheckedConnection, name: string): Promise<RegistryStatus> {
    const client = this.pools.newClient(name, checked.connection, checked.password);
    try {
      await client.ping();
      return { ok: true, checked_at: this.now(), detail: connectedDetail(client, checked.connection) };
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /** Runs a request on the registry's pool; what it says about reaching the registry becomes its status. */
  private async use<T>(name: string, run: (client: RegistryClient) => Promise<T>): Promise<T> {
    const pool = this.acquire(name);
    try {
      const result = await run(pool.client);
      if (!pool.retired && this.records.get(name)?.status.ok !== true) {
        this.noteStatus(name, {
          ok: true,
          checked_at: this.now(),
          detail: connectedDetail(pool.client, this.connectionOf(this.record(name))),
        });
      }
      return result;
    } catch (err) {
      if (!pool.retired && isBerthError(err) && UNREACHABLE.has(err.code))
        this.noteStatus(name, { ok: false, checked_at: this.now(), detail: err.detail });
      throw err;
    } finally {
      this.pools.release(pool);
    }
  }

  private acquire(name: string) {
    const record = this.record(name);
    return this.pools.acquire(name, () => this.connectionOf(record));
  }

  /** A status learnt on the way is saved in the background; failing to save it fails nothing else. */
  private noteStatus(name: string, status: RegistryStatus): void {
    this.saveStatus(name, status, { onlyIfChanged: true }).catch((err: unknown) => {
      console.error(`Berth: the status of registry ${name} could not be saved:`, isBerthError(err) ? err.detail : err);
    });
  }

  private saveStatus(name: string, status: RegistryStatus, options: { onlyIfChanged?: boolean } = {}): Promise<void> {
    return this.oneSaveAtATime(async () => {
      const latest = this.records.get(name);
      if (!latest) return;
      if (options.onlyIfChanged && latest.status.ok === status.ok && latest.status.detail === status.detail) return;
      const record = { ...latest, status };
      await this.options.file.write(this.withRecord(record));
      this.records.set(name, record);
      this.emit('updated', name, { statusOnly: true });
    });
  }

  private emit(action: RegistryChangeEvent['action'], registry: string, options: { statusOnly?: boolean } = {}): void {
    const event: RegistryChangeEvent = {
      entity: 'registry',
      action,
      registry,
      ...(options.statusOnly ? { status_only: true as const } : {}),
    };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        console.error('Berth: a registry change listener failed:', err);
      }
    }
  }
}

function newEventsSecret(): string {
  return randomBytes(32).toString('base64url');
}

function connectedDetail(client: RegistryClient, connection: Connection): string {
  const as = connection.use_docker_config
    ? " with Docker's credentials"
    : connection.username
      ? ` as ${connection.username}`
      : ' anonymously';
  return `Connected to ${client.endpoint.label}${as}.`;
}

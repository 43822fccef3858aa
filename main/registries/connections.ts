/**
 * The registry connections: saved in registries.json (by main/store), their secrets in credentials.json,
 * one client per registry (client-pools.ts).
 * Saves run one at a time; a check (GET /v2/) runs before a save, outside that queue, and a save
 * whose registry changed meanwhile is refused rather than merged blindly.
 */
import pLimit from 'p-limit';
import { BerthError, isBerthError, type FieldErrors } from '../contract/errors';
import { isValidRegistryName } from '../contract/names';
import { pageWindow } from '../contract/paging';
import type { ExportedRegistry, ImportMode } from '../contract/portability';
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
import { checkNewConnection, checkUpdatedConnection, type CheckedConnection, reachChanged } from './connection-rules';
import { checkImportedConnection, exportedConnection, planImport, saveImport, type RegistriesImport } from './transfer';
import { resolveEndpoint } from './endpoint';
import {
  MAX_REGISTRIES,
  UNCHECKED,
  UNREACHABLE,
  connectedDetail,
  connectionOf,
  newEventsSecret,
  registryNotFound,
  registryView,
  writeOrUndo,
  type ConnectionsOptions,
  type RegistryRecord,
} from './connection-records';

export { MAX_REGISTRIES, type ConnectionsFile, type ConnectionsOptions, type RegistryRecord } from './connection-records';
export type { ClientSettings };

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
      results: all.slice(window.start, window.end).map((r) => registryView(r, this.options.credentials)),
    };
  }

  async get(name: string): Promise<RegistryView> {
    return registryView(this.record(name), this.options.credentials);
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
      await writeOrUndo(this.options, [...this.records.values(), record], before);
      this.records.set(name, record);
      this.emit('created', name);
      return registryView(record, this.options.credentials);
    });
  }

  async update(name: string, patch: UpdateRegistryInput, options: SaveRegistryOptions = {}): Promise<RegistryView> {
    const saved = this.record(name);
    const current = connectionOf(saved, this.options.credentials);
    const checked = checkUpdatedConnection(current, this.options.credentials.hasPassword(name), patch, this.options.client?.dockerHub);
    const next = checked.connection;
    const reach = reachChanged(current, next, checked.password);
    if (!reach && next.auto_import === current.auto_import) return registryView(saved, this.options.credentials);
    const status = !reach ? saved.status : options.verify === false ? UNCHECKED : await this.verify(checked, name);
    return this.oneSaveAtATime(async () => {
      const latest = this.records.get(name);
      if (!latest) throw registryNotFound(name);
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
      await writeOrUndo(this.options, this.withRecord(record), before);
      this.records.set(name, record);
      if (reach) this.pools.retire(name);
      this.emit('updated', name);
      return registryView(record, this.options.credentials);
    });
  }

  delete(name: string): Promise<void> {
    return this.oneSaveAtATime(async () => {
      this.record(name);
      await this.options.beforeDelete?.(name);
      const before = this.options.credentials.snapshot(name);
      await this.options.credentials.delete(name);
      await writeOrUndo(
        this.options,
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
    const connection = connectionOf(record, this.options.credentials);
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
    return registryView(this.record(name), this.options.credentials);
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

  // ---- export and import (./transfer) -------------------------------------------------------

  /** Every connection as an export carries it, by name: settings only, never a secret. */
  exportable(): ExportedRegistry[] {
    return [...this.records.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((record) => exportedConnection(record, this.options.credentials.username(record.name)));
  }

  checkImported(item: ExportedRegistry): FieldErrors | null {
    return checkImportedConnection(item, this.options.client?.dockerHub);
  }

  /** An import's connections (see RegistriesPort in main/registry/portability): credentials first, then registries.json. */
  importAll(items: readonly ExportedRegistry[], options: { mode: ImportMode; dryRun: boolean }): Promise<RegistriesImport> {
    return this.oneSaveAtATime(async () => {
      const saved = new Map(
        [...this.records].map(([name, record]) => [name, { record, connection: connectionOf(record, this.options.credentials) }]),
      );
      const plan = planImport(saved, items, {
        mode: options.mode,
        now: this.now(),
        max: MAX_REGISTRIES,
        ...(this.options.client?.dockerHub ? { dockerHub: this.options.client.dockerHub } : {}),
      });
      const result: RegistriesImport = {
        created: plan.created.length,
        updated: plan.updated.length,
        unchanged: plan.unchanged,
        deleted: plan.deleted.length,
        conflicts: plan.conflicts,
      };
      if (options.dryRun) return result;
      await saveImport(
        plan,
        { credentials: this.options.credentials, file: this.options.file, beforeDelete: this.options.beforeDelete },
        newEventsSecret,
      );
      this.records.clear();
      for (const record of plan.records) this.records.set(record.name, record);
      for (const name of plan.deleted) this.pools.retire(name);
      for (const { record } of plan.updated) this.pools.retire(record.name);
      for (const name of plan.deleted) this.emit('deleted', name);
      for (const { record } of plan.created) this.emit('created', record.name);
      for (const { record } of plan.updated) this.emit('updated', record.name);
      return result;
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
    if (!record) throw registryNotFound(name);
    return record;
  }

  private checkRoomFor(name: string): void {
    if (this.records.has(name)) throw BerthError.conflict(`A registry named ${name} already exists.`);
    if (this.records.size >= MAX_REGISTRIES)
      throw BerthError.validation({ name: [`Berth keeps at most ${MAX_REGISTRIES} registries: remove one first.`] });
  }

  private withRecord(record: RegistryRecord): RegistryRecord[] {
    return [...this.records.values()].map((r) => (r.name === record.name ? record : r));
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
          detail: connectedDetail(pool.client, connectionOf(this.record(name), this.options.credentials)),
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
    return this.pools.acquire(name, () => connectionOf(record, this.options.credentials));
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

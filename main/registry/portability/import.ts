/**
 * Importing an export document (docs/portability.md), in two stages:
 * 1. Read: the document streams through ./reader; each item is checked (./items) and decided
 *    against the local catalogue (./rules), and what will be written is staged on disk (the
 *    store's staging folder), never held in memory. A document with any problem is refused
 *    whole (400) before anything changes; a dry run stops here and stages nothing.
 * 2. Apply: a replace swaps the staged catalogue in at once (all or nothing, even across a
 *    crash); a merge moves namespaces that are new in whole and writes the other repos through
 *    ordinary store writes, deciding each again against the repo as it is then. Then the
 *    registry connections (./registries), in one write of their own.
 * Every repo and tag an import creates, changes or (replace) removes is recorded in the history
 * as made by `import` (./history); removed repos go to the trash.
 */
import { BerthError, type FieldErrors } from '../../contract/errors';
import { EXPORT_FORMAT, EXPORT_VERSION, type ImportConflict, type ImportMode, type ImportResult } from '../../contract/portability';
import type { ChangeEvent } from '../../contract/types';
import type { ExportedRegistry } from '../../contract/portability';
import type { ImportStaging, NamespaceRecord, RepoRecord, Store } from '../../store';
import { plusDays, TRASH_DAYS } from '../core';
import { importEntries, removalEntry } from './history';
import { importedNamespace, importedRepo, isIsoTime, TIME_MESSAGE } from './items';
import { readDocument, type DocumentEvent, type ListName } from './reader';
import { importedRegistry, NO_REGISTRIES_CHANGED, type RegistriesPort } from './registries';
import { mergeDecision, replaceDecision, type Decision } from './rules';

export interface ImportRun {
  mode: ImportMode;
  dryRun: boolean;
  /** The import's time: of its history entries and of the removed repos' deletion. */
  at: string;
  registries?: RegistriesPort;
  onProgress?: (progress: { phase: 'reading' | 'applying'; repos: number; bytes: number }) => void;
}

export interface ImportOutcome {
  result: ImportResult;
  /** One per namespace the import changed, for the change listeners. */
  events: ChangeEvent[];
}

/** Problems named before reading stops: enough to fix a document, not a second copy of it. */
const MAX_PROBLEMS = 20;
/** Repos per store write when a merge writes into an existing namespace. */
const APPLY_BATCH = 200;

class Tally {
  created = 0;
  updated = 0;
  unchanged = 0;
  deleted = 0;
  readonly conflicts: ImportConflict[] = [];

  count(ns: string, repo: string, decision: Decision): void {
    if (decision.kind === 'conflict') this.conflicts.push({ repo: `${ns}/${repo}`, detail: decision.detail });
    else this[decision.kind]++;
  }
}

/** What reading found: the document's namespaces, every repo's name, the counts so far. */
class Reading {
  readonly head = new Map<string, unknown>();
  readonly namespaces = new Map<string, NamespaceRecord>();
  readonly repoKeys = new Set<string>();
  /** Namespaces repos name before (or without) the document listing them, and where. */
  readonly named = new Map<string, string>();
  /** A merge's repos to create or update, by namespace: counted once written (dry run: as read). */
  readonly pending = new Map<string, { created: number; updated: number }>();
  readonly tally = new Tally();
  readonly lists = new Set<ListName>();
  readonly registries: ExportedRegistry[] = [];
  readonly registryNames = new Set<string>();
  /** Registries the repos' links name, and the first place each is named. */
  readonly linkedRegistries = new Map<string, string>();
  readonly errors: FieldErrors = {};
  problems = 0;
  repos = 0;

  problem(errors: FieldErrors): void {
    for (const [field, messages] of Object.entries(errors)) {
      if (this.problems >= MAX_PROBLEMS) return;
      this.errors[field] = messages;
      this.problems++;
    }
  }
}

function checkHead(key: string, value: unknown): void {
  if (key === 'format' && value !== EXPORT_FORMAT) {
    throw BerthError.validation(
      { format: [`Must be "${EXPORT_FORMAT}".`] },
      `The document is not a Berth export (format ${JSON.stringify(value)}); nothing was imported.`,
    );
  }
  if (key === 'version' && value !== EXPORT_VERSION) {
    throw BerthError.validation(
      { version: [`This version of Berth reads export version ${EXPORT_VERSION}.`] },
      `Export version ${JSON.stringify(value)} is not supported (this version of Berth reads version ${EXPORT_VERSION}); nothing was imported.`,
    );
  }
}

async function localRepo(store: Store, ns: string, name: string): Promise<RepoRecord | undefined> {
  const state = store.loadedNamespace(ns) ?? (store.namespaceRecord(ns) ? await store.namespace(ns) : undefined);
  return state?.repos.get(name);
}

async function take(store: Store, event: DocumentEvent, reading: Reading, run: ImportRun, staging: ImportStaging | null): Promise<void> {
  if (event.kind === 'field') {
    if (!['format', 'version', 'exported_at'].includes(event.key)) {
      reading.problem({ [event.key]: ['Unknown field: a Berth export does not have it.'] });
      return;
    }
    checkHead(event.key, event.value);
    reading.head.set(event.key, event.value);
    if (event.key === 'exported_at' && !isIsoTime(event.value)) reading.problem({ exported_at: [TIME_MESSAGE] });
    return;
  }
  if (event.kind === 'list') {
    reading.lists.add(event.list);
    return;
  }
  const at = `${event.list}[${event.index}]`;
  if (event.list === 'registries') {
    const checked = importedRegistry(event.value, at, run.registries);
    if (!checked.ok) return reading.problem(checked.errors);
    if (reading.registryNames.has(checked.value.name))
      return reading.problem({ [`${at}.name`]: [`Registry ${checked.value.name} appears twice.`] });
    reading.registryNames.add(checked.value.name);
    reading.registries.push(checked.value);
    return;
  }
  if (event.list === 'namespaces') {
    const checked = importedNamespace(event.value, at);
    if (!checked.ok) return reading.problem(checked.errors);
    const record = checked.value;
    if (reading.namespaces.has(record.namespace))
      return reading.problem({ [`${at}.namespace`]: [`Namespace ${record.namespace} appears twice.`] });
    reading.namespaces.set(record.namespace, record);
    if (staging && (run.mode === 'replace' || !store.namespaceRecord(record.namespace))) staging.writeNamespace(record);
    return;
  }
  const checked = importedRepo(event.value, at);
  if (!checked.ok) return reading.problem(checked.errors);
  const { namespace: ns, record } = checked.value;
  const key = `${ns}/${record.repo_name}`;
  if (reading.repoKeys.has(key)) return reading.problem({ [`${at}.repo_name`]: [`Repository ${key} appears twice.`] });
  reading.repoKeys.add(key);
  if (!reading.namespaces.has(ns) && !reading.named.has(ns)) reading.named.set(ns, at);
  if (record.link && !reading.linkedRegistries.has(record.link.registry))
    reading.linkedRegistries.set(record.link.registry, `${at}.link.registry`);
  reading.repos++;
  const local = await localRepo(store, ns, record.repo_name);
  const decision = (run.mode === 'replace' ? replaceDecision : mergeDecision)(ns, local, record);
  const writes = decision.kind === 'created' || decision.kind === 'updated';
  if (run.mode === 'merge' && writes) {
    const pending = reading.pending.get(ns) ?? { created: 0, updated: 0 };
    pending[decision.kind]++;
    reading.pending.set(ns, pending);
  } else reading.tally.count(ns, record.repo_name, decision);
  if (!staging || reading.problems > 0) return;
  if (run.mode === 'replace') {
    // What the catalogue will hold: the local repo as it is, or the document's copy with the entries of the change.
    if (decision.kind === 'created' || decision.kind === 'updated')
      staging.writeRepo(ns, decision.record, importEntries(local, decision.record, run.at));
    else staging.writeRepo(ns, local ?? record);
  } else if (writes) {
    // A repo of a namespace that is new moves in with its file as staged; the others are decided again when written.
    staging.writeRepo(ns, record, local ? [] : importEntries(undefined, record, run.at));
  }
}

async function read(store: Store, source: AsyncIterable<Buffer | string>, run: ImportRun, staging: ImportStaging | null): Promise<Reading> {
  const reading = new Reading();
  let bytes = 0;
  const onBytes = (n: number) => {
    bytes = n;
    run.onProgress?.({ phase: 'reading', repos: reading.repos, bytes });
  };
  for await (const event of readDocument(source, { onBytes })) {
    await take(store, event, reading, run, staging);
    if (reading.problems >= MAX_PROBLEMS) break;
  }
  if (reading.problems < MAX_PROBLEMS) {
    for (const key of ['format', 'version']) if (!reading.head.has(key)) reading.problem({ [key]: ['This field is required.'] });
    for (const [ns, at] of reading.named) {
      if (!reading.namespaces.has(ns)) reading.problem({ [`${at}.namespace`]: [`Namespace ${ns} is not in the document's namespaces.`] });
    }
    checkLinkedRegistries(reading, run);
  }
  if (reading.problems > 0) {
    const [field, messages] = Object.entries(reading.errors)[0] as [string, string[]];
    const more = reading.problems > 1 ? ` (and ${reading.problems - 1} more${reading.problems >= MAX_PROBLEMS ? ' at least' : ''})` : '';
    throw BerthError.validation(reading.errors, `The document has problems and nothing was imported: ${field}: ${messages[0]}${more}`);
  }
  return reading;
}

/**
 * A link must name a registry connection the catalogue will have: one of the document's, or,
 * unless a replace makes the connections the document's, one of this catalogue's.
 */
function checkLinkedRegistries(reading: Reading, run: ImportRun): void {
  if (reading.linkedRegistries.size === 0) return;
  const keepsLocal = run.mode === 'merge' || !reading.lists.has('registries');
  const local = keepsLocal && run.registries ? run.registries.exportable().map((r) => r.name) : [];
  const known = new Set([...reading.registryNames, ...local]);
  for (const [name, at] of reading.linkedRegistries) {
    if (known.has(name)) continue;
    const why = keepsLocal
      ? `Neither the document nor this catalogue has a registry connection named ${name}`
      : `The document has no registry connection named ${name} (a replace makes the connections the document's)`;
    reading.problem({ [at]: [`${why}: add it to the document's registries, or leave the link out.`] });
  }
}

async function applyReplace(store: Store, staging: ImportStaging, reading: Reading, stagedAt: number): Promise<ChangeEvent[]> {
  const before = new Set(store.namespaceNames());
  await store.replaceCatalogue(staging, [...reading.namespaces.values()], stagedAt);
  const events: ChangeEvent[] = [];
  for (const ns of new Set([...before, ...reading.namespaces.keys()])) {
    const action = !before.has(ns) ? 'created' : reading.namespaces.has(ns) ? 'updated' : 'deleted';
    events.push({ entity: 'namespace', action, namespace: ns });
  }
  return events;
}

/** Writes a merge's staged repos of one namespace that already exists (or appeared meanwhile). */
async function mergeInto(
  store: Store,
  ns: string,
  record: NamespaceRecord,
  repos: RepoRecord[],
  tally: Tally,
  at: string,
): Promise<ChangeEvent | null> {
  let created = false;
  let changed = false;
  let start = 0;
  do {
    const batch = repos.slice(start, start + APPLY_BATCH);
    const decisions = await store.transact(ns, (tx) => {
      if (!tx.getNamespace()) {
        tx.putNamespace(record);
        created = true;
      }
      return batch.map((staged) => {
        // The history the file was staged with is recorded again here, against the repo as it is now.
        const repo = { ...staged, history: [], history_chunks: [] };
        const local = tx.getRepo(repo.repo_name);
        const decision = mergeDecision(ns, local, repo);
        if (decision.kind === 'created' || decision.kind === 'updated')
          tx.putRepo(decision.record, importEntries(local, decision.record, at));
        return decision;
      });
    });
    decisions.forEach((d, n) => {
      if (d.kind === 'created' || d.kind === 'updated') changed = true;
      tally.count(ns, (batch[n] as RepoRecord).repo_name, d);
    });
    start += APPLY_BATCH;
  } while (start < repos.length);
  return created || changed ? { entity: 'namespace', action: created ? 'created' : 'updated', namespace: ns } : null;
}

async function applyMerge(store: Store, staging: ImportStaging, reading: Reading, run: ImportRun): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  const fresh = [...reading.namespaces.values()].filter((r) => staging.hasNamespaceFile(r.namespace));
  const adopted = new Set(await store.adoptNamespaces(staging, fresh));
  let applied = 0;
  for (const ns of adopted) {
    events.push({ entity: 'namespace', action: 'created', namespace: ns });
    const moved = reading.pending.get(ns)?.created ?? 0;
    reading.tally.created += moved;
    applied += moved;
  }
  // The rest is decided again, against each repo as it is when written.
  for (const ns of new Set([...staging.namespaces(), ...fresh.map((r) => r.namespace)])) {
    if (adopted.has(ns)) continue;
    const repos = staging.readRepos(ns);
    const event = await mergeInto(store, ns, reading.namespaces.get(ns) as NamespaceRecord, repos, reading.tally, run.at);
    if (event) events.push(event);
    applied += repos.length;
    run.onProgress?.({ phase: 'applying', repos: applied, bytes: 0 });
  }
  return events;
}

/** Local repos a replace removes (those the document does not have): into the trash, once staged. */
function removedByReplace(store: Store, reading: Reading, run: ImportRun, staging: ImportStaging | null): number {
  let n = 0;
  const when = { deleted_at: run.at, expires_at: plusDays(run.at, TRASH_DAYS) };
  for (const ns of store.namespaceNames()) {
    for (const repo of store.loadedNamespace(ns)?.repos.values() ?? []) {
      if (reading.repoKeys.has(`${ns}/${repo.repo_name}`)) continue;
      n++;
      staging?.writeTrash(ns, repo, when, [removalEntry(run.at)]);
    }
  }
  return n;
}

export async function importDocument(store: Store, source: AsyncIterable<Buffer | string>, run: ImportRun): Promise<ImportOutcome> {
  // Decisions compare with the local catalogue, so all of it is read first.
  await store.loadAll();
  // What a replace's staging is decided against: it is refused if the catalogue changes meanwhile.
  const stagedAt = store.generation;
  const staging = run.dryRun ? null : store.stageImport();
  try {
    const reading = await read(store, source, run, staging);
    const tally = reading.tally;
    if (run.mode === 'replace') tally.deleted = removedByReplace(store, reading, run, staging);
    let events: ChangeEvent[] = [];
    if (run.dryRun || !staging) {
      for (const pending of reading.pending.values()) {
        tally.created += pending.created;
        tally.updated += pending.updated;
      }
    } else {
      events =
        run.mode === 'replace' ? await applyReplace(store, staging, reading, stagedAt) : await applyMerge(store, staging, reading, run);
    }
    // Registries are replaced only by a document that lists them (an empty list removes them all).
    const registries =
      run.registries && (run.mode === 'merge' || reading.lists.has('registries'))
        ? await run.registries.importAll(reading.registries, { mode: run.mode, dryRun: run.dryRun })
        : NO_REGISTRIES_CHANGED;
    const { created, updated, unchanged, deleted } = tally;
    const conflicts = [...tally.conflicts, ...registries.conflicts];
    const { created: rc, updated: ru, unchanged: rn, deleted: rd } = registries;
    const counts = { created: rc, updated: ru, unchanged: rn, deleted: rd };
    return { result: { created, updated, unchanged, deleted, conflicts, registries: counts, mode: run.mode, dry_run: run.dryRun }, events };
  } finally {
    await staging?.discard();
  }
}

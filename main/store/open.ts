/**
 * Opening a data folder, in this order: create it (0700), take its lock, finish a catalogue swap
 * a crash interrupted (./swap), remove temp files a crash left, replay the journal (./replay) and
 * start a new one after it, check the schema (berth.json), and read every namespace.json and every
 * trash file. A file that does not parse is moved aside and
 * reported; the folder's lock is released again if anything else fails.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import { Low } from 'lowdb';
import { CorruptFileError, DurableJsonFile, fsyncDir, readJsonStrict, type DurableContext } from '../files/durable-file';
import { DIR_MODE, errnoOf } from '../files/file-ops';
import type { Catalogue } from './catalogue';
import { isIdFile } from './ids';
import { Journal, type JournalFile } from './journal';
import { NAMESPACE_FILE, type Layout } from './layout';
import { acquireLock, isLiveLockTemp, type DataDirLock } from './lock';
import { migrate, NewerSchemaError, newerDataError, type SchemaPlan } from './migrations';
import { quarantineFile, type ProblemLog } from './quarantine';
import { replayJournal } from './replay';
import { recoverSwap } from './swap';
import { namespaceFile, ShapeError, toMeta, toNamespaceRecord, type MetaFile, type NamespaceFile, type NamespaceRecord } from './records';
import { toTrashRecord } from './trash-records';

/** namespace.json files read at once. */
const READ_CONCURRENCY = 32;
export const NAME_LIKE = /^[a-z0-9][a-z0-9._-]*$/;

export interface OpenDeps {
  ctx: DurableContext;
  layout: Layout;
  plan: SchemaPlan;
  catalogue: Catalogue;
  problems: ProblemLog;
  journalLimitBytes: number;
  /** Called with a batch's files once its journal record is durable (the checkpoint writes them). */
  onDurable: (files: readonly JournalFile[]) => void;
}

export interface OpenedFolder {
  lock: DataDirLock;
  journal: Journal;
  /** What the journal held: records replayed, and bytes of a torn tail ignored. */
  recovery: { records: number; ignoredBytes: number };
}

export async function openDataFolder(deps: OpenDeps): Promise<OpenedFolder> {
  const { ctx, layout, problems } = deps;
  const { ops } = ctx;
  const dataDir = layout.dataDir;
  await ops.mkdir(dataDir, { recursive: true, mode: DIR_MODE });
  // A folder made by an older build, or by hand, is tightened: private repos are in it.
  await ops.chmod(dataDir, DIR_MODE).catch((err: unknown) => {
    const reason = `its permissions could not be limited to this user (${errnoOf(err) ?? String(err)})`;
    problems.add({
      file: '.',
      moved_to: null,
      reason,
      message: `The data folder ${dataDir}: ${reason}; other users of this machine may be able to read it.`,
    });
  });
  await ops.mkdir(layout.tmp, { recursive: true, mode: DIR_MODE });
  const lock = await acquireLock(ops, dataDir, layout.lock, layout.tmp);
  try {
    // Before tmp/ is emptied: a decided swap's new catalogue is staged there.
    await recoverSwap(ctx, layout, problems);
    await cleanTemp(deps);
    for (const dir of [layout.quarantine, layout.namespaces, layout.journal, layout.history, layout.trash]) {
      await ops.mkdir(dir, { recursive: true, mode: DIR_MODE });
    }
    await fsyncDir(ops, dataDir);
    const { journal, recovery } = await replay(deps);
    await checkSchema(deps);
    await readNamespaces(deps);
    await readTrash(deps);
    return { lock, journal, recovery };
  } catch (err) {
    await lock.release().catch(() => undefined);
    throw err;
  }
}

/** Temp files are writes a crash interrupted: never loaded, always removed. */
async function cleanTemp({ ctx: { ops }, layout }: OpenDeps): Promise<void> {
  for (const name of await ops.readdir(layout.tmp)) {
    if (isLiveLockTemp(name)) continue;
    await ops.rm(join(layout.tmp, name), { force: true, recursive: true });
  }
}

/** Replays what the journal holds, then starts a new one after it. */
async function replay(deps: OpenDeps): Promise<Pick<OpenedFolder, 'journal' | 'recovery'>> {
  const { ctx, layout, problems } = deps;
  const replayed = await replayJournal(
    ctx,
    layout,
    (path, reason) => problems.moveAside(path, reason),
    (path, reason, consequence) => quarantineFile(ctx.ops, layout.dataDir, layout.quarantine, path, reason, consequence),
    (problem) => problems.add(problem),
  );
  const journal = new Journal(ctx.ops, layout.journal, ctx.stats, replayed.lastSegment + 1, deps.onDurable, deps.journalLimitBytes);
  await journal.drop(replayed.segments);
  return { journal, recovery: { records: replayed.records, ignoredBytes: replayed.ignoredBytes } };
}

async function checkSchema({ ctx, layout, plan, problems }: OpenDeps): Promise<void> {
  const low = new Low<MetaFile | null>(new DurableJsonFile<MetaFile | null>(ctx, layout.meta), null);
  let meta: MetaFile | null = null;
  try {
    await low.read();
    if (low.data) meta = toMeta(low.data);
  } catch (err) {
    if (!(err instanceof CorruptFileError || err instanceof ShapeError)) throw err;
    await problems.report(layout.meta, err.message, 'A new berth.json was written; the namespaces and repos are unaffected.');
  }
  if (meta && meta.schema_version > plan.version) {
    throw newerDataError(layout.dataDir, meta.schema_version, plan.version);
  }
  if (!meta || meta.schema_version !== plan.version) {
    low.data = { schema_version: plan.version, created_at: meta?.created_at ?? new Date().toISOString() };
    await low.write();
  }
}

async function readNamespaces(deps: OpenDeps): Promise<void> {
  const { ctx, layout, problems, catalogue } = deps;
  const dirents = await ctx.ops.readdir(layout.namespaces, { withFileTypes: true });
  const names: string[] = [];
  for (const d of dirents) {
    if (d.isDirectory() && NAME_LIKE.test(d.name)) names.push(d.name);
    else {
      const file = `namespaces/${d.name}`;
      problems.add({
        file,
        moved_to: null,
        reason: 'not a namespace folder',
        message: `${file} is not a namespace folder; it was left alone and ignored.`,
      });
    }
  }
  await pLimit(READ_CONCURRENCY).map(names, async (ns) => {
    const record = await readNamespaceFile(deps, ns);
    if (record) catalogue.add(record);
  });
}

/** The trash, whole (it holds what was deleted in the last 30 days). A file that does not parse is moved aside. */
async function readTrash(deps: OpenDeps): Promise<void> {
  const { ctx, layout, plan, problems, catalogue } = deps;
  const names = (await ctx.ops.readdir(layout.trash)).filter((name) => isIdFile(name));
  await pLimit(READ_CONCURRENCY).map(names, async (name) => {
    const path = join(layout.trash, name);
    try {
      const raw = await readJsonStrict(ctx.ops, path);
      if (raw === null) return;
      const record = toTrashRecord(migrate(plan, 'trash', path, raw));
      if (`${record.repo.id}.json` !== name) throw new ShapeError(`it holds repo ${record.repo.id} but is called ${name}`);
      catalogue.trash.set(record.repo.id, record);
    } catch (err) {
      if (!(err instanceof CorruptFileError || err instanceof ShapeError || err instanceof NewerSchemaError)) throw err;
      const reason = err instanceof CorruptFileError ? err.reason : err.message;
      await problems.report(path, reason, 'The deleted repo it held is not in the trash.');
    }
  });
}

async function readNamespaceFile(deps: OpenDeps, ns: string): Promise<NamespaceRecord | null> {
  const { ctx, layout, plan, problems } = deps;
  const path = layout.namespaceFile(ns);
  const low = new Low<unknown>(new DurableJsonFile<unknown>(ctx, path), null);
  try {
    await low.read();
    if (low.data !== null) {
      const record = toNamespaceRecord(migrate(plan, 'namespace', path, low.data));
      if (record.namespace !== ns) throw new ShapeError(`it names namespace "${record.namespace}" but sits in folder "${ns}"`);
      return record;
    }
  } catch (err) {
    if (!(err instanceof CorruptFileError || err instanceof ShapeError || err instanceof NewerSchemaError)) throw err;
    const createdAt = await ctx.ops
      .stat(path)
      .then((s) => s.mtime.toISOString())
      .catch(() => new Date().toISOString());
    const reason = err instanceof CorruptFileError ? err.reason : err.message;
    await problems.report(path, reason, `Namespace ${ns} was kept with a new namespace.json; its repos are unaffected.`);
    return rebuildNamespaceFile(deps, ns, createdAt);
  }
  // namespace.json missing: an interrupted create or delete left the folder behind.
  const repoFiles = await ctx.ops.readdir(layout.reposDir(ns)).catch((e: unknown) => {
    if (errnoOf(e) === 'ENOENT') return [] as string[];
    throw e;
  });
  if (repoFiles.length === 0) {
    await ctx.ops.rm(layout.namespaceDir(ns), { recursive: true, force: true });
    return null;
  }
  problems.add({
    file: `namespaces/${ns}/${NAMESPACE_FILE}`,
    moved_to: null,
    reason: 'the file is missing',
    message: `namespaces/${ns}/${NAMESPACE_FILE} was missing although the namespace holds repos; a new one was written.`,
  });
  return rebuildNamespaceFile(deps, ns, new Date().toISOString());
}

async function rebuildNamespaceFile({ ctx, layout }: OpenDeps, ns: string, createdAt: string): Promise<NamespaceRecord> {
  const record: NamespaceRecord = { namespace: ns, created_at: createdAt };
  const low = new Low<NamespaceFile>(new DurableJsonFile<NamespaceFile>(ctx, layout.namespaceFile(ns)), namespaceFile(record));
  await low.write();
  return record;
}

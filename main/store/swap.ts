/**
 * Replacing the whole catalogue at once (an import's replace). The new catalogue is staged in
 * full and made durable first (./staging); then one durable marker, DATA/swap.json, decides the
 * swap. From there the swap only rolls forward:
 *   1. DATA/namespaces is renamed to DATA/tmp/replaced-<id>;
 *   2. the staged folder is renamed to DATA/namespaces;
 *   2b. the trash files staged beside it (repos the replace removed) are moved into DATA/trash;
 *   3. journal segments are removed (the store writes nothing while a marker stands, so every
 *      segment describes the old catalogue; the store checkpoints before it writes the marker,
 *      so there are none in practice);
 *   4. the marker is removed.
 * A crash before the marker leaves the old catalogue (open empties tmp/, staging included); a
 * crash after it leaves the marker, and open finishes steps 1–4 before anything else reads the
 * folder. Each step checks whether it was done already, so finishing twice is harmless. Either
 * way the catalogue is the old one or the new one, never a mix.
 */
import { dirname, join } from 'node:path';
import { CorruptFileError, DurableJsonFile, fsyncDir, readJsonStrict, type DurableContext } from '../files/durable-file';
import { DIR_MODE, errnoOf, type FileOps } from '../files/file-ops';
import { listSegments } from './journal-format';
import { isIdFile } from './ids';
import { TMP_DIR, TRASH_DIR, type Layout } from './layout';
import type { ProblemLog } from './quarantine';
import type { ImportStaging } from './staging';

export const SWAP_MARKER = 'swap.json';

interface SwapMarker {
  schema_version: 1;
  /** The staged catalogue, relative to the data folder. */
  staged: string;
  /** Where the old catalogue goes, relative to the data folder (removed afterwards). */
  old: string;
  created_at: string;
}

/** Tests stop a swap between its steps (a crash there must leave the old or the new catalogue). */
export interface SwapHooks {
  afterMarker?: () => Promise<void>;
  afterOldMoved?: () => Promise<void>;
  afterNewMoved?: () => Promise<void>;
}

const STAGED = new RegExp(`^${TMP_DIR}/import-[a-z0-9-]+/namespaces$`);
const OLD = new RegExp(`^${TMP_DIR}/replaced-[a-z0-9-]+$`);

async function exists(ops: FileOps, path: string): Promise<boolean> {
  try {
    await ops.stat(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw err;
  }
}

/** Swaps the staged catalogue in; resolves once the swap is complete and durable. */
export async function swapCatalogue(ctx: DurableContext, layout: Layout, staging: ImportStaging, hooks: SwapHooks = {}): Promise<string> {
  const marker: SwapMarker = {
    schema_version: 1,
    staged: `${staging.relativeRoot}/namespaces`,
    old: `${TMP_DIR}/replaced-${staging.id}`,
    created_at: new Date().toISOString(),
  };
  await new DurableJsonFile<SwapMarker>(ctx, join(layout.dataDir, SWAP_MARKER)).write(marker);
  await hooks.afterMarker?.();
  await finishSwap(ctx.ops, layout, marker, hooks);
  return join(layout.dataDir, marker.old);
}

async function finishSwap(ops: FileOps, layout: Layout, marker: SwapMarker, hooks: SwapHooks = {}): Promise<void> {
  const dataDir = layout.dataDir;
  const staged = join(dataDir, marker.staged);
  if (await exists(ops, staged)) {
    if (await exists(ops, layout.namespaces)) {
      await ops.rename(layout.namespaces, join(dataDir, marker.old));
      await hooks.afterOldMoved?.();
    }
    await ops.rename(staged, layout.namespaces);
    await fsyncDir(ops, dirname(staged));
    await fsyncDir(ops, layout.tmp);
    await fsyncDir(ops, dataDir);
    await hooks.afterNewMoved?.();
  }
  await moveStagedTrash(ops, layout, join(dataDir, dirname(marker.staged), TRASH_DIR));
  const segments = await listSegments(ops, layout.journal).catch((err: unknown) => {
    if (errnoOf(err) === 'ENOENT') return [];
    throw err;
  });
  if (segments.length > 0) {
    for (const segment of segments) await ops.unlink(join(layout.journal, segment.name));
    await fsyncDir(ops, layout.journal);
  }
  await ops.unlink(join(dataDir, SWAP_MARKER));
  await fsyncDir(ops, dataDir);
}

/** Each staged trash file moves once (a rename); one moved before a crash is simply not there. */
async function moveStagedTrash(ops: FileOps, layout: Layout, stagedTrash: string): Promise<void> {
  let names: string[];
  try {
    names = (await ops.readdir(stagedTrash)).filter((name) => isIdFile(name));
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    throw err;
  }
  if (names.length === 0) return;
  await ops.mkdir(layout.trash, { recursive: true, mode: DIR_MODE });
  for (const name of names) await ops.rename(join(stagedTrash, name), join(layout.trash, name));
  await fsyncDir(ops, layout.trash);
  await fsyncDir(ops, stagedTrash);
}

/** Whether a marker names folders of this data folder's tmp/ only (a hand-edited one could name anything). */
function toMarker(raw: unknown): SwapMarker | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  if (m.schema_version !== 1 || typeof m.staged !== 'string' || typeof m.old !== 'string') return null;
  if (!STAGED.test(m.staged) || !OLD.test(m.old)) return null;
  return { schema_version: 1, staged: m.staged, old: m.old, created_at: String(m.created_at) };
}

/**
 * At open, before temp files are removed: finishes a swap that a crash interrupted after it was
 * decided. A marker that cannot be read is moved aside and reported; the folder keeps whatever
 * catalogue stands in DATA/namespaces.
 */
export async function recoverSwap(ctx: DurableContext, layout: Layout, problems: ProblemLog): Promise<boolean> {
  const path = join(layout.dataDir, SWAP_MARKER);
  let marker: SwapMarker | null;
  try {
    const raw = await readJsonStrict(ctx.ops, path);
    if (raw === null) return false;
    marker = toMarker(raw);
    if (!marker) throw new CorruptFileError(path, 'it is not a swap marker Berth wrote');
  } catch (err) {
    if (!(err instanceof CorruptFileError)) throw err;
    await problems.report(path, err.reason, 'An interrupted import was not finished; the catalogue is the one in namespaces/.');
    return false;
  }
  await finishSwap(ctx.ops, layout, marker);
  return true;
}

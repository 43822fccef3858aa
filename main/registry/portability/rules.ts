/**
 * What an import does to one repo found on both sides (docs/portability.md):
 * - identical content: unchanged;
 * - merge: the document's copy replaces the local one only when its `updated_at` is later, and
 *   then the counters (pulls, pushes) and their times never go down; otherwise the local copy is
 *   kept and the repo is listed as a conflict, so a newer local change is never overwritten;
 * - replace: the document's copy, whatever the times.
 * A repo found on both sides keeps its local id and history (./history).
 * Pure functions: the import asks once while reading (a dry run stops there) and again inside
 * the write, against the repo as it is then.
 */
import type { RepoRecord } from '../../store';
import { asLocalRepo } from './history';
import { exportedRepo } from './items';

export type Decision = { kind: 'created' | 'updated'; record: RepoRecord } | { kind: 'unchanged' } | { kind: 'conflict'; detail: string };

export function sameContent(ns: string, a: RepoRecord, b: RepoRecord): boolean {
  return a === b || JSON.stringify(exportedRepo(ns, a)) === JSON.stringify(exportedRepo(ns, b));
}

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

export function mergeDecision(ns: string, local: RepoRecord | undefined, imported: RepoRecord): Decision {
  if (!local) return { kind: 'created', record: imported };
  if (sameContent(ns, local, imported)) return { kind: 'unchanged' };
  if (imported.updated_at > local.updated_at) {
    const record: RepoRecord = {
      ...asLocalRepo(local, imported),
      download: Math.max(local.download, imported.download),
      upload: Math.max(local.upload, imported.upload),
      pulled_at: later(local.pulled_at, imported.pulled_at),
      pushed_at: later(local.pushed_at, imported.pushed_at),
    };
    return { kind: 'updated', record };
  }
  const detail =
    imported.updated_at === local.updated_at
      ? `Kept the local copy: both copies were last changed at ${local.updated_at} but differ.`
      : `Kept the local copy: it was changed at ${local.updated_at}, after the imported one (${imported.updated_at}).`;
  return { kind: 'conflict', detail };
}

export function replaceDecision(ns: string, local: RepoRecord | undefined, imported: RepoRecord): Decision {
  if (!local) return { kind: 'created', record: imported };
  if (sameContent(ns, local, imported)) return { kind: 'unchanged' };
  return { kind: 'updated', record: asLocalRepo(local, imported) };
}

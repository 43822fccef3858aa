/**
 * The export document, produced piece by piece (never whole in memory):
 *
 *   {"format":"berth-export","version":1,"exported_at":"…",
 *   "namespaces":[
 *   {"namespace":"acme","created_at":"…"},
 *   …],
 *   "repos":[
 *   {"namespace":"acme","repo_name":"web",…,"tags":[…]},
 *   …],
 *   "registries":[]
 *   }
 *
 * One item per line, namespaces by name, repos by namespace then name, tags as stored, so an
 * export of the same catalogue is the same text (but for exported_at). It is a snapshot: the
 * records are immutable, so holding the ones current when the export starts keeps it consistent
 * while writes go on.
 */
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedRegistry } from '../../contract/portability';
import type { NamespaceRecord, RepoRecord, Store } from '../../store';
import { exportedNamespace, exportedRepo } from './items';

export interface ExportProgress {
  namespaces: number;
  repos: number;
  /** Repos in the whole export. */
  total: number;
  bytes: number;
}

export interface ExportOptions {
  now: () => string;
  /** Repos written so far, of how many, and the bytes produced. */
  onProgress?: (progress: ExportProgress) => void;
  /** The registry connections, as the document carries them (never a secret). */
  registries?: () => readonly ExportedRegistry[];
}

/** Text is handed on in pieces of about this size. */
const CHUNK_CHARS = 256 * 1024;

const byName = (a: RepoRecord, b: RepoRecord) => (a.repo_name < b.repo_name ? -1 : a.repo_name > b.repo_name ? 1 : 0);

async function snapshot(store: Store): Promise<{ record: NamespaceRecord; repos: RepoRecord[] }[]> {
  await store.loadAll();
  const out: { record: NamespaceRecord; repos: RepoRecord[] }[] = [];
  for (const ns of store.namespaceNames()) {
    // Loaded already unless it appeared since (then loading it is the snapshot's last step).
    const state = store.loadedNamespace(ns) ?? (await store.namespace(ns));
    if (state) out.push({ record: state.record, repos: [...state.repos.values()].sort(byName) });
  }
  return out;
}

export async function* exportDocument(store: Store, options: ExportOptions): AsyncGenerator<string> {
  const namespaces = await snapshot(store);
  const total = namespaces.reduce((n, s) => n + s.repos.length, 0);
  const registries = options.registries?.() ?? [];
  let repos = 0;
  let bytes = 0;
  let buffer = `{"format":${JSON.stringify(EXPORT_FORMAT)},"version":${EXPORT_VERSION},"exported_at":${JSON.stringify(options.now())},\n"namespaces":[`;
  const flush = () => {
    const out = buffer;
    buffer = '';
    bytes += Buffer.byteLength(out);
    options.onProgress?.({ namespaces: namespaces.length, repos, total, bytes });
    return out;
  };

  namespaces.forEach(({ record }, i) => {
    buffer += `${i === 0 ? '\n' : ',\n'}${JSON.stringify(exportedNamespace(record))}`;
  });
  buffer += `${namespaces.length > 0 ? '\n' : ''}],\n"repos":[`;
  for (const { record, repos: list } of namespaces) {
    for (const repo of list) {
      buffer += `${repos === 0 ? '\n' : ',\n'}${JSON.stringify(exportedRepo(record.namespace, repo))}`;
      repos++;
      if (buffer.length >= CHUNK_CHARS) yield flush();
    }
  }
  buffer += `${repos > 0 ? '\n' : ''}],\n"registries":[`;
  registries.forEach((registry, i) => {
    buffer += `${i === 0 ? '\n' : ',\n'}${JSON.stringify(registry)}`;
  });
  buffer += `${registries.length > 0 ? '\n' : ''}]\n}\n`;
  yield flush();
}

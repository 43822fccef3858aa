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
 * export of the same catalogue is the same text (but for exported_at). Namespaces in memory when
 * it starts are exported as they were then; the others as their files hold them when it gets
 * there (see plan).
 */
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedRegistry } from '../../contract/portability';
import type { NamespaceRecord, RepoWithoutHistory, Store } from '../../store';
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

const byName = (a: RepoWithoutHistory, b: RepoWithoutHistory) => (a.repo_name < b.repo_name ? -1 : a.repo_name > b.repo_name ? 1 : 0);

interface Part {
  record: NamespaceRecord;
  /** Held from the start when the namespace was in memory; else read when the export reaches it. */
  repos: RepoWithoutHistory[] | null;
}

/**
 * What the export will walk: namespaces in memory are held as they are now (records are
 * immutable, so the export stays a snapshot of them while writes go on); the others are read
 * from their files when reached and let go after, so exporting a folder just opened (the
 * command-line tool) never holds the whole catalogue.
 */
async function plan(store: Store): Promise<{ parts: Part[]; total: number }> {
  const parts: Part[] = [];
  let total = 0;
  for (const ns of store.namespaceNames()) {
    const loaded = store.loadedNamespace(ns);
    const record = loaded?.record ?? store.namespaceRecord(ns);
    if (!record) continue;
    const repos = loaded ? [...loaded.repos.values()].sort(byName) : null;
    total += repos ? repos.length : ((await store.repoCountHint(ns)) ?? 0);
    parts.push({ record, repos });
  }
  return { parts, total };
}

async function reposOf(store: Store, part: Part, next: Part | undefined): Promise<RepoWithoutHistory[]> {
  if (part.repos) return part.repos;
  const state = await store.readNamespaceForExport(part.record.namespace, next?.repos === null ? next.record.namespace : undefined);
  return state ? [...state.repos.values()].sort(byName) : [];
}

export async function* exportDocument(store: Store, options: ExportOptions): AsyncGenerator<string> {
  const { parts: namespaces, total } = await plan(store);
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
  try {
    for (const [i, part] of namespaces.entries()) {
      const { record } = part;
      for (const repo of await reposOf(store, part, namespaces[i + 1])) {
        buffer += `${repos === 0 ? '\n' : ',\n'}${JSON.stringify(exportedRepo(record.namespace, repo))}`;
        repos++;
        if (buffer.length >= CHUNK_CHARS) yield flush();
      }
    }
  } finally {
    // Stopped early (the file could not be written, the window's export failed): nothing read
    // ahead for it stays held.
    await store.endExportReads();
  }
  buffer += `${repos > 0 ? '\n' : ''}],\n"registries":[`;
  registries.forEach((registry, i) => {
    buffer += `${i === 0 ? '\n' : ',\n'}${JSON.stringify(registry)}`;
  });
  buffer += `${registries.length > 0 ? '\n' : ''}]\n}\n`;
  yield flush();
}

/**
 * Where each file lives in the data folder:
 *   berth.json                              {schema_version, created_at}
 *   berth.lock                              the one writer's pid
 *   tmp/                                    temp files of writes in flight, lock takeover markers (cleaned at start)
 *   journal/<n>.log                         committed batches not yet checkpointed (./journal)
 *   quarantine/                             files that did not parse, moved aside, never deleted
 *   namespaces/<ns>/namespace.json          {schema_version, namespace, created_at}
 *   namespaces/<ns>/repos/<repo>.json       one repo with its tags and its newest history entries
 *   history/<repo id>/<first entry id>.json  a sealed chunk of a repo's older history (immutable)
 *   trash/<repo id>.json                    a deleted repo's whole record, until restored or purged
 * Names are [a-z0-9._-] and cannot start with '.', so they are never '.', '..' or hidden files;
 * ids are lower-case ULIDs.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const META_FILE = 'berth.json';
export const LOCK_FILE = 'berth.lock';
export const TMP_DIR = 'tmp';
export const QUARANTINE_DIR = 'quarantine';
export const JOURNAL_DIR = 'journal';
export const NAMESPACES_DIR = 'namespaces';
export const NAMESPACE_FILE = 'namespace.json';
export const REPOS_DIR = 'repos';
export const HISTORY_DIR = 'history';
export const TRASH_DIR = 'trash';

/** NAME_MAX of common file systems, in bytes (names here are ASCII). */
const FILE_NAME_MAX = 255;

export class Layout {
  constructor(readonly dataDir: string) {}

  get meta(): string {
    return join(this.dataDir, META_FILE);
  }
  get lock(): string {
    return join(this.dataDir, LOCK_FILE);
  }
  get tmp(): string {
    return join(this.dataDir, TMP_DIR);
  }
  get journal(): string {
    return join(this.dataDir, JOURNAL_DIR);
  }
  get quarantine(): string {
    return join(this.dataDir, QUARANTINE_DIR);
  }
  get namespaces(): string {
    return join(this.dataDir, NAMESPACES_DIR);
  }
  namespaceDir(ns: string): string {
    return join(this.namespaces, ns);
  }
  namespaceFile(ns: string): string {
    return join(this.namespaceDir(ns), NAMESPACE_FILE);
  }
  reposDir(ns: string): string {
    return join(this.namespaceDir(ns), REPOS_DIR);
  }
  repoFile(ns: string, repo: string): string {
    return join(this.reposDir(ns), repoFileName(repo));
  }
  /** The same files relative to the data folder, with '/' (as the journal names them). */
  namespaceFileRel(ns: string): string {
    return `${NAMESPACES_DIR}/${ns}/${NAMESPACE_FILE}`;
  }
  repoFileRel(ns: string, repo: string): string {
    return `${NAMESPACES_DIR}/${ns}/${REPOS_DIR}/${repoFileName(repo)}`;
  }
  get history(): string {
    return join(this.dataDir, HISTORY_DIR);
  }
  historyDir(repoId: string): string {
    return join(this.history, repoId);
  }
  historyChunk(repoId: string, first: string): string {
    return join(this.historyDir(repoId), `${first}.json`);
  }
  get trash(): string {
    return join(this.dataDir, TRASH_DIR);
  }
  trashFile(repoId: string): string {
    return join(this.trash, `${repoId}.json`);
  }
}

/**
 * A repo name may be up to 253 characters, so `<name>.json` can pass NAME_MAX: long names are
 * cut and suffixed with a hash. '~' is not a name character, so a cut name never collides with a
 * short one; the real name is inside the file.
 */
export function repoFileName(repo: string): string {
  const plain = `${repo}.json`;
  if (plain.length <= FILE_NAME_MAX) return plain;
  const hash = createHash('sha256').update(repo).digest('hex').slice(0, 32);
  return `${repo.slice(0, 200)}~${hash}.json`;
}

/** Paths relative to the data folder, with '/' (as the journal names them). */
export function historyDirRel(repoId: string): string {
  return `${HISTORY_DIR}/${repoId}`;
}
export function historyChunkRel(repoId: string, first: string): string {
  return `${HISTORY_DIR}/${repoId}/${first}.json`;
}
export function trashFileRel(repoId: string): string {
  return `${TRASH_DIR}/${repoId}.json`;
}

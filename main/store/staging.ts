/**
 * An import's staging folder: DATA/tmp/import-<id>/namespaces, laid out exactly like
 * DATA/namespaces, written while the document is read and before anything of the catalogue
 * changes; beside it, trash/ holds the repos a replace removes (moved into DATA/trash by the
 * swap). A replace swaps it in whole (./swap); a merge moves in the namespaces that are new
 * and applies the rest through ordinary writes. Anything left by a crash is in tmp/, which open
 * empties, unless a swap marker says the swap was decided (./swap rolls it forward first).
 *
 * The folder is no one else's, so files are written in place (no temp file and rename) with
 * blocking calls: a hundred thousand small files go several times faster than through the
 * thread pool. Nothing is durable until sync().
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, serialize } from '../files/durable-file';
import { DIR_MODE, errnoError, FILE_MODE, nodeFileOps } from '../files/file-ops';
import type { NewHistoryRecord } from './history-records';
import { appendUnsealed } from './history-tail';
import { NAMESPACE_FILE, NAMESPACES_DIR, repoFileName, REPOS_DIR, TMP_DIR, TRASH_DIR, type Layout } from './layout';
import { namespaceFile, repoFile, toRepoRecord, type NamespaceRecord, type RepoRecord } from './records';
import { syncFileSystem } from './syncfs';
import { trashFile, type TrashRecord } from './trash-records';

/** Writes a whole new file in place (blocking): every byte, or an error (a short write is ENOSPC). */
function writeNew(path: string, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  const fd = openSync(path, 'wx', FILE_MODE);
  try {
    let offset = 0;
    while (offset < buf.length) {
      const written = writeSync(fd, buf, offset, buf.length - offset);
      if (!(written > 0)) throw errnoError('ENOSPC', 'the disk accepted no more bytes');
      offset += written;
    }
  } finally {
    closeSync(fd);
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class ImportStaging {
  /** DATA/tmp/import-<id>: what the swap marker and the clean-up name. */
  readonly root: string;
  /** DATA/tmp/import-<id>/namespaces: swapped in as DATA/namespaces by a replace. */
  readonly namespacesDir: string;
  /** DATA/tmp/import-<id>/trash: the trash files of the repos a replace removes. */
  readonly trashDir: string;
  /** What was put in trashDir, for memory once the swap is done. */
  readonly trashed: TrashRecord[] = [];
  private readonly folders = new Set<string>();
  private readonly written = new Set<string>();
  private discarded = false;

  private constructor(
    readonly layout: Layout,
    readonly id: string,
  ) {
    this.root = join(layout.tmp, `import-${id}`);
    this.namespacesDir = join(this.root, NAMESPACES_DIR);
    this.trashDir = join(this.root, TRASH_DIR);
  }

  static create(layout: Layout): ImportStaging {
    const staging = new ImportStaging(layout, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`);
    mkdirSync(staging.namespacesDir, { recursive: true, mode: DIR_MODE });
    return staging;
  }

  /** The folder's name relative to the data folder, as the swap marker records it. */
  get relativeRoot(): string {
    return `${TMP_DIR}/import-${this.id}`;
  }

  private reposDir(ns: string): string {
    const dir = join(this.namespacesDir, ns, REPOS_DIR);
    if (!this.folders.has(ns)) {
      mkdirSync(dir, { recursive: true, mode: DIR_MODE });
      this.folders.add(ns);
    }
    return dir;
  }

  /** A namespace's namespace.json (a namespace the import creates or, for a replace, keeps). */
  writeNamespace(record: NamespaceRecord): void {
    this.reposDir(record.namespace);
    writeNew(join(this.namespacesDir, record.namespace, NAMESPACE_FILE), serialize(namespaceFile(record)));
    this.written.add(record.namespace);
  }

  /** A repo's file, `history` appended to its history (the store gives entries their ids). */
  writeRepo(ns: string, repo: RepoRecord, history: readonly NewHistoryRecord[] = []): void {
    writeNew(join(this.reposDir(ns), repoFileName(repo.repo_name)), serialize(repoFile(ns, appendUnsealed(repo, history))));
  }

  /** A repo a replace removes: into the trash with its whole record, `history` appended. */
  writeTrash(ns: string, repo: RepoRecord, when: { deleted_at: string; expires_at: string }, history: readonly NewHistoryRecord[]): void {
    if (this.trashed.length === 0) mkdirSync(this.trashDir, { recursive: true, mode: DIR_MODE });
    const record: TrashRecord = { namespace: ns, ...when, repo: appendUnsealed(repo, history) };
    writeNew(join(this.trashDir, `${repo.id}.json`), serialize(trashFile(record)));
    this.trashed.push(record);
  }

  /** Namespaces holding staged repos or a namespace.json, sorted. */
  namespaces(): string[] {
    return [...this.folders].sort();
  }

  /** Whether the namespace's namespace.json was staged (its folder can move in whole). */
  hasNamespaceFile(ns: string): boolean {
    return this.written.has(ns);
  }

  /** The folder of one staged namespace (moved into DATA/namespaces whole by a merge). */
  namespaceDir(ns: string): string {
    return join(this.namespacesDir, ns);
  }

  /** The repos staged for a namespace, read back (a merge applies them through ordinary writes). */
  readRepos(ns: string): RepoRecord[] {
    const dir = join(this.namespacesDir, ns, REPOS_DIR);
    return readdirSync(dir)
      .sort()
      .map((file) => toRepoRecord(JSON.parse(readFileSync(join(dir, file), 'utf8'))).repo);
  }

  /** Makes every staged file and folder durable (before a swap marker may name them). */
  async sync(): Promise<void> {
    if (await syncFileSystem(this.root)) return;
    for (const ns of this.folders) {
      const dir = join(this.namespacesDir, ns, REPOS_DIR);
      for (const file of readdirSync(dir)) fsyncFile(join(dir, file));
      if (this.written.has(ns)) fsyncFile(join(this.namespacesDir, ns, NAMESPACE_FILE));
      await fsyncDir(nodeFileOps, dir);
      await fsyncDir(nodeFileOps, join(this.namespacesDir, ns));
    }
    for (const record of this.trashed) fsyncFile(join(this.trashDir, `${record.repo.id}.json`));
    if (this.trashed.length > 0) await fsyncDir(nodeFileOps, this.trashDir);
    await fsyncDir(nodeFileOps, this.namespacesDir);
    await fsyncDir(nodeFileOps, this.root);
  }

  /** Removes what is left of the folder (after a swap: nothing but its empty root). */
  async discard(): Promise<void> {
    if (this.discarded) return;
    this.discarded = true;
    await rm(this.root, { recursive: true, force: true });
  }
}

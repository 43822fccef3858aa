/**
 * `check` (the command-line tool): reads every file of a data folder and its journal the way
 * open would, and reports what open would trip over, without changing a byte: no lock taken
 * (a folder another process holds is refused instead), nothing moved aside, replayed or cleaned.
 * Problems are what would lose data or be set aside; notes are what open tidies by itself.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isValidNamespace, validateImageId, validateRepoName, validateTag } from '../contract/names';
import { CorruptFileError, readJsonStrict } from '../files/durable-file';
import { errnoOf, nodeFileOps, type FileOps } from '../files/file-ops';
import { toChunkEntries } from './history-records';
import { isIdFile } from './ids';
import { decodeSegment, listSegments } from './journal-format';
import { HISTORY_DIR, Layout, NAMESPACE_FILE, NAMESPACES_DIR, repoFileName, TRASH_DIR } from './layout';
import { lockedBy } from './lock';
import { CURRENT_PLAN, migrate } from './migrations';
import { toMeta, toNamespaceRecord, toRepoRecord, type RepoRecord } from './records';
import { SWAP_MARKER } from './swap';
import { toTrashRecord } from './trash-records';

export interface CheckReport {
  problems: { file: string; reason: string }[];
  notes: string[];
  namespaces: number;
  repos: number;
  journalRecords: number;
}

export interface CheckOptions {
  ops?: FileOps;
  /** Repo files checked so far. */
  onProgress?: (repos: number) => void;
}

async function list(ops: FileOps, dir: string): Promise<string[]> {
  try {
    return (await ops.readdir(dir)).sort();
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return [];
    throw err;
  }
}

function reasonOf(err: unknown): string {
  return err instanceof CorruptFileError ? err.reason : err instanceof Error ? err.message : String(err);
}

/** What a repo file must hold beyond its shape: the API's names, image ids, one of each tag. */
function repoRules(repo: RepoRecord, ns: string): string | null {
  const bad = validateRepoName(repo.repo_name, ns);
  if (bad) return `repo "${repo.repo_name}": ${bad}`;
  const seen = new Set<string>();
  for (const t of repo.tags) {
    if (validateTag(t.tag)) return `tag "${t.tag}": ${validateTag(t.tag)}`;
    if (validateImageId(t.image_id) || t.image_id.startsWith('sha256:')) return `tag "${t.tag}": image_id is not 64 hex characters`;
    if (seen.has(t.tag)) return `tag "${t.tag}" appears twice`;
    seen.add(t.tag);
  }
  return null;
}

/** The history chunk files on disk, as `<repo id>/<first entry id>`; each one's entries checked. */
async function checkHistory(ops: FileOps, layout: Layout, problem: (file: string, reason: string) => void): Promise<Set<string>> {
  const found = new Set<string>();
  for (const repoId of await list(ops, layout.history)) {
    for (const file of await list(ops, join(layout.history, repoId))) {
      const rel = `${HISTORY_DIR}/${repoId}/${file}`;
      if (!isIdFile(file)) continue;
      found.add(`${repoId}/${file.slice(0, -'.json'.length)}`);
      try {
        toChunkEntries(await readJsonStrict(ops, join(layout.history, repoId, file)), repoId);
      } catch (err) {
        problem(rel, reasonOf(err));
      }
    }
  }
  return found;
}

/** The sealed chunks a repo (or a trashed one) names: on disk or in the journal, checked once both are read. */
function chunksOf(repo: RepoRecord, where: string, wanted: { chunk: string; where: string }[]): void {
  for (const chunk of repo.history_chunks) wanted.push({ chunk: `${repo.id}/${chunk.first}`, where });
}

/** What a journalled file must hold, by where it goes. */
function checkJournalled(rel: string, data: unknown): void {
  if (rel.startsWith(`${HISTORY_DIR}/`)) toChunkEntries(data, rel.split('/')[1] ?? '');
  else if (rel.startsWith(`${TRASH_DIR}/`)) toTrashRecord(data);
  else if (rel.startsWith(`${NAMESPACES_DIR}/`) && !rel.endsWith(NAMESPACE_FILE)) toRepoRecord(data);
}

export async function checkDataFolder(dataDir: string, options: CheckOptions = {}): Promise<CheckReport> {
  const ops = options.ops ?? nodeFileOps;
  const layout = new Layout(dataDir);
  const report: CheckReport = { problems: [], notes: [], namespaces: 0, repos: 0, journalRecords: 0 };
  const problem = (file: string, reason: string) => report.problems.push({ file, reason });

  const held = await lockedBy(ops, dataDir, layout.lock);
  if (held) throw held;

  try {
    const meta = await readJsonStrict(ops, layout.meta);
    if (meta === null) problem('berth.json', 'the file is missing (Berth has not opened this folder, or it was removed)');
    else if (toMeta(meta).schema_version > CURRENT_PLAN.version) problem('berth.json', 'written by a newer version of Berth');
  } catch (err) {
    problem('berth.json', reasonOf(err));
  }
  if ((await list(ops, dataDir)).includes(SWAP_MARKER))
    report.notes.push('An interrupted import replaced the catalogue; the next start finishes it.');
  const chunks = await checkHistory(ops, layout, problem);
  const wanted: { chunk: string; where: string }[] = [];

  for (const ns of await list(ops, layout.namespaces)) {
    const rel = `namespaces/${ns}`;
    if (!isValidNamespace(ns)) {
      report.notes.push(`${rel} is not a namespace folder; Berth leaves it alone.`);
      continue;
    }
    report.namespaces++;
    try {
      const raw = await readJsonStrict(ops, layout.namespaceFile(ns));
      if (raw === null) problem(`${rel}/${NAMESPACE_FILE}`, 'the file is missing');
      else if (toNamespaceRecord(migrate(CURRENT_PLAN, 'namespace', rel, raw)).namespace !== ns)
        problem(`${rel}/${NAMESPACE_FILE}`, 'it names another namespace');
    } catch (err) {
      problem(`${rel}/${NAMESPACE_FILE}`, reasonOf(err));
    }
    for (const file of await list(ops, layout.reposDir(ns))) {
      const path = `${rel}/repos/${file}`;
      if (!file.endsWith('.json')) {
        report.notes.push(`${path} is not a repo file; Berth leaves it alone.`);
        continue;
      }
      report.repos++;
      if (report.repos % 5000 === 0) options.onProgress?.(report.repos);
      try {
        // Blocking reads: thousands of small files, nothing else to serve.
        const raw = await readJsonStrict((p) => readFileSync(p, 'utf8'), join(layout.reposDir(ns), file));
        const { namespace, repo } = toRepoRecord(migrate(CURRENT_PLAN, 'repo', path, raw));
        if (namespace !== ns) problem(path, `it names namespace "${namespace}"`);
        else if (repoFileName(repo.repo_name) !== file) problem(path, `it names repo "${repo.repo_name}"`);
        else {
          const bad = repoRules(repo, ns);
          if (bad) problem(path, bad);
          chunksOf(repo, path, wanted);
        }
      } catch (err) {
        problem(path, reasonOf(err));
      }
    }
  }

  for (const file of await list(ops, layout.trash)) {
    if (!isIdFile(file)) continue;
    const rel = `${TRASH_DIR}/${file}`;
    try {
      const trashed = toTrashRecord(migrate(CURRENT_PLAN, 'trash', rel, await readJsonStrict(ops, join(layout.trash, file))));
      chunksOf(trashed.repo, rel, wanted);
    } catch (err) {
      problem(rel, reasonOf(err));
    }
  }

  for (const segment of await listSegments(ops, layout.journal).catch(() => [])) {
    const rel = `journal/${segment.name}`;
    const decoded = decodeSegment(dataDir, await ops.readFile(join(layout.journal, segment.name)));
    report.journalRecords += decoded.records.length;
    if (decoded.damaged)
      problem(rel, `${decoded.damaged.reason} at byte ${decoded.damaged.at}; ${decoded.damaged.bytes} bytes after it cannot be replayed`);
    if (decoded.ignoredBytes > 0)
      report.notes.push(`${rel} ends with ${decoded.ignoredBytes} bytes of a write a crash cut short (never acknowledged; ignored).`);
    for (const record of decoded.records) {
      for (const f of record.files) {
        if (f.data === null || !f.abs.endsWith('.json')) continue;
        const target = relative(dataDir, f.abs).split(sep).join('/');
        if (target.startsWith(`${HISTORY_DIR}/`)) chunks.add(target.slice(HISTORY_DIR.length + 1, -'.json'.length));
        try {
          checkJournalled(target, f.data);
        } catch (err) {
          problem(rel, `record ${record.seq} holds ${target}, which is not valid (${reasonOf(err)})`);
        }
      }
    }
  }
  for (const { chunk, where } of wanted) {
    if (!chunks.has(chunk)) problem(where, `its history chunk ${HISTORY_DIR}/${chunk}.json is missing`);
  }
  if (report.journalRecords > 0)
    report.notes.push(`The journal holds ${report.journalRecords} changes not yet in their files; the next start writes them.`);
  const temp = (await list(ops, layout.tmp)).length;
  if (temp > 0) report.notes.push(`tmp/ holds ${temp} leftovers of interrupted writes; the next start removes them.`);
  const aside = (await list(ops, layout.quarantine)).length;
  if (aside > 0) report.notes.push(`quarantine/ holds ${aside} files set aside earlier (kept for you to inspect).`);
  try {
    if (((await ops.stat(dataDir)).mode & 0o077) !== 0)
      report.notes.push('Other users of this machine may read the data folder; the next start limits it to you.');
  } catch (err) {
    problem('.', reasonOf(err));
  }
  return report;
}

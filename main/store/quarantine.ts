/**
 * Files that do not parse are moved aside into DATA/quarantine (kept, never deleted) and
 * reported, so the app never starts empty over data it could not read.
 */
import { createHash } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { fsyncDir } from '../files/durable-file';
import { DIR_MODE, FILE_MODE, type FileOps } from '../files/file-ops';

export interface StoreProblem {
  /** The file, relative to the data folder. */
  file: string;
  /** Where it was moved, relative to the data folder; null when it could not be moved. */
  moved_to: string | null;
  reason: string;
  /** One sentence for a person. */
  message: string;
}

function quarantineName(rel: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const name = `${stamp}__${rel.split(sep).join('__')}`;
  if (name.length <= 255) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
  return `${name.slice(0, 200)}~${hash}`;
}

export async function quarantineFile(
  ops: FileOps,
  dataDir: string,
  quarantineDir: string,
  path: string,
  reason: string,
  consequence: string,
): Promise<StoreProblem> {
  const file = relative(dataDir, path);
  let movedTo: string | null = null;
  let moveError = '';
  try {
    const target = join(quarantineDir, quarantineName(file, new Date()));
    await ops.rename(path, target);
    // Kept for the user alone, like every file of the data folder (best effort: it is kept either way).
    await ops.chmod(target, (await ops.stat(target)).isDirectory() ? DIR_MODE : FILE_MODE).catch(() => undefined);
    await fsyncDir(ops, quarantineDir);
    await fsyncDir(ops, dirname(path));
    movedTo = relative(dataDir, target);
  } catch (err) {
    moveError = ` It could not be moved aside (${(err as Error).message}) and was left in place.`;
  }
  const where = movedTo ? ` It was moved to ${movedTo}.` : moveError;
  return { file, moved_to: movedTo, reason, message: `${file} could not be read: ${reason}.${where} ${consequence}`.trim() };
}

/** What the store found wrong with its files, as it found it (open, loads, checkpoints). */
export class ProblemLog {
  readonly list: StoreProblem[] = [];
  private readonly listeners = new Set<(p: StoreProblem) => void>();

  constructor(
    private readonly ops: FileOps,
    private readonly dataDir: string,
    private readonly quarantineDir: string,
  ) {}

  add(problem: StoreProblem): void {
    this.list.push(problem);
    for (const listener of this.listeners) listener(problem);
  }

  onProblem(listener: (problem: StoreProblem) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A file that cannot be read is moved to the quarantine folder (kept) and reported. */
  async report(path: string, reason: string, consequence: string): Promise<void> {
    this.add(await quarantineFile(this.ops, this.dataDir, this.quarantineDir, path, reason, consequence));
  }

  /** The same for what stands where a file must be written; true when it was moved. */
  async moveAside(path: string, reason: string): Promise<boolean> {
    const problem = await quarantineFile(
      this.ops,
      this.dataDir,
      this.quarantineDir,
      path,
      reason,
      'The file was then written in its place.',
    );
    this.add({ ...problem, message: problem.message.replace(' could not be read: ', ' could not be written: ') });
    return problem.moved_to !== null;
  }
}

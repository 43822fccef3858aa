/**
 * `<data>/registries.json`: the registry connections (never their secrets, which live in
 * credentials.json). Written like every file of the store: temp file, fsync, rename, folder
 * fsync, mode 0600, one write at a time, each the whole list. A file that does not parse is moved
 * to quarantine/ and reported; Berth then starts without registries rather than over them.
 */
import { dirname, join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  CorruptFileError,
  fsyncDir,
  newWriteStats,
  readJsonStrict,
  serialize,
  writeFileAtomic,
  type DurableContext,
} from '../files/durable-file';
import { DIR_MODE, nodeFileOps, type FileOps } from '../files/file-ops';
import { QUARANTINE_DIR, TMP_DIR } from './layout';
import { quarantineFile, type StoreProblem } from './quarantine';
import { storageError } from './storage-error';

export const REGISTRIES_FILE = 'registries.json';
const VERSION = 1;

const MaybeString = Type.Union([Type.String(), Type.Null()]);

/** One connection as stored. The username and password are in credentials.json. */
export const RegistryRecord = Type.Object({
  name: Type.String(),
  url: Type.String(),
  kind: Type.Union([Type.Literal('distribution'), Type.Literal('dockerhub')]),
  insecure: Type.Boolean(),
  auto_import: Type.Boolean(),
  use_docker_config: Type.Boolean(),
  ca_pem: MaybeString,
  created_at: Type.String(),
  updated_at: Type.String(),
  status: Type.Object({ ok: Type.Union([Type.Boolean(), Type.Null()]), checked_at: MaybeString, detail: Type.String() }),
});
export type RegistryRecord = Static<typeof RegistryRecord>;

const FileShape = Type.Object({ version: Type.Integer({ minimum: 1 }), registries: Type.Array(RegistryRecord) });
const checkFile = TypeCompiler.Compile(FileShape);

export class RegistriesFile {
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly ctx: DurableContext,
    /** As on disk: replaced only once a write succeeded. */
    private current: readonly RegistryRecord[],
    /** The file was unreadable and moved aside at open. */
    readonly problem: StoreProblem | null,
  ) {}

  static async open(dataDir: string, options: { ops?: FileOps } = {}): Promise<RegistriesFile> {
    const ops = options.ops ?? nodeFileOps;
    const path = join(dataDir, REGISTRIES_FILE);
    const tmpDir = join(dataDir, TMP_DIR);
    await ops.mkdir(tmpDir, { recursive: true, mode: DIR_MODE });
    const ctx: DurableContext = { ops, tmpDir, stats: newWriteStats() };
    let raw: unknown;
    try {
      raw = await readJsonStrict(ops, path);
    } catch (err) {
      if (!(err instanceof CorruptFileError)) throw err;
      return new RegistriesFile(path, ctx, [], await moveAside(ops, dataDir, path, err.reason));
    }
    if (raw === null) return new RegistriesFile(path, ctx, [], null);
    const version = (raw as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version > VERSION) {
      throw new Error(`${path} was written by a newer Berth (version ${version}); this one reads version ${VERSION}.`);
    }
    if (!checkFile.Check(raw)) {
      const first = checkFile.Errors(raw).First();
      const where = first ? ` (${first.path || '/'}: ${first.message})` : '';
      return new RegistriesFile(path, ctx, [], await moveAside(ops, dataDir, path, `it is not a Berth registries file${where}`));
    }
    return new RegistriesFile(path, ctx, raw.registries, null);
  }

  records(): readonly RegistryRecord[] {
    return this.current;
  }

  /** Writes the whole list (durably) and makes it current; a refused write is a storage_error that changes nothing. */
  write(records: readonly RegistryRecord[]): Promise<void> {
    const sorted = [...records].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const write = this.writes.then(async () => {
      try {
        await writeFileAtomic(this.ctx, this.path, serialize({ version: VERSION, registries: sorted }));
        await fsyncDir(this.ctx.ops, dirname(this.path));
      } catch (err) {
        throw storageError(err, 'save the registries');
      }
      this.current = sorted;
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}

async function moveAside(ops: FileOps, dataDir: string, path: string, reason: string): Promise<StoreProblem> {
  const quarantine = join(dataDir, QUARANTINE_DIR);
  await ops.mkdir(quarantine, { recursive: true, mode: DIR_MODE });
  return quarantineFile(
    ops,
    dataDir,
    quarantine,
    path,
    reason,
    'Berth starts without registries; add them again (their saved passwords are kept).',
  );
}

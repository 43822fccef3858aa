/**
 * Registry credentials, kept apart from the catalogue in `<data>/credentials.json` (mode 0600,
 * written durably: temp file, fsync, rename, folder fsync). Passwords pass through a codec: the
 * desktop app plugs in Electron's safeStorage; `serve` and tests use the plain codec, where the
 * file's mode is the protection. Each secret records its codec, so one sealed by the app's
 * keychain is reported clearly where that keychain is not available.
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BerthError } from '../../contract/errors';
import { fsyncDir, newWriteStats, readJsonStrict, serialize, writeFileAtomic, type DurableContext } from '../../files/durable-file';
import { nodeFileOps } from '../../files/file-ops';
import type { Credentials } from '../auth';

export interface SecretCodec {
  /** Recorded with each secret ("plain", "safeStorage"). */
  readonly name: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export const PLAIN_CODEC: SecretCodec = { name: 'plain', encrypt: (s) => s, decrypt: (s) => s };

export const CREDENTIALS_FILE = 'credentials.json';
const VERSION = 1;

interface Entry {
  username: string;
  password: { codec: string; value: string } | null;
}

interface FileShape {
  version: number;
  registries: Record<string, Entry>;
}

export class CredentialsFile {
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly ctx: DurableContext,
    private readonly codec: SecretCodec,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** Opens (or starts) `<dataDir>/credentials.json`; an unreadable file is an error, never overwritten. */
  static async open(dataDir: string, options: { codec?: SecretCodec } = {}): Promise<CredentialsFile> {
    const path = join(dataDir, CREDENTIALS_FILE);
    const tmpDir = join(dataDir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const raw = (await readJsonStrict(nodeFileOps, path)) as FileShape | null;
    const entries = new Map<string, Entry>();
    if (raw !== null) {
      if (!raw || typeof raw !== 'object' || typeof raw.registries !== 'object' || raw.registries === null) {
        throw new Error(`${path}: not a Berth credentials file; move it aside to start without saved credentials.`);
      }
      if (raw.version > VERSION)
        throw new Error(`${path} was written by a newer Berth (version ${raw.version}); this one reads version ${VERSION}.`);
      for (const [name, entry] of Object.entries(raw.registries)) if (isEntry(entry)) entries.set(name, entry);
      // A secret file readable by others (copied, restored from a backup) is closed again.
      if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
    }
    return new CredentialsFile(path, { ops: nodeFileOps, tmpDir, stats: newWriteStats() }, options.codec ?? PLAIN_CODEC, entries);
  }

  /** Never the secrets, should this object reach a log or an answer. */
  toJSON(): { path: string; registries: string[] } {
    return { path: this.path, registries: this.names() };
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  username(name: string): string | null {
    return this.entries.get(name)?.username ?? null;
  }

  hasPassword(name: string): boolean {
    return Boolean(this.entries.get(name)?.password);
  }

  /** The credentials saved for a registry, decrypted; null when none are saved. */
  get(name: string): Credentials | null {
    const entry = this.entries.get(name);
    if (!entry?.password) return null;
    const { codec, value } = entry.password;
    const decoder = codec === this.codec.name ? this.codec : codec === PLAIN_CODEC.name ? PLAIN_CODEC : null;
    if (!decoder) {
      throw new BerthError(
        'registry_auth_failed',
        `The saved password of registry ${name} was sealed by ${codec}, which is not available here; enter the password again.`,
      );
    }
    try {
      return { username: entry.username, password: decoder.decrypt(value) };
    } catch {
      throw new BerthError('registry_auth_failed', `The saved password of registry ${name} cannot be decrypted; enter the password again.`);
    }
  }

  /** Saves a username, and a password unless it is undefined (kept) or null (removed). */
  async set(name: string, credentials: { username: string; password?: string | null }): Promise<void> {
    const previous = this.entries.get(name);
    const password =
      credentials.password === undefined
        ? (previous?.password ?? null)
        : credentials.password === null
          ? null
          : { codec: this.codec.name, value: this.codec.encrypt(credentials.password) };
    this.entries.set(name, { username: credentials.username, password });
    await this.save();
  }

  async delete(name: string): Promise<void> {
    if (!this.entries.delete(name)) return;
    await this.save();
  }

  /** Writes one after another, each the whole current state, so none lands out of order. */
  private save(): Promise<void> {
    const write = this.writes.then(async () => {
      const shape: FileShape = { version: VERSION, registries: Object.fromEntries(this.entries) };
      await writeFileAtomic(this.ctx, this.path, serialize(shape), { mode: 0o600 });
      await fsyncDir(this.ctx.ops, dirname(this.path));
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}

function isEntry(value: unknown): value is Entry {
  if (!value || typeof value !== 'object') return false;
  const { username, password } = value as Partial<Entry>;
  if (typeof username !== 'string') return false;
  return password === null || (typeof password === 'object' && typeof password?.codec === 'string' && typeof password.value === 'string');
}

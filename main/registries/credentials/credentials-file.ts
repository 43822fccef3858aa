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

/** An opaque copy of one registry's saved entry (sealed secrets only, never plain ones). */
export interface CredentialsSnapshot {
  readonly name: string;
}
const VERSION = 1;

interface Sealed {
  codec: string;
  value: string;
}

interface Entry {
  username: string;
  password: Sealed | null;
  /** The secret a registry's event notifications must carry (see docs/registries.md). */
  events_secret?: Sealed | null;
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
    return { username: entry.username, password: this.open(name, entry.password, 'password') };
  }

  /** The registry's events secret, decrypted; null when none is saved. */
  eventsSecret(name: string): string | null {
    const sealed = this.entries.get(name)?.events_secret;
    return sealed ? this.open(name, sealed, 'events secret') : null;
  }

  private open(name: string, sealed: Sealed, what: string): string {
    const decoder = sealed.codec === this.codec.name ? this.codec : sealed.codec === PLAIN_CODEC.name ? PLAIN_CODEC : null;
    const again = what === 'password' ? 'enter the password again' : 'remove and add the registry again';
    if (!decoder) {
      throw new BerthError(
        'registry_auth_failed',
        `The saved ${what} of registry ${name} was sealed by ${sealed.codec}, which is not available here; ${again}.`,
      );
    }
    try {
      return decoder.decrypt(sealed.value);
    } catch {
      throw new BerthError('registry_auth_failed', `The saved ${what} of registry ${name} cannot be decrypted; ${again}.`);
    }
  }

  /**
   * Saves a username, and a password unless it is undefined (kept) or null (removed); an events
   * secret likewise (undefined keeps it). One write for all of them.
   */
  async set(name: string, credentials: { username: string; password?: string | null; eventsSecret?: string | null }): Promise<void> {
    const previous = this.entries.get(name);
    const seal = (value: string | null | undefined, kept: Sealed | null | undefined): Sealed | null =>
      value === undefined ? (kept ?? null) : value === null ? null : { codec: this.codec.name, value: this.codec.encrypt(value) };
    const entry: Entry = { username: credentials.username, password: seal(credentials.password, previous?.password) };
    const eventsSecret = seal(credentials.eventsSecret, previous?.events_secret);
    if (eventsSecret) entry.events_secret = eventsSecret;
    this.entries.set(name, entry);
    try {
      await this.save();
    } catch (err) {
      // The file is unchanged: so is what this object answers.
      if (previous) this.entries.set(name, previous);
      else this.entries.delete(name);
      throw err;
    }
  }

  /** What is saved for a registry, as it is on disk (sealed): to put back with restore(). */
  snapshot(name: string): CredentialsSnapshot {
    const entry = this.entries.get(name);
    // Never the secrets, should a snapshot reach a log.
    return { name, entry: entry ? structuredClone(entry) : null, toJSON: () => ({ name }) } as CredentialsSnapshot;
  }

  /** Puts back what snapshot() took (undoes a change whose other half could not be saved). */
  async restore(snapshot: CredentialsSnapshot): Promise<void> {
    const { name, entry } = snapshot as { name: string; entry: Entry | null };
    const previous = this.entries.get(name);
    if (entry) this.entries.set(name, structuredClone(entry));
    else this.entries.delete(name);
    try {
      await this.save();
    } catch (err) {
      if (previous) this.entries.set(name, previous);
      else this.entries.delete(name);
      throw err;
    }
  }

  async delete(name: string): Promise<void> {
    const previous = this.entries.get(name);
    if (!previous) return;
    this.entries.delete(name);
    try {
      await this.save();
    } catch (err) {
      this.entries.set(name, previous);
      throw err;
    }
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
  const { username, password, events_secret } = value as Partial<Entry>;
  if (typeof username !== 'string') return false;
  return isSealedOrNull(password) && (events_secret === undefined || isSealedOrNull(events_secret));
}

function isSealedOrNull(value: unknown): boolean {
  if (value === null) return true;
  return (
    typeof value === 'object' &&
    typeof (value as Partial<Sealed>).codec === 'string' &&
    typeof (value as Partial<Sealed>).value === 'string'
  );
}

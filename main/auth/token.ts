/**
 * The per-install API token (README, Local API, "Token"): 256 random bits, stored in DATA/token
 * with mode 0600, created on first run; `BERTH_TOKEN` (or an explicit option) overrides the stored
 * one.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError } from '../contract/errors';

export const TOKEN_FILE = 'token';

export type TokenSource = 'option' | 'env' | 'file' | 'created';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Writes the token so that only this user can read it, atomically (temp file, fsync, rename). */
export async function storeToken(dataDir: string, token: string): Promise<string> {
  const path = join(dataDir, TOKEN_FILE);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask cannot widen 0600, but a pre-existing file's mode could: set it explicitly.
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new BerthError('storage_error', `Could not store the API token in ${path} (${code}).`);
  }
  return path;
}

async function readStoredToken(dataDir: string): Promise<string | null> {
  const path = join(dataDir, TOKEN_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new BerthError('storage_error', `Could not read the API token from ${path}.`);
  }
  const token = text.trim();
  // An empty file (say, emptied by hand) gets a fresh token; any other content is the user's.
  if (!token) return null;
  // Tighten a token file someone loosened by hand.
  await chmod(path, 0o600).catch(() => undefined);
  return token;
}

/** Option, then BERTH_TOKEN, then DATA/token, else a new token stored there. */
export async function loadToken(
  dataDir: string,
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ token: string; source: TokenSource }> {
  if (explicit && explicit.trim()) return { token: explicit.trim(), source: 'option' };
  const fromEnv = env.BERTH_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env' };
  const stored = await readStoredToken(dataDir);
  if (stored) return { token: stored, source: 'file' };
  const token = newToken();
  await storeToken(dataDir, token);
  return { token, source: 'created' };
}

/**
 * The schemes the token may come with, by the same rules: OAuth's `Bearer`, and Django REST
 * framework's `Token` (TokenAuthentication), which the hosted service's own clients send. Scheme
 * names are case-insensitive (RFC 9110 §11.1); the token is one word, as DRF requires.
 */
const AUTHORIZATION = /^(?:Bearer|Token)[ \t]+(\S+)[ \t]*$/i;

/** The token an Authorization header presents, or undefined when the header is not one of ours. */
export function presentedToken(header: string): string | undefined {
  return AUTHORIZATION.exec(header)?.[1];
}

// One-shot hashing: createHash's object per call cost more than the rest of a token read.
const digest = (value: string): Buffer => hash('sha256', value, 'buffer');

// The expected token changes only when it is rotated, so its digest is kept rather than redone
// on every request.
let expectedToken: string | undefined;
let expectedDigest: Buffer | undefined;

/** Constant-time comparison: equal-length digests, so neither content nor length leaks. */
export function tokensEqual(presented: string, expected: string): boolean {
  if (expectedDigest === undefined || expected !== expectedToken) {
    expectedDigest = digest(expected);
    expectedToken = expected;
  }
  return timingSafeEqual(digest(presented), expectedDigest);
}

/** Content digests (`algorithm:hex`) and their verification. */
import { createHash } from 'node:crypto';
import { registryFailure } from './errors';

const ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha512: 'sha512' };

export function sha256Digest(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** The digest of `content` in the same algorithm as `expected` (sha256 when it names none Berth knows). */
export function digestLike(content: Buffer, expected: string | undefined): string {
  const algorithm = expected ? ALGORITHMS[expected.split(':')[0] ?? ''] : undefined;
  if (!algorithm) return sha256Digest(content);
  return `${algorithm}:${createHash(algorithm).update(content).digest('hex')}`;
}

/** Throws a registry_error when `content` does not hash to `expected`. */
export function verifyDigest(content: Buffer, expected: string, label: string, what: string): void {
  const actual = digestLike(content, expected);
  if (actual !== expected) {
    throw registryFailure(
      'registry_error',
      `${label} sent ${what} whose content does not match its digest (expected ${expected}, got ${actual}).`,
    );
  }
}

/** How registry facts read in the window: sizes as Docker prints them, short digests, platforms. */
import type { RegistryStatus } from '../../../../main/contract/types';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** Decimal units, as `docker images` and Docker Hub show sizes. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : oneDecimal.format(value)} ${UNITS[unit]}`;
}

/** The first 12 hex characters, as Docker shortens ids. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

export function platformLabel(p: { os: string; architecture: string; variant: string | null }): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

export type StatusKind = 'ok' | 'bad' | 'unknown';

export function statusKind(status: RegistryStatus): StatusKind {
  return status.ok === true ? 'ok' : status.ok === false ? 'bad' : 'unknown';
}

export const STATUS_WORDS: Record<StatusKind, string> = { ok: 'Connected', bad: 'Not reachable', unknown: 'Not checked' };

import type { RegistryStatus } from '../../../../main/contract/types';
import { STATUS_WORDS, statusKind } from './format';

/**
 * A coloured dot whose meaning is also in words (for screen readers and on hover). `decorative`
 * where the words are given beside it already (the sidebar describes each entry with them).
 */
export function StatusDot({ status, decorative = false }: { status: RegistryStatus; decorative?: boolean }) {
  const kind = statusKind(status);
  if (decorative) return <span className={`status-dot status-dot-${kind}`} aria-hidden="true" />;
  return <span className={`status-dot status-dot-${kind}`} role="img" aria-label={STATUS_WORDS[kind]} title={status.detail} />;
}

/** A time shown as "3 minutes ago", with the exact local and UTC time on hover. */
import { useEffect, useState } from 'react';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatRelative(iso: string, now: number): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (Math.abs(seconds) < 10) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return relative.format(Math.round(seconds / size), unit);
  }
  return iso;
}

export function exactTime(iso: string): string {
  return `${exact.format(new Date(iso))} (${iso})`;
}

/** Re-renders every `intervalMs`, so "2 minutes ago" keeps up with the clock. */
function useTick(intervalMs: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
}

export function RelativeTime({ iso, never = 'never' }: { iso: string | null; never?: string }) {
  useTick(30_000);
  // The clock as of this render: a time that arrives later (a pull recorded just now) is compared
  // with now, not with when the component was first shown ("in 11 seconds").
  const now = Date.now();
  if (!iso) return <span className="muted">{never}</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

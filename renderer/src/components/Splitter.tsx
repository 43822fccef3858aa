/**
 * The handle between the repository list and the details (WAI-ARIA's window splitter): drag it,
 * or focus it and use ←/→ (Shift for bigger steps), Home/End; a double click resets the width.
 * The width is reported live while it changes and committed (remembered) when it settles.
 */
import { useEffect, useRef, type PointerEvent } from 'react';

interface SplitterProps {
  /** The element it resizes (aria-controls). */
  controls: string;
  label: string;
  value: number;
  min: number;
  max: number;
  defaultValue: number;
  onChange(width: number): void;
  onCommit(width: number): void;
}

const STEP = 16;
const BIG_STEP = 64;
/** Keyboard changes are remembered once the keys have rested this long. */
const COMMIT_AFTER_MS = 400;

export function Splitter({ controls, label, value, min, max, defaultValue, onChange, onCommit }: SplitterProps) {
  const drag = useRef<{ startX: number; startWidth: number; width: number } | null>(null);
  const commitTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(commitTimer.current), []);
  const clamp = (width: number) => Math.round(Math.max(min, Math.min(max, width)));

  const commitSoon = (width: number) => {
    clearTimeout(commitTimer.current);
    commitTimer.current = setTimeout(() => onCommit(width), COMMIT_AFTER_MS);
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className="splitter"
      title={`${label} (drag, or ←/→; double-click resets)`}
      onPointerDown={(event: PointerEvent<HTMLDivElement>) => {
        if (event.button !== 0) return;
        event.preventDefault();
        event.currentTarget.setPointerCapture(event.pointerId);
        drag.current = { startX: event.clientX, startWidth: value, width: value };
      }}
      onPointerMove={(event) => {
        const current = drag.current;
        if (!current) return;
        current.width = clamp(current.startWidth + event.clientX - current.startX);
        onChange(current.width);
      }}
      onPointerUp={(event) => {
        const current = drag.current;
        drag.current = null;
        if (event.currentTarget.hasPointerCapture(event.pointerId)) event.currentTarget.releasePointerCapture(event.pointerId);
        if (current && current.width !== current.startWidth) onCommit(current.width);
      }}
      onDoubleClick={() => {
        onChange(defaultValue);
        onCommit(defaultValue);
      }}
      onKeyDown={(event) => {
        const step = event.shiftKey ? BIG_STEP : STEP;
        const targets: Record<string, number> = { ArrowLeft: value - step, ArrowRight: value + step, Home: min, End: max };
        const target = targets[event.key];
        if (target === undefined) return;
        event.preventDefault();
        const width = clamp(target);
        onChange(width);
        commitSoon(width);
      }}
    />
  );
}
